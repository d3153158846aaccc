"""Number, percent, date and time formatting: plain Python, no Qt."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.board.formatting import (
    MISSING,
    compact_number,
    format_date,
    format_day_time,
    format_number,
    format_pace,
    format_percent,
    format_stars,
    format_time,
    format_value,
)


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "expected"),
    [
        (12000, "$", 0, "$12,000"),
        (1234.5, "€", 2, "€1,234.50"),
        (99.5, "£", 0, "£100"),  # half-up, not banker's rounding
        (2.675, "¥", 2, "¥2.68"),  # as written, not the binary float's 2.67499...
        (87, "%", 0, "87%"),
        (4.5, "pts", 1, "4.5 pts"),
        (6.5, "h", 1, "6.5 h"),
        (412, "", 0, "412"),
        (1234567, "", 0, "1,234,567"),
        (-1234.5, "$", 2, "−$1,234.50"),
        (-12, "%", 0, "−12%"),
        (-3.25, "pts", 1, "−3.3 pts"),
        (-0.004, "", 2, "0.00"),  # never "−0.00"
        (None, "$", 0, MISSING),
        (float("nan"), "$", 0, MISSING),
        (float("inf"), "", 0, MISSING),
    ],
)
def test_format_value(value, unit, decimals, expected):
    assert format_value(value, unit, decimals) == expected


def test_unit_whitespace_is_ignored():
    assert format_value(5, " $ ", 0) == "$5"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (950, "950"),
        (1000, "1K"),
        (54210, "54.2K"),
        (999_960, "1M"),  # not "1,000K"
        (1_234_567, "1.2M"),
        (12_345_678, "12.3M"),
        (123_456_789, "123M"),
        (-1_234_567, "−1.2M"),
        (2_500_000_000, "2.5B"),
    ],
)
def test_compact_number(value, expected):
    assert compact_number(value) == expected


def test_compact_form_only_when_the_full_one_does_not_fit():
    assert format_value(1_234_567.89, "$", 2) == "$1,234,567.89"
    assert format_value(1_234_567.89, "$", 2, fits=lambda s: len(s) <= 8) == "$1.2M"
    assert format_value(12_000, "$", 0, fits=lambda s: len(s) <= 8) == "$12,000"
    assert format_value(None, "$", 0, fits=lambda s: False) == MISSING


def test_format_number_groups_thousands():
    assert format_number(1234567.891, 2) == "1,234,567.89"
    assert format_number(5, -1) == "5"


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(104.2, "104%"), (100.0, "100%"), (99.5, "99%"), (99.96, "99%"), (0, "0%"), (None, MISSING)],
)
def test_format_percent_never_rounds_up_to_the_goal(percent, expected):
    # 99.96% is not met: showing "100%" next to "▼ Behind" would read as a bug.
    assert format_percent(percent) == expected


def test_format_pace():
    assert format_pace(104.0) == "on pace for 104%"
    assert format_pace(None) == ""


def test_dates_and_times_do_not_depend_on_the_locale():
    assert format_date(dt.date(2026, 11, 24)) == "Tue 24 Nov"
    assert format_date(dt.date(2026, 1, 5)) == "Mon 5 Jan"
    assert format_time(dt.datetime(2026, 11, 24, 10, 42, 59)) == "10:42"
    assert format_time(dt.time(7, 5)) == "07:05"
    assert format_day_time(dt.datetime(2026, 11, 23, 9, 12)) == "Mon 09:12"


@pytest.mark.parametrize(
    ("rating", "expected"),
    [(5, "★★★★★"), (4, "★★★★☆"), (1, "★☆☆☆☆"), (4.5, "★★★★★"), (0, "☆☆☆☆☆"), (None, "no rating")],
)
def test_format_stars(rating, expected):
    assert format_stars(rating) == expected
