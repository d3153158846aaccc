"""Staying up under systemd: readiness, the GUI-thread watchdog, stopping (issue 7, item 8).

A fake `$NOTIFY_SOCKET` (a real AF_UNIX datagram socket in a temporary folder, or in the
abstract namespace) receives what the kiosk sends: READY=1 after the window's first paint,
WATCHDOG=1 every half of `$WATCHDOG_USEC` from a real KioskWindow's event loop, nothing while
that loop is blocked (so systemd would restart a frozen kiosk), and STOPPING=1 on quit, from
the real `kiosk run` too.
"""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from kiosk.board.snapshot import load_snapshot
from kiosk.config import DisplayConfig
from kiosk.systemd import Notifier, watchdog_interval
from kiosk.ui.application import ensure_app
from kiosk.ui.watchdog import SystemdWatchdog
from kiosk.ui.window import KioskWindow
from tests.demo_env import DEMO_DAY, DEMO_NOW, demo_env

REPO = Path(__file__).resolve().parents[2]


class FakeSystemd:
    """The receiving end of `$NOTIFY_SOCKET`: every datagram, with its arrival time."""

    def __init__(self, address: str | bytes) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)
        self.sock.settimeout(0.05)
        self.messages: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="fake-systemd", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.messages.append((time.monotonic(), data.decode()))

    def received(self, prefix: str) -> list[float]:
        with self._lock:
            return [at for at, text in self.messages if text.startswith(prefix)]

    def texts(self) -> list[str]:
        with self._lock:
            return [text for _, text in self.messages]

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def fake_systemd(tmp_path: Path) -> Iterator[tuple[FakeSystemd, str]]:
    path = tmp_path / "notify.sock"
    systemd = FakeSystemd(str(path))
    yield systemd, str(path)
    systemd.close()


@pytest.fixture
def window(qtbot, tmp_path: Path) -> KioskWindow:
    ensure_app()
    folder = tmp_path / "demo"
    folder.mkdir()
    env = demo_env(folder)
    env.sync()
    made = KioskWindow(env.config.screens, DisplayConfig(transition_ms=0))
    qtbot.addWidget(made)
    made.set_snapshot(load_snapshot(env.db, env.config, DEMO_DAY, DEMO_NOW))
    made.resize(1280, 720)
    env.db.dispose()
    return made


# --- the environment ---------------------------------------------------------------------------


def test_no_notify_socket_means_no_op() -> None:
    notifier = Notifier.from_env({})
    assert not notifier.enabled and not notifier.send("READY=1")
    assert watchdog_interval({}) is None


def test_the_watchdog_interval_is_half_of_watchdog_usec() -> None:
    assert watchdog_interval({"WATCHDOG_USEC": "30000000"}) == 15.0
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())})
    # Inherited from a parent: another process is expected to ping, not this one.
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "soon"}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "0"}) is None


def test_an_abstract_namespace_socket() -> None:
    name = f"kiosk-test-{secrets.token_hex(6)}"
    systemd = FakeSystemd(b"\0" + name.encode())
    try:
        notifier = Notifier(f"@{name}")
        assert notifier.send("READY=1")
        deadline = time.monotonic() + 2
        while not systemd.received("READY=1") and time.monotonic() < deadline:
            time.sleep(0.01)
        assert systemd.texts() == ["READY=1"]
        notifier.close()
    finally:
        systemd.close()


