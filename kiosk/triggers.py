"""APScheduler 3 triggers that hold up when the clock misbehaves: DST changes and wall-clock jumps.

## StoreMidnightTrigger: once per store day, whatever DST does

APScheduler 3's `CronTrigger(hour=0, ...)` in a DST time zone skips the day after the spring
change: it adds 24 hours to step from one day to the next, which on a 23-hour day lands on 01:00,
past the hour it wants, so it moves on to the following midnight (agronholm/apscheduler#606,
#529; still so in 3.11.3: in America/Chicago it fires on 2026-03-08, then on 2026-03-10). The
kiosk's "new day" job would miss a day every spring. This trigger computes each fire time as
"that calendar date, at `at` o'clock, in the store's zone" with zoneinfo, which has no such
arithmetic to get wrong.

## JumpSafeIntervalTrigger: a jump of decades costs one step

APScheduler 3 computes fire times from the wall clock (`datetime.now`). After a forward jump,
`Job._get_run_times` walks every interval between the last fire time and now, one datetime per
step, before `coalesce=True` keeps only the last: a Raspberry Pi without a battery-backed clock
that boots at 1970 and is then set to today by NTP makes a 15-minute job walk about two million
steps (seconds of CPU and ~110 MB per job; with `every_minutes = 1`, gigabytes). Upstream
considers this the user's problem (agronholm/apscheduler#526, #1066: "the scheduler relies on a
functioning system clock").

`JumpSafeIntervalTrigger` restarts the series from now, on the same phase (aligned to
`start_date`), when the previous fire time is more than two intervals back, so a jump of any size
costs one step. The run that was due before the jump is then reported as missed (EVENT_JOB_MISSED,
logged by kiosk.scheduling) and the next one comes within one interval.

A backwards jump needs nothing: the scheduler sleeps until the (now later-looking) next fire time,
so one run is late by the size of the jump, and the schedule goes on from there.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

# More than this many intervals since the previous fire time means the clock jumped (or the
# machine slept): start again from now instead of walking every missed interval.
_JUMP_INTERVALS = 2


class JumpSafeIntervalTrigger(IntervalTrigger):
    """IntervalTrigger whose next fire time after a large forward jump costs one step."""

    def get_next_fire_time(
        self, previous_fire_time: dt.datetime | None, now: dt.datetime
    ) -> dt.datetime | None:
        if (
            previous_fire_time is not None
            and (now - previous_fire_time).total_seconds() > _JUMP_INTERVALS * self.interval_length
        ):
            previous_fire_time = None  # the next fire time on start_date's phase after now
        return super().get_next_fire_time(previous_fire_time, now)  # type: ignore[no-any-return]


class StoreMidnightTrigger(BaseTrigger):
    """Fires once per calendar day of `timezone`, at `at` local time (default 00:00:30)."""

    def __init__(self, timezone: ZoneInfo, at: dt.time = dt.time(0, 0, 30)) -> None:
        self.timezone = timezone
        self.at = at

    def fire_time(self, day: dt.date) -> dt.datetime:
        """`at` on `day` in the store's zone, as a UTC instant. A time that does not exist that
        day (skipped by a DST change at midnight, as in some zones) reads with the offset from
        before the change: just after the gap."""
        return dt.datetime.combine(day, self.at, tzinfo=self.timezone).astimezone(dt.UTC)

    def get_next_fire_time(
        self, previous_fire_time: dt.datetime | None, now: dt.datetime
    ) -> dt.datetime:
        if previous_fire_time is None:
            start, after = now, False
        else:
            # Strictly after the previous fire time, so a clock set back never repeats a day;
            # after a large forward jump, near now rather than through every missed day.
            start, after = max(previous_fire_time, now - dt.timedelta(days=2)), True
        day = start.astimezone(self.timezone).date()
        for offset in range(-1, 3):
            candidate = self.fire_time(day + dt.timedelta(days=offset))
            if candidate > start or (not after and candidate == start):
                return candidate
        raise AssertionError("unreachable: a fire time exists within three days")

    def __str__(self) -> str:
        return f"store-midnight[{self.timezone.key} {self.at.isoformat()}]"

    def __repr__(self) -> str:
        return f"<StoreMidnightTrigger ({self.timezone.key!r}, at={self.at.isoformat()!r})>"
