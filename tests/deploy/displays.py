"""Real display servers for `kiosk run`: Xvfb (a bare X server, no window manager) and cage
(the store's Wayland kiosk compositor) on wlroots' headless backend; the kiosk started on the
shipped demo config the way a newcomer starts it, and told apart from its compositor.

Every binary here is installed by `scripts/install-system-deps --test`: a missing one fails
the test (a broken machine), it does not skip it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]
KIOSK = Path(sys.executable).parent / "kiosk"
# What the test runner's own environment must not leak into a display session.
_NOT_INHERITED = ("QT_QPA_PLATFORM", "KIOSK_CONFIG", "DISPLAY", "WAYLAND_DISPLAY", "NOTIFY_SOCKET")


def need(binary: str) -> str:
    """The path of `binary`; fails (not skips) without it: CI installs it."""
    path = shutil.which(binary)
    if path is None:
        pytest.fail(f"{binary} not found: run scripts/install-system-deps --test", pytrace=False)
    return path


def unprivileged(folder: Path) -> list[str]:
    """As root: the command prefix that runs a program as `nobody`, the way the unit runs the
    kiosk as its own user, with `folder` (and all in it) handed to `nobody`. Not root: [].
    Also [] when `nobody` cannot run this interpreter (one in root's home, pyenv's): then
    the program runs as root, which cage allows since 0.1.5."""
    if os.geteuid() != 0:
        return []
    import pwd

    account = pwd.getpwnam("nobody")
    prefix = [
        need("setpriv"),
        f"--reuid={account.pw_uid}",
        f"--regid={account.pw_gid}",
        "--clear-groups",
    ]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import kiosk, PySide6"],
        cwd="/",
        capture_output=True,
        check=False,
        timeout=60,
    )
    if probe.returncode != 0:
        return []
    for path in (folder, *folder.rglob("*")):
        os.chown(path, account.pw_uid, account.pw_gid)
    return prefix


def demo_config(folder: Path) -> Path:
    """The shipped demo config in a folder of its own, as in a fresh checkout."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "config.toml", folder / "config.toml")
    return folder / "config.toml"


def session_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env.update(extra)
    return env


class ReadySocket:
    """The receiving end of `$NOTIFY_SOCKET`, as systemd's: READY=1 after the kiosk's first
    paint, WATCHDOG=1 pings, STATUS=... Every datagram is kept, read on a thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.bind(str(path))
        self._sock.settimeout(0.1)
        self._messages: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="notify-socket", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._messages.append(data.decode("utf-8", "replace"))

    def received(self, prefix: str, within: float = 0) -> bool:
        """Whether a message starting with `prefix` came, waiting up to `within` seconds."""
        deadline = time.monotonic() + within
        while True:
            with self._lock:
                if any(message.startswith(prefix) for message in self._messages):
                    return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def wait_ready(self, alive: Callable[[], bool], timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not self.received("READY=1", within=0.2):
            if not alive():
                raise AssertionError("the kiosk (or its compositor) exited before READY=1")
            if time.monotonic() > deadline:
                raise AssertionError(f"no READY=1 within {timeout:.0f} s")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sock.close()


@dataclass
class Session:
    """A process tree on a display, its stderr in a file."""

    process: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, text: str, timeout: float = 60) -> None:
        """Until `text` is in the log (the demo's first pull: `"messages: ok"`)."""
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if not self.alive() or time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} in the log:\n{self.output()[-3000:]}")
            time.sleep(0.2)


def start(argv: list[str], env: Mapping[str, str], cwd: Path, log: Path) -> Session:
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, env=dict(env), cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
    return Session(process, log)


@contextmanager
def xvfb(width: int, height: int, log: Path) -> Iterator[str]:
    """A bare X server (no window manager) of that size; yields its DISPLAY. Its root window
    is magenta, a colour the kiosk never paints, so any of it in a grab is uncovered."""
    binary = need("Xvfb")
    reader, writer = os.pipe()
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                binary,
                "-displayfd",
                str(writer),
                "-screen",
                "0",
                f"{width}x{height}x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ],
            pass_fds=(writer,),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    os.close(writer)
    try:
        with os.fdopen(reader, "rb") as pipe:
            number = pipe.readline().strip().decode()
        assert number.isdigit(), f"Xvfb did not start: {log.read_text(errors='replace')}"
        display = f":{number}"
        subprocess.run(
            [need("xsetroot"), "-solid", ROOT_COLOR],
            env=session_env({"DISPLAY": display}),
            check=True,
            timeout=30,
        )
        yield display
    finally:
        server.terminate()
        server.wait(timeout=30)


ROOT_COLOR = "#ff00ff"


def grab_x(display: str, out: Path) -> Path:
    """The whole X screen, as `xwd -root` dumps it."""
    with out.open("wb") as dump:
        subprocess.run(
            [need("xwd"), "-root", "-silent"],
            env=session_env({"DISPLAY": display}),
            stdout=dump,
            check=True,
            timeout=60,
        )
    return out


def cage_version() -> tuple[int, ...]:
    done = subprocess.run(
        [need("cage"), "-v"], capture_output=True, text=True, timeout=30, check=False
    )
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", done.stdout + done.stderr)
    assert match, f"cannot tell cage's version from {done.stdout + done.stderr!r}"
    return tuple(int(part) for part in match.groups())


def wayland_socket(runtime_dir: Path, timeout: float = 30) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sockets = sorted(runtime_dir.glob("wayland-[0-9]"))
        if sockets:
            return sockets[0]
        time.sleep(0.1)
    raise AssertionError(f"no Wayland socket in {runtime_dir}")


def wayland_env(socket_path: Path) -> dict[str, str]:
    return session_env(
        {"WAYLAND_DISPLAY": str(socket_path), "XDG_RUNTIME_DIR": str(socket_path.parent)}
    )


def grab_wayland(socket_path: Path, out: Path) -> Path:
    """The whole output, as `grim` captures it (wlr-screencopy)."""
    subprocess.run([need("grim"), str(out)], env=wayland_env(socket_path), check=True, timeout=60)
    return out


def set_mode(socket_path: Path, output: str, *options: str) -> None:
    """`wlr-randr --output OUTPUT OPTIONS...` (wlr-output-management)."""
    subprocess.run(
        [need("wlr-randr"), "--output", output, *options],
        env=wayland_env(socket_path),
        check=True,
        timeout=30,
        capture_output=True,
    )


def until_covered(
    grab: Callable[[], QImage],
    problems: Callable[[QImage], list[str]],
    timeout: float = 30,
) -> QImage:
    """Grab until nothing is wrong (a relayout takes a few frames); the last grab's problems
    fail the test."""
    deadline = time.monotonic() + timeout
    while True:
        image = grab()
        found = problems(image)
        if not found:
            return image
        if time.monotonic() > deadline:
            raise AssertionError(f"{image.width()}x{image.height()}: " + "; ".join(found))
        time.sleep(0.5)
