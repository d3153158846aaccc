"""Field faults of the disk under the database (docs/reliability.md, "Field faults").

On real filesystems: a small tmpfs filled to the last byte, or remounted read-only, after a clean
stop (no -wal/-shm left, so SQLite cannot even read in WAL mode). Before: every command exited 1
with an 80-line traceback, and `kiosk run` under systemd looped with a black screen. Now the
database opens read-only, the last board stays, and each command says the cause in one line.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.board.snapshot import load_snapshot
from kiosk.config import load_config
from kiosk.ui.header import freshness_text
from sync.clock import utc_now
from sync.store.db import open_database
from tests import configs
from tests.reliability.mounts import fill, remount_read_only, tmpfs

HEADER = "store_id,date,metric,value\n"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    """A store folder on its own small disk, whose feed lives elsewhere (so it can change)."""
    feed = tmp_path / "feeds" / "metrics.csv"
    feed.parent.mkdir()
    feed.write_text(HEADER + "S001,2026-11-17,sales,12\n")
    catalog = feed.with_name("catalog.csv")
    catalog.write_text("metric,unit\nsales,$\n")
    with tmpfs(tmp_path / "disk") as disk:
        configs.write_config(
            disk,
            configs.config_text(
                [("catalog", "catalog", str(catalog)), ("metrics", "metrics", str(feed))],
                log_dir=str(tmp_path / "log"),
            ),
        )
        result = configs.run_kiosk("sync", "--once", cwd=disk)
        assert result.returncode == 0, result.stderr
        assert not (disk / "kiosk.db-wal").exists()  # a clean stop leaves no WAL behind
        yield disk


def change_feed(disk: Path) -> None:
    (disk.parent / "feeds" / "metrics.csv").write_text(HEADER + "S001,2026-11-18,sales,13\n")


def assert_one_line(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert words in result.stdout + result.stderr


@pytest.mark.parametrize("fault", ["read-only", "full"])
def test_every_command_reads_on_and_names_the_cause(store: Path, fault: str) -> None:
    if fault == "read-only":
        remount_read_only(store)
    else:
        fill(store)
    cause = f"is {fault}: nothing can be saved"

    status = configs.run_kiosk("status", cwd=store)
    assert status.returncode == 0
    assert_one_line(status, cause)
    assert "metrics        metrics   ok" in status.stdout  # the last pull is still shown

    board = configs.run_kiosk("scoreboard", "--json", "--date", "2026-11-17", cwd=store)
    assert board.returncode == 0, board.stderr
    assert '"actual": 12.0' in board.stdout
    assert "Traceback" not in board.stderr

    change_feed(store)
    pull = configs.run_kiosk("sync", "--once", cwd=store)
    assert pull.returncode == 1
    assert_one_line(
        pull, f"metrics: error, failed: the disk holding the kiosk's database ({store})"
    )
    assert cause in pull.stdout


def test_the_board_says_nothing_can_be_saved(store: Path) -> None:
    remount_read_only(store)
    config = load_config(store / "config.toml")
    db = open_database(config.database_path)
    try:
        assert db.disk_problem is not None and db.disk_problem.kind == "read-only"
        snapshot = load_snapshot(db, config, config.store.today(), utc_now())
    finally:
        db.dispose()
    assert snapshot.freshness.warning
    assert freshness_text(snapshot.freshness, utc_now()) == (
        "⚠ Disk read-only: nothing can be saved"
    )


def test_kiosk_run_stays_up_on_a_read_only_disk(store: Path) -> None:
    remount_read_only(store)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("KIOSK_CONFIG", None)
    run = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--windowed"],
        cwd=store,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(8)  # start, first pull, a few screens
        assert run.poll() is None, run.communicate()
    finally:
        run.send_signal(signal.SIGTERM)
        _, stderr = run.communicate(timeout=30)
    assert run.returncode == 0, stderr
    assert "is read-only: nothing can be saved" in stderr
    assert "kiosk started for store S001" in stderr
    assert "Traceback" not in stderr
