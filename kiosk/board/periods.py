"""Calendar periods of the scoreboard: a day, a Monday-to-Sunday week, a calendar month.

Plain date arithmetic with no time zones: callers pass the store's calendar date (see
`kiosk.config.StoreConfig.today`), so a period never depends on where the code runs.
"""

from __future__ import annotations

import calendar
import datetime as dt

from sync.vocabulary import Period

PERIODS: tuple[Period, ...] = tuple(Period)


def _check(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r} (one of {', '.join(PERIODS)})")


def period_start(period: Period, day: dt.date) -> dt.date:
    """The first day of the `period` holding `day`: the day itself, its Monday, or the 1st."""
    _check(period)
    if period == Period.week:
        return day - dt.timedelta(days=day.weekday())
    if period == Period.month:
        return day.replace(day=1)
    return day


def days_in_period(period: Period, day: dt.date) -> int:
    """How many calendar days the `period` holding `day` has (1, 7, or 28 to 31)."""
    _check(period)
    if period == Period.week:
        return 7
    if period == Period.month:
        return calendar.monthrange(day.year, day.month)[1]
    return 1


def period_end(period: Period, day: dt.date) -> dt.date:
    """The last day of the `period` holding `day` (inclusive)."""
    return period_start(period, day) + dt.timedelta(days=days_in_period(period, day) - 1)


def elapsed_days(period: Period, day: dt.date) -> int:
    """Calendar days from the period's start to `day`, both counted (1 on the first day)."""
    return (day - period_start(period, day)).days + 1


def is_period_start(period: Period, day: dt.date) -> bool:
    """Whether `day` is the first day of a `period`: the only valid `start` of a target row."""
    return period_start(period, day) == day
