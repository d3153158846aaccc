"""Field fault: a status command moved the database from under a running kiosk.

Before: the running kiosk had marked its database suspect; an admin's `kiosk status` ran the
full check, found damage and moved the file aside; the kiosk went on saving into the moved file,
and three entries reported "saved" were gone after a restart. Now only `kiosk run` at start (or
`kiosk repair`) moves a database; other commands report the damage and change nothing; and a
process never writes into a file that is no longer at its path.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sync.store.db import DatabaseDamaged, open_database
from sync.store.models import ManagerEntry, MetricValue
from sync.store.recovery import suspect_marker
from sync.store.storage import DatabaseReplaced
from tests import configs
from tests.reliability.test_database_recovery import fill, moved_aside

NOW = dt.datetime(2026, 11, 24, 21, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 24)


def damaged_and_suspect(path: Path) -> None:
    """A database with a scribbled page, marked suspect as a running kiosk marks it."""
    fill(path, metric_rows=20_000)
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 2 // 4096 * 4096)
        handle.write(os.urandom(4 * 4096))
    suspect_marker(path).write_text("database disk image is malformed\n")


def database_files(folder: Path) -> list[tuple[str, int]]:
    return sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("kiosk.db*"))


def test_status_reports_damage_and_moves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    damaged_and_suspect(path)
    configs.write_config(tmp_path, configs.config_text())
    before = database_files(tmp_path)
    for command in (["status"], ["scoreboard"], ["sync", "--once"]):
        result = configs.run_kiosk(*command, cwd=tmp_path)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert f"the kiosk's database {path} is damaged" in result.stderr
        assert "nothing was changed" in result.stderr
    assert database_files(tmp_path) == before
    assert not moved_aside(tmp_path, "corrupt")
    assert suspect_marker(path).exists()  # still asking the next start to check it


def test_only_a_repairing_open_moves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    damaged_and_suspect(path)
    with pytest.raises(DatabaseDamaged):
        open_database(path)
    assert not moved_aside(tmp_path, "corrupt")
    open_database(path, repair=True).dispose()  # `kiosk run` at start, `kiosk repair`
    assert len(moved_aside(tmp_path, "corrupt")) == 1


def test_kiosk_repair_moves_it_aside_and_keeps_the_entries(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    damaged_and_suspect(path)
    configs.write_config(tmp_path, configs.config_text())
    result = configs.run_kiosk("repair", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "moved it to kiosk.db.corrupt-" in result.stdout
    assert "kept 1 manager entry" in result.stdout
    assert len(moved_aside(tmp_path, "corrupt")) == 1
    db = open_database(path)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ManagerEntry)) == 1
    db.dispose()


def test_a_process_never_writes_into_a_file_moved_from_its_path(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    replaced: list[bool] = []
    db = open_database(path, repair=True, on_replaced=lambda: replaced.append(True))
    with db.write.begin() as session:
        session.add(ManagerEntry(store_id="S1", metric="m", day=DAY, value=1, entered_at=NOW))
    moved = tmp_path / "kiosk.db.moved"
    os.rename(path, moved)  # what an older kiosk's status did

    for value in (2, 3, 4):  # three saves that must not say "saved"
        with pytest.raises(DatabaseReplaced), db.write.begin() as session:
            session.add(
                ManagerEntry(
                    store_id="S1", metric=f"m{value}", day=DAY, value=value, entered_at=NOW
                )
            )
    assert replaced == [True]  # told once: `kiosk run` restarts on it
    with db.read() as session:  # reading what was there is still fine
        assert session.scalar(select(func.count()).select_from(ManagerEntry)) == 1
        assert session.scalar(select(func.count()).select_from(MetricValue)) == 0
    db.dispose()
