"""The edges of single values that mutation testing found unpinned (docs/mutation.md): the number
limits, the fast path of the number reader against the full parser, dates at the ends of
their range, yes/no words, blank optional cells, and JSON values in text fields."""

from __future__ import annotations

import datetime as dt

import pytest

from sync.parse.fields import (
    DATE_CACHE_SIZE,
    DecimalWatch,
    FieldError,
    OtherMarkError,
    bool_reader,
    choice_reader,
    date_reader,
    json_number_reader,
    json_reader,
    number_reader,
    parse_date,
    parse_number,
    quote,
    text_reader,
)


def reason_of(read, raw) -> str:
    with pytest.raises(FieldError) as err:
        read(raw)
    return err.value.reason


def cell_reader(decimal: str = ".", watch: DecimalWatch | None = None):
    return number_reader("value", decimal=decimal, required=True, watch=watch)  # type: ignore[arg-type]


# --- number limits, on both the fast path (plain digits) and the full parser ------------------

BIGGEST = "1000000000000000"  # 1e15, the largest magnitude a metric may have
SMALLEST = "0.000000001"  # 1e-9, the smallest non-zero one


@pytest.mark.parametrize("read", [parse_number, cell_reader()], ids=["parse", "reader"])
def test_the_number_limits_are_inclusive(read) -> None:
    assert read(BIGGEST) == 1e15
    assert read(SMALLEST) == 1e-9
    assert read("0") == 0.0
    assert read("0" * 39 + "7") == 7.0  # 40 characters: the longest number
    assert read("1,000,000,000,000,000") == 1e15


@pytest.mark.parametrize("read", [parse_number, cell_reader()], ids=["parse", "reader"])
@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1000000000000001", "too large: at most 1,000,000,000,000,000 either way"),
        ("1500000000000000", "too large"),
        ("-2000000000000000", "too large"),  # a typo must not show quadrillion sales
        ("$5,000,000,000,000,000", "too large"),
        ("-1000000000000001", "too large"),
        ("0.0000000009", "too close to zero: use 0 or at least 1e-09"),
        ("0.0000000015", None),  # between 1e-9 and 2e-9: fine
        ("-0.0000000001", "too close to zero"),
        ("0" * 40 + "7", "is too long to be a number"),  # 41 characters
        ("0" * 41 + "7", "is too long to be a number"),
    ],
)
def test_numbers_past_the_limits_are_bad_rows(read, raw: str, reason: str | None) -> None:
    if reason is None:
        assert read(raw) == float(raw)
    else:
        assert reason in reason_of(read, raw)


def test_a_blank_number_has_its_own_reason() -> None:
    assert reason_of(parse_number, "   ") == "no number given"


@pytest.mark.parametrize(
    ("number", "reason"),
    [(2e15, "too large"), (-2e15, "too large"), (10**16, "too large"), (1e-10, "too close")],
)
def test_json_numbers_past_the_limits_are_bad_rows(number: float, reason: str) -> None:
    assert reason in reason_of(json_number_reader(), number)
    assert reason in reason_of(json_number_reader(), -number)


def test_json_numbers_at_the_limits_are_kept() -> None:
    read = json_number_reader()
    assert (read(10**15), read(-1e15), read(1e-9), read(0)) == (1e15, -1e15, 1e-9, 0.0)


# --- the fast path agrees with the full parser ------------------------------------------------


@pytest.mark.parametrize(
    ("decimal", "raw"),
    [
        (".", "1.2.3"),  # the fast path strips one mark only: float() must never see this
        (".", "1..2"),
        (",", "1,2,3"),
        (",", "1,,2"),
        (".", "٣"),  # Arabic-Indic digits: isdigit() is true, the contract says no
        (".", "١٢.٥"),
        (".", "１２"),  # fullwidth
    ],
)
def test_the_fast_path_refuses_what_the_parser_refuses(decimal: str, raw: str) -> None:
    read = cell_reader(decimal)
    assert reason_of(read, raw) == reason_of(lambda r: parse_number(r, decimal), raw)  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["12", "12.5", "1.500", "0.25", "007", "123456.789"])
