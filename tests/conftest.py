"""Shared test set-up. Qt must be told to render offscreen before anything imports it."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_QUICK_BACKEND", "software")

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.db import Database, open_database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A real, migrated SQLite database file in a temporary folder."""
    database = open_database(tmp_path / "kiosk.db")
    yield database
    database.dispose()
