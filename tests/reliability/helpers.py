"""Shared helpers of the reliability tests: configs, raw SQLite checks, a `kiosk` subprocess."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

STORE = """
[store]
id = "S001"
name = "Downtown"
timezone = "America/Chicago"

[database]
path = "kiosk.db"

[logging]
dir = "log"
"""


def write_config(folder: Path, feeds: Iterable[tuple[str, str, str]], extra: str = "") -> Path:
    """A config in `folder` with `(name, kind, url)` feeds; the database is `folder/kiosk.db`."""
    text = STORE + extra
    for name, kind, url in feeds:
        text += f'\n[[feeds]]\nname = "{name}"\nkind = "{kind}"\nurl = "{url}"\n'
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def kiosk(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python -m kiosk ARGS` to the end."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


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
