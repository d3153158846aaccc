"""How numbers, percents, dates and times read on the board. Plain Python, no Qt.

The screens and `kiosk scoreboard` share these so a value looks the same everywhere. Names of
days and months are fixed English words rather than `strftime`, whose output depends on the
machine's locale: every store's screen must read the same.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.board.model import MetricEntry

MISSING = "–"  # en dash: "no value", distinct from a minus sign
MINUS = "−"  # U+2212: as wide as a digit's "+", reads better than a hyphen at 4 m
ELLIPSIS = "…"
CURRENCY_UNITS: tuple[str, ...] = ("$", "€", "£", "¥")
GLUED_UNITS: tuple[str, ...] = ("%",)  # written without a space: "87%"

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Compact suffixes, largest first: "$1.2M".
_SCALES: tuple[tuple[int, str], ...] = ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K"))


def _round_half_up(value: float, decimals: int) -> Decimal:
    # Decimal(str(x)) keeps the number as written (2.675 stays 2.675, not 2.67499...), so
    # half-up rounding matches what a person does on paper and what the JSON contract says.
    quantum = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(value: float, decimals: int = 0) -> str:
    """`1234.5, 1` -> "1,234.5"; negative numbers get a real minus sign: "−1,234"."""
    decimals = max(0, int(decimals))
    rounded = _round_half_up(value, decimals)
    negative = rounded < 0
    text = f"{abs(rounded):,.{decimals}f}"
    # A value that rounds to zero is zero, not "−0".
    return f"{MINUS}{text}" if negative and rounded != 0 else text


def _with_unit(number: str, unit: str) -> str:
    unit = unit.strip()
    if not unit:
        return number
    negative = number.startswith(MINUS)
    digits = number[1:] if negative else number
    sign = MINUS if negative else ""
    if unit in CURRENCY_UNITS:
        return f"{sign}{unit}{digits}"  # "−$1,234": sign first, as accountants write it
    if unit in GLUED_UNITS:
        return f"{number}{unit}"
    return f"{number} {unit}"


def compact_number(value: float, decimals: int = 0) -> str:
    """A short form for big numbers: 1,234,567 -> "1.2M", 54,210 -> "54.2K", 950 -> "950"."""
    magnitude = abs(value)
    scales = [(scale, suffix) for scale, suffix in reversed(_SCALES) if magnitude >= scale]
    if not scales:
        return format_number(value, decimals)
    scale, suffix = scales[-1]
    scaled = value / scale
    places = 0 if abs(scaled) >= 100 else 1
    if abs(float(_round_half_up(scaled, places))) >= 1000 and len(scales) < len(_SCALES):
        # 999,960 would read "1,000K": say "1M" instead.
        scale, suffix = _SCALES[len(_SCALES) - len(scales) - 1]
        scaled = value / scale
        places = 0 if abs(scaled) >= 100 else 1
    text = format_number(scaled, places)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}{suffix}"


def format_value(
    value: float | None,
    unit: str = "",
    decimals: int = 0,
    *,
    fits: Callable[[str], bool] | None = None,
) -> str:
    """A catalog value as the board shows it: "$12,000", "87%", "4.5 pts", None -> "–".

    `fits` says whether a text fits where it goes (the screens pass a font-metrics check);
    only when the full form does not fit is the compact form ("$1.2M") used, so numbers are
    exact whenever there is room.
    """
    if value is None or not math.isfinite(value):
        return MISSING
    full = _with_unit(format_number(value, decimals), unit)
    if fits is None or fits(full):
        return full
    return _with_unit(compact_number(value, decimals), unit)


def _whole_percent(percent: float) -> str:
    # Half-up to a whole number, except that a value under 100 never shows as "100%": a card
    # reading "100%" next to "▼ Behind" would look like a bug to the people it is for.
    shown = _round_half_up(percent, 0)
    if percent < 100 <= shown:
        shown = Decimal(99)
    return format_number(float(shown), 0)


def format_percent(percent: float | None) -> str:
    """`104.2` -> "104%"; None -> "–"."""
    if percent is None or not math.isfinite(percent):
        return MISSING
    return f"{_whole_percent(percent)}%"


def format_pace(pace: float | None) -> str:
    """`104.0` -> "on pace for 104%"; None -> "" (a day has no pace)."""
    if pace is None or not math.isfinite(pace):
        return ""
    return f"on pace for {format_percent(pace)}"


def format_date(day: dt.date) -> str:
    """ "Tue 24 Nov"."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def format_time(moment: dt.datetime | dt.time) -> str:
    """ "10:42" (24-hour clock)."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def format_day_time(moment: dt.datetime) -> str:
    """ "Mon 09:12": for "not updated since" marks, where the day matters."""
    return f"{_WEEKDAYS[moment.weekday()]} {format_time(moment)}"


def format_stars(rating: float | None, out_of: int = 5) -> str:
    """`4` -> "★★★★☆"; None -> "no rating". Half stars round up (4.5 -> 5 stars)."""
    if rating is None or not math.isfinite(rating):
        return "no rating"
    filled = int(_round_half_up(min(max(rating, 0), out_of), 0))
    return "★" * filled + "☆" * (out_of - filled)


PERIOD_WORDS: dict[str, str] = {"day": "today", "week": "this week", "month": "this month"}
PERIOD_TITLES: dict[str, str] = {"day": "Today", "week": "Week", "month": "Month"}


# --- status words ---------------------------------------------------------------------------
# Each status carries a glyph and a word as well as its colour: colour is never the only cue.
STATUS_GLYPHS: dict[str | None, str] = {"met": "✓", "on_track": "▲", "behind": "▼", None: "○"}
STATUS_WORDS: dict[str | None, str] = {
    "met": "Met",
    "on_track": "On track",
    "behind": "Behind",
    None: "No data yet",
}


def status_text(status: str | None) -> str:
    """ "✓ Met", "▲ On track", "▼ Behind", "○ No data yet"."""
    return f"{STATUS_GLYPHS[status]} {STATUS_WORDS[status]}"


# --- budgets (direction down) ---------------------------------------------------------------
# A `down` metric is a budget (shrink) or a limit (a mean wait time): "506%" of goal confused
# staff, so the board says how much of the budget is used and by how much it is under or over.
# The JSON model keeps the contract's percent; only what people read says it this way.


def is_budget(entry: MetricEntry) -> bool:
    """A `down` metric: less is better, the target is a budget or a limit not to pass."""
    return entry.direction == "down"


def budget_word(entry: MetricEntry) -> str:
    """ "budget" for a sum that is spent (shrink), "limit" for a mean or a latest value."""
    return "budget" if entry.aggregate == "sum" else "limit"


def budget_used(entry: MetricEntry) -> float | None:
    """How much of the budget the actual uses, in percent (over 100: over budget)."""
    if entry.actual is None or entry.target is None:
        return None
    if entry.target <= 0:
        return 0.0 if entry.actual <= 0 else None
    return entry.actual / entry.target * 100


def budget_over(entry: MetricEntry) -> bool:
    return entry.actual is not None and entry.target is not None and entry.actual > entry.target


def budget_margin(entry: MetricEntry) -> str:
    """ "$30 under" or "over by $40": how far the actual is from the budget."""
    if entry.actual is None or entry.target is None:
        return ""
    difference = entry.target - entry.actual
    amount = format_value(abs(difference), entry.unit, entry.decimals)
    return f"over by {amount}" if difference < 0 else f"{amount} under"


def used_pace_share(entry: MetricEntry) -> float | None:
    """The week's or month's projection as a share of its budget, in percent (92: on pace to
    use 92% of it); None without a pace."""
    if entry.pace is None or entry.pace <= 0:
        return None
    return 10_000 / entry.pace


def used_pace_text(entry: MetricEntry) -> str:
    """ "on pace to use 92%"; "" without a pace."""
    share = used_pace_share(entry)
    return "" if share is None else f"on pace to use {format_percent(share)}"


def used_text(entry: MetricEntry) -> str:
    """ "80% used" (of a budget); "–" without an actual."""
    share = budget_used(entry)
    return MISSING if share is None else f"{format_percent(share)} used"


def entry_status_text(entry: MetricEntry) -> str:
    """The status as the card says it: "✓ Met", "▼ Behind"; a budget says how far it is from
    the budget ("✓ $30 under", "▼ over by $40")."""
    if not is_budget(entry) or entry.actual is None or entry.target is None:
        return status_text(entry.status)
    glyph = STATUS_GLYPHS["behind"] if budget_over(entry) else STATUS_GLYPHS[entry.status]
    return f"{glyph} {budget_margin(entry)}"
