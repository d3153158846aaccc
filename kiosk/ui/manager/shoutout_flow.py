"""Shout-outs by touch: the list of those showing, adding one on Qt Virtual Keyboard, deleting.

Reads run through `Jobs` on the `manager-io` worker; adding and deleting are jobs of the
single writer that `Jobs` follows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.manager.area import ManagerData
from kiosk.manager.entries import ShoutOutRow, ValidationError, validate_shoutout_text
from kiosk.ui.i18n import translate, words
from kiosk.ui.jobs import Jobs
from kiosk.ui.manager.common import Toast
from kiosk.ui.manager.overlay import ManagerOverlay
from kiosk.ui.manager.session import AreaSession
from kiosk.ui.screens import EntryScreen
from kiosk.ui.theme import Theme

log = logging.getLogger(__name__)


class ShoutOutFlow(QObject):
    """Runs the shout-outs page and the shout-out editor of the overlay.

    `now` (aware) is saved with each change; `today` is the store's date, the first day a
    new shout-out shows; `theme` the area's current theme (for the toast).

    Signals: `changed()`: a shout-out was added or deleted, even if the area closed meanwhile.
    """

    changed = Signal()

    def __init__(
        self,
        entry: EntryScreen,
        overlay: ManagerOverlay,
        toast: Toast,
        data: ManagerData,
        jobs: Jobs,
        session: AreaSession,
        *,
        now: Callable[[], dt.datetime],
        today: Callable[[], dt.date],
        theme: Callable[[], Theme],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._overlay = overlay
        self._toast = toast
        self._data = data
        self._jobs = jobs
        self._session = session
        self._now = now
        self._today = today
        self._theme = theme
        entry.shoutouts_requested.connect(self._on_shoutouts_requested)
        overlay.shoutouts.add_requested.connect(self._on_add_requested)
        overlay.shoutouts.delete_requested.connect(self._on_delete_requested)
        overlay.editor.saved.connect(self._on_typed)
        overlay.editor.cancelled.connect(self._back_to_shoutouts)

    def reset(self) -> None:
        """Drop a shout-out typed but not saved (the area closes)."""
        self._overlay.editor.field.clear()

    def _load(self) -> None:
        callback = partial(self._on_loaded, self._session.number)
        self._jobs.run(callback, self._data.shoutouts, self._today())

    def _on_loaded(self, number: int, future: Future[list[ShoutOutRow]]) -> None:
        if not self._session.is_current(number):
            return
        try:
            rows = future.result()
        except Exception:
            log.exception("reading the shout-outs failed")
            rows = []
        self._overlay.shoutouts.set_rows(rows)

    @Slot()
    def _on_shoutouts_requested(self) -> None:
        if self._session.state != "entry":
            return
        self._overlay.shoutouts.set_loading()
        self._overlay.show_page(self._overlay.shoutouts)
        self._load()

    @Slot()
    def _back_to_shoutouts(self) -> None:
        # The editor's Cancel: back to the shout-outs, without what was typed.
        if self._session.state == "entry":
            self._overlay.editor.field.clear()
            self._overlay.show_page(self._overlay.shoutouts)

    @Slot()
    def _on_add_requested(self) -> None:
        if self._session.state != "entry":
            return
        editor = self._overlay.editor
        self._overlay.show_page(editor)
        editor.start()

    @Slot(str)
    def _on_typed(self, text: str) -> None:
        if self._session.state != "entry":
            return
        editor = self._overlay.editor
        cleaned = validate_shoutout_text(text)
        if isinstance(cleaned, ValidationError):
            editor.show_error(cleaned.say(words()))
            return
        editor.set_busy(True)
        future = self._data.add_shoutout(cleaned, self._today(), self._now())
        self._jobs.follow(future, partial(self._on_added, self._session.number))

    def _on_added(self, number: int, future: Future[int | ValidationError]) -> None:
        editor = self._overlay.editor
        current = self._session.is_current(number)
        try:
            result = future.result()
        except Exception:
            log.exception("saving a shout-out failed")
            if current:
                editor.show_error(
                    translate("Manager", "Not saved — something went wrong. Please try again.")
                )
            return
        if isinstance(result, ValidationError):
            if current:
                editor.show_error(result.say(words()))
            return
        log.info("shout-out %d added", result)
        self.changed.emit()
        if not current:
            return
        editor.field.clear()
        self._overlay.shoutouts.set_loading()
        self._overlay.show_page(self._overlay.shoutouts)
        #: A short confirmation at the top of the screen.
        self._toast.show_text("✓ " + translate("Manager", "Shout-out added"), self._theme())
        self._load()

    @Slot(int)
    def _on_delete_requested(self, shoutout_id: int) -> None:
        if self._session.state != "entry":
            return
        future = self._data.delete_shoutout(shoutout_id, self._now())
        self._jobs.follow(future, partial(self._on_deleted, self._session.number))

    def _on_deleted(self, number: int, future: Future[bool]) -> None:
        try:
            deleted = future.result()
        except Exception:
            log.exception("deleting a shout-out failed")
            deleted = False
        if deleted:
            self.changed.emit()
        if self._session.is_current(number):
            if deleted:
                self._toast.show_text(translate("Manager", "Shout-out deleted"), self._theme())
            self._load()
