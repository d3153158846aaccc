"""Opening the HQ database: the engine, connection settings, migrations, the two session
factories (each made once, here).

SQLite (the embedded default): WAL, so the pages read while a heartbeat writes, and
`synchronous=FULL`, because an acknowledgement tells the kiosk it may forget the item: what HQ
acknowledged must survive a power cut. Write transactions start with BEGIN IMMEDIATE, so two
writers queue on the busy timeout instead of one failing when it upgrades a read lock.

PostgreSQL (a fleet): psycopg 3 and a small pool, without pre-ping (a round trip before
every transaction, for every heartbeat): when PostgreSQL restarts, the first request on a dead
connection fails with a 503 (the kiosk retries) and SQLAlchemy drops the whole stale pool.
Migrations run under an advisory lock so two services starting together do not both migrate.
`lookup` sessions are autocommit on PostgreSQL: one statement, one round trip (the token
check every kiosk request starts with).
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
VERSION_TABLE = "hq_alembic_version"  # not Alembic's default: a shared database may have one
BUSY_TIMEOUT_MS = 15_000
_WRITE_OPTION = "hq_write"
_MIGRATION_LOCK = 0x6B696F736B2D6871  # "kiosk-hq" as a number: PostgreSQL's advisory lock id


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Run the PRAGMAs outside a transaction, then leave transactions to the "begin" hook.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get(_WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: URL) -> Engine:
    """An engine for `url` with the settings above; no schema work."""
    if url.get_backend_name() == "sqlite":
        assert url.database
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(
        url,
        pool_size=10,
        max_overflow=10,
        pool_recycle=3600,
        connect_args={"application_name": "kiosk-hq"},
    )


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` with Alembic; a no-op when it is there already."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("version_table", VERSION_TABLE)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


@dataclass(frozen=True)
class Database:
    """`read()` sessions for the pages, `write()` sessions for what the kiosks send,
    `lookup()` sessions for a single-statement read."""

    engine: Engine
    read: sessionmaker[Session]
    write: sessionmaker[Session]
    lookup: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: URL, *, migrate: bool = True) -> Database:
    """The database at `url`, migrated to the newest schema (created if it is new)."""
    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    writer = engine.execution_options(**{_WRITE_OPTION: True})
    # SQLite's transactions are local and cheap (and its "begin" hook above needs them).
    single = (
        engine.execution_options(isolation_level="AUTOCOMMIT")
        if engine.dialect.name == "postgresql"
        else engine
    )
    return Database(
        engine=engine,
        read=sessionmaker(engine, expire_on_commit=False),
        write=sessionmaker(writer, expire_on_commit=False),
        lookup=sessionmaker(single, expire_on_commit=False),
    )
