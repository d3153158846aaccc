"""Crashes and power cuts: `kill -9` at random moments of a large pull and of a manager's saves.

A SIGKILL stops the process between any two instructions, like a crash; the database must come
back with `PRAGMA integrity_check` "ok", a feed applied wholly or not at all, and every save that
was reported as done present with its audit row and outbox item. (A power cut also loses what
the OS had not yet written to disk; that is what `synchronous=FULL` is for, see
docs/reliability.md. A kill does not lose the page cache, so these tests check atomicity and
recovery, not fsync.)
"""

from __future__ import annotations

import datetime as dt
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from sync.store.db import open_database
from sync.store.models import CatalogMetric
from tests.reliability.helpers import REPO, integrity, kiosk, query, write_config

ROWS = 200_000  # 2,000 days x 100 metrics of store S001: about 4.6 MB of CSV
KILLS_DURING_START = 4
KILLS_DURING_PULLS = 20
KILLS_DURING_SAVES = 10

# Every outcome of every kill, for docs/reliability.md (printed with -s).
TALLY: Counter[str] = Counter()


def _feed_lines() -> list[str]:
    start = dt.date(2020, 1, 1)
    days = [(start + dt.timedelta(days=d)).isoformat() for d in range(ROWS // 100)]
    return [f"S001,{day},m{m:03d}," for day in days for m in range(100)]


def write_version(path: Path, prefixes: list[str], version: int) -> None:
    """The metrics feed with every value equal to `version`."""
    tail = f"{version}\n"
    path.write_text("store_id,date,metric,value\n" + tail.join(prefixes) + tail, encoding="utf-8")


def start_sync(config: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "--once", "--config", str(config)],
        cwd=config.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def writing(db: Path) -> bool:
    """Whether another process holds the database's write lock (is inside a write transaction)."""
    if not db.exists():
        return False
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    else:
        conn.execute("ROLLBACK")
        return False
    finally:
        conn.close()


def kill_after(proc: subprocess.Popen[bytes], delay: float, db: Path | None = None) -> str:
    """SIGKILL `proc` after `delay` seconds: "finished" when it had ended by itself, else
    "writing" or "killed" (whether it held the write lock just before the kill)."""
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        held = db is not None and writing(db)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return "writing" if held else "killed"
    return "finished"


def kill_while_writing(proc: subprocess.Popen[bytes], db: Path, delay: float) -> str:
    """Wait until `proc` holds the write lock (its apply began), then kill it `delay` seconds
    later: kills that land inside the transaction however slow the machine is today."""
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if writing(db):
            return kill_after(proc, delay, db)
        time.sleep(0.005)
    return kill_after(proc, 0, db)


def metric_state(db: Path) -> tuple[int, set[float]]:
    """(rows, distinct values) of the metrics table, or (0, set()) before the schema exists."""
    tables = {r[0] for r in query(db, "SELECT name FROM sqlite_master WHERE type='table'")}
    if "metric_values" not in tables:
        return 0, set()
    rows = query(db, "SELECT count(*) FROM metric_values")[0][0]
    values = {float(r[0]) for r in query(db, "SELECT DISTINCT value FROM metric_values")}
    return int(rows), values  # type: ignore[arg-type]


@pytest.mark.slow
def test_kill_9_during_sync_once_never_leaves_half_a_feed(tmp_path: Path) -> None:
    rng = random.Random(20261124)
    feed = tmp_path / "metrics.csv"
    config = write_config(tmp_path, [("metrics", "metrics", "metrics.csv")])
    db = tmp_path / "kiosk.db"
    prefixes = _feed_lines()
    write_version(feed, prefixes, 1)

    # Calibrate: how long one whole run takes on this machine (start-up, migration, pull).
    started = time.monotonic()
    assert kiosk("sync", "--once", "--config", str(config), cwd=tmp_path).returncode == 0
    whole = time.monotonic() - started
    assert metric_state(db) == (ROWS, {1.0})

    # 1. Kills while starting on a fresh database: creating the schema is one transaction too.
    for _ in range(KILLS_DURING_START):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        how = kill_after(start_sync(config), rng.uniform(0.2, 0.7))
        TALLY["start: finished first" if how == "finished" else "start: killed"] += 1
        assert integrity(db) == "ok"
        rows, values = metric_state(db)
        assert (rows, values) in ((0, set()), (ROWS, {1.0}))

    # 2. Kills across pulls of a changed feed: each version sets every value to its number.
    current = metric_state(db)[1]
    version = 1
    for i in range(KILLS_DURING_PULLS):
        version += 1
        write_version(feed, prefixes, version)
        before = current
        proc = start_sync(config)
        if i % 2:  # at any moment of the run: start-up, download, parse, apply, commit
            how = kill_after(proc, rng.uniform(0.45, whole * 0.95), db)
        else:  # inside the apply transaction
            how = kill_while_writing(proc, db, rng.uniform(0.0, 0.8))
        assert integrity(db) == "ok"
        rows, values = metric_state(db)
        if values == {float(version)}:
            outcome = "applied"
        else:
            assert values == before, f"mixed versions after a kill: {sorted(values)[:5]}"
            outcome = "mid-apply (rolled back)" if how == "writing" else "before apply"
        assert rows in (0, ROWS)
        assert rows == ROWS or values == set()
        TALLY["pull: finished first" if how == "finished" else f"pull: {outcome}"] += 1
        current = values

    # 3. The next run after all that succeeds and brings the newest version whole.
    version += 1
    write_version(feed, prefixes, version)
    result = kiosk("sync", "--once", "--config", str(config), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "metrics: ok, applied 200,000 rows" in result.stdout
    assert metric_state(db) == (ROWS, {float(version)})
    assert integrity(db) == "ok"
    print("\nkill -9 during sync --once:", dict(TALLY))
    # Enough kills landed inside the apply transaction to mean something.
    assert TALLY["pull: mid-apply (rolled back)"] >= 3, dict(TALLY)


def _seed_catalog(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        with db.write.begin() as session:
            for position, metric in enumerate(("sales", "training")):
                session.add(
                    CatalogMetric(
                        metric=metric,
                        label=metric.title(),
                        unit="",
                        perspective="financial",
                        direction="up",
                        aggregate="sum",
                        decimals=0,
                        entry=True,
                        position=position,
                        feed="catalog",
                    )
                )
    finally:
        db.dispose()


def check_saves(db: Path, printed: list[str]) -> None:
    """Every printed save is committed, whole; no entry lacks its audit row and outbox item."""
    assert integrity(db) == "ok"
    outbox = {
        key: json.loads(payload)
        for key, payload in query(db, "SELECT idempotency_key, payload_json FROM outbox")
    }
    for line in printed:
        key, metric, day, value = line.split()
        assert key in outbox, f"a save reported as done is missing: {line}"
        body = outbox[key]
        assert (body["metric"], body["date"], float(body["value"])) == (metric, day, float(value))
    audits = query(db, "SELECT count(*) FROM entry_audit")[0][0]
    assert audits == len(outbox), "every save writes one audit row and one outbox item"
    orphans = query(
        db,
        "SELECT e.metric, e.day FROM manager_entries e WHERE NOT EXISTS ("
        " SELECT 1 FROM entry_audit a WHERE a.store_id = e.store_id AND a.metric = e.metric"
        " AND a.day = e.day AND a.new_value = e.value)",
    )
    assert orphans == [], f"entries without the audit row of their value: {orphans[:3]}"


@pytest.mark.slow
def test_kill_9_during_manager_saves_never_loses_or_halves_one(tmp_path: Path) -> None:
    rng = random.Random(7)
    db = tmp_path / "kiosk.db"
    _seed_catalog(db)
    total_printed = 0
    for run in range(KILLS_DURING_SAVES):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.save_loop", str(db), str(run * 100_000)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stderr is not None
        # Kill at a random moment once saving is under way (start-up time varies with load).
        first = proc.stdout.readline()
        how = kill_after(proc, rng.uniform(0.05, 0.6), db)
        printed = [first, *proc.stdout.read().splitlines()] if first else []
        printed = [line.strip() for line in printed if line.strip()]
        errors = proc.stderr.read()
        assert how != "finished", f"the save loop stopped by itself: {errors[-2000:]}"
        assert printed, f"no save finished before the kill: {errors[-2000:]}"
        check_saves(db, printed)
        total_printed += len(printed)
        TALLY[f"saves: {how}"] += 1
    saves = {k: v for k, v in TALLY.items() if k.startswith("saves:")}
    print(f"\nkill -9 during saves: {saves}, {total_printed} saves checked")
