"""Upgrades: a database made by the first released schema keeps every row through every migration.

Generic on purpose: the rows are generated from the tables as the first revision creates them
(reflected, not from today's models), and compared column by column after `open_database` runs
the migrations to head, so each new migration is checked without touching this file. A
migration that drops or renames something on purpose lists it in INTENDED_CHANGES.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, types

from sync.store.db import open_database
from sync.store.engine import HEAD_REVISION, MIGRATIONS_DIR, make_engine, upgrade
from tests.reliability.helpers import integrity

ROWS_PER_TABLE = 5
# table -> columns a later migration removes or renames on purpose ("*" for the whole table).
INTENDED_CHANGES: dict[str, set[str]] = {}


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS_DIR))


def first_revision() -> str:
    [base] = _scripts().get_bases()
    return base


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    # sync.store.db skips importing Alembic when the database is at HEAD_REVISION: a new migration
    # that forgets to update it would never run.
    assert _scripts().get_heads() == [HEAD_REVISION]


def _value(column: Any, table: str, i: int) -> object:
    """A distinctive value of the column's type for row `i` (as SQLite stores it)."""
    kind = column["type"]
    if isinstance(kind, types.Boolean):
        return i % 2
    if isinstance(kind, types.Integer):
        return 1000 + i
    if isinstance(kind, types.Float):
        return 0.1 * (i + 1) + 12345.5
    if isinstance(kind, types.DateTime):
        return (dt.datetime(2026, 11, 24, 21, 0) + dt.timedelta(minutes=i)).isoformat(
            " "
        ) + ".000000"
    if isinstance(kind, types.Date):
        return (dt.date(2026, 11, 1) + dt.timedelta(days=i)).isoformat()
    if column["name"].endswith("_json"):
        return f'{{"row": {i}, "text": "é 👍 \\"q\\""}}'
    return f"{table}.{column['name']}.{i} é 👍 'q'"


def fill_every_table(path: Path) -> dict[str, list[dict[str, object]]]:
    """ROWS_PER_TABLE rows in every table the first schema has; returns what was written."""
    engine = make_engine(path)
    upgrade(engine, first_revision())
    inspector = inspect(engine)
    written: dict[str, list[dict[str, object]]] = {}
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for table in inspector.get_table_names():
            if table == "alembic_version":
                continue
            columns = inspector.get_columns(table)
            rows = [
                {c["name"]: _value(c, table, i) for c in columns} for i in range(ROWS_PER_TABLE)
            ]
            names = ", ".join(f'"{c["name"]}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            conn.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                [tuple(row.values()) for row in rows],
            )
            written[table] = rows
        conn.execute("COMMIT")
    finally:
        conn.close()
        engine.dispose()
    return written


def test_every_row_of_the_first_schema_survives_the_upgrade_to_head(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    written = fill_every_table(path)
    assert {"manager_entries", "entry_audit", "outbox", "shoutouts"} <= written.keys()

    db = open_database(path, repair=True)  # the start-up path: checks, then migrates to head
    db.dispose()
    assert integrity(path) == "ok"
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
        for table, rows in written.items():
            dropped = INTENDED_CHANGES.get(table, set())
            if "*" in dropped:
                continue
            kept = [c for c in rows[0] if c not in dropped]
            names = ", ".join(f'"{c}"' for c in kept)
            found = sorted(conn.execute(f'SELECT {names} FROM "{table}"').fetchall())
            expected = sorted(tuple(row[c] for c in kept) for row in rows)
            assert found == expected, f"rows of {table} changed in the upgrade"
    finally:
        conn.close()
    # Nothing was moved aside: an old schema is upgraded, not treated as damage.
    assert [
        p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name or ".newer-" in p.name
    ] == []


def test_every_migration_upgrades_from_the_one_before(tmp_path: Path) -> None:
    """Step by step from the first revision, each a separate start of the kiosk."""
    revisions = [r.revision for r in reversed(list(_scripts().walk_revisions()))]
    path = tmp_path / "kiosk.db"
    written = fill_every_table(path)
    for revision in revisions:
        engine = make_engine(path)
        upgrade(engine, revision)
        engine.dispose()
        assert integrity(path) == "ok", revision
    conn = sqlite3.connect(path)
    try:
        for table, rows in written.items():
            if "*" not in INTENDED_CHANGES.get(table, set()):
                count = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                assert count == len(rows), table
    finally:
        conn.close()
