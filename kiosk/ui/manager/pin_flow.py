"""The manager area's first page: the PIN pad, or the notice that no PIN is set.

Whether a PIN is set, the lockout, and each check of a typed PIN are `ManagerData` reads
run through `Jobs` on the `manager-io` worker: scrypt takes ~0.1 s, and the GUI thread never
checks a PIN. The PIN goes to the worker and nowhere else: never logged, never kept.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from functools import partial

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.manager.area import ManagerData
from kiosk.manager.pin import PinError, PinState, VerifyResult
from kiosk.ui.i18n import translate
from kiosk.ui.jobs import Jobs
from kiosk.ui.manager.overlay import ManagerOverlay
from kiosk.ui.manager.pin_pad import NO_PIN_COMMAND, no_pin_text, no_pin_title
from kiosk.ui.manager.session import AreaSession

log = logging.getLogger(__name__)


class PinFlow(QObject):
    """Runs the PIN pad and the no-PIN notice of the overlay.

    The coordinator shows the pad (`show_pad`), then asks for the PIN's status
    (`check_status`); a wrong PIN says how many tries are left, a lockout counts down.

    Signals: `accepted()`: the right PIN was typed (the coordinator opens the entry list).
    """

    accepted = Signal()

    def __init__(
        self,
        overlay: ManagerOverlay,
        data: ManagerData,
        jobs: Jobs,
        session: AreaSession,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._overlay = overlay
        self._data = data
        self._jobs = jobs
        self._session = session
        overlay.pin_pad.submitted.connect(self._on_submitted)

    def show_pad(self) -> None:
        """The pad, waiting for the PIN's status before it takes digits."""
        pad = self._overlay.pin_pad
        pad.reset()
        #: The PIN pad, while it reads whether a PIN is set (a fraction of a second).
        pad.set_busy(True, translate("PinPad", "One moment…"))
        self._overlay.show_page(pad)

    def check_status(self) -> None:
        """Read whether a PIN is set and whether entry is locked (a lockout survives restarts)."""
        self._jobs.run(partial(self._on_status, self._session.number), self._data.pin_status)

    def reset(self) -> None:
        """Forget what was typed (the area closes, or the entry list opens)."""
        self._overlay.pin_pad.reset()

    def _on_status(self, number: int, future: Future[tuple[bool, PinState | None]]) -> None:
        if not self._session.is_current(number):
            return
        try:
            has_pin, state = future.result()
        except Exception:
            log.exception("reading the PIN state failed")
            self._show_notice(
                #: Instead of the PIN pad, when the PIN file cannot be read.
                translate("PinPad", "Manager entry is not available"),
                translate(
                    "PinPad",
                    "The PIN could not be read. Ask your IT contact to look at the kiosk's log.",
                ),
            )
            return
        if not has_pin:
            self._show_notice(no_pin_title(), no_pin_text(), NO_PIN_COMMAND)
            return
        pad = self._overlay.pin_pad
        pad.reset()
        if state is not None and state.locked:
            pad.set_locked(state.locked_until)

    def _show_notice(self, title: str, text: str, code: str = "") -> None:
        self._overlay.notice.set_notice(title, text, code)
        self._overlay.show_page(self._overlay.notice)

    @Slot(str)
    def _on_submitted(self, pin: str) -> None:
        if self._session.state != "pin":
            return
        # The PIN goes to the worker and nowhere else: never logged, never kept.
        callback = partial(self._on_verified, self._session.number)
        self._jobs.run(callback, self._data.verify_pin, pin)

    def _on_verified(self, number: int, future: Future[VerifyResult]) -> None:
        if not self._session.is_current(number):
            return
        pad = self._overlay.pin_pad
        try:
            result = future.result()
        except PinError as exc:
            log.error("PIN check impossible: %s", exc)
            self._show_notice(no_pin_title(), no_pin_text(), NO_PIN_COMMAND)
            return
        except Exception:
            log.exception("PIN check failed")
            pad.show_error(translate("PinPad", "The PIN could not be checked — try again"))
            return
        if result.ok:
            self.accepted.emit()
        elif result.locked_until is not None:
            pad.set_locked(result.locked_until)
        else:
            pad.show_wrong(result.attempts_left)
