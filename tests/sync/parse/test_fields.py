"""Single values: header names, numbers, dates, choices, yes/no, text, JSON values."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from sync.parse.fields import (
    FieldError,
    bool_reader,
    choice_reader,
    date_reader,
    json_number_reader,
    json_reader,
    normalize_name,
    number_reader,
    parse_date,
    parse_number,
    quote,
    text_reader,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("store_id", "store_id"),
        ("Store ID", "store_id"),
        (" Store--ID ", "store_id"),
        ("STORE_-_ID", "store_id"),
        ("store  \t id", "store_id"),
        ("\ufeffstore_id", "store_id"),
        ("Date", "date"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_name(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12.0),
        ("12.5", 12.5),
        (" 4.5 ", 4.5),
        ("$12,345.50", 12345.5),
        ("12,345", 12345.0),
        ("1,234,567.25", 1234567.25),
        ("87%", 87.0),
        ("87 %", 87.0),
        ("-5", -5.0),
        ("-$5", -5.0),
        ("$-5", -5.0),
        ("€3", 3.0),
        ("£3.10", 3.1),
        ("¥1,000", 1000.0),
        ("-12.5%", -12.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("007", 7.0),
        ("$ 5", 5.0),  # a space after the currency sign (locale exports)
        ("- $ 12.50", -12.5),
        # As spreadsheets write them: accounting negatives, scientific notation, a currency
        # sign after the number.
        ("(5)", -5.0),
        ("(1,234.50)", -1234.5),
        ("($1,234.50)", -1234.5),
        ("(12.5%)", -12.5),
        ("1e3", 1000.0),
        ("1.2E+06", 1200000.0),
        ("2.5e-3", 0.0025),
        ("5 $", 5.0),
        ("12.50€", 12.5),
    ],
)
def test_parse_number_accepts(raw: str, expected: float) -> None:
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["-0", "-0.0", "-$0", "$-0.00"])
def test_minus_zero_reads_as_plain_zero(raw: str) -> None:
    value = parse_number(raw)
    assert value == 0.0
    assert math.copysign(1.0, value) == 1.0


@pytest.mark.parametrize(
    "raw",
    [
        "n/a",
        "4,5",
        "1,23",
        "1,2345",
        "0,123",
        "12,34,567",
        "1e309",
        "1e400",
        "1e-12",
        "1,234e3",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "+5",
        "12abc",
        "1_000",
        "--5",
        "$$5",
        "5-",
        "%",
        "$",
        "-",
        ".",
        "1.2.3",
        "(-5)",
        "-(5)",
        "(5",
        "$5$",
        "1 234",
        "٣",  # an Arabic-Indic digit, which float() would take
        "１２",  # fullwidth digits
        "1" * 41,
    ],
)
def test_parse_number_refuses(raw: str) -> None:
    with pytest.raises(FieldError):
        parse_number(raw)


def test_number_reasons_quote_the_value_and_explain_commas() -> None:
    with pytest.raises(FieldError) as err:
        parse_number("4,5")
    assert err.value.reason == (
        "'4,5' only reads as a number with decimal ',' (as 4.5): set decimal = \",\" for this "
        "feed if it writes numbers that way"
    )
    with pytest.raises(FieldError) as err:
        parse_number("n/a")
    assert err.value.reason == "'n/a' is not a number"
    with pytest.raises(FieldError) as err:
        parse_number("4.5", ",")
    assert err.value.reason == (
        "'4.5' only reads as a number with decimal '.' (as 4.5): set decimal = \".\" for this "
        "feed if it writes numbers that way"
    )
    with pytest.raises(FieldError) as err:
        parse_number("12,34,567")
    assert err.value.reason == "'12,34,567' is not a number (',' only groups thousands in threes)"
    with pytest.raises(FieldError) as err:
        parse_number("9" * 50)
    assert "is too long to be a number" in err.value.reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4,5", 4.5),
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("€12", 12.0),
        ("€ 1.234,50", 1234.5),
        ("87,5%", 87.5),
        ("-1,5", -1.5),
        (" 3 ", 3.0),
        # Locale exports: the currency after the number, thousands grouped with a space, a
        # no-break space or a narrow no-break space, accounting negatives, exponents.
        ("1.234,50 €", 1234.5),
        ("1 234,50", 1234.5),
        ("1\u00a0234\u00a0567,5", 1234567.5),
        ("12\u202f345,50 €", 12345.5),
        ("(1.234,50)", -1234.5),
        ("1,2E+06", 1200000.0),
    ],
)
def test_decimal_comma_swaps_the_roles(raw: str, expected: float) -> None:
    assert parse_number(raw, ",") == expected


@pytest.mark.parametrize("raw", ["4.5", "1,234.5", "1.23", "1,2,3", "1 23,5", "1.234 567,8"])
def test_decimal_comma_refuses_point_decimals(raw: str) -> None:
    with pytest.raises(FieldError):
        parse_number(raw, ",")


def test_number_reader_fast_and_slow_paths_agree() -> None:
    read = number_reader("value", decimal=".", required=True)
    assert read("12.5") == 12.5
    assert read("$1,000") == 1000.0
    with pytest.raises(FieldError) as err:
        read("")
    assert err.value.reason == "value is empty"
    with pytest.raises(FieldError) as err:
        read("   ")
    assert err.value.reason == "value is empty"
    # digits only but too long: refused on the fast path too
    with pytest.raises(FieldError):
        read("1" * 41)
    comma = number_reader("value", decimal=",", required=True)
    assert comma("4,5") == 4.5
    assert comma("12") == 12.0
    with pytest.raises(FieldError):
        comma("4.5")


def test_optional_number_reader_gives_its_default_when_empty() -> None:
    read = number_reader("rating", decimal=".", required=False, default=None)
    assert read("") is None
    assert read("  ") is None
    assert read("4") == 4.0


def test_json_numbers_are_taken_as_is_when_finite() -> None:
    read = json_number_reader()
    assert read(1000) == 1000.0
    assert read(1e3) == 1000.0
    assert math.copysign(1.0, read(-0.0)) == 1.0  # type: ignore[arg-type]
    with pytest.raises(FieldError):
        read(float("nan"))
    with pytest.raises(FieldError):
        read(float("inf"))
    with pytest.raises(FieldError):
        read(10**400)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026-11-24", dt.date(2026, 11, 24)), (" 2026-02-28 ", dt.date(2026, 2, 28))],
)
def test_parse_date_accepts_iso(raw: str, expected: dt.date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("11/17/2026", "'11/17/2026' is not a date in YYYY-MM-DD form"),
        ("2026-1-5", "'2026-1-5' is not a date in YYYY-MM-DD form"),
        ("20261124", "'20261124' is not a date in YYYY-MM-DD form"),
        ("2026-W48-2", "'2026-W48-2' is not a date in YYYY-MM-DD form"),
        ("2026-11-24T10:00", "'2026-11-24T10:00' is not a date in YYYY-MM-DD form"),
        ("2026-02-30", "'2026-02-30' is not a date: there is no such day"),
        ("0000-01-01", "'0000-01-01' is not a date: there is no such day"),
    ],
)
def test_parse_date_refuses(raw: str, reason: str) -> None:
    with pytest.raises(FieldError) as err:
        parse_date(raw)
    assert err.value.reason == reason


def test_date_reader_caches_but_still_refuses_bad_dates() -> None:
    read = date_reader("date", required=True)
    assert read("2026-11-24") == dt.date(2026, 11, 24)
    assert read("2026-11-24") is read("2026-11-24")
    with pytest.raises(FieldError) as err:
        read("")
    assert err.value.reason == "date is empty"
    with pytest.raises(FieldError):
        read("2026-13-01")
    assert date_reader("end", required=False)("") is None


def test_choice_reader_is_case_insensitive_and_lists_the_choices() -> None:
    read = choice_reader(
        "perspective",
        ("financial", "customer", "process", "learning"),
        required=False,
        default="financial",
        aliases={"internal_process": "process", "learning_and_growth": "learning"},
    )
    assert read(" Customer ") == "customer"
    assert read("Internal Process") == "process"
    assert read("internal-process") == "process"
    assert read("Learning and Growth") == "learning"
    assert read("") == "financial"
    with pytest.raises(FieldError) as err:
        read("Sales")
    assert err.value.reason == (
        "'Sales' is not a valid perspective; use one of: financial, customer, process, learning"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("yes", True), ("Y", True), ("TRUE", True), ("1", True), ("no", False), ("n", False)],
)
def test_bool_reader(raw: str, expected: bool) -> None:
    assert bool_reader("entry", required=False, default=False)(raw) is expected


def test_bool_reader_refuses_other_words() -> None:
    read = bool_reader("entry", required=False, default=False)
    assert read("") is False
    with pytest.raises(FieldError) as err:
        read("maybe")
    assert err.value.reason == "'maybe' is not yes or no"


def test_text_reader_strips() -> None:
    read = text_reader("name", required=True)
    assert read("  Downtown \t") == "Downtown"
    with pytest.raises(FieldError) as err:
        read("   ")
    assert err.value.reason == "name is empty"
    assert text_reader("source", required=False)(" ") is None


def test_json_reader_maps_json_types() -> None:
    text = json_reader(text_reader("store_id", required=True))
    assert text(" S1 ") == "S1"
    assert text(1001) == "1001"
    with pytest.raises(FieldError) as err:
        text(None)
    assert err.value.reason == "store_id is empty"
    with pytest.raises(FieldError) as err:
        text(True)
    assert err.value.reason == "'true' is true/false, not a value for this field"
    with pytest.raises(FieldError) as err:
        text({"a": 1})
    assert err.value.reason == """'{"a": 1}' is a list or object, not a single value"""
    with pytest.raises(FieldError):
        text([1])

    number = json_reader(
        number_reader("value", decimal=".", required=True), number=json_number_reader()
    )
    assert number(5) == 5.0
    assert number("$5") == 5.0
    with pytest.raises(FieldError):
        number(True)
    assert number("1e3") == 1000.0  # a number written as text reads as a cell would
    with pytest.raises(FieldError):
        number("1e309")

    yes_no = json_reader(bool_reader("entry", required=False, default=False), boolean=True)
    assert yes_no(True) is True
    assert yes_no(0) is False
    assert yes_no("yes") is True
    assert yes_no(None) is False
    with pytest.raises(FieldError):
        yes_no(2)

    date = json_reader(date_reader("date", required=True))
    with pytest.raises(FieldError) as err:
        date(20261124)
    assert err.value.reason == "'20261124' is not a date in YYYY-MM-DD form"


def test_quote_cuts_long_values() -> None:
    assert quote("abc") == "'abc'"
    long = quote("x" * 200)
    assert len(long) == 62
    assert long.endswith("…'")
    assert quote(5) == "'5'"
