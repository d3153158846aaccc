"""The manager area: the way in, the PIN, the numbers, the shout-outs, and the way out.

`install_manager_area(window, config, db, writer)` adds it to a `KioskWindow` through the
window's public API only (`entry_requested`, `pause_rotation` / `resume_rotation`,
`open_entry` / `close_entry`, `entry`, `display_changed`) and returns the coordinator,
`ManagerAreaController`:

- Way in: a small tab on the board's right edge, or a press held 1.5 s anywhere on the board
  (`entry_requested` is the press; the coordinator's event filter ends it on release).
- While the area is open the rotation is paused; after `[manager] idle_seconds` without a
  touch it closes and the rotation resumes. What was saved stays saved; a number typed but
  not saved is dropped, like a PIN half typed.
- With no PIN set, the area says how to set one instead of opening.

The three flows are their own classes: `PinFlow` (pin_flow.py), `NumbersFlow` (the entry
list, keypad and corrections' trail: numbers_flow.py) and `ShoutOutFlow` (shoutout_flow.py).
They share the overlay of pages (overlay.py), the visit's `AreaSession` (session.py) and
one `Jobs`.

Threads: the GUI thread never writes, never waits for a write and never checks a PIN. The
database work is `kiosk.manager.area.ManagerData`'s: reads and PIN checks run on a
`manager-io` worker (`PinStore` sends its attempt record to the writer); saves are jobs of
the single writer thread. Results come back through `Jobs`. Every callback checks the
visit: a result arriving after the area closed (idle, Done) changes no page, but
`data_changed` is still emitted for a save that landed.

Signals of `ManagerAreaController`:
- `data_changed()`: an entry or a shout-out was saved or deleted; connect it to whatever
  re-reads the board (`BoardController.refresh` or `SnapshotLoader.request`).
- `opened()` / `closed()`: the area opened (PIN pad) / closed.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QTimer, Signal, Slot
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QApplication

from kiosk.config import Config
from kiosk.manager.area import ManagerData
from kiosk.manager.pin import PinStore
from kiosk.ui.jobs import Jobs
from kiosk.ui.manager.common import ManagerTab, Toast
from kiosk.ui.manager.numbers_flow import NumbersFlow
from kiosk.ui.manager.overlay import ManagerOverlay
from kiosk.ui.manager.pin_flow import PinFlow
from kiosk.ui.manager.session import AreaSession, State
from kiosk.ui.manager.shoutout_flow import ShoutOutFlow
from kiosk.ui.theme import Theme
from kiosk.ui.window import KioskWindow
from sync.clock import utc_now
from sync.store.db import Database
from sync.store.writer import Writer

log = logging.getLogger(__name__)

LONG_PRESS_SECONDS = 1.5

_T = QEvent.Type
_PRESSES = frozenset({_T.MouseButtonPress, _T.MouseButtonDblClick, _T.TouchBegin})
_RELEASES = frozenset({_T.MouseButtonRelease, _T.TouchEnd, _T.TouchCancel})
_MOVES = frozenset({_T.MouseMove, _T.TouchUpdate})
_OTHER_ACTIVITY = frozenset({_T.Wheel, _T.KeyPress, _T.InputMethod, _T.TabletPress})
_ACTIVITY = _PRESSES | _RELEASES | _MOVES | _OTHER_ACTIVITY


def _event_position(event: QEvent) -> QPointF | None:
    if isinstance(event, QMouseEvent):
        return event.globalPosition()
    if isinstance(event, QTouchEvent) and event.points():
        return event.points()[0].globalPosition()
    return None


class ManagerAreaController(QObject):
    """Opens and closes the manager area of one KioskWindow, and hands each page to its flow
    (see the module docstring for the way in and out).

    `clock` (monotonic seconds) times the idle close; `now` (aware) gives the store's date,
    the time saved with each entry and the PIN lockout's clock.

    Signals: `data_changed()` (an entry or a shout-out was saved or deleted), `opened()`,
    `closed()`.
    """

    data_changed = Signal()
    opened = Signal()
    closed = Signal()

    def __init__(
        self,
        window: KioskWindow,
        config: Config,
        db: Database,
        writer: Writer,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = utc_now,
        pins: PinStore | None = None,
        long_press_seconds: float = LONG_PRESS_SECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else window)
        self._window = window
        self._config = config
        self._clock = clock
        self._now = now
        self._idle_seconds = max(1.0, float(config.manager.idle_seconds))
        self._jobs = Jobs(self, name="manager-io")
        self._session = AreaSession()
        self._theme = Theme(max(1, window.height()))
        self._last_activity = clock()
        self._press_at: QPointF | None = None

        self.overlay = ManagerOverlay(window, self._theme, now, config.manager.shoutout_days)
        self.tab = ManagerTab(window)
        self.toast = Toast(window)
        self._place_chrome()
        self.tab.show()

        self._long_press = QTimer(self)
        self._long_press.setSingleShot(True)
        self._long_press.setInterval(round(long_press_seconds * 1000))
        self._long_press.timeout.connect(self.request_open)
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self.check_idle)

        data = ManagerData(config, db, writer, now=now, pins=pins)
        self._pin = PinFlow(self.overlay, data, self._jobs, self._session, self)
        self._numbers = NumbersFlow(
            window.entry,
            self.overlay,
            self.toast,
            data,
            self._jobs,
            self._session,
            now=now,
            today=self.today,
            tz=config.store.tz,
            theme=self.theme,
            parent=self,
        )
        self._shoutouts = ShoutOutFlow(
            window.entry,
            self.overlay,
            self.toast,
            data,
            self._jobs,
            self._session,
            now=now,
            today=self.today,
            theme=self.theme,
            parent=self,
        )
        self._pin.accepted.connect(self._enter)
        self._numbers.saved.connect(self.data_changed)
        self._shoutouts.changed.connect(self.data_changed)

        self.tab.clicked.connect(self.request_open)
        window.entry_requested.connect(self._on_board_pressed)
        window.entry.close_requested.connect(self.close_area)
        window.display_changed.connect(self._on_display_changed)
        if not window.display_on:
            self.tab.hide()
        self.overlay.pin_pad.cancelled.connect(self.close_area)
        self.overlay.notice.closed.connect(self.close_area)
        # Back from the shout-outs is back to the entry list, as from the keypad.
        self.overlay.shoutouts.back.connect(self._numbers.back_to_list)

        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # --- public ---------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._session.state != "closed"

    @property
    def state(self) -> State:
        """ "closed", "pin" (the PIN pad or the no-PIN notice) or "entry"."""
        return self._session.state

    @property
    def busy(self) -> bool:
        """Whether a read, PIN check or save is still on its way back."""
        return self._jobs.pending > 0

    def long_press_timer(self) -> QTimer:
        return self._long_press

    def idle_timer(self) -> QTimer:
        return self._idle_timer

    def today(self) -> dt.date:
        return self._config.store.today(self._now())

    def theme(self) -> Theme:
        """The area's theme for the window's size now."""
        return self._theme

    @Slot()
    def request_open(self) -> None:
        """Open the area on the PIN pad (or the no-PIN notice); the rotation pauses."""
        self._long_press.stop()
        if self._session.state != "closed":
            return
        self._session.begin("pin")
        self._window.pause_rotation()
        self.tab.hide()
        self.toast.dismiss()
        self._pin.show_pad()
        self._last_activity = self._clock()
        self._idle_timer.start(math.ceil(self._idle_seconds * 1000))
        log.info("manager area opened")
        self.opened.emit()
        self._pin.check_status()

    @Slot()
    def close_area(self) -> None:
        """Close whatever is open, back to the rotating board; nothing saved is lost."""
        if self._session.state == "closed":
            return
        self._session.end()  # results still on their way change no page now
        self._long_press.stop()
        self._idle_timer.stop()
        self._pin.reset()
        self._shoutouts.reset()
        self.overlay.close_pages()
        self._numbers.forget_row()
        self._window.close_entry()
        self._window.entry.clear_rows()
        self._window.resume_rotation()
        if self._window.display_on:
            self.tab.show()
            self.tab.raise_()
        log.info("manager area closed")
        self.closed.emit()

    @Slot()
    def check_idle(self) -> None:
        """Close the area when nobody touched it for `idle_seconds`; else aim at that time."""
        if self._session.state == "closed":
            return
        quiet = self._clock() - self._last_activity
        if quiet >= self._idle_seconds:
            log.info("manager area closed after %.0f s without a touch", quiet)
            self.close_area()
        else:
            self._idle_timer.start(math.ceil((self._idle_seconds - quiet) * 1000))

    def shutdown(self) -> None:
        """Stop the worker (tests; the app exits anyway). Writer jobs are the writer's."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._jobs.shutdown(wait=True)

    # --- events ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVITY:
            if self._session.state != "closed":
                self._last_activity = self._clock()
            if kind in _PRESSES:
                self._press_at = _event_position(event)
            elif kind in _RELEASES:
                self._long_press.stop()
            elif kind in _MOVES and self._long_press.isActive():
                self._check_drag(event)
        elif kind == _T.Resize and watched is self._window:
            self._place_chrome()
        return False

    def _check_drag(self, event: QEvent) -> None:
        where = _event_position(event)
        if where is None or self._press_at is None:
            return
        moved = where - self._press_at
        if abs(moved.x()) + abs(moved.y()) > self._theme.px(40):
            self._long_press.stop()  # a swipe, not a press held still

    @Slot()
    def _on_board_pressed(self) -> None:
        # A press on the board (the window emits it for presses nothing else took). Held for
        # long_press_seconds it opens the area; the event filter stops the timer on release.
        if self._session.state == "closed":
            self._long_press.start()

    @Slot(bool)
    def _on_display_changed(self, on: bool) -> None:
        self.tab.setVisible(on and self._session.state == "closed")
        if on:
            self.tab.raise_()

    def _place_chrome(self) -> None:
        theme = Theme(max(1, self._window.height()))
        if theme != self._theme:
            self._theme = theme
            self.overlay.set_theme(theme)
        if self.overlay.isVisible():
            self.overlay.setGeometry(self._window.rect())
        self.tab.place(theme)

    @Slot()
    def _enter(self) -> None:
        # The right PIN: the entry list, on today's numbers.
        self._session.state = "entry"
        self._numbers.show_today()
        # open_entry() cross-fades from what is on screen (the PIN pad) to the list.
        self._window.open_entry()
        self.overlay.close_pages()
        self._pin.reset()
        self._numbers.load_rows()


def install_manager_area(
    window: KioskWindow,
    config: Config,
    db: Database,
    writer: Writer,
    *,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], dt.datetime] = utc_now,
    pins: PinStore | None = None,
    long_press_seconds: float = LONG_PRESS_SECONDS,
) -> ManagerAreaController:
    """Add the manager area to `window`; connect the result's `data_changed` to a re-read.

    `clock` (monotonic seconds) times the idle close; `now` (aware) gives the store's date,
    the time saved with each entry and the PIN lockout's clock.
    """
    return ManagerAreaController(
        window,
        config,
        db,
        writer,
        clock=clock,
        now=now,
        pins=pins,
        long_press_seconds=long_press_seconds,
    )
