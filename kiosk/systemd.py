"""systemd integration, the plain-Python half: sd_notify(3) messages and the watchdog's interval.

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

The Qt half, which sends these from the GUI thread at the right moments, is
`kiosk.ui.watchdog` (`SystemdWatchdog`, `install_systemd_watchdog`).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

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
