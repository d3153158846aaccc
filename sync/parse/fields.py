"""Reading single feed values: header names, numbers, dates, choices, yes/no and text.

The `*_reader` factories return a function from one raw CSV cell to the stored value, raising
`FieldError` with a reason a store ops person understands (quoting the bad value). `json_reader`
adapts such a function to JSON values (numbers, booleans, null). Everything a reader needs is
decided when it is built, so the per-row path is one call with no lookups: a metrics feed can
have a million rows.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

Decimal = Literal[".", ","]
TextReader = Callable[[str], object]
ValueReader = Callable[[object], object]
NumberCheck = Callable[[float], object]

# Longer digit strings are typos or junk, never store numbers; the cap also keeps float() cheap.
MAX_NUMBER_CHARS = 40
# No store metric comes near a quadrillion, and above 2**53 (~9e15) a float no longer holds every
# whole number; the bounds also keep every sum, percent and pace the scoreboard computes finite
# (a JSON 1.7e308 summed twice, or divided by a 5e-324 target, would be infinite).
MAX_ABS_NUMBER = 1e15
MIN_ABS_NUMBER = 1e-9  # a non-zero value closer to 0 than this is junk, not a measurement
# Dates a feed may use. Year 1 or 9999 is junk (or a "forever" placeholder), and date arithmetic
# near date.min / date.max overflows (a week starting 9999-12-27 ends after date.max).
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)
MAX_QUOTED_CHARS = 60
CURRENCY_SIGNS = "$€£¥"
# Parsed dates are cached by their raw cell: a metrics feed repeats a few dates a million times.
DATE_CACHE_SIZE = 4096

_SEPARATORS = re.compile(r"[\s_-]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TRUE = frozenset({"yes", "true", "y", "1"})
_FALSE = frozenset({"no", "false", "n", "0"})


class FieldError(ValueError):
    """A value that cannot be stored. `field` is set when the problem is not the field being read
    (a check across fields, such as an end before its start)."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def quote(value: object) -> str:
    """The value in single quotes for a reason, cut to about 60 characters.

    Characters that are not printable (NUL, line breaks, terminal escapes, right-to-left
    overrides) are shown as `\\x00`-style escapes: a reason goes to `kiosk status`, logs and
    terminals, where such characters would hide or reorder the text around them.
    """
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > MAX_QUOTED_CHARS:
        text = text[: MAX_QUOTED_CHARS - 1] + "…"
    if not text.isprintable():
        text = "".join(c if c.isprintable() else _escape(c) for c in text)
    return f"'{text}'"


def normalize_name(name: str) -> str:
    """A header or JSON key as the contract compares it: `' Store--ID '` is `store_id`."""
    # A stray BOM can survive in a header cell when a file was concatenated from exports.
    return _SEPARATORS.sub("_", name.replace("\ufeff", "").strip().lower())


# --- numbers --------------------------------------------------------------------------------

# What spreadsheets put around a number: a currency sign before or after it, a percent sign
# after it, a minus before it, or accounting parentheses around it.
_TRAILING_CURRENCY = tuple(CURRENCY_SIGNS)
# With decimal ",", thousands may also be grouped with a space, a no-break space (U+00A0) or a
# narrow no-break space (U+202F), as French and other locale exports write them.
_SPACE_GROUPS = " \u00a0\u202f"


class _NumberFormat:
    """How one `decimal` setting writes numbers: its decimal mark and its thousands groupings."""

    def __init__(self, point: str, groups: str) -> None:
        self.point = point
        self.groups = groups
        p = re.escape(point)
        g = "[" + re.escape(groups) + "]"
        # Groups of three after a first group of 1-3 digits that does not start with 0 (`0,123`
        # is ambiguous between locales), every group with the same separator; `.5` and `5.`
        # are unambiguous and allowed. An exponent only after an ungrouped mantissa (`1.2E+06`).
        self.pattern = re.compile(
            rf"[1-9][0-9]{{0,2}}(?P<g>{g})[0-9]{{3}}(?:(?P=g)[0-9]{{3}})*(?:{p}[0-9]*)?"
            rf"|(?:[0-9]+(?:{p}[0-9]*)?|{p}[0-9]+)(?:[eE][+-]?[0-9]{{1,3}})?"
        )
        self.setting = f'decimal = "{point}"'

    def read(self, body: str) -> float | None:
        """The value of `body` (sign, currency and percent already taken off), or None."""
        match = self.pattern.fullmatch(body)
        if match is None:
            return None
        group = match.group("g")
        digits = body.replace(group, "") if group else body
        return float(digits.replace(self.point, "."))

    def __repr__(self) -> str:
        return f"_NumberFormat({self.point!r})"


