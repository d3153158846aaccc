"""Reading the kiosk database through the standard library's sqlite3.

The board's queries (kiosk/board: the scoreboard, leaderboard, trends, celebrations and the
snapshot) are plain SQL run on a `sqlite3.Connection`, so they cost no SQLAlchemy: importing
it takes about 0.25 s, longer than a bare PySide6 program takes to start and show a picture,
and its statement compilation and row processing were most of a snapshot's read time. Writes,
migrations and recovery stay on SQLAlchemy and Alembic (sync/store/db.py).

Two ways to a connection:
- `connection_of(source)`: the sqlite3 connection under a SQLAlchemy Session (inside the
  session's transaction: `Database.reading()`, and every caller that already holds one), or a
  sqlite3 connection as it is;
- `open_reader(path)` (sync/store/quick_open.py): for the read-only commands (`kiosk
  scoreboard`, `kiosk screenshot`). An intact database at the newest schema opens with
  `open_fast` here, sqlite3 alone, after the same quick checks `sync.store.db.open_checked`
  makes (the table list, a truncated file, the schema version; no lock, no write). Anything else
  (no file yet, a database marked suspect, an older or newer schema, a damaged or unreadable
  file, a full or read-only disk) goes through `open_database`, which creates, migrates,
  recovers or refuses exactly as before.

Values come back as SQLite stores them, and are converted as SQLAlchemy's types did: dates are
ISO text (`to_date`), UTC datetimes naive ISO text made aware (`to_utc`), booleans integers.
A corruption error while reading marks the database suspect, as `watch_engine` does for the
SQLAlchemy engine, so the next start checks it fully.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sync.store.engine import BUSY_TIMEOUT_MS, HEAD_REVISION
from sync.store.recovery import is_corruption, mark_suspect, suspect_marker, truncated
from sync.store.storage import DiskProblem

if TYPE_CHECKING:
    pass


class Readable(Protocol):
    """What the board reads from: `Database` (SQLAlchemy) or `SqliteReader`."""

    path: Path | None
    disk_problem: DiskProblem | None

    def reading(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...

    def dispose(self) -> None: ...


def connection_of(source: object) -> sqlite3.Connection:
    """The sqlite3 connection to run a read on: `source` itself, or the one under a SQLAlchemy
    Session, in that session's transaction (begun here if it has not begun yet)."""
    if isinstance(source, sqlite3.Connection):
        return source
    # A Session (duck-typed: this module never imports SQLAlchemy): its Connection, its pooled
    # DBAPI connection, the sqlite3 connection under that.
    driver = source.connection().connection.driver_connection  # type: ignore[attr-defined]
    assert isinstance(driver, sqlite3.Connection), f"not a SQLite session: {source!r}"
    return driver


def marks(count: int) -> str:
    """ "?, ?, ?" for an IN list of `count` values (SQLite allows 32,766 per statement)."""
    return ", ".join("?" * max(1, count))


def iso(day: dt.date) -> str:
    """A date as the database stores it (SQLAlchemy's SQLite Date: YYYY-MM-DD)."""
    return day.isoformat()


def to_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def to_utc(text: str | None) -> dt.datetime | None:
    """A `UTCDateTime` column's value (naive UTC text) as an aware UTC datetime."""
    if text is None:
        return None
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@contextlib.contextmanager
def watching(path: Path | None) -> Iterator[None]:
    """Mark the database at `path` suspect when a read in the block finds it damaged."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        if path is not None and is_corruption(exc):
            mark_suspect(path, str(exc))
        raise


class SqliteReader:
    """A read-only view of an intact, up-to-date kiosk database on one sqlite3 connection.

    `reading()` is one read transaction: every query in it sees the same moment of the
    database, even while a sync commits (WAL). Never writes. Usable from one thread at a time.
    """

    disk_problem: DiskProblem | None = None

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path: Path | None = path
        self._connection = connection

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection
        with watching(self.path):
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("ROLLBACK")

    def dispose(self) -> None:
        self._connection.close()


def _connect(path: Path) -> sqlite3.Connection:
    # The kiosk's connection PRAGMAs (sync/store/engine.py `_on_connect`) that matter to a
    # reader; journal_mode is left alone: setting it may write, and WAL is the file's own.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA cache_size=-16000")
    conn.execute("PRAGMA query_only=ON")  # a reader: any write is a bug, refused by SQLite
    return conn


def _intact_and_current(conn: sqlite3.Connection, path: Path) -> bool:
    """The quick checks of `sync.store.recovery.diagnose` passed and the schema is the newest:
    nothing for `open_checked` to do."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        return False
    if truncated(conn, path):
        return False  # open_checked says so (and a repair moves it aside)
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row is not None and row[0] == HEAD_REVISION


def open_fast(path: Path | str) -> SqliteReader | None:
    """A `SqliteReader` on the database at `path` when it is intact and at the newest schema;
    None when `open_database` has something to do (see the module text)."""
    path = Path(path)
    if not path.is_file() or suspect_marker(path).exists():
        return None
    try:
        conn = _connect(path)
    except sqlite3.Error:
        return None
    try:
        if _intact_and_current(conn, path):
            return SqliteReader(path, conn)
    except sqlite3.Error:
        pass  # damaged, locked, unreadable on this disk: open_database tells which
    conn.close()
    return None
