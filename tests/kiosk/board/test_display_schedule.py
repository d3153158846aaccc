"""Opening hours, quiet windows and the burn-in shift: plain Python, injected times."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from kiosk.board.display_schedule import (
    SHIFT_STEPS,
    BurnInShift,
    DailyWindow,
    DisplaySchedule,
)
from kiosk.config import parse_hhmm

CHICAGO = ZoneInfo("America/Chicago")
T = dt.time


def at(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("07:00", T(7)), ("22:30", T(22, 30)), ("00:00", T(0)), (" 23:59", T(23, 59))],
)
def test_parse_hhmm(text, expected):
    assert parse_hhmm(text) == expected


@pytest.mark.parametrize("text", ["7:00", "24:00", "07:60", "0700", "7am", "", "07:00:00"])
def test_parse_hhmm_rejects(text):
    with pytest.raises(ValueError, match="HH:MM"):
        parse_hhmm(text)


def test_daily_window_same_day():
    hours = DailyWindow(T(7), T(22))
    assert not hours.contains(T(6, 59))
    assert hours.contains(T(7))  # opening minute: on
    assert hours.contains(T(21, 59))
    assert not hours.contains(T(22))  # closing minute: off


def test_daily_window_across_midnight():
    hours = DailyWindow(T(10), T(1, 30))  # open till 01:30
    assert hours.contains(T(23))
    assert hours.contains(T(0, 45))
    assert not hours.contains(T(1, 30))
    assert not hours.contains(T(9, 59))
    assert hours.contains(T(10))


def test_always_on_without_hours():
    schedule = DisplaySchedule(None, CHICAGO)
    assert schedule.always_on and schedule.is_on(at(24, 3))
    assert schedule.next_change(at(24, 3)) is None
    assert schedule.seconds_to_change(at(24, 3)) == float("inf")


def test_on_and_off_in_store_time_whatever_the_callers_zone():
    schedule = DisplaySchedule(DailyWindow(T(7), T(22)), CHICAGO)
    # 12:30 UTC is 06:30 in Chicago (CST, UTC-6): still closed.
    assert not schedule.is_on(dt.datetime(2026, 11, 24, 12, 30, tzinfo=dt.UTC))
    assert schedule.is_on(dt.datetime(2026, 11, 24, 13, 0, tzinfo=dt.UTC))  # 07:00
    assert not schedule.is_on(dt.datetime(2026, 11, 25, 4, 0, tzinfo=dt.UTC))  # 22:00


def test_next_change_is_opening_then_closing():
    schedule = DisplaySchedule(DailyWindow(T(7), T(22)), CHICAGO)
    assert schedule.next_change(at(24, 3)) == at(24, 7).astimezone(dt.UTC)
    assert schedule.seconds_to_change(at(24, 3)) == 4 * 3600
    assert schedule.next_change(at(24, 7)) == at(24, 22).astimezone(dt.UTC)
    assert schedule.next_change(at(24, 23)) == at(25, 7).astimezone(dt.UTC)


def test_next_change_across_midnight():
    schedule = DisplaySchedule(DailyWindow(T(10), T(1, 30)), CHICAGO)
    assert schedule.next_change(at(24, 23)) == at(25, 1, 30).astimezone(dt.UTC)
    assert schedule.next_change(at(25, 2)) == at(25, 10).astimezone(dt.UTC)


def test_daylight_saving_nights():
    schedule = DisplaySchedule(DailyWindow(T(7), T(22)), CHICAGO)
    # Spring forward (8 Mar 2026, 02:00 -> 03:00): 22:00 to 07:00 lasts 8 hours, not 9.
    closing = dt.datetime(2026, 3, 7, 22, tzinfo=CHICAGO)
    assert schedule.seconds_to_change(closing) == 8 * 3600
    # Fall back (1 Nov 2026): that night lasts 10 hours.
    closing = dt.datetime(2026, 10, 31, 22, tzinfo=CHICAGO)
    assert schedule.seconds_to_change(closing) == 10 * 3600


def test_naive_times_are_refused():
    schedule = DisplaySchedule(DailyWindow(T(7), T(22)), CHICAGO)
    with pytest.raises(ValueError, match="aware"):
        schedule.is_on(dt.datetime(2026, 11, 24, 8))


def test_burn_in_shift_cycles_through_nine_positions():
    shift = BurnInShift(pixels=4, period_seconds=600)
    offsets = [shift.offset(600 * n + 1) for n in range(len(SHIFT_STEPS) + 1)]
    assert offsets[0] == (0, 0)
    assert offsets[1] == (4, 0)
    assert len(set(offsets[:9])) == 9  # every position once per cycle
    assert offsets[9] == offsets[0]  # then around again
    # One step never moves the content by more than the configured pixels per axis...
    for (x1, y1), (x2, y2) in itertools.pairwise(offsets):
        assert abs(x1 - x2) <= 8 and abs(y1 - y2) <= 8
    # ...and the content is never more than `pixels` from where it was laid out.
    assert all(abs(x) <= 4 and abs(y) <= 4 for x, y in offsets)


def test_burn_in_shift_steps_on_its_period():
    shift = BurnInShift(pixels=3, period_seconds=600)
    assert shift.offset(599.9) == (0, 0)
    assert shift.offset(600.0) == (3, 0)
    assert shift.next_change(0) == 600
    assert shift.next_change(601) == 1200


def test_burn_in_shift_off():
    shift = BurnInShift(pixels=0, period_seconds=600)
    assert not shift.enabled
    assert shift.offset(1234) == (0, 0)
    assert shift.next_change(1234) == float("inf")
    with pytest.raises(ValueError):
        BurnInShift(pixels=2, period_seconds=0)