def test_a_vanished_socket_is_logged_once_and_never_raises(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    notifier = Notifier(str(tmp_path / "gone.sock"))
    assert not notifier.send("WATCHDOG=1")
    assert not notifier.send("WATCHDOG=1")
    assert len([r for r in caplog.records if "cannot notify systemd" in r.getMessage()]) == 1


# --- a real window's event loop ------------------------------------------------------------------


def test_ready_after_the_first_paint_then_pings_that_stop_while_the_gui_is_blocked(
    qtbot, window: KioskWindow, fake_systemd: tuple[FakeSystemd, str]
) -> None:
    systemd, path = fake_systemd
    env = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000"}  # WatchdogSec=0.2: ping each 0.1 s
    watchdog = SystemdWatchdog(
        window, Notifier.from_env(env), watchdog_interval(env), status="testing"
    )
    assert watchdog.interval_ms == 100
    qtbot.wait(50)
    assert not systemd.received("READY=1"), "not before the window paints"
    window.show()
    qtbot.waitUntil(lambda: bool(systemd.received("READY=1")), timeout=5000)
    assert "READY=1\nSTATUS=testing" in systemd.texts()
    qtbot.waitUntil(lambda: len(systemd.received("WATCHDOG=1")) >= 5, timeout=5000)

    # A slot that hangs the GUI thread for a second (a deadlock, a stuck read...).
    block: dict[str, float] = {}

    def hang() -> None:
        block["start"] = time.monotonic()
        time.sleep(1.0)
        block["end"] = time.monotonic()

    QTimer.singleShot(0, hang)
    qtbot.waitUntil(lambda: "end" in block, timeout=5000)
    qtbot.wait(600)
    pings = systemd.received("WATCHDOG=1")
    # A ping sent just before the hang may still be on its way for a few milliseconds.
    during = [at for at in pings if block["start"] + 0.02 < at < block["end"]]
    assert not during, f"{len(during)} pings while the GUI thread was blocked"
    after = [at for at in pings if at > block["end"]]
    assert len(after) >= 4, "the pings resume when the event loop turns again"
    before = [at for at in pings if at < block["start"]]
    gaps = [b - a for a, b in itertools.pairwise(before)]
    assert 0.07 < statistics.median(gaps) < 0.15, gaps
    longest = max(b - a for a, b in itertools.pairwise(pings))
    assert longest > 0.9  # the hang shows as a gap systemd would act on (WatchdogSec=0.2)

    watchdog.stopping()
    qtbot.waitUntil(lambda: bool(systemd.received("STOPPING=1")), timeout=2000)
    count = len(systemd.received("WATCHDOG=1"))
    qtbot.wait(300)
    assert len(systemd.received("WATCHDOG=1")) == count, "no pings after STOPPING=1"
    print(
        f"\nwatchdog: median ping interval {statistics.median(gaps) * 1000:.0f} ms "
        f"(configured 100 ms), gap during a 1 s hang {longest:.2f} s"
    )


def test_without_a_watchdog_usec_it_only_says_ready(
    qtbot, window: KioskWindow, fake_systemd: tuple[FakeSystemd, str]
) -> None:
    systemd, path = fake_systemd
    env = {"NOTIFY_SOCKET": path}
    watchdog = SystemdWatchdog(window, Notifier.from_env(env), watchdog_interval(env))
    window.show()
    qtbot.waitUntil(lambda: bool(systemd.received("READY=1")), timeout=5000)
    qtbot.wait(200)
    assert systemd.texts() == ["READY=1"]
    assert not watchdog.timer().isActive()


# --- the real `kiosk run` ------------------------------------------------------------------------


def test_kiosk_run_notifies_systemd_and_stops_cleanly(
    tmp_path: Path, fake_systemd: tuple[FakeSystemd, str]
) -> None:
    systemd, path = fake_systemd
    (tmp_path / "store").mkdir()
    env_dir = demo_env(tmp_path / "store")
    env_dir.db.dispose()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "NOTIFY_SOCKET": path,
        "WATCHDOG_USEC": "1000000",  # a ping every 0.5 s
        "KIOSK_CONFIG": str(env_dir.config.path),
    }
    kiosk = shutil.which("kiosk", path=str(Path(sys.executable).parent)) or "kiosk"
    process = subprocess.Popen(
        [kiosk, "run", "--windowed"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(systemd.received("WATCHDOG=1")) < 3:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.05)
        ready = systemd.received("READY=1")
        pings = systemd.received("WATCHDOG=1")
        assert ready and len(pings) >= 3, systemd.texts()
        assert any("STATUS=showing the board of store S001" in t for t in systemd.texts())
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert code == 0
    deadline = time.monotonic() + 2
    while not systemd.received("STOPPING=1") and time.monotonic() < deadline:
        time.sleep(0.01)
    assert systemd.received("STOPPING=1")
    gaps = [b - a for a, b in itertools.pairwise(pings)]
    assert all(0.3 < gap < 0.8 for gap in gaps), gaps
