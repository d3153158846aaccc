"""Opening the kiosk database: checked, migrated, recovered if need be, with its sessions.

`open_database(path)` is the one way in. It runs `open_checked`, which finds a corrupt database
or one from a newer kiosk version and, only when the caller may repair (`kiosk run` at start,
`kiosk repair`), moves it aside and rebuilds it, keeping the store's own data it can still read
(the pieces are in `sync.store.recovery`; the engine and migrations in `sync.store.engine`).
Every other command reports the damage and changes nothing (`DatabaseDamaged`): a status
command must never move the file from under a running kiosk. On a full or read-only disk the
database opens read-only (`sync.store.storage`). docs/reliability.md has the policy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from sync.clock import utc_now
from sync.store.engine import WRITE_OPTION, make_engine, upgrade
from sync.store.reading import connection_of, watching
from sync.store.recovery import (
    DatabaseDamaged,
    Problem,
    carry_over,
    diagnose,
    exclusive,
    first_line,
    is_corruption,
    log_rebuilt,
    move_aside,
    suspect_marker,
    watch_engine,
)
from sync.store.storage import (
    DiskProblem,
    disk_problem,
    guard_identity,
    open_read_only,
    private_file,
)

log = logging.getLogger("sync.store.db")


@dataclass(frozen=True)
class Database:
    """The kiosk database: `read()` sessions for queries, `write()` sessions for changes,
    `reading()` for the board's plain-SQL reads.

    `disk_problem`: opened read-only because its disk is full or read-only; every write fails.
    """

    engine: Engine
    read: sessionmaker[Session]
    write: sessionmaker[Session]
    path: Path | None = None
    disk_problem: DiskProblem | None = None

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction, as the sqlite3 connection under a `read()` session: the
        board's queries are plain SQL (sync/store/reading.py)."""
        with self.read() as session, watching(self.path):
            yield connection_of(session)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(
    path: Path | str,
    *,
    migrate: bool = True,
    repair: bool = False,
    on_replaced: Callable[[], None] | None = None,
) -> Database:
    """The kiosk database at `path`, created if missing and migrated to the newest schema.

    A corrupt database or one from a newer kiosk version raises DatabaseDamaged, or with
    `repair` is moved aside and rebuilt, keeping the store's own data it can still read. On a
    full or read-only disk it opens read-only (`Database.disk_problem` says why). Every write
    transaction first checks that the file at `path` is still the one opened
    (`on_replaced` is called once when it is not).
    """
    if str(path) == ":memory:" or not migrate:
        engine = make_engine(path)
        if migrate:
            upgrade(engine)
        return _database(engine, None)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        private_file(path)
        engine = open_checked(path, repair=repair)
    except DatabaseDamaged:
        raise
    except Exception:
        problem = disk_problem(path)
        if problem is None or not path.exists():
            raise
        log.error("%s; showing the last data it holds", problem.text)
        return _database(open_read_only(path), path, problem)
    guard_identity(engine, path, _is_write, on_replaced)
    return _database(engine, path)


def _is_write(conn: Any) -> bool:
    return bool(conn.get_execution_options().get(WRITE_OPTION, False))


def _database(engine: Engine, path: Path | None, problem: DiskProblem | None = None) -> Database:
    writer = engine.execution_options(**{WRITE_OPTION: True})
    return Database(
        engine=engine,
        read=sessionmaker(engine, expire_on_commit=False),
        write=sessionmaker(writer, expire_on_commit=False),
        path=path,
        disk_problem=problem,
    )


def repair_database(path: Path | str) -> str:
    """`kiosk repair`: check the database at `path` fully and rebuild it if need be (with the
    kiosk stopped); returns what happened, in one line."""
    path = Path(path)
    if path.exists():
        suspect_marker(path).touch()  # ask for the full check, as a run-time scare would
    said: list[str] = []
    open_checked(path, repair=True, said=said.append).dispose()
    return said[0] if said else f"the database {path} passed its full check: nothing to repair"


def open_checked(
    path: Path | str,
    *,
    repair: bool = True,
    now: dt.datetime | None = None,
    said: Callable[[str], None] | None = None,
) -> Engine:
    """A migrated engine on `path`. A corrupt or newer database is moved aside and rebuilt
    with `repair`, else DatabaseDamaged (see the module docstring). Other errors (a full disk,
    a read-only folder) propagate."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(path):
        marker = suspect_marker(path)
        full_check = marker.exists()
        engine = make_engine(path)
        problem = diagnose(engine, path, full_check=full_check)
        if problem is None:
            try:
                upgrade(engine)
            except Exception as exc:
                if not is_corruption(exc):
                    engine.dispose()
                    raise
                problem = Problem("corrupt", f"migrating failed: {first_line(exc)}")
        if problem is None:
            if full_check:
                log.info("database %s passed its integrity check", path)
                marker.unlink(missing_ok=True)
            watch_engine(engine, path)
            return engine

        engine.dispose()
        if not repair:
            raise DatabaseDamaged(path, problem)
        moved = move_aside(path, problem.kind, now or utc_now())
        marker.unlink(missing_ok=True)
        engine = make_engine(path)
        upgrade(engine)
        carried, unreadable = carry_over(moved, engine)
        line = log_rebuilt(path, moved, problem, carried, unreadable)
        if said is not None:
            said(line)
        watch_engine(engine, path)
        return engine
