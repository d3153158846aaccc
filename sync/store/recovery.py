"""A database that cannot be used is moved aside and rebuilt, never a kiosk that will not start.

`sync.store.db.open_checked` (which `open_database` runs) is made of the pieces here. On the quick
path (an intact database at the newest schema) it costs a few small reads (the table list, the
page count, the schema version; about 1 ms); it reacts only when SQLite or Alembic says something
is wrong:

- **corrupt**: SQLite reports `SQLITE_CORRUPT` or `SQLITE_NOTADB` ("database disk image is
  malformed", "file is not a database") while opening, reading the schema or migrating; or the file
  is shorter than its own header says (a truncated copy); or a full `PRAGMA integrity_check` fails
  on a database marked *suspect*;
- **newer**: its `alembic_version` is a revision our migration scripts do not know (the software
  was rolled back under a database a newer version had upgraded).

Such a file is renamed `kiosk.db.corrupt-YYYYMMDD-HHMMSS` (or `.newer-...`, UTC), together with its
`-wal` and `-shm` files (still usable as a pair under the new name), a fresh database is created
and migrated, and the store's own data is copied over from the old file when it can be read, table
by table (skipping what cannot be read): manager entries and their audit rows, unsent outbox
items, shout-outs, celebrated goals and PIN attempts. HQ data is not copied: the next sync pulls
every feed whole again (the feed state is not carried, so no pull is conditional). One ERROR log
line says what happened.

No full `integrity_check` runs on an ordinary start: it reads every page of the file (seconds for
a large database on an SD card). Instead every engine watches its own errors (`watch_engine`): a
corruption error anywhere at run time (a pull, a snapshot read, a save) marks the database
*suspect* (a `kiosk.db.suspect` file next to it), and the next start runs the full check on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync.store.engine import HEAD_REVISION, MIGRATIONS_DIR
from sync.store.storage import DatabaseReplaced, disk_problem

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import ExceptionContext

log = logging.getLogger("sync.store.db")

# Primary result codes (https://sqlite.org/rescode.html); extended codes keep them in the low byte.
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
_CORRUPT_WORDS = ("database disk image is malformed", "file is not a database")

SUSPECT_SUFFIX = ".suspect"
LOCK_SUFFIX = ".lock"
DB_FILE_SUFFIXES = ("", "-wal", "-shm", "-journal")

# The store's own data, in the order it is copied (parents before the rows that refer to them);
# `where` limits a table to what is still worth keeping. HQ feed data and sync bookkeeping are
# not copied: the feeds bring them back.
CARRIED_TABLES: tuple[tuple[str, str], ...] = (
    ("manager_entries", ""),
    ("entry_audit", ""),
    ("outbox", "sent_at IS NULL"),
    ("shoutouts", ""),
    ("celebrated", ""),
    ("pin_attempts", ""),
)


# --- classifying errors -------------------------------------------------------------------------


def _sqlite_errors(exc: BaseException) -> Iterator[sqlite3.Error]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, sqlite3.Error):
            yield current
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]


def _has_code(exc: BaseException, code: int, words: tuple[str, ...] = ()) -> bool:
    for err in _sqlite_errors(exc):
        errcode = getattr(err, "sqlite_errorcode", None)
        if errcode is not None and errcode & 0xFF == code:
            return True
        if any(word in str(err).lower() for word in words):
            return True
    return False


def _has_any_code(exc: BaseException, codes: tuple[int, ...]) -> bool:
    return any(_has_code(exc, code) for code in codes)


def is_corruption(exc: BaseException) -> bool:
    """Whether `exc` (or what it wraps) is SQLite saying the file is damaged or not a database.

    "database is locked" and "disk I/O error" are not corruption: they pass.
    """
    return _has_code(exc, SQLITE_CORRUPT, _CORRUPT_WORDS) or _has_code(exc, SQLITE_NOTADB)


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc` is SQLite's "database or disk is full" (SQLITE_FULL)."""
    return _has_code(exc, SQLITE_FULL, ("database or disk is full",))


def describe_db_error(exc: BaseException, path: Path | str | None = None) -> str | None:
    """One line for a database failure a person can act on, or None when it is something else.

    Never the SQL or its parameters (SQLAlchemy's messages carry both: a whole batch of rows).
    With the database's `path`, an I/O or read-only error is told as the disk's state ("the disk
    ... is read-only") rather than SQLite's "disk I/O error".
    """
    if isinstance(exc, DatabaseReplaced):
        return str(exc)
    if path is not None and _has_any_code(exc, (SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN)):
        problem = disk_problem(path)
        if problem is not None:
            return problem.text
    if is_disk_full(exc):
        return (
            "the kiosk's database is full (database or disk is full): "
            "free some disk space; the next pull tries again"
        )
    if is_corruption(exc):
        return (
            "the kiosk's database is damaged (database disk image is malformed); "
            "it is checked and rebuilt from the feeds at the next start"
        )
    return None


