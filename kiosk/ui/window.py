"""The kiosk's window: the header above a stack of screens, driven by the Rotator.

One single-shot QTimer is aimed at the rotator's next deadline (no polling). Changes
cross-fade: one overlay widget and one QPropertyAnimation, made once and reused, so a kiosk
that fades every 15 seconds for months allocates nothing per fade but a picture.

A goal just met interrupts the rotation (`celebrate(goals)`): the celebration screen leads
with those goals under a burst of confetti (one overlay, made once) and an optional chime,
then the rotation resumes where it was.

The window composes three helpers, each in its own module, and says what each must do when:
- `OffHours` (off_hours.py): opening hours. Outside them its cover shows black or a dim
  clock, and the window stops the rotation, the header clock, the burn-in shift, the fade
  and the confetti; its one power timer wakes the window at opening time.
- `BurnInShifter` (burn_in.py): while open, the content moves a few pixels every few
  minutes against burn-in.
- `CursorHider` (cursor.py): the pointer hides after a few seconds without movement.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QWidget

from kiosk.board.display_schedule import BurnInShift, DisplaySchedule, schedule_from_display
from kiosk.board.model import BoardSnapshot, MetricEntry
from kiosk.board.rotation import Rotator
from kiosk.config import ALL_SCREENS, CelebrationConfig, DisplayConfig, ScreenSlot
from kiosk.screen_power import ScreenPower
from kiosk.ui import theme as th
from kiosk.ui.burn_in import BurnInShifter
from kiosk.ui.confetti import ConfettiOverlay
from kiosk.ui.cursor import CursorHider
from kiosk.ui.header import Header, local_now
from kiosk.ui.i18n import translate
from kiosk.ui.off_hours import OffHours
from kiosk.ui.screens import CelebrationScreen, EntryScreen, create_screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import FadeOverlay, Screen, fill_background

log = logging.getLogger(__name__)


class Chime(Protocol):
    """The celebration's sound (`kiosk.ui.sound.CelebrationSound`, or a test's double)."""

    def play(self) -> bool: ...


class KioskWindow(QWidget):
    """The board on screen: the header over the stacked screens, rotated and cross-faded,
    interrupted by celebrations, asleep outside opening hours (see the module docstring).

    `schedule` gives the opening hours; without it they come from `display`
    (`schedule_from_display`, in the zone of `now`). `kiosk run` passes the store's.

    Signals:
    - `screen_changed(str, int)`: a screen / page is now showing.
    - `entry_requested()`: someone tapped the board (the app opens the PIN pad, then
      `open_entry()`).
    - `display_changed(bool)`: the display switched on (True, opening time) or off.
    """

    screen_changed = Signal(str, int)
    entry_requested = Signal()
    display_changed = Signal(bool)

    def __init__(
        self,
        slots: Sequence[ScreenSlot],
        display: DisplayConfig | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] | None = None,
        celebration: CelebrationConfig | None = None,
        schedule: DisplaySchedule | None = None,
        sound: Chime | None = None,
        screen_power: ScreenPower | None = None,
        confetti_clock: Callable[[], float] = time.monotonic,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Window", "Store scoreboard"))
        self._display = display or DisplayConfig()
        self._celebration = celebration or CelebrationConfig()
        self._clock = clock
        self._now = now or local_now
        self._theme = Theme()
        self._entry_open = False
        self._manual_pause = False
        self._party_pending = False
        self._sound = sound
        fill_background(self, th.BACKGROUND)
        self._band_color = QColor(th.SURFACE)
        self.header = Header(self._theme, now=now, parent=self)
        self.stack = QStackedWidget(self)
        self._screens: dict[str, Screen] = {}
        for name in ALL_SCREENS:
            screen = create_screen(name, self._theme)
            self._screens[name] = screen
            self.stack.addWidget(screen)
            screen.page_changed.connect(self._on_page_changed)
        self.entry.close_requested.connect(self.close_entry)
        self._rotator = Rotator(
            slots,
            has_content=lambda name: self._screens[name].has_content(),
            page_count=lambda name: self._screens[name].page_count(),
            clock=clock,
        )
        self.confetti = ConfettiOverlay(self, clock=confetti_clock)
        if schedule is None:
            schedule = schedule_from_display(self._display, self._now().tzinfo or dt.UTC)
        # Its cover is made here, between the confetti and the fade overlay, where it always
        # was: sibling widgets stack in the order they are made.
        self._off_hours = OffHours(
            self, schedule, self._display.off_mode, self._now, power=screen_power
        )
        self._off_hours.switched.connect(self._on_display_switched)
        self.cover = self._off_hours.cover
        self._overlay = FadeOverlay(self)
        self._fade = QPropertyAnimation(self._overlay, b"opacity", self)
        self._fade.setStartValue(1.0)
        self._fade.setEndValue(0.0)
        self._fade.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self._fade.finished.connect(self._overlay.clear)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.advance)
        shift = BurnInShift(self._display.shift_pixels, self._display.shift_minutes * 60)
        self._burn_in = BurnInShifter(shift, clock, self._theme, self)
        self._burn_in.moved.connect(self._layout)
        self.cursor_hider = CursorHider(self, self._display.cursor_hide_seconds)
        self._shown: tuple[str, int] | None = None
        self._show(*self._rotator.current(), animate=False)
        self._schedule()
        self.apply_shift()
        self.apply_schedule()

    # --- public API ---------------------------------------------------------------------

    @property
    def rotator(self) -> Rotator:
        return self._rotator

    @property
    def entry(self) -> EntryScreen:
        screen = self._screens["entry"]
        assert isinstance(screen, EntryScreen)
        return screen

    @property
    def celebration(self) -> CelebrationScreen:
        screen = self._screens["celebration"]
        assert isinstance(screen, CelebrationScreen)
        return screen

    @property
    def transition(self) -> QPropertyAnimation:
        """The one animation every cross-fade reuses."""
        return self._fade

    @property
    def display_on(self) -> bool:
        return self._off_hours.display_on

    @property
    def schedule(self) -> DisplaySchedule:
        return self._off_hours.schedule

    def screen(self, name: str) -> Screen:
        return self._screens[name]

    def current_screen(self) -> tuple[str, int]:
        """The screen name and page showing."""
        widget = self.stack.currentWidget()
        assert isinstance(widget, Screen)
        return widget.name, widget.current_page()

    def rotation_timer(self) -> QTimer:
        return self._timer

    def power_timer(self) -> QTimer:
        return self._off_hours.timer()

    def shift_timer(self) -> QTimer:
        return self._burn_in.timer()

    def content_offset(self) -> tuple[int, int]:
        """The burn-in shift in pixels now applied to the header and the screens."""
        return self._burn_in.offset

    def active_timers(self) -> list[QTimer]:
        """Every running QTimer of the window and its children (tests: nothing runs at night)."""
        return [timer for timer in self.findChildren(QTimer) if timer.isActive()]

    def set_snapshot(self, snapshot: BoardSnapshot) -> None:
        """New data for every screen; the rotation skips screens that became empty."""
        self.header.set_snapshot(snapshot)
        for screen in self._screens.values():
            screen.set_snapshot(snapshot)
        self._after_content_change()
        if self.confetti.running and self._shown is not None and self._shown[0] == "celebration":
            self.confetti.set_background(self._content_picture())

    @Slot()
    def advance(self) -> None:
        """Move the rotation on if its deadline passed (the timer calls this)."""
        was_interrupted = self._rotator.interrupted
        changed = self._rotator.tick(self._clock())
        if was_interrupted and not self._rotator.interrupted:
            self._end_feature()
            changed = True
        if changed and not self._entry_open:
            self._show(*self._rotator.current(), animate=True)
        self._schedule()

    def pause_rotation(self) -> None:
        self._manual_pause = True
        self._sync_hold()

    def resume_rotation(self) -> None:
        self._manual_pause = False
        self._sync_hold()

    def celebrate(self, goals: Sequence[MetricEntry] = ()) -> bool:
        """Show the celebration screen now (leading with `goals`, just met) with confetti and
        the chime, then carry on where the rotation was. True when it started.

        While the display is off nobody would see it: nothing happens (the goal is stored
        all the same, so it does not come back). While the manager's entry screen is open
        it waits and plays when the entry screen closes.
        """
        if not self.display_on:
            log.info("goal met while the display is off: not celebrated on screen")
            return False
        if goals:
            self.celebration.feature(goals)
        started = self._rotator.interrupt("celebration", self._clock())
        if not started:
            if self._rotator.paused and self.celebration.has_content():
                self._party_pending = True  # the rotator plays it on resume
            else:
                self.celebration.clear_feature()
            return False
        self._party_pending = True
        if not self._entry_open:
            self._show(*self._rotator.current(), animate=True)
        self._schedule()
        return True

    @Slot()
    def open_entry(self) -> None:
        """Show the manager's entry screen; the rotation waits."""
        if self._entry_open:
            return
        self._entry_open = True
        self.cover.hide()
        self._stop_party()
        self._sync_hold()
        self._show("entry", 0, animate=self.display_on)

    @Slot()
    def close_entry(self) -> None:
        if not self._entry_open:
            return
        self._entry_open = False
        if not self.display_on:
            self._off_hours.show_cover()
        self._sync_hold()

    @Slot()
    def manager_opened(self) -> None:
        """The manager area opened (its PIN pad): at night, a TV put in standby over CEC
        wakes for it."""
        self._off_hours.wake_for_manager(True)

    @Slot()
    def manager_closed(self) -> None:
        """The manager area closed: at night, the TV goes back to standby."""
        self._off_hours.wake_for_manager(False)

    # --- opening hours and burn-in ------------------------------------------------------

    @Slot()
    def apply_schedule(self) -> None:
        """Switch the display on or off for the time now; aim the power timer at the next
        change (and at the next minute while the dim clock shows)."""
        self._off_hours.apply()

    @Slot()
    def apply_shift(self) -> None:
        """Move the content to the burn-in offset for the clock's time; aim the next step."""
        self._burn_in.apply()

    # --- internals ----------------------------------------------------------------------

    @Slot(bool)
    def _on_display_switched(self, on: bool) -> None:
        if on:
            self._switch_on()
        else:
            self._switch_off()

    def _switch_off(self) -> None:
        log.info("outside opening hours: display off (%s)", self._display.off_mode)
        self._stop_party()
        self._fade.stop()
        self._overlay.clear()
        self.header.timer().stop()
        self._burn_in.pause()
        self.cursor_hider.hide_now()
        if not self._entry_open:
            self._off_hours.show_cover()
        self._sync_hold()
        self.display_changed.emit(False)

    def _switch_on(self) -> None:
        log.info("opening hours: display on")
        self.cover.hide()
        self.header.refresh_clock()
        self._burn_in.resume()
        self._sync_hold()
        self.display_changed.emit(True)

    def _sync_hold(self) -> None:
        """Pause the rotator while anything holds it (the entry screen, the display being
        off, `pause_rotation()`); resume it, showing the current page again, when nothing
        does."""
        hold = self._entry_open or not self.display_on or self._manual_pause
        if hold:
            if not self._rotator.paused:
                self._rotator.pause()
            self._timer.stop()
            return
        if self._rotator.paused:
            self._rotator.resume(self._clock())
        self._show(*self._rotator.current(), animate=True)
        self._schedule()

    def _end_feature(self) -> None:
        """The celebration interruption is over: the goals just met leave the first page."""
        self.celebration.clear_feature()
        self._rotator.refresh(self._clock())

    def _start_party(self) -> None:
        if self._celebration.confetti and self.isVisible():
            self.confetti.start(self._content_picture())
            self.confetti.raise_()
            if self._overlay.isVisible():
                self._overlay.raise_()  # the cross-fade runs over the confetti
        if self._sound is not None:
            self._sound.play()

    def _stop_party(self) -> None:
        self._party_pending = False
        if self.confetti.isVisible() or self.confetti.running:
            self.confetti.stop()

    def _content_picture(self) -> QPixmap:
        """The header and the screen as they are now, without any overlay on them."""
        picture = QPixmap(self.size())
        picture.fill(QColor(th.BACKGROUND))
        painter = QPainter(picture)
        self._paint_band(painter)
        self.header.render(painter, self.header.pos())
        self.stack.render(painter, self.stack.pos())
        painter.end()
        return picture

    def _paint_band(self, painter: QPainter) -> None:
        # The header's colour behind the header, so a shifted header leaves no dark edge.
        band = max(0, self._theme.header_height + self._burn_in.offset[1])
        painter.fillRect(0, 0, self.width(), band, self._band_color)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._burn_in.offset != (0, 0):
            painter = QPainter(self)
            self._paint_band(painter)
            painter.end()

    def _after_content_change(self) -> None:
        changed = self._rotator.refresh(self._clock())
        if self._entry_open:
            self._update_title()
        else:
            self._show(*self._rotator.current(), animate=changed)
        self._schedule()

    def _schedule(self) -> None:
        deadline = self._rotator.deadline()
        if self._entry_open or math.isinf(deadline) or not self.display_on:
            self._timer.stop()
            return
        # Round up: a timer that fires early only finds the deadline not yet reached.
        delay = math.ceil(max(0.0, deadline - self._clock()) * 1000)
        self._timer.start(min(delay, 2**31 - 1))

    def _show(self, name: str, page: int, *, animate: bool) -> None:
        screen = self._screens[name]
        if self._shown == (name, page) and self.stack.currentWidget() is screen:
            self._update_title()
            return
        duration = self._display.transition_ms
        animate = animate and self.display_on
        if animate and duration > 0 and self.isVisible() and self._shown is not None:
            picture = self.grab()  # what is on screen now, header included
            self._fade.stop()
            self._overlay.setGeometry(self.rect())
            self._overlay.cover(picture)
            self._switch(screen, page)
            self._fade.setDuration(duration)
            self._fade.start()
        else:
            self._switch(screen, page)
        self._shown = (name, page)
        if name == "celebration":
            if self._party_pending:
                self._party_pending = False
                self._start_party()
            elif self.confetti.running:
                self.confetti.set_background(self._content_picture())  # its next page
        elif self.confetti.running:
            self.confetti.stop()
        self.screen_changed.emit(name, page)

    def _switch(self, screen: Screen, page: int) -> None:
        self.stack.setCurrentWidget(screen)
        screen.show_page(page)
        self._update_title()

    def _update_title(self) -> None:
        widget = self.stack.currentWidget()
        if isinstance(widget, Screen):
            self.header.set_title(widget.title(), widget.page_text())

    @Slot(int)
    def _on_page_changed(self, page: int) -> None:
        # The entry screen pages itself (its own buttons); keep the header in step.
        self._update_title()

    @Slot()
    def _layout(self) -> None:
        width, height = self.width(), self.height()
        header_h = self._theme.header_height
        dx, dy = self._burn_in.offset
        self.header.setGeometry(dx, dy, width, header_h)
        self.stack.setGeometry(dx, header_h + dy, width, max(1, height - header_h))
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        theme = Theme(self.height())
        if theme != self._theme:
            self._theme = theme
            self.header.set_theme(theme)
            self.cover.set_theme(theme)
            for screen in self._screens.values():
                screen.set_theme(theme)
            self._burn_in.set_theme(theme)
        width, height = self.width(), self.height()
        header_h = theme.header_height
        self._layout()
        # Hidden screens too: the rotator asks them for page counts at their real size.
        for screen in self._screens.values():
            screen.resize(width, max(1, height - header_h))
        for overlay in (self._overlay, self.confetti, self.cover):
            # isHidden(), not isVisible(): a cover shown before the window itself (a kiosk
            # started at night) is not "visible" yet, but must still follow the size.
            if not overlay.isHidden():
                overlay.setGeometry(self.rect())
        self._after_content_change()
        if self.confetti.running:
            self.confetti.set_background(self._content_picture())  # the still, at the new size

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # Presses nothing else took (buttons take theirs) land here: a tap on the board.
        if not self._entry_open:
            self.entry_requested.emit()
        super().mousePressEvent(event)
