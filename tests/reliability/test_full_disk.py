"""A full disk during a big pull: a clear error, the old data intact, no damage, and the next pull
works once there is room again.

The disk is "filled" with SQLite's own `PRAGMA max_page_count` on every connection of the
engine: the database cannot grow past it, and SQLite answers exactly as on a full disk
(SQLITE_FULL, "database or disk is full").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from sync.service import SyncService
from sync.spec import FeedSpec
from sync.status import feed_statuses
from sync.store.db import Database
from sync.store.models import FeedState, MetricValue, SyncRun
from tests.reliability.helpers import integrity, kiosk, write_config

OLD_ROWS = 500
BIG_ROWS = 60_000


def write_metrics(path: Path, rows: int, value: float) -> None:
    start = dt.date(2020, 1, 1)
    lines = ["store_id,date,metric,value"]
    lines += [f"S001,{start + dt.timedelta(days=i // 20)},m{i % 20},{value}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


class DiskLimit:
    """Caps the database at `pages` pages on every connection of `db`'s engine."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.pages: int | None = None
        event.listen(db.engine, "connect", self._on_connect)

    def _on_connect(self, dbapi_connection: Any, _record: Any) -> None:
        if self.pages is not None:
            dbapi_connection.execute(f"PRAGMA max_page_count = {self.pages}")

    def set(self, pages: int | None) -> None:
        self.pages = pages
        self.db.engine.dispose()  # every connection from now on gets the new limit

    def pages_in_use(self) -> int:
        with self.db.engine.connect() as conn:
            return int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())


@pytest.fixture
def limit(db: Database) -> Iterator[DiskLimit]:
    yield DiskLimit(db)


def test_a_full_disk_mid_pull_keeps_the_old_data_and_says_so(
    db: Database, limit: DiskLimit, tmp_path: Path
) -> None:
    feed = tmp_path / "metrics.csv"
    spec = FeedSpec(name="metrics", kind="metrics", url=str(feed))
    service = SyncService(db, "S001", [spec])
    try:
        write_metrics(feed, OLD_ROWS, 1.0)
        assert service.pull(spec).outcome == "applied"

        # Room for a few more pages, not for 60,000 more rows.
        limit.set(limit.pages_in_use() + 8)
        write_metrics(feed, BIG_ROWS, 2.0)
        report = service.pull(spec)
        assert report.outcome == "failed"
        assert report.error is not None
        assert "database or disk is full" in report.error
        assert "free some disk space" in report.error
        assert "INSERT" not in report.error and "[parameters" not in report.error
        assert report.line().endswith("kept the previous data")

        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(MetricValue)) == OLD_ROWS
            assert set(session.scalars(select(MetricValue.value).distinct())) == {1.0}
        assert integrity(Path(str(db.engine.url.database))) == "ok"
        # The failure is on record, so `kiosk status` does not show the last success.
        with db.read() as session:
            [status] = feed_statuses(session, [spec], ZoneInfo("America/Chicago"))
        assert status["status"] == "error"
        assert "database or disk is full" in str(status["error"])

        # Room again: the next pull brings the whole new version.
        limit.set(None)
        report = service.pull(spec)
        assert report.outcome == "applied", report.line()
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(MetricValue)) == BIG_ROWS
            assert set(session.scalars(select(MetricValue.value).distinct())) == {2.0}
            assert session.get(FeedState, "metrics").status == "ok"  # type: ignore[union-attr]
    finally:
        service.close()


def test_when_not_even_a_run_row_fits_the_status_row_still_says_full(
    db: Database, limit: DiskLimit, tmp_path: Path
) -> None:
    """The fallback: recording the run needs a new page; updating the feed's row in place does
    not, so `kiosk status` still shows the error instead of the last success."""
    feed = tmp_path / "metrics.csv"
    spec = FeedSpec(name="metrics", kind="metrics", url=str(feed))
    service = SyncService(db, "S001", [spec])
    try:
        write_metrics(feed, OLD_ROWS, 1.0)
        assert service.pull(spec).outcome == "applied"
        # Fill every free byte with run rows, until not one more fits.
        limit.set(limit.pages_in_use())
        now = dt.datetime.now(dt.UTC)
        filler = 0
        while True:
            try:
                with db.write.begin() as session:
                    session.add(
                        SyncRun(feed="filler", started=now, finished=now, outcome="applied")
                    )
                filler += 1
            except OperationalError:
                break
        assert filler < 10_000
        with db.read() as session:
            runs_before = session.scalar(select(func.count()).select_from(SyncRun))
        write_metrics(feed, BIG_ROWS, 2.0)
        report = service.pull(spec)
        assert report.outcome == "failed" and "database or disk is full" in (report.error or "")
        with db.read() as session:
            state = session.get(FeedState, "metrics")
            assert state is not None and state.status == "error"
            assert "database or disk is full" in (state.error or "")
            runs_after = session.scalar(select(func.count()).select_from(SyncRun))
        assert runs_after == runs_before  # the run row did not fit; the state row did
        assert integrity(Path(str(db.engine.url.database))) == "ok"
    finally:
        service.close()


def test_kiosk_status_prints_the_full_disk_line(tmp_path: Path) -> None:
    """What the technician reads: the error and the hint, on the feed's status line."""
    from sync.store.db import open_database

    feed = tmp_path / "metrics.csv"
    config = write_config(tmp_path, [("metrics", "metrics", str(feed))])
    db = open_database(tmp_path / "kiosk.db")
    limit = DiskLimit(db)
    spec = FeedSpec(name="metrics", kind="metrics", url=str(feed))
    service = SyncService(db, "S001", [spec])
    try:
        write_metrics(feed, OLD_ROWS, 1.0)
        service.pull(spec)
        limit.set(limit.pages_in_use() + 4)
        write_metrics(feed, BIG_ROWS, 2.0)
        service.pull(spec)
    finally:
        service.close()
        db.dispose()
    status = kiosk("status", "--config", str(config), cwd=tmp_path)
    assert status.returncode == 0
    line = status.stdout.splitlines()[0]
    assert line.split()[:3] == ["metrics", "metrics", "error"]
    assert "error: the kiosk's database is full (database or disk is full): free some" in line
