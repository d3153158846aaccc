"""How to win today: what is left of a day goal, per hour until close, the score needed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kiosk.board.display_schedule import DailyWindow
from kiosk.board.model import MetricEntry, Source, Status, ToWin, WinKind
from kiosk.board.scoreboard import CatalogInfo, DayValue, compute_entry
from kiosk.board.to_win import board_to_win, day_to_win, hours_left, to_win_pieces, to_win_text
from sync.vocabulary import Aggregate, Direction, Period

CHICAGO = ZoneInfo("America/Chicago")
DAY = dt.date(2026, 11, 24)
OPEN = DailyWindow(dt.time(7), dt.time(22))


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHICAGO)


def day_entry(
    actual: float | None,
    target: float | None,
    *,
    unit: str = "$",
    decimals: int = 0,
    direction: str = "up",
    aggregate: str = "sum",
    period: str = "day",
) -> MetricEntry:
    """The entry the scoreboard computes for one day's value against a goal."""
    info = CatalogInfo(
        "m",
        "Metric",
        unit=unit,
        direction=Direction(direction),
        aggregate=Aggregate(aggregate),
        decimals=decimals,
    )
    values = {} if actual is None else {DAY: DayValue(actual, Source.hq)}
    return compute_entry(info, Period(period), DAY, values, target)


# --- hours left --------------------------------------------------------------------------


def test_hours_left_until_close():
    assert hours_left(at(19), DAY, OPEN) == 3.0
    assert hours_left(at(10, 47), DAY, OPEN) == pytest.approx(11 + 13 / 60)


def test_before_opening_the_whole_day_is_left_and_after_close_nothing():
    assert hours_left(at(6), DAY, OPEN) == 15.0
    assert hours_left(at(22), DAY, OPEN) == 0.0
    assert hours_left(at(23, 30), DAY, OPEN) == 0.0


def test_without_opening_hours_there_is_no_hour_count():
    assert hours_left(at(12), DAY, None) is None


def test_a_day_gone_by_has_no_hours_and_one_to_come_has_all():
    assert hours_left(at(12), DAY - dt.timedelta(days=1), OPEN) == 0.0
    assert hours_left(at(12), DAY + dt.timedelta(days=1), OPEN) == 15.0


def test_hours_after_midnight_belong_to_the_next_date():
    """Open 07:00 to 01:30: at 23:00 one hour is left of the date (its values are the
    date's); at 00:30 the next date has an hour of the night plus its own 17 hours."""
    late = DailyWindow(dt.time(7), dt.time(1, 30))
    assert hours_left(at(23), DAY, late) == 1.0
    tomorrow = DAY + dt.timedelta(days=1)
    assert hours_left(at(0, 30, tomorrow), tomorrow, late) == 18.0


def test_hours_left_count_real_time_across_a_clock_change():
    """1 Nov 2026, Chicago: clocks go back at 02:00, so 00:00 to 06:00 lasts seven hours."""
    night = DailyWindow(dt.time(0), dt.time(6))
    change = dt.date(2026, 11, 1)
    assert hours_left(at(0, 0, change), change, night) == 7.0


def test_hours_left_needs_an_aware_time():
    with pytest.raises(ValueError, match="aware"):
        hours_left(dt.datetime(2026, 11, 24, 12), DAY, OPEN)


# --- a sum: what is left, per hour --------------------------------------------------------


def test_a_sum_behind_its_day_goal_says_what_is_left_and_per_hour():
    win = day_to_win(day_entry(11_230, 12_000), hours=3.0)
    assert win == ToWin("m", WinKind.to_go, 770.0, 257.0, "$", 0, Direction.up)
    assert to_win_text(win) == "$770 to go · $257 an hour"


def test_what_is_left_rounds_up_to_the_catalogs_decimals():
    """Stopping at "$770" must not leave the goal 40 cents short."""
    win = day_to_win(day_entry(11_229.6, 12_000), hours=4.0)
    assert win is not None
    assert (win.amount, win.per_hour) == (771.0, 193.0)
    cents = day_to_win(day_entry(38.451, 40, decimals=2), hours=None)
    assert cents is not None and cents.amount == 1.55
    assert to_win_pieces(cents) == ["$1.55 to go"]


def test_decimals_and_unit_come_from_the_catalog():
    win = day_to_win(day_entry(1.2, 4, unit="h", decimals=1), hours=2.0)
    assert win is not None
    assert to_win_pieces(win) == ["2.8 h to go", "1.4 h an hour"]


def test_without_opening_hours_or_after_close_there_is_no_per_hour_figure():
    assert to_win_text(day_to_win(day_entry(11_230, 12_000), hours=None)) == "$770 to go"
    assert to_win_text(day_to_win(day_entry(11_230, 12_000), hours=0.0)) == "$770 to go"


