"""Opening hours on the window: outside them the display is off, behind the `OffCover`.

`DisplaySchedule` (plain Python, `kiosk.board.display_schedule`) says whether the display is
on at an instant and when that next changes; `OffHours` follows it with one single-shot
timer (the power timer) aimed at the next opening or closing, and, while the dim clock shows,
at the next minute too. Nothing polls: a closed kiosk wakes once a night (or once a minute
in clock mode).

`schedule_from_display`, beside it, is the one place that turns `[display] open_at` /
`close_at` into a `DisplaySchedule`.

With `off_mode = "cec"` a `ScreenPower` (kiosk/screen_power.py, plain Python, its own thread)
also puts the TV in standby at closing and wakes it at opening; and once at start, for a TV
left in the wrong state (a power cut at night).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from kiosk.board.display_schedule import DisplaySchedule
from kiosk.screen_power import ScreenPower
from kiosk.ui.header import ms_to_next_minute
from kiosk.ui.i18n import translate, words
from kiosk.ui.off_cover import OffCover


class OffHours(QObject):
    """Switches `window`'s display on and off by `schedule`, and runs its night cover.

    `now` gives the current aware time. The cover (black, or a dim clock that says when the
    board is back) is a child of `window`, made here; the window shows and hides it, because
    a manager's entry screen may be open at night. Call `apply()` once the window is built.

    Signals: `switched(bool)`: the display goes on (True) or off (False) now; `display_on`
    already says so when it is emitted.
    """

    switched = Signal(bool)

    def __init__(
        self,
        window: QWidget,
        schedule: DisplaySchedule,
        off_mode: str,
        now: Callable[[], dt.datetime],
        power: ScreenPower | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._schedule = schedule
        self._now = now
        self._on = True
        self._power = power
        self._power_state = True
        self._applied = False
        self.cover = OffCover(window, off_mode)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.apply)

    @property
    def display_on(self) -> bool:
        return self._on

    @property
    def schedule(self) -> DisplaySchedule:
        return self._schedule

    def timer(self) -> QTimer:
        """The power timer: opening and closing (and the dim clock's minute while closed)."""
        return self._timer

    @Slot()
    def apply(self) -> None:
        """Switch the display on or off for the time now; aim the power timer at the next
        change (and at the next minute while the dim clock shows)."""
        now = self._now()
        on = self._schedule.is_on(now)
        if on != self._on:
            self._on = on
            self.switched.emit(on)
        if self._power is not None and (on != self._power_state or not self._applied):
            self._power.switch(on)  # queued: the command runs on the power thread
            self._power_state = on
        self._applied = True
        if not on:
            self._update_cover(now)
        seconds = self._schedule.seconds_to_change(now)
        if not on and self.cover.shows_clock:
            seconds = min(seconds, ms_to_next_minute(now) / 1000)
        if math.isinf(seconds):
            self._timer.stop()
        else:
            # A little late rather than early: an early wake finds nothing changed yet.
            self._timer.start(min(math.ceil(seconds * 1000) + 50, 2**31 - 1))

    def wake_for_manager(self, area_open: bool) -> None:
        """A manager opens the manager area at night: the TV on for it, off again after."""
        if self._power is not None and not self._on:
            self._power.switch(area_open)
            self._power_state = area_open

    def show_cover(self) -> None:
        """Cover the whole window, above everything else in it."""
        self.cover.setGeometry(self._window.rect())
        self.cover.show()
        self.cover.raise_()

    def _update_cover(self, now: dt.datetime) -> None:
        if not self.cover.shows_clock:
            return
        local = now.astimezone(self._schedule.tz)
        hours = self._schedule.hours
        formats = words().formats
        note = ""
        if hours is not None:
            #: Under the dim night clock: when the scoreboard comes back on ("07:00").
            note = translate("OffHours", "Back at {time}").format(time=formats.time(hours.start))
        minutes = int(local.timestamp() // 60)
        self.cover.set_time(formats.time(local), note, minutes)
