"""Calendar periods: Monday weeks, calendar months, inclusive day counts."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.board.periods import (
    days_in_period,
    elapsed_days,
    is_period_start,
    period_end,
    period_start,
)

D = dt.date


@pytest.mark.parametrize(
    ("period", "day", "start", "end", "length", "elapsed"),
    [
        ("day", D(2024, 5, 15), D(2024, 5, 15), D(2024, 5, 15), 1, 1),
        # A Wednesday, a Monday, a Sunday.
        ("week", D(2024, 5, 15), D(2024, 5, 13), D(2024, 5, 19), 7, 3),
        ("week", D(2024, 5, 13), D(2024, 5, 13), D(2024, 5, 19), 7, 1),
        ("week", D(2024, 5, 19), D(2024, 5, 13), D(2024, 5, 19), 7, 7),
        # A week spanning two months, and one spanning two years.
        ("week", D(2024, 5, 1), D(2024, 4, 29), D(2024, 5, 5), 7, 3),
        ("week", D(2025, 1, 1), D(2024, 12, 30), D(2025, 1, 5), 7, 3),
        # The 1st, the last day of a 31-day month, February in a leap and a common year.
        ("month", D(2024, 5, 1), D(2024, 5, 1), D(2024, 5, 31), 31, 1),
        ("month", D(2024, 5, 31), D(2024, 5, 1), D(2024, 5, 31), 31, 31),
        ("month", D(2024, 2, 10), D(2024, 2, 1), D(2024, 2, 29), 29, 10),
        ("month", D(2024, 2, 29), D(2024, 2, 1), D(2024, 2, 29), 29, 29),
        ("month", D(2023, 2, 28), D(2023, 2, 1), D(2023, 2, 28), 28, 28),
        ("month", D(2024, 4, 30), D(2024, 4, 1), D(2024, 4, 30), 30, 30),
        ("month", D(2024, 12, 31), D(2024, 12, 1), D(2024, 12, 31), 31, 31),
    ],
)
def test_period_arithmetic(period, day, start, end, length, elapsed):
    assert period_start(period, day) == start
    assert period_end(period, day) == end
    assert days_in_period(period, day) == length
    assert elapsed_days(period, day) == elapsed


@pytest.mark.parametrize(
    ("period", "day", "expected"),
    [
        ("day", D(2024, 5, 15), True),
        ("week", D(2024, 5, 13), True),  # Monday
        ("week", D(2024, 5, 14), False),
        ("week", D(2024, 5, 19), False),  # Sunday
        ("month", D(2024, 5, 1), True),
        ("month", D(2024, 5, 2), False),
        ("month", D(2024, 4, 30), False),
    ],
)
def test_is_period_start(period, day, expected):
    assert is_period_start(period, day) is expected


@pytest.mark.parametrize("function", [period_start, days_in_period, period_end, elapsed_days])
def test_unknown_period_is_an_error(function):
    # Never a silent default: a quarter is not a one-day period.
    with pytest.raises(ValueError, match="quarter"):
        function("quarter", D(2024, 5, 15))
