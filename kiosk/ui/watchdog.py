"""systemd's watchdog on the GUI thread: READY=1 after the first paint, WATCHDOG=1 pings,
STOPPING=1 on quit (see `kiosk.systemd` for the protocol and why each message goes when).

The pings come from a QTimer of the GUI thread: it fires only while the Qt event loop turns,
so a frozen GUI thread stops them and systemd restarts the kiosk. A timer on another thread
would keep pinging for a frozen screen.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QWidget

from kiosk.systemd import Notifier, watchdog_interval

log = logging.getLogger(__name__)


class SystemdWatchdog(QObject):
    """READY=1 after `window` first paints, WATCHDOG=1 from the GUI thread, STOPPING=1.

    Create it in the GUI thread before the window shows. Emits no signals. `pings` counts the
    WATCHDOG=1 messages sent (tests and the soak use it).
    """

    def __init__(
        self,
        window: QWidget,
        notifier: Notifier,
        interval_s: float | None,
        parent: QObject | None = None,
        *,
        status: str = "",
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._notifier = notifier
        self._status = status
        self.ready = False
        self.pings = 0
        self._timer = QTimer(self)
        # Precise: a coarse timer may fire up to 5 % late, which eats into the other half.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.ping)
        if interval_s is not None:
            self._timer.setInterval(max(1, round(interval_s * 1000)))
        self._ready_timer = QTimer(self)
        self._ready_timer.setSingleShot(True)
        self._ready_timer.setInterval(0)
        self._ready_timer.timeout.connect(self._send_ready)
        self._watching = False
        if notifier.enabled:
            app = QCoreApplication.instance()
            if app is not None:
                # The whole application: the window itself may never get a Paint event of its
                # own when opaque children (the header, the screens) cover all of it.
                app.installEventFilter(self)
                self._watching = True
            if interval_s is not None:
                self._timer.start()
                log.info("systemd watchdog: a ping every %.1f s from the GUI thread", interval_s)

    def timer(self) -> QTimer:
        return self._timer

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    @Slot()
    def ping(self) -> None:
        if self._notifier.send("WATCHDOG=1"):
            self.pings += 1

    @Slot()
    def stopping(self) -> None:
        """The kiosk is quitting: stop pinging and tell systemd (connect to aboutToQuit)."""
        self._timer.stop()
        self._unwatch()
        self._notifier.send("STOPPING=1")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            # Sent once the paint is done and the loop turns again: the picture is out.
            self._unwatch()
            self._ready_timer.start()
        return False

    def _unwatch(self) -> None:
        if self._watching:
            self._watching = False
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)

    @Slot()
    def _send_ready(self) -> None:
        if self.ready:
            return
        message = "READY=1" + (f"\nSTATUS={self._status}" if self._status else "")
        if self._notifier.send(message):
            self.ready = True
            log.info("told systemd the kiosk is ready (first paint done)")


def install_systemd_watchdog(
    window: QWidget,
    parent: QObject | None = None,
    *,
    env: Mapping[str, str] | None = None,
    status: str = "",
) -> SystemdWatchdog:
    """The kiosk's systemd integration from the environment (a no-op outside systemd).

    Connect `app.aboutToQuit` to the result's `stopping`.
    """
    return SystemdWatchdog(
        window,
        Notifier.from_env(env),
        watchdog_interval(env),
        parent,
        status=status,
    )
