"""The disk under the database: full or read-only, and whether the file is still the one opened.

Two field faults live here:

- After a clean stop there is no `-wal`/`-shm`; on a full or read-only disk SQLite cannot create
  them, so the database cannot even be read in WAL mode. The kiosk then opens it read-only
  (`open_read_only`): the last board stays on screen, and every writer says why nothing can be
  saved (`disk_problem`), instead of a traceback and a restart loop with a black screen.
- A database file moved or replaced while a process has it open (an admin's `mv`, an older
  kiosk's status command moving a "damaged" file aside) would keep receiving that process's
  writes in the moved file: entries reported "saved", gone after a restart. `guard_identity`
  refuses every write transaction once the file at the path is not the one opened.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

# Below this much free space a disk counts as full: SQLite needs room for a WAL and its index.
FULL_BELOW_BYTES = 256 * 1024
DB_FILE_MODE = 0o600


@dataclass(frozen=True)
class DiskProblem:
    """Why nothing can be written: `kind` is "full" or "read-only"; `text` says it for a person
    (status, logs), `short` for the screen's header."""

    kind: str
    folder: Path

    @property
    def text(self) -> str:
        if self.kind == "read-only":
            return (
                f"the disk holding the kiosk's database ({self.folder}) is read-only: nothing "
                "can be saved (entries, pulls); remount it read-write or free the SD card's lock"
            )
        return (
            f"the disk holding the kiosk's database ({self.folder}) is full: nothing can be "
            "saved (entries, pulls); free some space there"
        )

    @property
    def short(self) -> str:
        return (
            "Disk read-only: nothing can be saved"
            if self.kind == "read-only"
            else ("Disk full: nothing can be saved")
        )


def disk_problem(path: Path | str) -> DiskProblem | None:
    """Whether the disk holding `path` (a database file) is read-only or full, now."""
    folder = Path(path).resolve().parent
    try:
        stats = os.statvfs(folder)
    except OSError:
        return None
    if stats.f_flag & os.ST_RDONLY:
        return DiskProblem("read-only", folder)
    if stats.f_bavail * stats.f_frsize < FULL_BELOW_BYTES:
        return DiskProblem("full", folder)
    return None


def open_read_only(path: Path | str) -> Engine:
    """An engine that only reads the database at `path`, on a disk where the WAL's files
    cannot be created (nothing else can write there either)."""
    from sqlalchemy import create_engine, event

    path = Path(path).resolve()
    wal = Path(f"{path}-wal")
    # Committed pages still in a WAL need its index to be read; without any (a clean stop, or
    # an empty WAL left by the failed open) everything is in the main file, which `immutable`
    # reads with no index and no locks.
    pending = wal.exists() and wal.stat().st_size > 0
    query = "mode=ro" if pending else "mode=ro&immutable=1"
    engine = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(f"file:{path}?{query}", uri=True, check_same_thread=False),
    )
    event.listen(engine, "connect", _read_only_connect)
    return engine


def _read_only_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA cache_size=-16000")
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def private_file(path: Path | str) -> None:
    """Create the database file 0600 before SQLite does (its `-wal` and `-shm` copy the mode),
    and tighten an existing one: store data and PIN attempts are nobody else's business,
    whatever the umask."""
    path = Path(path)
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, DB_FILE_MODE))
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.chmod(f"{path}{suffix}", DB_FILE_MODE)


class DatabaseReplaced(RuntimeError):
    """The database file at the path is not the one this process opened: nothing is written."""


def file_identity(path: Path | str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def guard_identity(
    engine: Engine,
    path: Path | str,
    is_write: Callable[[Any], bool],
    on_replaced: Callable[[], None] | None = None,
) -> None:
    """Refuse (DatabaseReplaced) every write transaction on `engine` once the file at `path`
    is gone or another file; `on_replaced` is called once, from the writing thread."""
    from sqlalchemy import event

    opened = file_identity(path)
    told = False

    def check(conn: Any) -> None:
        nonlocal told
        if not is_write(conn) or file_identity(path) == opened:
            return
        if on_replaced is not None and not told:
            told = True
            on_replaced()
        raise DatabaseReplaced(
            f"the database file {path} was moved or replaced while the kiosk ran: nothing was "
            "saved into the old file; the kiosk restarts to open the one now at that path"
        )

    event.listen(engine, "begin", check, insert=True)