_FORMATS: dict[str, _NumberFormat] = {
    ".": _NumberFormat(".", ","),
    ",": _NumberFormat(",", "." + _SPACE_GROUPS),
}
_OTHER: dict[str, str] = {".": ",", ",": "."}


class OtherMarkError(FieldError):
    """A number that reads only with the other decimal mark (`4,5` in a `decimal = "."` feed):
    proof that its column is written that way. `shown` is the value as written."""

    def __init__(self, reason: str, shown: str) -> None:
        super().__init__(reason)
        self.shown = shown


@dataclass
class DecimalWatch:
    """One number column of one parse: whether it is proved to use the other decimal mark.

    `evidence` is the first value that reads only with the other mark, with its line (set by
    the row loop, which knows the line); `ambiguous_read` counts values read before any proof
    whose meaning depends on the mark (`4,125`, `1.500`). Such values are bad rows once the
    column is proved; read before the proof, they make the parse start over (`ReadAgain`).
    """

    decimal: Decimal
    evidence: tuple[str, int] | None = None
    ambiguous_read: int = 0


def _split_sign(s: str) -> tuple[str, bool] | None:
    """`s` without its sign, percent and currency signs, and whether it is negative; None when
    they are combined in a way no spreadsheet writes (two minus signs, a minus inside
    accounting parentheses, a currency sign on both sides)."""
    body = s
    negative = parenthesized = False
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1].strip()
        negative = parenthesized = True
    if body.endswith("%"):
        body = body[:-1].rstrip()
    currency = False
    if body.endswith(_TRAILING_CURRENCY):
        body = body[:-1].rstrip()
        currency = True
    while body:  # a leading minus and a currency sign, in either order, once each
        head = body[0]
        if head == "-" and not negative:
            negative = True
        elif head in CURRENCY_SIGNS and not currency:
            currency = True
        elif head == "-" and parenthesized:
            return None
        else:
            break
        # Locale exports write "€ 1.234,50" or "- 5": the space after a sign is a surrounding
        # space of the number, as the contract drops them.
        body = body[1:].lstrip()
    return body, negative


