"""How numbers, money, percents, dates and times read on the board. Plain Python, no Qt.

`Formats(locale)` writes them as the store's country does, from the Unicode CLDR data
(through Babel): `12,345.50 $` is `$12,345.50` in en_US and es_MX, `12 345,50 $` in fr_CA
(no-break spaces) and `12.345,50 €` in de_DE. Babel rather than QLocale because the board is
plain Python: `kiosk scoreboard` and the board's tests format without a QApplication, and the
screens and the command line share one code path. The words around the numbers are
`kiosk.board.wording`'s.

Choices of our own on top of CLDR, the same in every locale:
- the currency symbol is the catalog's unit as HQ wrote it (`$ € £ ¥`), placed where the
  locale puts its own currency's: a Canadian catalog's `$` reads `12 345,50 $` in French;
- a negative number starts with a real minus sign (U+2212), before any symbol: "−$1,234";
- times are on the 24-hour clock everywhere, as the board always was ("15:42", "15 h 42");
- a percent of goal is a whole number that never rounds up to 100 below the goal.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_skeleton
from babel.lists import format_list
from babel.numbers import format_compact_decimal, format_decimal, parse_pattern
from babel.units import format_unit

from kiosk.board.cldr import locale_for
from kiosk.locales import DEFAULT_LOCALE

if TYPE_CHECKING:
    from kiosk.board.model import MetricEntry

MISSING = "–"  # en dash: "no value", distinct from a minus sign
MINUS = "−"  # U+2212: as wide as a digit's "+", reads better than a hyphen at 4 m
ELLIPSIS = "…"
CURRENCY_UNITS: tuple[str, ...] = ("$", "€", "£", "¥")
PERCENT_UNIT = "%"
_CURRENCY_SIGN = "¤"  # where CLDR's currency patterns put the symbol


def round_half_up(value: float, decimals: int) -> Decimal:
    """`value` rounded half-up to `decimals` places, as a person does it on paper."""
    # Decimal(str(x)) keeps the number as written (2.675 stays 2.675, not 2.67499...), so
    # half-up rounding matches what the JSON contract says.
    quantum = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def whole_percent(percent: float) -> Decimal:
    """Half-up to a whole number, except that a value under 100 never shows as 100: a card
    reading "100%" next to "▼ Behind" would look like a bug to the people it is for."""
    shown = round_half_up(percent, 0)
    if percent < 100 <= shown:
        shown = Decimal(99)
    return shown


def _affixes(pattern: str) -> tuple[str, str]:
    """The text before and after the digits of a CLDR pattern's positive form, its currency
    or percent sign left in place."""
    parsed = parse_pattern(pattern)
    return parsed.prefix[0], parsed.suffix[0]


class Formats:
    """Numbers, units, percents, dates and times as `locale` writes them (CLDR).

    Equal locales give equal (and interchangeable) instances; `formats_for(locale)` keeps one
    per locale.
    """

    def __init__(self, locale: str = DEFAULT_LOCALE) -> None:
        self.locale = locale
        self._hash = hash(("Formats", locale))  # a key of the screens' caches: kept cheap

    def __repr__(self) -> str:
        return f"Formats({self.locale!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Formats) and other.locale == self.locale

    def __hash__(self) -> int:
        return self._hash

    # --- locale data, read once ---------------------------------------------------------

    @cached_property
    def _babel(self) -> Locale:
        # The tables these formats read, without Babel's whole locale files (kiosk.board.cldr).
        return locale_for(self.locale)

    @cached_property
    def _integer_pattern(self) -> str:
        """The locale's decimal pattern without its fraction part ("#,##0")."""
        pattern = self._babel.decimal_formats[None].pattern
        return pattern.split(";", 1)[0].split(".", 1)[0]

    @cached_property
    def _currency_affixes(self) -> tuple[str, str]:
        return _affixes(self._babel.currency_formats["standard"].pattern)

    @cached_property
    def _percent_affixes(self) -> tuple[str, str]:
        return _affixes(self._babel.percent_formats[None].pattern)

    @cached_property
    def decimal_symbol(self) -> str:
        """The decimal mark: "." in en_US and es_MX, "," in fr_CA and de_DE."""
        return str(self._babel.number_symbols["latn"]["decimal"])

    @cached_property
    def _datetime_glue(self) -> str:
        """How a date and a time join: "{1}, {0}" in English ({1} the date)."""
        return str(self._babel.datetime_formats["short"])

    # --- numbers --------------------------------------------------------------------------

    def _digits(self, magnitude: Decimal, decimals: int) -> str:
        pattern = self._integer_pattern + ("." + "0" * decimals if decimals > 0 else "")
        return format_decimal(magnitude, format=pattern, locale=self._babel)

    def number(self, value: float, decimals: int = 0) -> str:
        """`1234.5, 1` -> "1,234.5" (en_US), "1 234,5" (fr_CA); negative numbers get a real
        minus sign: "−1,234"."""
        decimals = max(0, int(decimals))
        rounded = round_half_up(value, decimals)
        text = self._digits(abs(rounded), decimals)
        # A value that rounds to zero is zero, not "−0".
        return f"{MINUS}{text}" if rounded < 0 else text

    def with_unit(self, number: str, unit: str) -> str:
        """`number` (already written, maybe starting with a minus sign) with the catalog's
        unit where the locale puts it: "$12" / "12 $", "87%" / "87 %", "4.5 pts"."""
        unit = unit.strip()
        if not unit:
            return number
        negative = number.startswith(MINUS)
        digits = number.removeprefix(MINUS)
        sign = MINUS if negative else ""
        if unit in CURRENCY_UNITS:
            prefix, suffix = self._currency_affixes
            symbol = unit
            # Sign first, as accountants write it: "−$1,234", "−1 234 $".
            return f"{sign}{prefix.replace(_CURRENCY_SIGN, symbol)}{digits}" + suffix.replace(
                _CURRENCY_SIGN, symbol
            )
        if unit == PERCENT_UNIT:
            prefix, suffix = self._percent_affixes
            return f"{sign}{prefix}{digits}{suffix}"
        return f"{number} {unit}"

    def compact(self, value: float, decimals: int = 0) -> str:
        """A short form for big numbers: 1,234,567 -> "1.2M" (en_US), "1,2 M" (fr_CA),
        "1,2 Mio." (de_DE); 950 -> "950". A locale without a short form for a size (German
        thousands) writes the number in full."""
        magnitude = Decimal(str(abs(value)))
        if magnitude < 1000:
            return self.number(value, decimals)
        text = format_compact_decimal(magnitude, locale=self._babel, fraction_digits=1)
        whole = text.split(self.decimal_symbol, 1)[0]
        if sum(ch.isdigit() for ch in whole) >= 3:
            # "123M", not "123.5M": three figures say enough.
            text = format_compact_decimal(magnitude, locale=self._babel, fraction_digits=0)
        if not any(ch.isalpha() for ch in text):
            return self.number(value, decimals)
        return f"{MINUS}{text}" if value < 0 else text

    def value(
        self,
        value: float | None,
        unit: str = "",
        decimals: int = 0,
        *,
        fits: Callable[[str], bool] | None = None,
    ) -> str:
        """A catalog value as the board shows it: "$12,000", "87%", "4.5 pts", None -> "–".

        `fits` says whether a text fits where it goes (the screens pass a font-metrics check);
        only when the full form does not fit is the compact form ("$1.2M") used, so numbers
        are exact whenever there is room.
        """
        if value is None or not math.isfinite(value):
            return MISSING
        full = self.with_unit(self.number(value, decimals), unit)
        if fits is None or fits(full):
            return full
        return self.with_unit(self.compact(value, decimals), unit)

    def percent(self, percent: float | None) -> str:
        """A percent of goal, whole: `104.2` -> "104%" (en_US), "104 %" (fr_CA, de_DE);
        99.96 -> "99%"; None -> "–"."""
        if percent is None or not math.isfinite(percent):
            return MISSING
        return self.with_unit(self.number(float(whole_percent(percent)), 0), PERCENT_UNIT)

    def list(self, items: Sequence[str]) -> str:
        """ "Sales, Shrink, and 2 more" (en_US), "Sales, Shrink et 2 more" (fr_CA)."""
        return format_list(list(items), locale=self._babel) if items else ""

    def days(self, count: int) -> str:
        """A number of days, with the right plural: "1 day", "7 days", "7 jours", "7 Tage"."""
        return format_unit(count, "duration-day", length="long", locale=self._babel)

    # --- dates and times ------------------------------------------------------------------

    def date(self, day: dt.date) -> str:
        """A short date with the weekday: "Tue, Nov 24", "mar. 24 nov.", "Di., 24. Nov."."""
        return format_skeleton("MMMEd", day, locale=self._babel)

    def time(self, moment: dt.datetime | dt.time) -> str:
        """The time of day on the 24-hour clock: "10:42", "10 h 42" (fr_CA)."""
        return format_skeleton("Hm", dt.time(moment.hour, moment.minute), locale=self._babel)

    def day_time(self, moment: dt.datetime) -> str:
        """Weekday and time: "Mon 09:12", "lun. 09 h 12" (for "not updated since")."""
        naive = dt.datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute)
        return format_skeleton("EHm", naive, locale=self._babel)

    def date_time(self, moment: dt.datetime) -> str:
        """Date and time: "Tue, Nov 24, 15:03", "mar. 24 nov. 15 h 03"."""
        return self._datetime_glue.replace("{1}", self.date(moment.date())).replace(
            "{0}", self.time(moment)
        )


