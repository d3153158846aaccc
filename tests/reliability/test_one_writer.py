"""Field fault: an admin's `kiosk sync --once` was a second writer beside the running kiosk.

Before: `deploy/kiosk-admin` suggested `kiosk sync --once` while the service ran; a big feed held
the write lock for seconds from that second process, and at Pi speed a manager's save at the
screen failed after its 15 s lock wait ("Not saved"). Now the running kiosk serves a control
socket and the one-shot command asks it to pull: one writer per database across processes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.control import ControlServer, running_kiosk, socket_path
from tests import configs

HEADER = "store_id,date,metric,value\n"


def rows(count: int) -> str:
    return HEADER + "".join(f"S001,2026-11-{1 + i % 28:02d},m{i // 28},{i}\n" for i in range(count))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    (tmp_path / "metrics.csv").write_text(rows(100))
    configs.write_config(
        tmp_path,
        configs.config_text(
            [("metrics", "metrics", "metrics.csv")],
            sync="start_delay_seconds = 3600\n",  # only the admin's request pulls
        ),
    )
    return tmp_path


@pytest.fixture
def running(store: Path) -> Iterator[subprocess.Popen[str]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("KIOSK_CONFIG", None)
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--windowed"],
        cwd=store,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while running_kiosk(store / "kiosk.db") is None:
        assert kiosk.poll() is None, kiosk.communicate()
        assert time.monotonic() < deadline, "the kiosk never served its control socket"
        time.sleep(0.2)
    yield kiosk
    kiosk.send_signal(signal.SIGTERM)
    kiosk.communicate(timeout=30)


def test_sync_once_asks_the_running_kiosk_to_pull(
    store: Path, running: subprocess.Popen[str]
) -> None:
    (store / "metrics.csv").write_text(rows(200_000))  # a big legal feed
    result = configs.run_kiosk("sync", "--once", cwd=store, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "the running kiosk pulled the feeds" in result.stderr
    assert result.stdout.strip() == "metrics: ok, applied 200,000 rows"
    assert running.pid == running_kiosk(store / "kiosk.db")

    # A feed that fails: the running kiosk's answer carries the exit code.
    (store / "metrics.csv").write_text("<html>login</html>")
    failed = configs.run_kiosk("sync", "--once", cwd=store)
    assert failed.returncode == 1
    assert failed.stdout.startswith("metrics: error, rejected:")


def test_a_second_kiosk_and_a_repair_refuse_while_one_runs(
    store: Path, running: subprocess.Popen[str]
) -> None:
    env = {"QT_QPA_PLATFORM": "offscreen"}
    second = configs.run_kiosk("run", "--windowed", cwd=store, env=env, timeout=60)
    assert second.returncode == 1
    assert f"another kiosk (process {running.pid}) is already running" in second.stderr
    repair = configs.run_kiosk("repair", cwd=store)
    assert repair.returncode == 1
    assert f"the kiosk (process {running.pid}) is running on this database" in repair.stderr
    assert running.poll() is None


def test_without_a_running_kiosk_sync_once_pulls_itself(store: Path) -> None:
    # A socket file left by a kiosk that was killed: the file, nobody listening.
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(socket_path(store / "kiosk.db")))
    stale.close()
    assert socket_path(store / "kiosk.db").exists()
    result = configs.run_kiosk("sync", "--once", cwd=store)
    assert result.returncode == 0, result.stderr
    assert "running kiosk" not in result.stderr
    assert result.stdout.strip() == "metrics: ok, applied 100 rows"


def test_the_control_socket_is_private(store: Path) -> None:
    server = ControlServer(store / "kiosk.db", lambda: [])
    try:
        assert socket_path(store / "kiosk.db").stat().st_mode & 0o777 == 0o600
    finally:
        server.close()
    assert not socket_path(store / "kiosk.db").exists()


def test_a_store_folder_deep_in_the_file_system_still_gets_a_socket(tmp_path: Path) -> None:
    deep = tmp_path / ("a-long-folder-name-" * 8) / "var"
    deep.mkdir(parents=True)
    server = ControlServer(deep / "kiosk.db", lambda: [("metrics: ok, unchanged", True)])
    try:
        assert len(str(socket_path(deep / "kiosk.db"))) > 108  # longer than a socket address
        assert running_kiosk(deep / "kiosk.db") == os.getpid()
    finally:
        server.close()
