"""Shared helpers of the reliability tests: configs, raw SQLite checks, a `kiosk` subprocess."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterable
from pathlib import Path

from tests import configs
from tests.configs import Feed

REPO = Path(__file__).resolve().parents[2]


def write_config(folder: Path, feeds: Iterable[Feed], extra: str = "") -> Path:
    """A config in `folder` with `(name, kind, url)` feeds; the database is `folder/kiosk.db`."""
    return configs.write_config(folder, configs.config_text(feeds, extra=extra))


def kiosk(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python -m kiosk ARGS` to the end."""
    return configs.run_kiosk(*args, cwd=cwd, timeout=timeout)


def integrity(path: Path) -> str:
    """`PRAGMA integrity_check` of the database at `path` (opening it recovers its WAL)."""
    conn = sqlite3.connect(path)
    try:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()
    return "\n".join(rows)


def query(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()
