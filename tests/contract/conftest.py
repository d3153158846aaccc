from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract.helpers import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    root = tmp_path / "store"
    root.mkdir()
    return Store(root)
