"""Fixtures of the manager tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ManagerConfig


@pytest.fixture
def manager(tmp_path: Path) -> ManagerConfig:
    """PIN and key files in folders of their own, as a deployment keeps them apart."""
    return ManagerConfig(
        pin_file=tmp_path / "secrets" / "manager-pin.json",
        key_file=tmp_path / "keys" / "manager-pin.key",
    )
