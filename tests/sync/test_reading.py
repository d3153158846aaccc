"""The board's read path on the standard library's sqlite3 (sync/store/reading.py).

`kiosk screenshot` and `kiosk scoreboard` read an intact, current database with sqlite3 alone
and must show exactly what `kiosk run` shows through SQLAlchemy; anything `open_database` has
to act on (no file, a suspect mark, a damaged or newer file) still goes through it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.board.snapshot import load_snapshot
from sync.store.db import Database, open_database
from sync.store.quick_open import open_reader
from sync.store.reading import SqliteReader, open_fast
from sync.store.recovery import DatabaseDamaged, suspect_marker
from tests.demo_env import DEMO_DAY, DEMO_NOW, demo_env
from tests.kiosk.factories import insert, values

REPO = Path(__file__).resolve().parents[2]


def test_a_demo_board_reads_the_same_through_sqlite3_as_through_sqlalchemy(
    tmp_path: Path,
) -> None:
    env = demo_env(tmp_path)
    env.sync()
    through_orm = load_snapshot(env.db, env.config, DEMO_DAY, DEMO_NOW)
    env.db.dispose()
    reader = open_reader(env.config.database_path)
    try:
        assert isinstance(reader, SqliteReader)
        through_sqlite = load_snapshot(reader, env.config, DEMO_DAY, DEMO_NOW)
    finally:
        reader.dispose()
    # Every screen has something: a comparison of empty boards would prove nothing.
    assert through_sqlite.scoreboard.metrics and through_sqlite.comments
    assert through_sqlite.messages and through_sqlite.leaderboard is not None
    assert through_sqlite.freshness.last_success is not None
    assert through_sqlite.freshness.last_success.tzinfo is not None
    assert through_sqlite == through_orm


def test_a_screenshot_of_an_intact_database_never_imports_sqlalchemy(tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    env.sync()
    env.db.dispose()
    script = (
        "import datetime as dt, json, sys\n"
        "from pathlib import Path\n"
        "from kiosk.config import load_config\n"
        "from kiosk.board.snapshot import load_snapshot\n"
        "from sync.store.quick_open import open_reader\n"
        f"config = load_config(Path({str(env.config.path)!r}))\n"
        "db = open_reader(config.database_path)\n"
        f"snap = load_snapshot(db, config, dt.date.fromisoformat({DEMO_DAY.isoformat()!r}),"
        f" dt.datetime.fromisoformat({DEMO_NOW.isoformat()!r}))\n"
        "db.dispose()\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic'))\n"
        "print(json.dumps([type(db).__name__, len(snap.scoreboard.metrics), loaded]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    kind, metrics, imported = json.loads(done.stdout)
    assert (kind, imported) == ("SqliteReader", [])
    assert metrics > 0


def test_a_missing_database_is_created_and_migrated_as_before(tmp_path: Path) -> None:
    path = tmp_path / "new" / "kiosk.db"
    db = open_reader(path)
    try:
        assert isinstance(db, Database)
        with db.reading() as conn:
            assert conn.execute("SELECT count(*) FROM metric_values").fetchone() == (0,)
    finally:
        db.dispose()
    assert isinstance(open_fast(path), SqliteReader)


def test_a_suspect_database_gets_the_full_check_of_open_database(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    open_database(path).dispose()
    suspect_marker(path).write_text("a scare\n")
    assert open_fast(path) is None
    db = open_reader(path)
    db.dispose()
    assert isinstance(db, Database)
    assert not suspect_marker(path).exists()  # it passed the integrity check


@pytest.mark.parametrize("damage", ["newer", "truncated", "garbage"])
def test_a_damaged_or_newer_database_is_refused_and_left_alone(tmp_path: Path, damage) -> None:
    path = tmp_path / "kiosk.db"
    db = open_database(path)
    insert(db, values("S001", "sales", {DEMO_DAY: 5}))
    db.dispose()
    if damage == "newer":
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
        conn.close()
    elif damage == "truncated":
        with sqlite3.connect(path) as conn:  # enough pages that cutting some off shows
            conn.execute("CREATE TABLE filler (x)")
            conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 900,)] * 200)
        conn.close()
        with open(path, "r+b") as handle:
            handle.truncate(path.stat().st_size // 2)
    else:
        path.write_bytes(os.urandom(32 * 1024))
    before = path.read_bytes()
    assert open_fast(path) is None
    with pytest.raises(DatabaseDamaged):
        open_reader(path)
    assert path.read_bytes() == before


def test_a_damaged_page_met_while_reading_marks_the_database_suspect(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    db = open_database(path)
    insert(db, [v for day in range(40) for v in values(f"S{day:03}", "sales", {DEMO_DAY: day})])
    insert(db, *(values("S001", f"m{i}", {DEMO_DAY: i}) for i in range(3000)))
    db.dispose()
    size = path.stat().st_size
    with open(path, "r+b") as handle:  # scribble over the second half: the value pages
        handle.seek(size // 2 // 4096 * 4096)
        handle.write(os.urandom(4 * 4096))
    reader = open_fast(path)
    assert isinstance(reader, SqliteReader)  # the quick checks do not read every page
    try:
        with pytest.raises(sqlite3.DatabaseError), reader.reading() as conn:
            conn.execute("SELECT sum(value), count(*) FROM metric_values").fetchall()
    finally:
        reader.dispose()
    assert suspect_marker(path).exists()  # the next start checks it fully


def test_one_reading_sees_one_moment_while_a_sync_commits(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    writer = open_database(path)
    insert(writer, values("S001", "sales", {DEMO_DAY: 1}))
    reader = open_fast(path)
    assert reader is not None
    count = "SELECT count(*) FROM metric_values"
    try:
        with reader.reading() as conn:
            assert conn.execute(count).fetchone() == (1,)
            insert(writer, values("S002", "sales", {DEMO_DAY: 2}))  # a pull commits
            assert conn.execute(count).fetchone() == (1,)
        with reader.reading() as conn:
            assert conn.execute(count).fetchone() == (2,)
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                conn.execute("DELETE FROM metric_values")
    finally:
        reader.dispose()
        writer.dispose()
