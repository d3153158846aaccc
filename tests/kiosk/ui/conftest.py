"""UI test fixtures: the QApplication with the bundled fonts, and a fake monotonic clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from kiosk.board.model import BoardSnapshot
from kiosk.ui.application import ensure_app
from kiosk.ui.render import ScreenView
from tests.kiosk.ui import snapshots

SIZES = (QSize(1280, 720), QSize(1920, 1080), QSize(3840, 2160))


@pytest.fixture(autouse=True)
def kiosk_app(qapp: QApplication) -> QApplication:
    """pytest-qt's application, with the bundled DejaVu fonts loaded."""
    return ensure_app()


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_view(qtbot) -> Iterator:
    """Build a header + screen view at a size, shown offscreen, cleaned up after the test."""
    views: list[ScreenView] = []

    def make(
        name: str, snapshot: BoardSnapshot | None = None, size: QSize = SIZES[1]
    ) -> ScreenView:
        view = ScreenView(name, snapshot or snapshots.full_snapshot(), size, now=snapshots.NOW)
        qtbot.addWidget(view)
        views.append(view)
        return view

    yield make