def _show(value: float) -> str:
    """A number as a person reads it in a reason: 4125, 4.125."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def parse_number(text: str, decimal: Decimal = ".", watch: DecimalWatch | None = None) -> float:
    """A number as the feed contract writes it: `$12,345.50`, `87%`, `-$5`, ` 4.5 `,
    `(1,234.50)`, `1.2E+06`, and with `decimal` "," `1.234,50 €` or `1 234,50`.

    Raises FieldError for anything else (`n/a`, `1e309`, `NaN`, `+5`, empty), and
    OtherMarkError for a value that reads only with the other decimal mark. With a `watch`, a
    value whose meaning depends on the mark is refused once its column is proved to use the
    other one. `-0` is 0.0.
    """
    fmt = _FORMATS[decimal]
    s = text.strip()
    if not s:
        raise FieldError("no number given")
    if len(s) > MAX_NUMBER_CHARS:
        raise FieldError(f"{quote(s)} is too long to be a number")
    split = _split_sign(s)
    if split is None:
        raise FieldError(f"{quote(s)} is not a number")
    body, negative = split
    value = fmt.read(body)
    if value is None:
        other = _FORMATS[_OTHER[decimal]]
        alternative = other.read(body)
        if alternative is not None and math.isfinite(alternative):
            # Junk either way (too large, too small) proves nothing about the column's mark.
            check_magnitude(alternative, s)
            raise OtherMarkError(
                f"{quote(s)} only reads as a number with decimal '{other.point}' (as "
                f"{_show(alternative)}): set {other.setting} for this feed if it writes numbers "
                "that way",
                s,
            )
        # The grouping hint only when the grouping is what is wrong, not a stray sign.
        separators = [c for c in fmt.groups if c in body]
        digits_and_marks = body.strip("0123456789" + fmt.point + fmt.groups) == ""
        hint = (
            f" ('{separators[0]}' only groups thousands in threes)"
            if separators and digits_and_marks
            else ""
        )
        raise FieldError(f"{quote(s)} is not a number{hint}")
    if watch is not None and _depends_on_mark(body, decimal):
        _check_ambiguous(s, value, decimal, watch)
    if not math.isfinite(value):
        raise FieldError(f"{quote(s)} is not a finite number")
    check_magnitude(value, s)
    # Adding 0.0 turns -0.0 into 0.0, so `-0` never shows as "-0" on the board.
    return (-value if negative else value) + 0.0


def _depends_on_mark(body: str, decimal: Decimal) -> bool:
    """Whether `body` reads under both decimal settings with different values (`4,125`,
    `1.500`, `12,345`): it has a separator and the other setting reads it too."""
    if "," not in body and "." not in body:
        return False
    return _FORMATS[_OTHER[decimal]].read(body) is not None


def _check_ambiguous(shown: str, value: float, decimal: Decimal, watch: DecimalWatch) -> None:
    """Refuse `shown` when its column is proved to use the other mark; else count it."""
    if watch.evidence is None:
        watch.ambiguous_read += 1
        return
    proof, line = watch.evidence
    other = _OTHER[decimal]
    raise FieldError(
        f"{quote(shown)} would read as {_show(value)}, but {quote(proof)} (line {line}) in this "
        f"column only reads with decimal '{other}': set decimal = \"{other}\" for this feed"
    )


def check_magnitude(value: float, shown: object) -> None:
    """Refuse a number too large or too close to zero to be a store metric (see MAX_ABS_NUMBER)."""
    size = abs(value)
    if size > MAX_ABS_NUMBER:
        raise FieldError(f"{quote(shown)} is too large: at most {MAX_ABS_NUMBER:,.0f} either way")
    if 0 < size < MIN_ABS_NUMBER:
        raise FieldError(
            f"{quote(shown)} is too close to zero: use 0 or at least {MIN_ABS_NUMBER:g}"
        )


def number_reader(
    name: str,
    *,
    decimal: Decimal,
    required: bool,
    default: object = None,
    check: NumberCheck | None = None,
    watch: DecimalWatch | None = None,
) -> TextReader:
    """A reader of a number cell; `check` may refuse (FieldError) or convert the float;
    `watch` follows the column's decimal mark (see `DecimalWatch`)."""
    point = decimal

    def read(raw: str) -> object:
        # Fast path for the common plain `1234` / `12.5`: one digit test instead of a regex. The
        # isascii test keeps out digits float() would also take (Arabic-Indic, fullwidth).
        if raw.replace(point, "", 1).isdigit() and raw.isascii() and len(raw) <= MAX_NUMBER_CHARS:
            value = float(raw) if point == "." else float(raw.replace(",", "."))
            if value > MAX_ABS_NUMBER or 0 < value < MIN_ABS_NUMBER:
                check_magnitude(value, raw)
            # `1.500`: one to three digits, the mark, three digits: with the other setting the
            # mark groups thousands (1500), so its meaning depends on the mark.
            mark = raw.find(point)
            if 0 < mark <= 3 and len(raw) - mark == 4 and raw[0] != "0" and watch is not None:
                _check_ambiguous(raw, value, point, watch)
        elif not raw or raw.isspace():
            if required:
                raise FieldError(f"{name} is empty")
            return default
        else:
            value = parse_number(raw, decimal, watch)
        return value if check is None else check(value)

    return read


def json_number_reader(check: NumberCheck | None = None) -> Callable[[float], object]:
    """A reader of a JSON number (int or float, never bool): taken as is when finite."""

    def read(number: float) -> object:
        try:
            value = float(number)
        except OverflowError:  # an int too large for a float
            raise FieldError(f"{quote(number)} is too large to be a number") from None
        if not math.isfinite(value):
            raise FieldError(f"{quote(number)} is not a finite number")
        check_magnitude(value, number)
        value += 0.0  # -0.0 becomes 0.0
        return value if check is None else check(value)

    return read


# --- dates, choices, yes/no, text -----------------------------------------------------------


def _iso_date(text: str) -> dt.date:
    s = text.strip()
    # The regex first: date.fromisoformat on 3.11 also takes `20261124` and `2026-W48-2`.
    if not _ISO_DATE.fullmatch(s):
        raise FieldError(f"{quote(s)} is not a date in YYYY-MM-DD form")
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise FieldError(f"{quote(s)} is not a date: there is no such day") from None


