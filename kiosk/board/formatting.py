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
