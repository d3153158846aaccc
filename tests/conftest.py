"""Shared test set-up. Qt must be told to render offscreen before anything imports it."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_QUICK_BACKEND", "software")
# Qt Virtual Keyboard, embedded in the manager's shout-out page (kiosk.ui.manager.keyboard);
# pytest-qt makes the QApplication, so the input method is chosen here, before it exists.
os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.store.db import Database, open_database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A real, migrated SQLite database file in a temporary folder."""
    database = open_database(tmp_path / "kiosk.db")
    yield database
    database.dispose()