def _out_of_range(day: dt.date) -> FieldError:
    return FieldError(
        f"{day.isoformat()} is out of range: dates run from {MIN_DATE.isoformat()} "
        f"to {MAX_DATE.isoformat()}"
    )


def parse_date(text: str) -> dt.date:
    """A date written strictly `YYYY-MM-DD` (surrounding spaces allowed), from MIN_DATE to
    MAX_DATE."""
    day = _iso_date(text)
    if not MIN_DATE <= day <= MAX_DATE:
        raise _out_of_range(day)
    return day


def date_reader(
    name: str, *, required: bool, default: object = None, far_future_is_default: bool = False
) -> TextReader:
    """A reader of a date cell, caching the dates it has seen (by the raw cell).

    `far_future_is_default`: a date after MAX_DATE (`9999-12-31`, the usual "forever" of a
    database export) reads as `default` instead of a bad row; used by a message's open `end`.
    """
    cache: dict[str, dt.date] = {}

    def read(raw: str) -> object:
        day = cache.get(raw)
        if day is not None:
            return day
        if not raw or raw.isspace():
            if required:
                raise FieldError(f"{name} is empty")
            return default
        day = _iso_date(raw)
        if not MIN_DATE <= day <= MAX_DATE:
            if far_future_is_default and day > MAX_DATE:
                return default
            raise _out_of_range(day)
        if len(cache) < DATE_CACHE_SIZE:
            cache[raw] = day
        return day

    return read


def choice_reader(
    name: str,
    choices: tuple[str, ...],
    *,
    required: bool,
    default: object = None,
    aliases: Mapping[str, str] | None = None,
) -> TextReader:
    """A reader of an enum cell: case-insensitive, stored lowercase; `aliases` are matched by
    their normalized name (`Internal Process` is `internal_process`)."""
    lookup = {choice: choice for choice in choices}
    normalized = dict(aliases or {})
    allowed = ", ".join(choices)

    def read(raw: str) -> object:
        s = raw.strip()
        if not s:
            if required:
                raise FieldError(f"{name} is empty")
            return default
        value = lookup.get(s.lower()) or normalized.get(normalize_name(s))
        if value is None:
            raise FieldError(f"{quote(s)} is not a valid {name}; use one of: {allowed}")
        return value

    return read


def bool_reader(name: str, *, required: bool, default: object = None) -> TextReader:
    """A reader of a yes/no cell: yes/no, true/false, y/n, 1/0 in any case."""

    def read(raw: str) -> object:
        s = raw.strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        if not s:
            if required:
                raise FieldError(f"{name} is empty")
            return default
        raise FieldError(f"{quote(raw.strip())} is not yes or no")

    return read


def text_reader(name: str, *, required: bool, default: object = None) -> TextReader:
    """A reader of a text cell, stripped of surrounding whitespace.

    Refuses a NUL character (binary data that got past the check of the first 8 KB; C APIs down
    the line may cut the text at it). Length is bounded before this: the csv module refuses a
    field over 128 KB, and `records.MAX_VALUE_CHARS` a JSON record over 1 MB.
    """

    def read(raw: str) -> object:
        s = raw.strip()
        if s:
            if "\x00" in s:
                raise FieldError(f"{name} has a NUL character (binary data?): {quote(s)}")
            return s
        if required:
            raise FieldError(f"{name} is empty")
        return default

    return read


# --- JSON values ----------------------------------------------------------------------------


def json_reader(
    text: TextReader,
    *,
    number: Callable[[float], object] | None = None,
    boolean: bool = False,
) -> ValueReader:
    """Adapt a cell reader to JSON values: strings go through `text`, null counts as empty,
    numbers go to `number` (or become text, as a store id of 1001 should), booleans are taken
    only by a yes/no field, and lists or objects are never a value."""

    def read(value: object) -> object:
        kind = type(value)
        if kind is str:
            return text(value)  # type: ignore[arg-type]
        if value is None:
            return text("")
        if kind is bool:
            if boolean:
                return value
            raise FieldError(f"{quote(value)} is true/false, not a value for this field")
        if kind is int or kind is float:
            if number is not None:
                return number(value)  # type: ignore[arg-type]
            if boolean and value in (0, 1):
                return bool(value)
            return text(json.dumps(value))
        raise FieldError(f"{quote(value)} is a list or object, not a single value")

    return read
