"""The kiosk's window: the header above a stack of screens, driven by the Rotator.

One single-shot QTimer is aimed at the rotator's next deadline (no polling). Changes
cross-fade: one overlay widget and one QPropertyAnimation, made once and reused, so a kiosk
that fades every 15 seconds for months allocates nothing per fade but a picture.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QEasingCurve,
    QEvent,
    QObject,
    QPropertyAnimation,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget

from kiosk.config import ALL_SCREENS, DisplayConfig, ScreenSlot
from kiosk.rotation import Rotator
from kiosk.ui import theme as th
from kiosk.ui.header import Header
from kiosk.ui.screens import EntryScreen, create_screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import FadeOverlay, Screen, fill_background
from kiosk.views import BoardSnapshot

_POINTER_EVENTS = (
    QEvent.Type.MouseMove,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TabletMove,
)


class CursorHider(QObject):
    """Hides the pointer over `widget` after `seconds` without movement; movement shows it.

    Watches the whole application, because a pointer moving over a child without mouse
    tracking sends no events to the window itself. `seconds <= 0` keeps it hidden (a
    touch-only kiosk). Emits no signals.
    """

    def __init__(self, widget: QWidget, seconds: float) -> None:
        super().__init__(widget)
        self._widget = widget
        self._seconds = seconds
        self._hidden = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._hide)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if seconds <= 0:
            self._hide()
        else:
            self._timer.start(int(seconds * 1000))

    @property
    def hidden(self) -> bool:
        return self._hidden

    @Slot()
    def _hide(self) -> None:
        self._hidden = True
        self._widget.setCursor(Qt.CursorShape.BlankCursor)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._seconds > 0 and event.type() in _POINTER_EVENTS:
            if self._hidden:
                self._hidden = False
                self._widget.unsetCursor()
            self._timer.start(int(self._seconds * 1000))
        return False


class KioskWindow(QWidget):
    """Header + stacked screens + rotation + cross-fade + pointer hiding.

    Signals:
    - `screen_changed(str, int)`: a screen / page is now showing.
    - `entry_requested()`: someone tapped the board (the app opens the PIN pad, then
      `open_entry()`).
    """

    screen_changed = Signal(str, int)
    entry_requested = Signal()

    def __init__(
        self,
        slots: Sequence[ScreenSlot],
        display: DisplayConfig | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Store scoreboard")
        self._display = display or DisplayConfig()
        self._clock = clock
        self._theme = Theme()
        self._entry_open = False
        fill_background(self, th.BACKGROUND)
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
        self._overlay = FadeOverlay(self)
        self._fade = QPropertyAnimation(self._overlay, b"opacity", self)
        self._fade.setStartValue(1.0)
        self._fade.setEndValue(0.0)
        self._fade.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self._fade.finished.connect(self._overlay.clear)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.advance)
        self.cursor_hider = CursorHider(self, self._display.cursor_hide_seconds)
        self._shown: tuple[str, int] | None = None
        self._show(*self._rotator.current(), animate=False)
        self._schedule()

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
    def transition(self) -> QPropertyAnimation:
        """The one animation every cross-fade reuses."""
        return self._fade

    def screen(self, name: str) -> Screen:
        return self._screens[name]

    def current_screen(self) -> tuple[str, int]:
        """The screen name and page showing."""
        widget = self.stack.currentWidget()
        assert isinstance(widget, Screen)
        return widget.name, widget.current_page()

    def rotation_timer(self) -> QTimer:
        return self._timer

    def set_snapshot(self, snapshot: BoardSnapshot) -> None:
        """New data for every screen; the rotation skips screens that became empty."""
        self.header.set_snapshot(snapshot)
        for screen in self._screens.values():
            screen.set_snapshot(snapshot)
        self._after_content_change()

    @Slot()
    def advance(self) -> None:
        """Move the rotation on if its deadline passed (the timer calls this)."""
        if self._rotator.tick(self._clock()) and not self._entry_open:
            self._show(*self._rotator.current(), animate=True)
        self._schedule()

    def pause_rotation(self) -> None:
        self._rotator.pause()
        self._timer.stop()

    def resume_rotation(self) -> None:
        self._rotator.resume(self._clock())
        if not self._entry_open:
            self._show(*self._rotator.current(), animate=True)
        self._schedule()

    def celebrate(self) -> bool:
        """Show the celebration screen now, then carry on where the rotation was."""
        started = self._rotator.interrupt("celebration", self._clock())
        if started and not self._entry_open:
            self._show(*self._rotator.current(), animate=True)
            self._schedule()
        return started

    @Slot()
    def open_entry(self) -> None:
        """Show the manager's entry screen; the rotation waits."""
        if self._entry_open:
            return
        self._entry_open = True
        self.pause_rotation()
        self._show("entry", 0, animate=True)

    @Slot()
    def close_entry(self) -> None:
        if not self._entry_open:
            return
        self._entry_open = False
        self.resume_rotation()

    # --- internals ----------------------------------------------------------------------

    def _after_content_change(self) -> None:
        changed = self._rotator.refresh(self._clock())
        if self._entry_open:
            self._update_title()
        else:
            self._show(*self._rotator.current(), animate=changed)
        self._schedule()

    def _schedule(self) -> None:
        deadline = self._rotator.deadline()
        if self._entry_open or math.isinf(deadline):
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

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        theme = Theme(self.height())
        if theme != self._theme:
            self._theme = theme
            self.header.set_theme(theme)
            for screen in self._screens.values():
                screen.set_theme(theme)
        width, height = self.width(), self.height()
        header_h = theme.header_height
        self.header.setGeometry(0, 0, width, header_h)
        self.stack.setGeometry(0, header_h, width, max(1, height - header_h))
        # Hidden screens too: the rotator asks them for page counts at their real size.
        for screen in self._screens.values():
            screen.resize(width, max(1, height - header_h))
        if self._overlay.isVisible():
            self._overlay.setGeometry(self.rect())
        self._after_content_change()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # Presses nothing else took (buttons take theirs) land here: a tap on the board.
        if not self._entry_open:
            self.entry_requested.emit()
        super().mousePressEvent(event)
