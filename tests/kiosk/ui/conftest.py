"""UI test fixtures: the QApplication with the bundled fonts, a fake monotonic clock, and the
screen language (English unless a test asks for another, and back to English after it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from kiosk.board.model import BoardSnapshot
from kiosk.board.wording import Wording
from kiosk.locales import DEFAULT_LOCALE
from kiosk.ui.application import ensure_app
from kiosk.ui.i18n import use_locale
from kiosk.ui.render import ScreenView
from tests.kiosk.ui import snapshots

SIZES = (QSize(1280, 720), QSize(1920, 1080), QSize(3840, 2160))


@pytest.fixture(autouse=True)
def kiosk_app(qapp: QApplication) -> QApplication:
    """pytest-qt's application, with the bundled DejaVu fonts loaded."""
    return ensure_app()


@pytest.fixture(scope="session")
def catalog_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the tests' catalogs are compiled: once per run, never in the user's cache."""
    return tmp_path_factory.mktemp("translations")


@pytest.fixture
def speak(kiosk_app: QApplication, catalog_cache: Path) -> Iterator[Callable[[str], Wording]]:
    """`speak("fr_CA")` makes the screens speak a locale; English again after the test."""

    def use(locale: str) -> Wording:
        return use_locale(locale, cache_dir=catalog_cache)

    yield use
    use(DEFAULT_LOCALE)


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
