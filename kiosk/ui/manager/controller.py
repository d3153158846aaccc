"""The manager area: the way in, the PIN, the numbers, the shout-outs, and the way out.

`install_manager_area(window, config, db, writer)` adds it to a `KioskWindow` through the
window's public API only (`entry_requested`, `pause_rotation` / `resume_rotation`,
`open_entry` / `close_entry`, `entry`, `display_changed`) and returns the controller:

- Way in: a small tab on the board's right edge, or a press held 1.5 s anywhere on the board
  (`entry_requested` is the press; the controller's event filter ends it on release).
- While the area is open the rotation is paused; after `[manager] idle_seconds` without a
  touch it closes and the rotation resumes. What was saved stays saved; a number typed but
  not saved is dropped, like a PIN half typed.
- With no PIN set, the area says how to set one instead of opening.

Threads: the GUI thread never writes, never waits for a write and never checks a PIN. Reads
and PIN checks run on a `manager-io` worker (`PinStore` sends its attempt record to the
writer); saves are jobs of the single writer thread. Results come back through `Jobs`.
Every callback checks the area's "session": a result arriving after the area closed (idle,
Done) changes no page, but `data_changed` is still emitted for a save that landed.

Signals of `ManagerController`:
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
from concurrent.futures import Future
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QTimer, Signal, Slot
from PySide6.QtGui import QMouseEvent, QResizeEvent, QTouchEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.board.formatting import format_value
from kiosk.board.model import EntryRow
from kiosk.config import Config
from kiosk.manager.entries import (
    AuditRow,
    SavedEntry,
    ShoutOutRow,
    ValidationError,
    active_shoutouts,
    add_shoutout,
    audit_trail,
    delete_shoutout,
    entry_rows_for_day,
    save_entry,
    validate_entry_value,
    validate_shoutout_text,
)
from kiosk.manager.pin import PinError, PinState, PinStore, VerifyResult
from kiosk.ui import theme as th
from kiosk.ui.jobs import Jobs
from kiosk.ui.manager.common import ManagerPage, ManagerTab, Toast
from kiosk.ui.manager.keypad import AuditPage, NumberPad
from kiosk.ui.manager.pin_pad import NO_PIN_COMMAND, NO_PIN_TEXT, NO_PIN_TITLE, NoticePage, PinPad
from kiosk.ui.manager.shoutouts import ShoutOutEditor, ShoutOutsPage
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import fill_background
from sync.clock import utc_now
from sync.store.db import Database
from sync.store.writer import Writer

log = logging.getLogger(__name__)

LONG_PRESS_SECONDS = 1.5
LAST_DAYS = 7

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


class ManagerOverlay(QWidget):
    """The manager's pages over the whole window, one at a time; hidden while the entry list
    (the window's own entry screen) shows. Takes every press, so none reaches the board.

    Emits no signals; its pages do.
    """

    def __init__(
        self,
        window: QWidget,
        theme: Theme,
        now: Callable[[], dt.datetime],
        shoutout_days: int,
    ) -> None:
        super().__init__(window)
        fill_background(self, th.BACKGROUND)
        self.pin_pad = PinPad(theme, now, self)
        self.notice = NoticePage(theme, self)
        self.keypad = NumberPad(theme, self)
        self.audit = AuditPage(theme, self)
        self.shoutouts = ShoutOutsPage(theme, shoutout_days, self)
        self.editor = ShoutOutEditor(theme, self)
        self._pages: tuple[ManagerPage, ...] = (
            self.pin_pad,
            self.notice,
            self.keypad,
            self.audit,
            self.shoutouts,
            self.editor,
        )
        for page in self._pages:
            page.hide()
        self.hide()

    def pages(self) -> tuple[ManagerPage, ...]:
        return self._pages

    def current(self) -> ManagerPage | None:
        """The page showing, or None while the overlay is hidden."""
        if not self.isVisibleTo(self.parentWidget()):
            return None
        return next((p for p in self._pages if p.isVisibleTo(self)), None)

    def show_page(self, page: ManagerPage) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        for other in self._pages:
            if other is not page:
                other.hide()
        page.setGeometry(self.rect())
        page.show()
        self.show()
        self.raise_()

    def close_pages(self) -> None:
        for page in self._pages:
            page.hide()
        self.hide()

    def set_theme(self, theme: Theme) -> None:
        for page in self._pages:
            page.set_theme(theme)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for page in self._pages:
            page.setGeometry(self.rect())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()


class ManagerController(QObject):
    """Runs the manager area of one KioskWindow (see the module docstring for the flow)."""

    data_changed = Signal()
    opened = Signal()
    closed = Signal()

    def __init__(
        self,
        window: Any,
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
        self._db = db
        self._writer = writer
        self._clock = clock
        self._now = now
        self._store_id = config.store.id
        self._tz = config.store.tz
        self._idle_seconds = max(1.0, float(config.manager.idle_seconds))
        self._pins = pins or PinStore(config.manager, db, now, writer=writer)
        self._jobs = Jobs(self, name="manager-io")
        self._theme = Theme(max(1, window.height()))
        self._state = "closed"  # closed | pin | entry
        self._session = 0
        self._day_key = "today"
        self._row: EntryRow | None = None
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

        self.tab.clicked.connect(self.request_open)
        window.entry_requested.connect(self._on_board_pressed)
        entry = window.entry
        entry.day_selected.connect(self._on_day_selected)
        entry.row_selected.connect(self._on_row_selected)
        entry.shoutouts_requested.connect(self._on_shoutouts_requested)
        entry.close_requested.connect(self.close_area)
        display_changed = getattr(window, "display_changed", None)
        if display_changed is not None:
            display_changed.connect(self._on_display_changed)
            if not getattr(window, "display_on", True):
                self.tab.hide()

        pages = self.overlay
        pages.pin_pad.submitted.connect(self._on_pin_submitted)
        pages.pin_pad.cancelled.connect(self.close_area)
        pages.notice.closed.connect(self.close_area)
        pages.keypad.submitted.connect(self._on_value_submitted)
        pages.keypad.cancelled.connect(self._back_to_list)
        pages.keypad.audit_requested.connect(self._on_audit_requested)
        pages.audit.back.connect(self._back_to_keypad)
        pages.shoutouts.add_requested.connect(self._on_add_shoutout)
        pages.shoutouts.delete_requested.connect(self._on_delete_shoutout)
        pages.shoutouts.back.connect(self._back_to_list)
        pages.editor.saved.connect(self._on_shoutout_typed)
        pages.editor.cancelled.connect(self._back_to_shoutouts)

        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # --- public ---------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._state != "closed"

    @property
    def state(self) -> str:
        """ "closed", "pin" (the PIN pad or the no-PIN notice) or "entry"."""
        return self._state

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

    @Slot()
    def request_open(self) -> None:
        """Open the area on the PIN pad (or the no-PIN notice); the rotation pauses."""
        self._long_press.stop()
        if self._state != "closed":
            return
        self._session += 1
        self._state = "pin"
        self._window.pause_rotation()
        self.tab.hide()
        self.toast.dismiss()
        pad = self.overlay.pin_pad
        pad.reset()
        pad.set_busy(True, "One moment…")
        self.overlay.show_page(pad)
        self._last_activity = self._clock()
        self._idle_timer.start(math.ceil(self._idle_seconds * 1000))
        log.info("manager area opened")
        self.opened.emit()
        self._jobs.run(partial(self._on_prepared, self._session), self._prepare)

    @Slot()
    def close_area(self) -> None:
        """Close whatever is open, back to the rotating board; nothing saved is lost."""
        if self._state == "closed":
            return
        self._state = "closed"
        self._session += 1  # results still on their way change no page now
        self._long_press.stop()
        self._idle_timer.stop()
        self.overlay.pin_pad.reset()
        self.overlay.editor.field.clear()
        self.overlay.close_pages()
        self._row = None
        self._window.close_entry()
        self._window.entry.clear_rows()
        self._window.resume_rotation()
        if getattr(self._window, "display_on", True):
            self.tab.show()
            self.tab.raise_()
        log.info("manager area closed")
        self.closed.emit()

    @Slot()
    def check_idle(self) -> None:
        """Close the area when nobody touched it for `idle_seconds`; else aim at that time."""
        if self._state == "closed":
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
            if self._state != "closed":
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
        if self._state == "closed":
            self._long_press.start()

    @Slot(bool)
    def _on_display_changed(self, on: bool) -> None:
        self.tab.setVisible(on and self._state == "closed")
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

    # --- PIN ------------------------------------------------------------------------------

    def _prepare(self) -> tuple[bool, PinState | None]:
        """Worker: is a PIN set, and is entry locked (a lockout survives restarts)?"""
        if not self._pins.has_pin():
            return False, None
        return True, self._pins.state()

    def _on_prepared(self, session: int, future: Future[tuple[bool, PinState | None]]) -> None:
        if session != self._session:
            return
        try:
            has_pin, state = future.result()
        except Exception:
            log.exception("reading the PIN state failed")
            self._show_notice(
                "Manager entry is not available",
                "The PIN could not be read. Ask your IT contact to look at the kiosk's log.",
            )
            return
        if not has_pin:
            self._show_notice(NO_PIN_TITLE, NO_PIN_TEXT, NO_PIN_COMMAND)
            return
        pad = self.overlay.pin_pad
        pad.reset()
        if state is not None and state.locked:
            pad.set_locked(state.locked_until)

    def _show_notice(self, title: str, text: str, code: str = "") -> None:
        self.overlay.notice.set_notice(title, text, code)
        self.overlay.show_page(self.overlay.notice)

    @Slot(str)
    def _on_pin_submitted(self, pin: str) -> None:
        if self._state != "pin":
            return
        # The PIN goes to the worker and nowhere else: never logged, never kept.
        self._jobs.run(partial(self._on_verified, self._session), self._pins.verify, pin)

    def _on_verified(self, session: int, future: Future[VerifyResult]) -> None:
        if session != self._session:
            return
        pad = self.overlay.pin_pad
        try:
            result = future.result()
        except PinError as exc:
            log.error("PIN check impossible: %s", exc)
            self._show_notice(NO_PIN_TITLE, NO_PIN_TEXT, NO_PIN_COMMAND)
            return
        except Exception:
            log.exception("PIN check failed")
            pad.show_error("The PIN could not be checked — try again")
            return
        if result.ok:
            self._enter()
        elif result.locked_until is not None:
            pad.set_locked(result.locked_until)
        else:
            pad.show_wrong(result.attempts_left)

    def _enter(self) -> None:
        self._state = "entry"
        self._day_key = "today"
        # open_entry() cross-fades from what is on screen (the PIN pad) to the list.
        self._window.open_entry()
        self.overlay.close_pages()
        self.overlay.pin_pad.reset()
        self._load_rows()

    # --- the numbers ----------------------------------------------------------------------

    def _days(self, key: str) -> list[dt.date]:
        today = self.today()
        if key == "yesterday":
            return [today - dt.timedelta(days=1)]
        if key == "last7":
            return [today - dt.timedelta(days=n) for n in range(LAST_DAYS)]
        return [today]

    def _read_rows(self, days: list[dt.date]) -> list[EntryRow]:
        with self._db.read() as session:
            return [row for day in days for row in entry_rows_for_day(session, self._store_id, day)]

    def _load_rows(self) -> None:
        key = self._day_key
        callback = partial(self._on_rows, self._session, key)
        self._jobs.run(callback, self._read_rows, self._days(key))

    def _on_rows(self, session: int, key: str, future: Future[list[EntryRow]]) -> None:
        if session != self._session or key != self._day_key:
            return
        try:
            rows = future.result()
        except Exception:
            log.exception("reading the entry rows failed")
            return
        self._window.entry.set_rows(rows, key)

    @Slot(str)
    def _on_day_selected(self, key: str) -> None:
        if self._state != "entry":
            return
        self._day_key = key
        self._load_rows()

    @Slot(object)
    def _on_row_selected(self, row: EntryRow) -> None:
        if self._state != "entry":
            return
        self._row = row
        self.overlay.keypad.set_row(row, self.today())
        self.overlay.show_page(self.overlay.keypad)

    @Slot(str, bool)
    def _on_value_submitted(self, text: str, allow_outlier: bool) -> None:
        row = self._row
        if row is None or self._state != "entry":
            return
        pad = self.overlay.keypad
        # The quick checks here, at once; the outlier check needs the history, so it runs
        # with the save (which checks everything again, inside its transaction).
        checked = validate_entry_value(text, row.decimals, allow_outlier=allow_outlier)
        if isinstance(checked, ValidationError):
            pad.show_error(checked.message, can_override=checked.can_override)
            return
        pad.set_busy(True)
        future = self._writer.submit(
            self._save_entry, row.metric, row.day, text.strip(), self._now(), allow_outlier
        )
        self._jobs.follow(future, partial(self._on_entry_saved, self._session, row))

    def _save_entry(
        self, metric: str, day: dt.date, text: str, now: dt.datetime, allow_outlier: bool
    ) -> SavedEntry | ValidationError:
        """Writer thread: the entry, its audit row and its outbox item, in one transaction."""
        with self._db.write.begin() as session:
            return save_entry(
                session, self._store_id, metric, day, text, now, allow_outlier=allow_outlier
            )

    def _on_entry_saved(
        self, session: int, row: EntryRow, future: Future[SavedEntry | ValidationError]
    ) -> None:
        pad = self.overlay.keypad
        current = session == self._session
        try:
            result = future.result()
        except Exception:
            log.exception("saving the entry for %s on %s failed", row.metric, row.day)
            if current:
                pad.show_error("Not saved — something went wrong. Please try again.")
            return
        if isinstance(result, ValidationError):
            if current:
                pad.show_error(result.message, can_override=result.can_override)
            return
        if result.changed:
            log.info("manager entry saved: %s on %s", row.metric, row.day.isoformat())
            self.data_changed.emit()  # even when the area closed meanwhile: it is saved
        if not current:
            return
        value = format_value(result.value, row.unit, row.decimals)
        text = f"✓ Saved: {row.label} {value}" if result.changed else f"No change: {row.label}"
        if row.source == "hq":
            text += " (HQ's number still shows for that day)"
        self._back_to_list()
        self.toast.show_text(text, self._theme)
        self._load_rows()

    @Slot()
    def _on_audit_requested(self) -> None:
        row = self._row
        if row is None:
            return
        callback = partial(self._on_audit, self._session, row)
        self._jobs.run(callback, self._read_audit, row.metric, row.day)

    def _read_audit(self, metric: str, day: dt.date) -> list[AuditRow]:
        with self._db.read() as session:
            return audit_trail(session, self._store_id, metric, day)

    def _on_audit(self, session: int, row: EntryRow, future: Future[list[AuditRow]]) -> None:
        if session != self._session or self._row is not row:
            return
        try:
            rows = future.result()
        except Exception:
            log.exception("reading the changes of %s failed", row.metric)
            self.overlay.keypad.show_error("The changes could not be read")
            return
        self.overlay.audit.set_rows(row, rows, self._tz, self.today())
        self.overlay.show_page(self.overlay.audit)

    @Slot()
    def _back_to_keypad(self) -> None:
        if self._state == "entry" and self._row is not None:
            self.overlay.show_page(self.overlay.keypad)

    @Slot()
    def _back_to_list(self) -> None:
        self._row = None
        self.overlay.close_pages()

    # --- shout-outs -----------------------------------------------------------------------

    @Slot()
    def _on_shoutouts_requested(self) -> None:
        if self._state != "entry":
            return
        self.overlay.shoutouts.set_loading()
        self.overlay.show_page(self.overlay.shoutouts)
        self._load_shoutouts()

    def _load_shoutouts(self) -> None:
        callback = partial(self._on_shoutouts, self._session)
        self._jobs.run(callback, self._read_shoutouts, self.today())

    def _read_shoutouts(self, day: dt.date) -> list[ShoutOutRow]:
        with self._db.read() as session:
            return active_shoutouts(session, self._store_id, day)

    def _on_shoutouts(self, session: int, future: Future[list[ShoutOutRow]]) -> None:
        if session != self._session:
            return
        try:
            rows = future.result()
        except Exception:
            log.exception("reading the shout-outs failed")
            rows = []
        self.overlay.shoutouts.set_rows(rows)

    @Slot()
    def _back_to_shoutouts(self) -> None:
        if self._state == "entry":
            self.overlay.editor.field.clear()
            self.overlay.show_page(self.overlay.shoutouts)

    @Slot()
    def _on_add_shoutout(self) -> None:
        if self._state != "entry":
            return
        editor = self.overlay.editor
        self.overlay.show_page(editor)
        editor.start()

    @Slot(str)
    def _on_shoutout_typed(self, text: str) -> None:
        if self._state != "entry":
            return
        editor = self.overlay.editor
        cleaned = validate_shoutout_text(text)
        if isinstance(cleaned, ValidationError):
            editor.show_error(cleaned.message)
            return
        editor.set_busy(True)
        future = self._writer.submit(self._add_shoutout, cleaned, self.today(), self._now())
        self._jobs.follow(future, partial(self._on_shoutout_added, self._session))

    def _add_shoutout(self, text: str, day: dt.date, now: dt.datetime) -> int | ValidationError:
        """Writer thread: the shout-out and its outbox item, in one transaction."""
        with self._db.write.begin() as session:
            return add_shoutout(
                session,
                self._store_id,
                text,
                day=day,
                now=now,
                days=self._config.manager.shoutout_days,
            )

    def _on_shoutout_added(self, session: int, future: Future[int | ValidationError]) -> None:
        editor = self.overlay.editor
        current = session == self._session
        try:
            result = future.result()
        except Exception:
            log.exception("saving a shout-out failed")
            if current:
                editor.show_error("Not saved — something went wrong. Please try again.")
            return
        if isinstance(result, ValidationError):
            if current:
                editor.show_error(result.message)
            return
        log.info("shout-out %d added", result)
        self.data_changed.emit()
        if not current:
            return
        editor.field.clear()
        self.overlay.shoutouts.set_loading()
        self.overlay.show_page(self.overlay.shoutouts)
        self.toast.show_text("✓ Shout-out added", self._theme)
        self._load_shoutouts()

    @Slot(int)
    def _on_delete_shoutout(self, shoutout_id: int) -> None:
        if self._state != "entry":
            return
        future = self._writer.submit(self._delete_shoutout, shoutout_id, self._now())
        self._jobs.follow(future, partial(self._on_shoutout_deleted, self._session))

    def _delete_shoutout(self, shoutout_id: int, now: dt.datetime) -> bool:
        with self._db.write.begin() as session:
            return delete_shoutout(session, shoutout_id, now)

    def _on_shoutout_deleted(self, session: int, future: Future[bool]) -> None:
        try:
            deleted = future.result()
        except Exception:
            log.exception("deleting a shout-out failed")
            deleted = False
        if deleted:
            self.data_changed.emit()
        if session == self._session:
            if deleted:
                self.toast.show_text("Shout-out deleted", self._theme)
            self._load_shoutouts()


def install_manager_area(
    window: Any,
    config: Config,
    db: Database,
    writer: Writer,
    *,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], dt.datetime] = utc_now,
    pins: PinStore | None = None,
    long_press_seconds: float = LONG_PRESS_SECONDS,
) -> ManagerController:
    """Add the manager area to `window`; connect the result's `data_changed` to a re-read.

    `clock` (monotonic seconds) times the idle close; `now` (aware) gives the store's date,
    the time saved with each entry and the PIN lockout's clock.
    """
    return ManagerController(
        window,
        config,
        db,
        writer,
        clock=clock,
        now=now,
        pins=pins,
        long_press_seconds=long_press_seconds,
    )