def test_under_an_hour_left_says_only_what_is_left():
    win = day_to_win(day_entry(11_230, 12_000), hours=0.5)
    assert win is not None and win.per_hour is None
    just = day_to_win(day_entry(11_230, 12_000), hours=1.0)
    assert just is not None and just.per_hour == 770.0


def test_less_than_one_unit_an_hour_is_not_worth_a_rate():
    """One five-star comment to go over 11 hours would round up to "1 an hour"."""
    win = day_to_win(day_entry(1, 2, unit=""), hours=11.0)
    assert win is not None
    assert to_win_pieces(win) == ["1 to go"]


def test_no_number_yet_means_the_whole_goal_is_to_go():
    win = day_to_win(day_entry(None, 12_000), hours=None)
    assert win is not None and win.amount == 12_000.0


def test_a_goal_already_met_says_nothing():
    met = day_entry(12_000, 12_000)
    assert met.status == Status.met
    assert day_to_win(met, hours=5.0) is None
    assert day_to_win(day_entry(13_000, 12_000), hours=5.0) is None


def test_a_week_or_month_goal_or_no_goal_says_nothing():
    assert day_to_win(day_entry(100, 1000, period="week"), hours=5.0) is None
    assert day_to_win(day_entry(100, 1000, period="month"), hours=5.0) is None
    assert day_to_win(day_entry(100, None), hours=5.0) is None


def test_an_up_goal_of_zero_says_nothing():
    assert day_to_win(day_entry(0, 0), hours=5.0) is None


# --- budgets: what is left to spend -------------------------------------------------------


def test_a_budget_reads_as_what_is_left_to_spend():
    budget = day_entry(120, 150, direction="down")
    assert budget.status == Status.met  # a day budget not used up counts as met...
    win = day_to_win(budget, hours=3.0)  # ...and still says what is left of it
    assert win == ToWin("m", WinKind.left_to_spend, 30.0, 10.0, "$", 0, Direction.down)
    assert to_win_text(win) == "$30 left to spend · $10 an hour"


def test_what_is_left_to_spend_rounds_down():
    win = day_to_win(day_entry(120.6, 150, direction="down"), hours=3.0)
    assert win is not None
    assert (win.amount, win.per_hour) == (29.0, 9.0)


def test_a_budget_used_up_or_overspent_says_nothing_more():
    assert day_to_win(day_entry(150, 150, direction="down"), hours=3.0) is None
    assert day_to_win(day_entry(190, 150, direction="down"), hours=3.0) is None
    # Less than one unit left in the catalog's precision: nothing left to speak of.
    assert day_to_win(day_entry(149.6, 150, direction="down"), hours=3.0) is None


def test_nothing_spent_yet_leaves_the_whole_budget():
    win = day_to_win(day_entry(None, 150, direction="down"), hours=None)
    assert win is not None
    assert to_win_text(win) == "$150 left to spend"


# --- a mean or a latest value: the score needed --------------------------------------------


@pytest.mark.parametrize("aggregate", ["mean", "last"])
def test_a_mean_or_latest_value_says_the_score_needed(aggregate):
    win = day_to_win(day_entry(8.2, 8.5, unit="pts", decimals=1, aggregate=aggregate), 6.0)
    assert win == ToWin("m", WinKind.score_needed, 8.5, None, "pts", 1, Direction.up)
    assert to_win_text(win) == "needs 8.5 pts"


def test_a_limit_says_the_score_needed_or_less_and_nothing_once_kept():
    over = day_entry(5.4, 5, unit="min", decimals=1, direction="down", aggregate="mean")
    assert to_win_text(day_to_win(over, 6.0)) == "needs 5.0 min or less"
    kept = day_entry(4.6, 5, unit="min", decimals=1, direction="down", aggregate="mean")
    assert day_to_win(kept, 6.0) is None


def test_a_score_met_says_nothing():
    assert day_to_win(day_entry(8.6, 8.5, decimals=1, aggregate="mean"), 6.0) is None


def test_no_score_yet_still_says_what_is_needed():
    win = day_to_win(day_entry(None, 90, unit="%", aggregate="last"), 6.0)
    assert win is not None and to_win_text(win) == "needs 90%"


# --- a whole board ------------------------------------------------------------------------


def test_board_to_win_uses_the_hours_left_at_now():
    entries = [
        day_entry(11_230, 12_000),  # to go
        day_entry(13_000, 12_000),  # met
        day_entry(100, 1000, period="week"),  # not a day goal
    ]
    wins = board_to_win(entries, at(19), DAY, OPEN)
    assert [to_win_text(w) for w in wins] == ["$770 to go · $257 an hour"]
    assert [to_win_text(w) for w in board_to_win(entries, at(22, 5), DAY, OPEN)] == ["$770 to go"]
    assert [to_win_text(w) for w in board_to_win(entries, at(19), DAY, None)] == ["$770 to go"]
