"""Security test fixtures: the QApplication with the bundled fonts (as tests/ui has)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.ui.application import ensure_app


@pytest.fixture
def kiosk_app(qapp: QApplication) -> QApplication:
    return ensure_app()
