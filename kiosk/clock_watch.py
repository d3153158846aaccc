"""A wall clock set back must not silence the schedule.

APScheduler keeps each job's next run as a wall-clock instant. When the clock is corrected
backwards (NTP after a fast hardware clock, an admin's `date -s`), every next run lies that much
further away: after a one-day correction the next pull of every feed was a day off, and the
header never said stale. Forward jumps are the triggers' business (`kiosk.triggers`); this
watches for backward ones from a thread that measures time on the monotonic clock, which no
correction moves, and re-arms every job: as much earlier as the clock went back (the interval
between pulls, the first pull's delay after start), or the new-day job at the next real midnight.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from apscheduler.schedulers.base import BaseScheduler

from kiosk.triggers import StoreMidnightTrigger

log = logging.getLogger(__name__)

CHECK_EVERY_S = 15.0
# A smaller difference between the two clocks is NTP slewing or a busy CPU, not a correction.
JUMP_S = 90.0


class ClockWatch:
    """Re-arms `scheduler`'s jobs when the wall clock goes back by more than JUMP_S.

    `check()` does one comparison (tests call it directly with injected clocks); `start()`
    runs it every CHECK_EVERY_S on a daemon thread until `stop()`.
    """

    def __init__(
        self,
        scheduler: BaseScheduler,
        *,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._scheduler = scheduler
        self._wall = wall
        self._monotonic = monotonic
        self._now = now or (lambda: dt.datetime.fromtimestamp(self._wall(), dt.UTC))
        self._offset = wall() - monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> float:
        """Seconds the wall clock went back since the last check (0.0 when it did not);
        the jobs are re-armed when it did."""
        offset = self._wall() - self._monotonic()
        jump = self._offset - offset
        self._offset = offset
        if jump <= JUMP_S:
            return 0.0
        log.warning("the wall clock went back by %.0f s; re-arming the schedule", jump)
        self.rearm(dt.timedelta(seconds=jump))
        return jump

    def rearm(self, jump: dt.timedelta) -> None:
        now = self._now()
        for job in self._scheduler.get_jobs():
            due = job.next_run_time
            if due is None:
                continue
            if isinstance(job.trigger, StoreMidnightTrigger):
                again = job.trigger.get_next_fire_time(None, now)  # the real next midnight
            else:
                again = due - jump  # as far from now as it was meant to be
            if again < due:
                job.modify(next_run_time=max(again, now))
        self._scheduler.wakeup()

    def start(self) -> ClockWatch:
        self._thread = threading.Thread(target=self._run, name="clock-watch", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(CHECK_EVERY_S):
            try:
                self.check()
            except Exception:  # a bad re-arm must not end the watch
                log.exception("re-arming the schedule failed")

    def stop(self) -> None:
        self._stop.set()
