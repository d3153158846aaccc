"""The SQLite engine of the kiosk database: PRAGMAs, transactions that take the write lock up front,
and schema migrations. Opening with checks and recovery is `sync.store.db`.

Durability choice: WAL with `synchronous=FULL`. In WAL mode FULL syncs the log on every commit,
so a manager's saved number survives a power cut right after "saved" appears; NORMAL could lose
the last commits (never corrupt the file). Commits here are few (one per feed pull, one per
manager save), so the extra fsync costs nothing anyone notices. docs/reliability.md has the
details, and the policy for a corrupt database or one from a newer version (`sync.store.db`
and `sync.store.recovery`: moved aside and rebuilt at open, keeping the store's own data).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
# The newest migration. Checked before importing Alembic, so a start-up on an up-to-date
# database does not pay for Alembic's import; tests assert it matches the migration scripts.
HEAD_REVISION = "0003_redact_feed_urls"

BUSY_TIMEOUT_MS = 15_000


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Python 3.11's sqlite3 has no `autocommit` attribute; isolation_level=None lets the
    # PRAGMAs run outside a transaction, then pysqlite's own handling is turned off for good
    # so SQLAlchemy's "begin" event below controls transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # 16 MB page cache (default 2 MB): a 200-store leaderboard reads ~5,600 value rows.
    cursor.execute("PRAGMA cache_size=-16000")
    cursor.close()


def _on_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front, so two writers queue on busy_timeout instead of
    # one failing with "database is locked" when it upgrades a read lock half-way.
    write = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


WRITE_OPTION = "kiosk_write"


def make_engine(path: Path | str) -> Engine:
    """An engine on the SQLite file at `path`, creating its folder; no schema work."""
    # Imported here: `kiosk screenshot` and `kiosk scoreboard` read through the standard
    # library's sqlite3 (sync/store/reading.py) and never pay SQLAlchemy's import (0.25 s),
    # yet use this module's schema version.
    from sqlalchemy import create_engine, event

    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import text

    with engine.connect() as conn:
        has_table = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not has_table:
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` with Alembic (a no-op when already at head)."""
    if revision == "head" and current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    log.info("database schema upgraded to %s", revision)
