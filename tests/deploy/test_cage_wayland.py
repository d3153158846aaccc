"""`kiosk run` the way deploy/kiosk.service runs it: cage (the Wayland kiosk compositor) with
the kiosk as its one application, here on wlroots' headless backend with its software
renderer (issue 14, items 2, 3 and 4).

The unit's own command line and environment are used, with the test's paths put in: the board
covers the output at 1920x1080 and 3840x2160 (set with wlr-randr while it runs: a resolution
change, relaid out without a restart), comes back when the output goes away and returns (a
TV plugged in later), says READY=1 and sends its watchdog pings although cage is the main
process, logs no Qt noise, and stops cleanly the way the unit's ExecStop stops it.
"""

from __future__ import annotations

import shlex
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.ui import theme as th
from tests.deploy.displays import (
    KIOSK,
    ReadySocket,
    cage_version,
    demo_config,
    grab_wayland,
    need,
    session_env,
    set_mode,
    start,
    unprivileged,
    until_covered,
    wayland_socket,
)
from tests.deploy.screen_grab import coverage_problems, read_png
from tests.reliability.test_deploy import DEPLOY, directives

pytestmark = pytest.mark.slow

# cage clears what no window covers to black; the board never paints a whole row or column
# of pure black.
CAGE_BACKGROUND = "#000000"
OUTPUT = "HEADLESS-1"
FIXED_IN = (0, 1, 5)


@pytest.fixture(scope="module")
def cage() -> str:
    binary = need("cage")
    need("grim")
    need("wlr-randr")
    version = cage_version()
    if version < FIXED_IN:
        pytest.skip(
            f"cage {'.'.join(map(str, version))} on this machine cannot show this test anything: "
            "before 0.1.5 its direct scan-out of a fullscreen window fails on every frame and the "
            "output is never updated again (and it has no wlr-output-management for the modes). "
            "The kiosk's targets ship 0.1.5 (Ubuntu 24.04) and 0.2.0 (Debian 13, Raspberry Pi OS "
            "Trixie), and deploy/check-target refuses older ones; scripts/check-debian13 runs "
            "this test on Debian 13"
        )
    return binary


def unit_command(runtime_dir: Path, cage: str) -> list[str]:
    """deploy/kiosk.service's ExecStart, with this machine's cage and this venv's kiosk."""
    unit = directives(DEPLOY / "kiosk.service")
    (line,) = unit["ExecStart"]
    words = shlex.split(line)
    return [
        word.replace("XDG_RUNTIME_DIR=/run/kiosk", f"XDG_RUNTIME_DIR={runtime_dir}")
        .replace("/usr/bin/cage", cage)
        .replace("/opt/kiosk/.venv/bin/kiosk", str(KIOSK))
        for word in words
    ]


def unit_environment(config: Path, state: Path) -> dict[str, str]:
    """The unit's Environment= lines, its paths moved into the test's folders."""
    env: dict[str, str] = {}
    for assignment in directives(DEPLOY / "kiosk.service")["Environment"]:
        key, _, value = assignment.partition("=")
        env[key] = value.replace("/etc/kiosk/config.toml", str(config)).replace(
            "/var/lib/kiosk", str(state)
        )
    return env


def kiosk_child(cage_pid: int) -> int:
    """The kiosk, cage's child (what the unit's ExecStop signals with pkill --parent)."""
    children = Path(f"/proc/{cage_pid}/task/{cage_pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


@pytest.fixture
def home() -> Iterator[Path]:
    """The session's folder: outside pytest's (root-only) temporary folder, so that the
    unprivileged user cage and the kiosk run as can reach it."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-cage-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_the_unit_shows_the_board_under_cage_on_any_mode(
    tmp_path: Path, home: Path, cage: str
) -> None:
    config = demo_config(home / "store")
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    (home / "state").mkdir()
    ready = ReadySocket(home / "notify.sock")
    ready.path.chmod(0o666)  # systemd's socket takes anyone's datagrams; so does this one
    as_kiosk_user = unprivileged(home)
    env = session_env(
        {
            **unit_environment(config, home / "state"),
            # What systemd gives the unit's main process: its notify socket and watchdog. The
            # shell below becomes cage (exec), so its PID is the main PID.
            "NOTIFY_SOCKET": str(ready.path),
            "WATCHDOG_USEC": "2000000",
            # No display hardware here: wlroots' headless backend, its software renderer.
            "WLR_BACKENDS": "headless",
            "WLR_RENDERER": "pixman",
            "WLR_LIBINPUT_NO_DEVICES": "1",
        }
    )
    argv = [
        *as_kiosk_user,
        *("/bin/sh", "-c", 'WATCHDOG_PID=$$ exec "$@"', "sh"),
        *unit_command(runtime, cage),
    ]
    session = start(argv, env, config.parent, tmp_path / "session.log")
    try:
        ready.wait_ready(session.alive)
        session.wait_for("messages: ok")
        socket = wayland_socket(runtime)

        def board(width: int, height: int):
            def problems(image):
                found = coverage_problems(image, CAGE_BACKGROUND, th.SURFACE)
                if (image.width(), image.height()) != (width, height):
                    found.append(f"the output is {image.width()}x{image.height()}")
                return found

            shot = tmp_path / f"cage-{width}x{height}.png"
            return until_covered(lambda: read_png(grab_wayland(socket, shot)), problems)

        for width, height in ((1920, 1080), (3840, 2160)):
            set_mode(socket, OUTPUT, "--custom-mode", f"{width}x{height}")
            board(width, height)

        # The TV goes away, and comes back (at another mode): no restart.
        set_mode(socket, OUTPUT, "--off")
        session.wait_for("no screen connected: waiting for one")
        set_mode(socket, OUTPUT, "--on", "--custom-mode", "1920x1080")
        board(1920, 1080)

        # The watchdog pings reach systemd although the kiosk is not the main process.
        assert ready.received("WATCHDOG=1", within=5), "no WATCHDOG=1 from the kiosk"

        # ExecStop: SIGTERM to the kiosk; cage follows its application out.
        kiosk = kiosk_child(session.process.pid)  # setpriv and sh exec: the PID is cage's
        subprocess.run(["kill", "-TERM", str(kiosk)], check=True)
        code = session.process.wait(timeout=30)
    finally:
        if session.alive():
            session.process.send_signal(signal.SIGKILL)
            session.process.wait()
        ready.close()
    log = session.output()
    assert code == 0, log[-3000:]
    assert "kiosk stopping" in log
    # The journal gets the kiosk's own lines, not Qt's chatter.
    qt_lines = [line for line in log.splitlines() if " qt." in line or line.startswith("qt.")]
    assert qt_lines == []
