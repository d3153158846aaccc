"""systemd integration: readiness, a watchdog fed from the GUI thread, and stopping.

Under `deploy/kiosk.service` (`Type=notify`, `WatchdogSec=30`, `NotifyAccess=main`) systemd
hands the kiosk `$NOTIFY_SOCKET` and `$WATCHDOG_USEC`. The protocol is one datagram per
message on that AF_UNIX socket, "READY=1", "WATCHDOG=1", "STOPPING=1" (sd_notify(3); an
address starting with "@" is in Linux's abstract namespace), so it needs no dependency.

- READY=1 goes after the window's first paint: systemd then knows the board is on screen,
  and `systemctl start` returns (or times out, and restarts the kiosk, if it never paints).
- WATCHDOG=1 goes from a QTimer on the GUI thread every half of `$WATCHDOG_USEC`, as
  sd_watchdog_enabled(3) recommends. The timer fires only while the Qt event loop turns, so
  a frozen GUI thread (a deadlock, a slot stuck on a lock or a dead NFS mount) stops the
  pings, and systemd kills and restarts the kiosk after `WatchdogSec`. A timer on another
  thread would keep pinging for a frozen screen.
- STOPPING=1 on quit, so a stop that takes a moment is not mistaken for a hang.

Without `$NOTIFY_SOCKET` (a developer's `kiosk run`, the tests) everything is a no-op.
`$WATCHDOG_PID`, when set, must be this process (sd_watchdog_enabled(3)): a child that
inherited the environment never pings on the kiosk's behalf.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class Notifier:
    """Sends sd_notify(3) messages to `$NOTIFY_SOCKET`; every call is a no-op without one.

    Never raises: a failed send is logged once (the kiosk must keep showing the board even if
    systemd's socket went away), and the next send tries again.
    """

    def __init__(self, address: str | None) -> None:
        self._address: str | bytes | None = None
        self._socket: socket.socket | None = None
        self._warned = False
        if address:
            if address.startswith("@"):
                # Abstract namespace: a leading NUL instead of "@", no file involved.
                self._address = b"\0" + address[1:].encode()
            else:
                self._address = address
            self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Notifier:
        return cls((env if env is not None else os.environ).get("NOTIFY_SOCKET"))

    @property
    def enabled(self) -> bool:
        return self._socket is not None

    def send(self, message: str) -> bool:
        """Send one message ("READY=1", "WATCHDOG=1", ...); True when it went out."""
        if self._socket is None or self._address is None:
            return False
        try:
            self._socket.sendto(message.encode("utf-8"), self._address)
        except OSError as exc:
            if not self._warned:
                self._warned = True
                log.warning("cannot notify systemd (%s): %s", message.split("=")[0], exc)
            return False
        self._warned = False
        return True

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def watchdog_interval(env: Mapping[str, str] | None = None, pid: int | None = None) -> float | None:
    """Seconds between pings: half of `$WATCHDOG_USEC`; None when systemd expects none."""
    env = env if env is not None else os.environ
    raw = env.get("WATCHDOG_USEC")
    if not raw:
        return None
    owner = env.get("WATCHDOG_PID")
    if owner and owner.strip() != str(pid if pid is not None else os.getpid()):
        return None
    try:
        usec = int(raw)
    except ValueError:
        log.warning("ignoring WATCHDOG_USEC=%r: not a number of microseconds", raw)
        return None
    if usec <= 0:
        return None
    return usec / 2 / 1_000_000


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