def test_the_fast_path_reads_what_the_parser_reads(raw: str) -> None:
    assert cell_reader()(raw) == parse_number(raw)
    comma = raw.replace(".", ",")
    assert cell_reader(",")(comma) == parse_number(comma, ",")


@pytest.mark.parametrize(
    "raw",
    [
        "X12",  # an item code, not a number: letters are never currency signs
        "12X",
        "1X234.5",  # nor thousands separators
        "(15",  # unbalanced accounting parentheses
        "15)",
        "(1(5",
    ],
)
def test_letters_and_stray_parentheses_are_not_numbers(raw: str) -> None:
    with pytest.raises(FieldError):
        parse_number(raw)
    with pytest.raises(FieldError):
        parse_number(raw.replace(".", ","), ",")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("( 1,234.50 )", -1234.5),  # spaces inside accounting parentheses
        ("7$", 7.0),  # a currency sign right after the number
        ("12.55€", 12.55),
        ("-3.25 %", -3.25),
    ],
)
def test_spaces_and_signs_around_a_number(raw: str, expected: float) -> None:
    assert parse_number(raw) == expected


def test_a_minus_inside_accounting_parentheses_names_no_grouping_problem() -> None:
    # Its grouping is fine: the reason must not send the person looking at the commas.
    assert reason_of(parse_number, "(-1,234)") == "'(-1,234)' is not a number"


def test_an_infinite_value_proves_no_decimal_mark() -> None:
    # "1,5E999" reads with decimal "," only as infinity: that is no proof of the mark.
    with pytest.raises(FieldError) as err:
        parse_number("1,5E999")
    assert type(err.value) is FieldError
    with pytest.raises(OtherMarkError):
        parse_number("1,5E9")


@pytest.mark.parametrize(
    ("raw", "depends"),
    [
        ("1.500", True),  # 1500 with decimal ","
        ("123.456", True),
        ("10.500", True),
        ("1234.567", False),  # four digits before the mark: no thousands group
        (".500", False),
        ("0.500", False),  # a group never starts with 0
        ("1.5", False),
        ("1.5000", False),
    ],
)
def test_the_fast_path_knows_which_values_depend_on_the_mark(raw: str, depends: bool) -> None:
    # A column proved to use "," (line 7 had "4,5"): values whose meaning depends on the mark
    # are bad rows from then on, the others still read.
    proved = DecimalWatch(".", evidence=("4,5", 7))
    read = cell_reader(".", proved)
    if depends:
        assert "'4,5' (line 7) in this column only reads with decimal ','" in reason_of(read, raw)
    else:
        assert read(raw) == float(raw)
    before_proof = DecimalWatch(".")
    assert cell_reader(".", before_proof)(raw) == float(raw)
    assert bool(before_proof.ambiguous_read) is depends
    assert cell_reader(".")(raw) == float(raw)  # without a watch: just the number


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "read",
    [parse_date, date_reader("date", required=True)],
    ids=["parse", "reader"],
)
def test_the_date_range_is_inclusive(read) -> None:
    assert read("1900-01-01") == dt.date(1900, 1, 1)
    assert read("2999-12-31") == dt.date(2999, 12, 31)
    assert reason_of(read, "1899-12-31") == (
        "1899-12-31 is out of range: dates run from 1900-01-01 to 2999-12-31"
    )
    assert reason_of(read, "3000-01-01") == (
        "3000-01-01 is out of range: dates run from 1900-01-01 to 2999-12-31"
    )


def test_far_future_reads_as_the_default_only_where_asked() -> None:
    end = date_reader("end", required=False, far_future_is_default=True)
    assert end("9999-12-31") is None
    assert end("2999-12-31") == dt.date(2999, 12, 31)
    assert "out of range" in reason_of(end, "1800-01-01")  # the far past is still junk
    assert "out of range" in reason_of(date_reader("date", required=True), "9999-12-31")
    assert "out of range" in reason_of(date_reader("end", required=False), "9999-12-31")


