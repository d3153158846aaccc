"""The database for a read-only command (`kiosk scoreboard`, `kiosk screenshot`): sqlite3 alone
when it is intact and current (`sync.store.reading.open_fast`), else `open_database`.

Its own module, above both: `sync.store.db` uses `sync.store.reading`, and `open_database` is
imported only when the fast way fails, so an intact database costs no SQLAlchemy import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sync.store.reading import SqliteReader, open_fast

if TYPE_CHECKING:
    from sync.store.db import Database


def open_reader(path: Path | str) -> SqliteReader | Database:
    """The database at `path` for a read-only command: `open_fast`, else `open_database`
    (created, migrated, or DatabaseDamaged, as for every other command)."""
    fast = open_fast(path)
    if fast is not None:
        return fast
    from sync.store.db import open_database  # only now: it imports SQLAlchemy

    return open_database(path)