class DatabaseDamaged(Exception):
    """The database is corrupt or from a newer kiosk, and this caller may not repair it."""

    def __init__(self, path: Path, problem: Problem) -> None:
        what = "damaged" if problem.kind == "corrupt" else "from a newer kiosk version"
        super().__init__(
            f"the kiosk's database {path} is {what} ({problem.reason}); nothing was changed: "
            "restarting the kiosk (kiosk run) or `kiosk repair` with the kiosk stopped moves it "
            "aside and rebuilds it, keeping the store's own entries"
        )
        self.problem = problem


# --- the suspect marker -------------------------------------------------------------------------


def suspect_marker(path: Path | str) -> Path:
    return Path(f"{path}{SUSPECT_SUFFIX}")


def mark_suspect(path: Path | str, reason: str) -> None:
    """Ask the next start to run a full integrity check on the database at `path` (best effort:
    on a full disk even this small file may not be written)."""
    marker = suspect_marker(path)
    if marker.exists():
        return
    try:
        marker.write_text(reason[:500] + "\n", encoding="utf-8")
    except OSError:
        log.warning("could not mark %s for a check at the next start", path)
        return
    log.error(
        "the database %s reported damage (%s); it will be checked, and rebuilt from the feeds "
        "if need be, at the next start",
        path,
        reason[:200],
    )


def watch_engine(engine: Engine, path: Path | str) -> None:
    """Mark the database suspect whenever a statement on `engine` fails with corruption."""
    from sqlalchemy import event

    def on_error(context: ExceptionContext) -> None:
        original = context.original_exception
        if original is not None and is_corruption(original):
            mark_suspect(path, str(original))

    event.listen(engine, "handle_error", on_error)


# --- opening with checks ------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why a database cannot be used as it is: `kind` is "corrupt" or "newer"."""

    kind: str
    reason: str


def _known_revisions(migrations_dir: Path) -> set[str]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(migrations_dir))
    return {rev.revision for rev in scripts.walk_revisions()}


def truncated(conn: sqlite3.Connection, path: Path) -> str | None:
    """A reason when the file is shorter than its page count says (only judged without a WAL:
    pages may legitimately live in the WAL until the next checkpoint). `conn` is the sqlite3
    connection on `path` (under SQLAlchemy: `driver_connection`)."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return None
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    (page_count,) = conn.execute("PRAGMA page_count").fetchone()
    size = path.stat().st_size
    if size < page_size * page_count:
        return f"the file is truncated: {size:,} bytes of the {page_size * page_count:,} it holds"
    return None


def diagnose(engine: Engine, path: Path, *, full_check: bool) -> Problem | None:
    """What is wrong with the database behind `engine`, or None; raises nothing for corruption."""
    from sqlalchemy import text

    try:
        with engine.connect() as conn:
            tables = set(
                conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'").scalars()
            )
            reason = truncated(conn.connection.driver_connection, path) if path.exists() else None
            if reason:
                return Problem("corrupt", reason)
            if full_check:
                rows = [str(r) for r in conn.exec_driver_sql("PRAGMA integrity_check").scalars()]
                if rows != ["ok"]:
                    problems = [line for row in rows for line in row.splitlines()]
                    problems = [p for p in problems if not p.startswith("***")] or problems
                    more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
                    return Problem("corrupt", f"integrity check failed: {problems[0]}{more}")
            if "alembic_version" not in tables:
                if tables:
                    return Problem("corrupt", "it has tables but no schema version")
                return None  # a new, empty database
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as exc:
        if is_corruption(exc):
            return Problem("corrupt", first_line(exc))
        raise
    if revision is None or revision == HEAD_REVISION:
        return None
    if revision not in _known_revisions(MIGRATIONS_DIR):
        return Problem(
            "newer",
            f"its schema version {revision!r} is newer than this kiosk knows ({HEAD_REVISION})",
        )
    return None


def first_line(exc: BaseException) -> str:
    for err in _sqlite_errors(exc):
        return str(err).splitlines()[0] if str(err) else type(err).__name__
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an advisory lock next to the database, so that two processes starting at once do
    not both move it aside (the second waits, then finds the fresh one)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks, no concurrent starts
        yield
        return
    try:
        handle = open(f"{path}{LOCK_SUFFIX}", "a+b")  # noqa: SIM115
    except OSError:
        yield  # a read-only folder: nothing would be moved anyway
        return
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def move_aside(path: Path, kind: str, now: dt.datetime) -> Path:
    """Rename the database and its -wal/-shm/-journal to `<name>.<kind>-YYYYMMDD-HHMMSS...`."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{kind}-{stamp}")
    counter = 1
    while any(Path(f"{target}{suffix}").exists() for suffix in DB_FILE_SUFFIXES):
        counter += 1
        target = path.with_name(f"{path.name}.{kind}-{stamp}-{counter}")
    for suffix in DB_FILE_SUFFIXES:
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, f"{target}{suffix}")
    return target


