"""The day's numbers by touch: the entry list, the keypad, and the trail of corrections.

The list is the window's own entry screen (today, yesterday or the last 7 days); a row opens
the keypad over it, and the keypad's "Changes" opens the row's audit trail. Reads run
through `Jobs` on the `manager-io` worker, a save is a job of the single writer that `Jobs`
follows; the quick checks of a typed number are made here at once, every check again inside
the save's transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.board.model import EntryRow
from kiosk.manager.area import ManagerData, entry_days
from kiosk.manager.entries import AuditRow, SavedEntry, ValidationError, validate_entry_value
from kiosk.ui.i18n import translate, words
from kiosk.ui.jobs import Jobs
from kiosk.ui.manager.common import Toast
from kiosk.ui.manager.overlay import ManagerOverlay
from kiosk.ui.manager.session import AreaSession
from kiosk.ui.screens import EntryScreen
from kiosk.ui.theme import Theme

log = logging.getLogger(__name__)


def saved_text(row: EntryRow, result: SavedEntry) -> str:
    """The toast after a save: "✓ Saved: Sales $412", "No change: Sales", and when HQ sent a
    number for that day, that it still shows."""
    value = words().formats.value(result.value, row.unit, row.decimals)
    if result.changed:
        #: A short confirmation at the top of the screen: the metric and the number saved.
        text = "✓ " + translate("Manager", "Saved: {metric} {value}")
    else:
        #: The same when the number typed was the one already saved.
        text = translate("Manager", "No change: {metric}")
    text = text.format(metric=row.label, value=value)
    if row.source == "hq":
        #: After that confirmation, when HQ sent a number for the same day.
        text += " " + translate("Manager", "(HQ's number still shows for that day)")
    return text


class NumbersFlow(QObject):
    """Runs the entry list (`entry`), the keypad and the audit page of the overlay.

    `now` (aware) is saved with each entry; `today` is the store's date; `tz` the store's
    zone for the audit trail's times; `theme` the area's current theme (for the toast).

    Signals: `saved()`: an entry was saved, even if the area closed meanwhile.
    """

    saved = Signal()

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
        tz: dt.tzinfo,
        theme: Callable[[], Theme],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._entry = entry
        self._overlay = overlay
        self._toast = toast
        self._data = data
        self._jobs = jobs
        self._session = session
        self._now = now
        self._today = today
        self._tz = tz
        self._theme = theme
        self._day_key = "today"
        self._row: EntryRow | None = None
        entry.day_selected.connect(self._on_day_selected)
        entry.row_selected.connect(self._on_row_selected)
        keypad = overlay.keypad
        keypad.submitted.connect(self._on_value_submitted)
        keypad.cancelled.connect(self.back_to_list)
        keypad.audit_requested.connect(self._on_audit_requested)
        overlay.audit.back.connect(self._back_to_keypad)

    def show_today(self) -> None:
        """The list starts on today's numbers at every log-in."""
        self._day_key = "today"

    def load_rows(self) -> None:
        """Read the rows of the day button selected, for the list."""
        key = self._day_key
        callback = partial(self._on_rows, self._session.number, key)
        self._jobs.run(callback, self._data.entry_rows, entry_days(key, self._today()))

    def forget_row(self) -> None:
        """No row is open on the keypad any more (the area closes, or back to the list)."""
        self._row = None

    @Slot()
    def back_to_list(self) -> None:
        """Close the pages over the list; a number typed but not saved is dropped."""
        self._row = None
        self._overlay.close_pages()

    def _on_rows(self, number: int, key: str, future: Future[list[EntryRow]]) -> None:
        if not self._session.is_current(number) or key != self._day_key:
            return
        try:
            rows = future.result()
        except Exception:
            log.exception("reading the entry rows failed")
            return
        self._entry.set_rows(rows, key)

    @Slot(str)
    def _on_day_selected(self, key: str) -> None:
        if self._session.state != "entry":
            return
        self._day_key = key
        self.load_rows()

    @Slot(object)
    def _on_row_selected(self, row: EntryRow) -> None:
        if self._session.state != "entry":
            return
        self._row = row
        self._overlay.keypad.set_row(row, self._today())
        self._overlay.show_page(self._overlay.keypad)

    @Slot(str, bool)
    def _on_value_submitted(self, text: str, allow_outlier: bool) -> None:
        row = self._row
        if row is None or self._session.state != "entry":
            return
        pad = self._overlay.keypad
        # The quick checks here, at once; the outlier check needs the history, so it runs
        # with the save (which checks everything again, inside its transaction).
        checked = validate_entry_value(text, row.decimals, allow_outlier=allow_outlier)
        if isinstance(checked, ValidationError):
            pad.show_error(checked.say(words()), can_override=checked.can_override)
            return
        pad.set_busy(True)
        future = self._data.save_entry(
            row.metric, row.day, text.strip(), self._now(), allow_outlier=allow_outlier
        )
        self._jobs.follow(future, partial(self._on_entry_saved, self._session.number, row))

    def _on_entry_saved(
        self, number: int, row: EntryRow, future: Future[SavedEntry | ValidationError]
    ) -> None:
        pad = self._overlay.keypad
        current = self._session.is_current(number)
        try:
            result = future.result()
        except Exception:
            log.exception("saving the entry for %s on %s failed", row.metric, row.day)
            if current:
                #: A save that failed for a reason the manager cannot fix (see the log).
                pad.show_error(
                    translate("Manager", "Not saved — something went wrong. Please try again.")
                )
            return
        if isinstance(result, ValidationError):
            if current:
                pad.show_error(result.say(words()), can_override=result.can_override)
            return
        if result.changed:
            log.info("manager entry saved: %s on %s", row.metric, row.day.isoformat())
            self.saved.emit()  # even when the area closed meanwhile: it is saved
        if not current:
            return
        self.back_to_list()
        self._toast.show_text(saved_text(row, result), self._theme())
        self.load_rows()

    @Slot()
    def _on_audit_requested(self) -> None:
        row = self._row
        if row is None:
            return
        callback = partial(self._on_audit, self._session.number, row)
        self._jobs.run(callback, self._data.audit, row.metric, row.day)

    def _on_audit(self, number: int, row: EntryRow, future: Future[list[AuditRow]]) -> None:
        if not self._session.is_current(number) or self._row is not row:
            return
        try:
            rows = future.result()
        except Exception:
            log.exception("reading the changes of %s failed", row.metric)
            self._overlay.keypad.show_error(translate("Manager", "The changes could not be read"))
            return
        self._overlay.audit.set_rows(row, rows, self._tz, self._today())
        self._overlay.show_page(self._overlay.audit)

    @Slot()
    def _back_to_keypad(self) -> None:
        if self._session.state == "entry" and self._row is not None:
            self._overlay.show_page(self._overlay.keypad)