@lru_cache(maxsize=16)
def formats_for(locale: str) -> Formats:
    """The `Formats` of `locale` (one per locale and process: Babel's data is read once)."""
    return Formats(locale)


ENGLISH_FORMATS = formats_for(DEFAULT_LOCALE)


# --- budgets (direction down): numbers only; the words are kiosk.board.wording's ------------
# A `down` metric is a budget (shrink) or a limit (a mean wait time): "506%" of goal confused
# staff, so the board says how much of the budget is used and by how much it is under or over.
# The JSON model keeps the contract's percent; only what people read says it this way.


def is_budget(entry: MetricEntry) -> bool:
    """A `down` metric: less is better, the target is a budget or a limit not to pass."""
    return entry.direction == "down"


def budget_used(entry: MetricEntry) -> float | None:
    """How much of the budget the actual uses, in percent (over 100: over budget)."""
    if entry.actual is None or entry.target is None:
        return None
    if entry.target <= 0:
        return 0.0 if entry.actual <= 0 else None
    return entry.actual / entry.target * 100


def budget_over(entry: MetricEntry) -> bool:
    return entry.actual is not None and entry.target is not None and entry.actual > entry.target


def used_pace_share(entry: MetricEntry) -> float | None:
    """The week's or month's projection as a share of its budget, in percent (92: on pace to
    use 92% of it); None without a pace."""
    if entry.pace is None or entry.pace <= 0:
        return None
    return 10_000 / entry.pace