def carry_over(old_path: Path, engine: Engine) -> tuple[dict[str, int], list[str]]:
    """Copy CARRIED_TABLES rows from the moved-aside file into the fresh database, table by table.

    Returns the rows copied per table and the tables that could not be read (or only partly:
    the rows before the damage are kept). Columns are matched by name, so a newer schema with
    extra columns still gives up the ones this kiosk knows.
    """
    carried: dict[str, int] = {}
    unreadable: list[str] = []
    padded = _padded_copy(old_path)
    try:
        # Read-only, so that closing it does not checkpoint the moved-aside -wal into the file:
        # the evidence stays as it was found.
        source = Path(padded or old_path).resolve().as_uri()
        old = sqlite3.connect(f"{source}?mode=ro", uri=True, timeout=5, isolation_level=None)
    except sqlite3.Error:
        return carried, [name for name, _ in CARRIED_TABLES]
    try:
        with engine.connect() as new:
            for table, where in CARRIED_TABLES:
                wanted = [row[1] for row in new.exec_driver_sql(f'PRAGMA table_info("{table}")')]
                new.commit()
                rows, columns, complete = _read_table(old, wanted, table, where)
                if not complete:
                    unreadable.append(table)
                if not rows:
                    continue
                placeholders = ", ".join("?" for _ in columns)
                names = ", ".join(f'"{c}"' for c in columns)
                try:
                    new.exec_driver_sql(
                        f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({placeholders})',
                        rows,
                    )
                    new.commit()
                except Exception:
                    new.rollback()
                    log.warning("could not copy the %s rows of %s", table, old_path, exc_info=True)
                    if table not in unreadable:
                        unreadable.append(table)
                    continue
                carried[table] = len(rows)
    finally:
        old.close()
        if padded is not None:
            for suffix in DB_FILE_SUFFIXES:
                Path(f"{padded}{suffix}").unlink(missing_ok=True)
    return carried, unreadable


def _padded_copy(path: Path) -> Path | None:
    """For a truncated file: a copy padded with zeros to the size its header states.

    SQLite refuses a file shorter than its header says ("database disk image is malformed") at
    the first statement, even when the pages a table needs are all there; padded, it opens, and
    only the tables that lost pages fail. None when the file is not truncated (or unreadable).
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if not pages or size >= page_size * pages or Path(f"{path}-wal").exists():
        return None
    copy = path.with_name(f"{path.name}.readable")
    try:
        shutil.copyfile(path, copy)
        with open(copy, "r+b") as handle:
            handle.truncate(page_size * pages)
    except OSError:
        copy.unlink(missing_ok=True)
        return None
    return copy


def _read_table(
    old: sqlite3.Connection, wanted: list[str], table: str, where: str
) -> tuple[list[tuple[Any, ...]], list[str], bool]:
    """(rows, columns, read completely) of `table` in the old file: the `wanted` columns it has."""
    rows: list[tuple[Any, ...]] = []
    columns: list[str] = []
    try:
        present = {row[1] for row in old.execute(f'PRAGMA table_info("{table}")')}
        if not present:
            return rows, [], True  # the table did not exist there: nothing to carry
        columns = [c for c in wanted if c in present]
        names = ", ".join(f'"{c}"' for c in columns)
        sql = f'SELECT {names} FROM "{table}"' + (f" WHERE {where}" if where else "")
        for row in old.execute(sql):
            rows.append(tuple(row))
    except sqlite3.Error:
        return rows, columns, False
    return rows, columns, True


_LABELS = {
    "manager_entries": ("manager entry", "manager entries"),
    "entry_audit": ("audit row", "audit rows"),
    "outbox": ("unsent upload", "unsent uploads"),
    "shoutouts": ("shout-out", "shout-outs"),
    "celebrated": ("celebrated goal", "celebrated goals"),
    "pin_attempts": ("PIN attempt", "PIN attempts"),
}


def log_rebuilt(
    path: Path, moved: Path, problem: Problem, carried: dict[str, int], unreadable: list[str]
) -> str:
    """Log the one ERROR line that says what happened, and return it."""
    kept = ", ".join(
        f"{count} {_LABELS[table][0 if count == 1 else 1]}" for table, count in carried.items()
    )
    what = "is damaged" if problem.kind == "corrupt" else "is from a newer kiosk version"
    line = (
        f"database {path} {what} ({problem.reason}): moved it to {moved.name} and started a "
        f"fresh one, which the next sync fills from the feeds; kept {kept or 'no store data'}"
    )
    if unreadable:
        line += f"; could not read all of: {', '.join(unreadable)}"
    log.error("%s", line)
    return line