def test_a_whitespace_only_date_is_empty() -> None:
    assert date_reader("end", required=False)("   ") is None
    assert date_reader("end", required=False, default=dt.date(2000, 1, 1))("\t") == dt.date(
        2000, 1, 1
    )
    assert reason_of(date_reader("date", required=True), "  ") == "date is empty"


def test_the_date_cache_stops_growing_at_its_size() -> None:
    read = date_reader("date", required=True)
    first = dt.date(2000, 1, 1)
    days = [(first + dt.timedelta(days=i)).isoformat() for i in range(DATE_CACHE_SIZE + 1)]
    for day in days:
        read(day)
    assert read(days[0]) is read(days[0])  # cached
    last = days[-1]
    assert read(last) == read(last)
    assert read(last) is not read(last)  # past the cap: parsed again, never stored


# --- yes/no, choices, text --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("false", False),
        ("False", False),
        ("FALSE", False),
        ("0", False),
        ("N", False),
        ("yes ", True),
        (" true\t", True),
        ("y", True),
        ("True", True),
    ],
)
def test_every_yes_no_word(raw: str, expected: bool) -> None:
    assert bool_reader("entry", required=True)(raw) is expected


def test_a_choice_without_aliases() -> None:
    read = choice_reader("period", ("day", "week", "month"), required=True)
    assert read(" Week ") == "week"
    assert reason_of(read, "weekly") == (
        "'weekly' is not a valid period; use one of: day, week, month"
    )


def test_json_one_and_zero() -> None:
    # In a text field they are text (a store id of 1 is "1"); in a yes/no field, yes and no.
    text = json_reader(text_reader("note", required=False))
    assert (text(1), text(0), text(1.5)) == ("1", "0", "1.5")
    yes_no = json_reader(bool_reader("entry", required=True), boolean=True)
    assert (yes_no(1), yes_no(0), yes_no(1.0)) == (True, False, True)
    assert "is not yes or no" in reason_of(yes_no, 2)


# --- reasons ----------------------------------------------------------------------------------


def test_a_field_error_reads_as_its_reason() -> None:
    assert str(FieldError("value is empty")) == "value is empty"


def test_quote_shows_hidden_characters_as_escapes() -> None:
    assert quote("a\x00b") == "'a\\x00b'"
    assert quote("\u202eevil") == "'\\u202eevil'"  # a right-to-left override
    assert quote("tag\U000e0001") == "'tag\\U000e0001'"
    assert quote("x" * 60) == "'" + "x" * 60 + "'"  # 60 characters: not cut
    assert quote(["é"]) == """'["é"]'"""  # JSON values as written, not \\u-escaped


def test_a_required_yes_no_cell_left_empty_is_a_bad_row() -> None:
    assert reason_of(bool_reader("entry", required=True), "  ") == "entry is empty"


def test_text_with_a_nul_character_is_a_bad_row() -> None:
    read = text_reader("text", required=True)
    assert reason_of(read, "good\x00bad") == (
        "text has a NUL character (binary data?): 'good\\x00bad'"
    )
    assert read(" no NUL here ") == "no NUL here"


def test_a_stray_sign_is_not_blamed_on_the_grouping() -> None:
    for raw in ("--1,234", "$-1,234-"):
        with pytest.raises(FieldError) as err:
            parse_number(raw)
        assert err.value.reason == f"'{raw}' is not a number"


def test_junk_that_reads_with_the_other_mark_proves_nothing_about_the_column() -> None:
    # Too large either way: a plain bad row, not an OtherMarkError that would set the mark.
    with pytest.raises(FieldError) as err:
        parse_number("1.000.000.000.000.000.000")
    assert type(err.value) is FieldError
    assert "is too large" in err.value.reason
