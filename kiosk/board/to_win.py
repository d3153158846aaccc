"""How to win today: what a day goal not yet met still needs. Plain Python, no Qt.

A scoreboard that only says "96%, behind" tells the team the score; this says what would
win the day, in the catalog's unit:

- a sum (sales, five-star comments): "$770 to go", and with opening hours known and at
  least an hour of them left today, "$257 an hour" until close (when that is at least one
  unit of the catalog's precision an hour);
- a budget (direction down, a sum: shrink): what is left to spend, "$30 left to spend",
  and "$10 an hour" at most; nothing once it is used up (the card says "over by");
- a mean or a latest value (an appearance score, a wait time): the day has one number, so
  the score needed is the goal itself, "needs 8.5 pts" ("needs 5.0 min or less").

A goal already met says nothing. Amounts are rounded to the catalog's decimals in the
direction that keeps them honest: what is to go rounds up (stopping at "$770" must not fall
short by 40 cents), what is left to spend rounds down.

Why "at least an hour": with ten minutes to close, "$4,620 an hour" is arithmetic, not
advice; the amount to go says it all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from kiosk.board.display_schedule import DailyWindow
from kiosk.board.model import MetricEntry, Status, ToWin, WinKind
from kiosk.board.wording import ENGLISH, QT_TRANSLATE_NOOP, Wording
from sync.vocabulary import Aggregate, Direction, Period

MIN_HOURS_FOR_RATE = 1.0


def _dec(value: float) -> Decimal:
    # repr() is the shortest string that round-trips: the number as HQ or the manager wrote it.
    return Decimal(repr(float(value)))


def _rounded(value: Decimal, decimals: int, rounding: str) -> float:
    quantum = Decimal(1).scaleb(-max(0, decimals))
    return float(value.quantize(quantum, rounding=rounding))


def _utc(day: dt.date, moment: dt.time, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, moment, tzinfo=tz).astimezone(dt.UTC)


def selling_spans(
    day: dt.date, hours: DailyWindow, tz: dt.tzinfo
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The opening hours that fall on the calendar date `day`, as UTC (start, end) pairs.

    A day's values are its calendar date's, so hours after midnight belong to the next day:
    with "07:00" to "01:30", `day` holds 00:00-01:30 (from the evening before) and
    07:00-24:00.
    """
    midnight = _utc(day + dt.timedelta(days=1), dt.time(0), tz)
    start = _utc(day, hours.start, tz)
    if hours.start < hours.end:
        return [(start, _utc(day, hours.end, tz))]
    spans = [(start, midnight)]
    if hours.end > dt.time(0):
        spans.insert(0, (_utc(day, dt.time(0), tz), _utc(day, hours.end, tz)))
    return spans


def hours_left(now: dt.datetime, day: dt.date, hours: DailyWindow | None) -> float | None:
    """Opening hours still ahead on `day` at `now` (aware, in the store's zone).

    None when the opening hours are unknown (the display is always on); 0 once they are
    over, or for a day already past; all of them for a day still to come.
    """
    if hours is None:
        return None
    if now.tzinfo is None:
        raise ValueError("hours_left needs an aware datetime")
    instant = now.astimezone(dt.UTC)
    seconds = 0.0
    for start, end in selling_spans(day, hours, now.tzinfo):
        seconds += max(0.0, (end - max(start, instant)).total_seconds())
    return seconds / 3600


def day_to_win(entry: MetricEntry, hours: float | None = None) -> ToWin | None:
    """What `entry` (a day goal) still needs; None when there is no day goal, or it is won.

    `hours` is `hours_left` for the entry's day: the per-hour figure needs an hour or more.
    """
    if entry.period != Period.day or entry.target is None:
        return None
    target = _dec(entry.target)
    if entry.aggregate != Aggregate.sum:
        if entry.status == Status.met:
            return None
        return _win(entry, WinKind.score_needed, float(entry.target), None)
    actual = _dec(entry.actual) if entry.actual is not None else Decimal(0)
    left = target - actual
    if entry.direction == Direction.down:
        kind, rounding = WinKind.left_to_spend, ROUND_FLOOR
    else:
        if entry.status == Status.met:
            return None
        kind, rounding = WinKind.to_go, ROUND_CEILING
    amount = _rounded(left, entry.decimals, rounding)
    if left <= 0 or amount <= 0:
        return None  # nothing to go; a budget used up says "over by" on its card already
    per_hour = None
    if hours is not None and hours >= MIN_HOURS_FOR_RATE:
        rate = left / _dec(hours)
        # Under one unit an hour ("1 five-star comment to go" over 11 hours) a rate would
        # round to "1 an hour", which overstates it tenfold: the amount says enough.
        if rate >= Decimal(1).scaleb(-max(0, entry.decimals)):
            per_hour = _rounded(rate, entry.decimals, rounding)
    return _win(entry, kind, amount, per_hour)


def _win(entry: MetricEntry, kind: WinKind, amount: float, per_hour: float | None) -> ToWin:
    return ToWin(
        metric=entry.metric,
        kind=kind,
        amount=amount,
        per_hour=per_hour,
        unit=entry.unit,
        decimals=entry.decimals,
        direction=entry.direction,
    )


def board_to_win(
    entries: Iterable[MetricEntry],
    now: dt.datetime,
    day: dt.date,
    hours: DailyWindow | None,
) -> tuple[ToWin, ...]:
    """`day_to_win` for every day goal of a scoreboard on `day`, seen at `now` (aware)."""
    left = hours_left(now, day, hours)
    found = (day_to_win(entry, left) for entry in entries if entry.period == Period.day)
    return tuple(win for win in found if win is not None)


def to_win_pieces(win: ToWin, words: Wording = ENGLISH) -> list[str]:
    """The words, in pieces a narrow card may wrap between: ["$770 to go", "$257 an hour"]."""
    amount = words.formats.value(win.amount, win.unit, win.decimals)
    if win.kind == WinKind.score_needed:
        if win.direction == Direction.down:
            #: A limit (a wait time, say): today's figure must not be above this.
            return [words.say(QT_TRANSLATE_NOOP("Board", "needs {amount} or less"), amount=amount)]
        #: A score (a mean or the latest value): today's figure must reach this to win the day.
        return [words.say(QT_TRANSLATE_NOOP("Board", "needs {amount}"), amount=amount)]
    if win.kind == WinKind.left_to_spend:
        #: A day budget (shrink): this much can still be spent today.
        first = words.say(QT_TRANSLATE_NOOP("Board", "{amount} left to spend"), amount=amount)
    else:
        #: What today's goal still needs: "$770 to go".
        first = words.say(QT_TRANSLATE_NOOP("Board", "{amount} to go"), amount=amount)
    if win.per_hour is None:
        return [first]
    rate = words.formats.value(win.per_hour, win.unit, win.decimals)
    #: The same, per opening hour left today: "$257 an hour".
    return [first, words.say(QT_TRANSLATE_NOOP("Board", "{amount} an hour"), amount=rate)]


def left_to_spend_short(win: ToWin, words: Wording = ENGLISH) -> str:
    """ "$30 left": "$30 left to spend" for a narrow card."""
    amount = words.formats.value(win.amount, win.unit, win.decimals)
    #: Short for "{amount} left to spend", where a card is narrow.
    return words.say(QT_TRANSLATE_NOOP("Board", "{amount} left"), amount=amount)


def to_win_text(win: ToWin, words: Wording = ENGLISH) -> str:
    """ "$770 to go · $257 an hour"."""
    return " · ".join(to_win_pieces(win, words))
