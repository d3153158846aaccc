"""When the screen is on, when the sound may play, and where static content sits against
burn-in. Plain Python with injected clocks; the window consults it and arms one timer.

- `DailyWindow`: a time-of-day window in store time, e.g. 07:00-22:00, or 22:00-06:00 across
  midnight (the start is inside, the end is not).
- `DisplaySchedule`: opening hours (a DailyWindow) in the store's time zone, or always on. It
  says whether the display is on at an instant and when that next changes, so the window
  sleeps on one single-shot timer aimed at opening time instead of polling.
- `BurnInShift`: a few pixels of offset that step through nine positions (the centre and
  the eight around it) every few minutes. LCD and OLED panels that show the same header and
  card edges 15 hours a day keep a ghost of them; moving everything by a few pixels now and
  then spreads the wear without anyone noticing the move.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.config import DisplayConfig


@dataclass(frozen=True)
class DailyWindow:
    """From `start` (inclusive) to `end` (exclusive) every day; crosses midnight when
    `end` <= `start` ("22:00" to "06:00"). Equal ends would be empty or everything, so the
    config refuses them."""

    start: dt.time
    end: dt.time

    def contains(self, moment: dt.time) -> bool:
        moment = moment.replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


class DisplaySchedule:
    """Opening hours in the store's time zone: when the display is on; None: always on."""

    def __init__(self, hours: DailyWindow | None, tz: dt.tzinfo) -> None:
        self.hours = hours
        self.tz = tz

    @property
    def always_on(self) -> bool:
        return self.hours is None

    def is_on(self, now: dt.datetime) -> bool:
        if self.hours is None:
            return True
        if now.tzinfo is None:
            raise ValueError("DisplaySchedule needs an aware datetime")
        return self.hours.contains(now.astimezone(self.tz).time())

    def next_change(self, now: dt.datetime) -> dt.datetime | None:
        """The next opening or closing after `now` (aware, UTC); None when always on.

        Compared in UTC: aware datetimes sharing a tzinfo compare as wall times, which is
        wrong across a daylight-saving change. A wall time that does not exist that night
        (02:30 when clocks jump from 02:00 to 03:00) maps to the instant of the jump's old
        offset, i.e. just after the jump.
        """
        if self.hours is None:
            return None
        if now.tzinfo is None:
            raise ValueError("DisplaySchedule needs an aware datetime")
        here = now.astimezone(self.tz)
        instant = now.astimezone(dt.UTC)
        candidates = []
        for offset in range(-1, 3):
            day = here.date() + dt.timedelta(days=offset)
            for moment in (self.hours.start, self.hours.end):
                at = dt.datetime.combine(day, moment, tzinfo=self.tz).astimezone(dt.UTC)
                if at > instant:
                    candidates.append(at)
        return min(candidates)

    def seconds_to_change(self, now: dt.datetime) -> float:
        """Seconds from `now` to `next_change`; infinity when always on."""
        change = self.next_change(now)
        if change is None:
            return math.inf
        return max(0.0, (change - now.astimezone(dt.UTC)).total_seconds())


# The centre, then around it clockwise, one step each period: the content is never more
# than `pixels` away from where it was laid out, and moves by at most `pixels` at once.
SHIFT_STEPS: tuple[tuple[int, int], ...] = (
    (0, 0),
    (1, 0),
    (1, 1),
    (0, 1),
    (-1, 1),
    (-1, 0),
    (-1, -1),
    (0, -1),
    (1, -1),
)


class BurnInShift:
    """Pixel offsets that step every `period_seconds` of the injected clock's time."""

    def __init__(self, pixels: int, period_seconds: float) -> None:
        if period_seconds <= 0:
            raise ValueError("the shift period must be positive")
        self.pixels = max(0, int(pixels))
        self.period = float(period_seconds)

    @property
    def enabled(self) -> bool:
        return self.pixels > 0

    def step(self, t: float) -> int:
        return math.floor(t / self.period) % len(SHIFT_STEPS)

    def offset(self, t: float) -> tuple[int, int]:
        """(dx, dy) in pixels at clock time `t`."""
        if not self.enabled:
            return (0, 0)
        x, y = SHIFT_STEPS[self.step(t)]
        return (x * self.pixels, y * self.pixels)

    def next_change(self, t: float) -> float:
        """The clock time of the next step; infinity when disabled."""
        if not self.enabled:
            return math.inf
        return (math.floor(t / self.period) + 1) * self.period


def schedule_from_display(display: DisplayConfig, tz: dt.tzinfo) -> DisplaySchedule:
    """The opening hours of `display` in the store's zone `tz`; always on without them."""
    hours = None
    if display.open_at is not None and display.close_at is not None:
        hours = DailyWindow(display.open_at, display.close_at)
    return DisplaySchedule(hours, tz)
