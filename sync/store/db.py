"""Opening the kiosk database: checked, migrated, recovered if need be, with its sessions.

`open_database(path)` is the one way in. It runs `open_checked`, which moves a corrupt database
or one from a newer kiosk version aside and rebuilds it, keeping the store's own data it can
still read (the pieces are in `sync.store.recovery`; the engine and migrations in
`sync.store.engine`). docs/reliability.md has the policy.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from sync.clock import utc_now
from sync.store.engine import WRITE_OPTION, make_engine, upgrade
from sync.store.recovery import (
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

log = logging.getLogger("sync.store.db")


@dataclass(frozen=True)
class Database:
    """The kiosk database: `read()` sessions for queries, `write()` sessions for changes."""

    engine: Engine
    read: sessionmaker[Session]
    write: sessionmaker[Session]

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(path: Path | str, *, migrate: bool = True) -> Database:
    """The kiosk database at `path`, created if missing and migrated to the newest schema.

    With `migrate`, a corrupt database or one from a newer kiosk version is moved aside and
    rebuilt, keeping the store's own data it can still read (`sync.store.recovery`).
    """
    if migrate and str(path) != ":memory:":
        engine = open_checked(path)
    else:
        engine = make_engine(path)
        if migrate:
            upgrade(engine)
    writer = engine.execution_options(**{WRITE_OPTION: True})
    return Database(
        engine=engine,
        read=sessionmaker(engine, expire_on_commit=False),
        write=sessionmaker(writer, expire_on_commit=False),
    )


def open_checked(path: Path | str, *, now: dt.datetime | None = None) -> Engine:
    """A migrated engine on `path`, after moving a corrupt or newer database aside (see the
    module docstring). Other errors (a full disk, a read-only folder) propagate."""
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
        moved = move_aside(path, problem.kind, now or utc_now())
        marker.unlink(missing_ok=True)
        engine = make_engine(path)
        upgrade(engine)
        carried, unreadable = carry_over(moved, engine)
        log_rebuilt(path, moved, problem, carried, unreadable)
        watch_engine(engine, path)
        return engine
