"""A corrupt database, or one from a newer kiosk version, is moved aside and rebuilt at open.

The store's own data (manager entries with their audit rows, unsent outbox items, shout-outs)
is carried into the fresh database when the old file still gives it up; HQ data comes back with
the next sync.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from sync.store.db import open_database
from sync.store.engine import HEAD_REVISION
from sync.store.models import (
    Celebrated,
    EntryAudit,
    FeedState,
    ManagerEntry,
    MetricValue,
    Outbox,
    PinAttempt,
    ShoutOut,
)
from sync.store.recovery import is_corruption, suspect_marker
from tests.reliability.helpers import integrity, query

NOW = dt.datetime(2026, 11, 24, 21, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 11, 24)


def fill(path: Path, *, metric_rows: int = 3000) -> None:
    """A database with the store's own data first (low pages), then plenty of HQ data."""
    db = open_database(path)
    with db.write.begin() as s:
        s.add(ManagerEntry(store_id="S001", metric="sales", day=DAY, value=5, entered_at=NOW))
        s.add_all(
            EntryAudit(
                store_id="S001", metric="sales", day=DAY, old_value=old, new_value=new, at=NOW
            )
            for old, new in ((None, 4.0), (4.0, 5.0))
        )
        for key, sent in (("unsent-1", None), ("unsent-2", None), ("sent-1", NOW)):
            s.add(
                Outbox(
                    idempotency_key=key,
                    kind="entry",
                    payload_json='{"value": 5}',
                    created_at=NOW,
                    attempts=0,
                    next_attempt_at=NOW,
                    sent_at=sent,
                )
            )
        s.add(ShoutOut(store_id="S001", text="Maria 🎉", created_at=NOW, day=DAY, until=DAY))
        s.add(Celebrated(store_id="S001", metric="sales", period="day", start=DAY, at=NOW))
        s.add(PinAttempt(at=NOW, ok=False))
    with db.write.begin() as s:
        s.add_all(
            MetricValue(
                store_id="S001",
                metric=f"m{i % 50}",
                day=dt.date(2020, 1, 1) + dt.timedelta(days=i // 50),
                value=float(i),
                feed="metrics",
            )
            for i in range(metric_rows)
        )
        s.add(FeedState(name="metrics", kind="metrics", url="x", etag='"v1"', status="ok"))
    db.dispose()


def counts(path: Path) -> dict[str, int]:
    db = open_database(path)
    try:
        with db.read() as s:
            models = (ManagerEntry, EntryAudit, Outbox, ShoutOut, Celebrated, PinAttempt)
            found = {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in models}
            found["metric_values"] = s.scalar(select(func.count()).select_from(MetricValue))
            found["feed_state"] = s.scalar(select(func.count()).select_from(FeedState))
    finally:
        db.dispose()
    return found  # type: ignore[return-value]


KEPT = {
    "manager_entries": 1,
    "entry_audit": 2,
    "outbox": 2,  # the unsent ones only
    "shoutouts": 1,
    "celebrated": 1,
    "pin_attempts": 1,
    "metric_values": 0,  # HQ data: the next sync brings it back
    "feed_state": 0,  # so every feed is pulled whole (no validators)
}


def moved_aside(folder: Path, kind: str) -> list[Path]:
    """The moved-aside database files (not their -wal and -shm)."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.name.startswith(f"kiosk.db.{kind}-") and not p.name.endswith(("-wal", "-shm"))
    )


def open_and_log(path: Path, caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="sync.store.db"):
        db = open_database(path, repair=True)  # the start of `kiosk run`
        with db.read() as s:
            assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                HEAD_REVISION
            )
        db.dispose()
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_garbage_bytes_are_moved_aside_and_a_fresh_database_made(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "kiosk.db"
    path.write_bytes(os.urandom(64 * 1024))
    errors = open_and_log(path, caplog)
    assert len(errors) == 1
    message = errors[0].getMessage()
    assert "is damaged (file is not a database)" in message
    assert "moved it to kiosk.db.corrupt-" in message and "next sync" in message
    [aside] = moved_aside(tmp_path, "corrupt")
    assert aside.stat().st_size == 64 * 1024  # the evidence, untouched
    assert integrity(path) == "ok"
    assert counts(path)["manager_entries"] == 0


def test_a_truncated_file_is_moved_aside_and_its_intact_tables_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "kiosk.db"
    fill(path, metric_rows=20_000)
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size * 6 // 10)
    errors = open_and_log(path, caplog)
    assert len(errors) == 1 and "is damaged" in errors[0].getMessage()
    assert len(moved_aside(tmp_path, "corrupt")) == 1
    assert counts(path) == KEPT


def test_a_damaged_page_found_at_run_time_is_checked_and_rebuilt_at_the_next_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "kiosk.db"
    fill(path, metric_rows=20_000)
    size = path.stat().st_size
    with open(path, "r+b") as handle:  # scribble over the HQ data in the second half
        handle.seek(size // 2 // 4096 * 4096)
        handle.write(os.urandom(4 * 4096))

    # The quick start does not read every page: it opens fine...
    db = open_database(path, repair=True)
    assert not moved_aside(tmp_path, "corrupt")
    # ...until a read touches the damage, which marks the file for a full check.
    with pytest.raises(Exception) as caught, db.read() as s:
        s.scalar(select(func.sum(MetricValue.value)))
    assert is_corruption(caught.value)
    db.dispose()
    assert suspect_marker(path).exists()

    errors = open_and_log(path, caplog)
    assert len(errors) == 1
    # Either the check lists the damage or SQLite gives up on the page while checking.
    assert "is damaged (" in errors[0].getMessage()
    assert not suspect_marker(path).exists()
    assert len(moved_aside(tmp_path, "corrupt")) == 1
    assert counts(path) == KEPT


def test_a_suspect_database_that_passes_the_full_check_is_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "kiosk.db"
    fill(path)
    suspect_marker(path).write_text("a scare\n")
    assert open_and_log(path, caplog) == []
    assert "passed its integrity check" in caplog.text
    assert not suspect_marker(path).exists()
    assert counts(path)["metric_values"] == 3000


def test_a_database_from_a_newer_version_is_moved_aside_with_its_wal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "kiosk.db"
    fill(path)
    # A newer kiosk upgraded the schema (an extra column) and crashed before a checkpoint:
    # the newest rows live only in the -wal file.
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("ALTER TABLE manager_entries ADD COLUMN note TEXT")
    conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.execute(
        "INSERT INTO manager_entries VALUES ('S001', 'training', '2026-11-24', 2.5, "
        "'2026-11-24 21:00:00.000000', 'typed after the upgrade')"
    )
    crash = tmp_path / "crash"
    crash.mkdir()
    for suffix in ("", "-wal", "-shm"):  # the files as a power cut leaves them
        shutil.copyfile(f"{path}{suffix}", crash / f"kiosk.db{suffix}")
    conn.close()
    path = crash / "kiosk.db"
    assert Path(f"{path}-wal").stat().st_size > 0

    errors = open_and_log(path, caplog)
    assert len(errors) == 1
    message = errors[0].getMessage()
    assert "is from a newer kiosk version" in message and "0099_from_the_future" in message
    assert "kept 2 manager entries, 2 audit rows, 2 unsent uploads, 1 shout-out" in message
    [aside] = moved_aside(crash, "newer")
    assert Path(f"{aside}-wal").exists()  # moved as a pair, still readable together
    assert counts(path) == {**KEPT, "manager_entries": 2}
    assert query(path, "SELECT value FROM manager_entries WHERE metric = 'training'") == [(2.5,)]


def test_an_up_to_date_database_opens_without_a_check_or_alembic(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    fill(path)
    before = {p.name for p in tmp_path.iterdir()}
    assert counts(path)["metric_values"] == 3000
    assert {p.name for p in tmp_path.iterdir()} - before <= {"kiosk.db-wal", "kiosk.db-shm"}


def test_two_processes_starting_on_a_corrupt_file_move_it_aside_once(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    path.write_bytes(b"not a database at all " * 1000)
    failures: list[BaseException] = []

    def start() -> None:
        try:
            open_database(path, repair=True).dispose()
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(moved_aside(tmp_path, "corrupt")) == 1
    assert integrity(path) == "ok"


def test_locked_or_busy_is_not_corruption() -> None:
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorcode = 5  # type: ignore[attr-defined]
    assert not is_corruption(locked)
    malformed = sqlite3.DatabaseError("database disk image is malformed")
    assert is_corruption(malformed)
