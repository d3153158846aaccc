"""The heartbeat's thumbnail: asked for from a scheduler thread, painted on the GUI thread, a
480x270 JPEG under 40 KB of what the screen shows, the same bytes while the screen is the same."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import Future

import pytest
from PySide6.QtCore import QThread
from PySide6.QtGui import QImage

from kiosk.config import DisplayConfig, ScreenSlot
from kiosk.ui.thumbnail import ScreenThumbnails
from kiosk.ui.window import KioskWindow
from sync.heartbeat import THUMBNAIL_MAX_BYTES, Thumbnail
from tests.kiosk.ui import snapshots

SLOTS = (ScreenSlot("scoreboard", 20), ScreenSlot("comments", 15))


class Wall:
    def __init__(self) -> None:
        self.moment = dt.datetime(2026, 11, 24, 15, 0, tzinfo=snapshots.TZ)

    def __call__(self) -> dt.datetime:
        return self.moment


def take_on_a_worker(qtbot, thumbnails: ScreenThumbnails) -> Thumbnail | None:
    """As the heartbeat job does: on another thread, while the GUI's event loop runs."""
    result: Future[Thumbnail | None] = Future()
    gui = QThread.currentThread()

    def work() -> None:
        assert QThread.currentThread() != gui
        result.set_result(thumbnails.take(timeout=10))

    threading.Thread(target=work, daemon=True).start()
    qtbot.waitUntil(result.done, timeout=15_000)  # the event loop turns meanwhile
    return result.result()


def decoded(thumbnail: Thumbnail) -> QImage:
    image = QImage.fromData(thumbnail.data, "JPEG")
    assert not image.isNull()
    return image


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160)])
def test_the_thumbnail_is_a_small_jpeg_of_the_board(qtbot, clock, tmp_path, size) -> None:
    wall = Wall()
    display = DisplayConfig(transition_ms=0, open_at=dt.time(7), close_at=dt.time(22))
    window = KioskWindow(SLOTS, display, clock=clock, now=wall)
    qtbot.addWidget(window)
    window.resize(*size)
    window.set_snapshot(snapshots.full_snapshot())
    window.show()
    qtbot.waitExposed(window)
    thumbnails = ScreenThumbnails(window)

    first = take_on_a_worker(qtbot, thumbnails)
    assert first is not None and first.media_type == "image/jpeg"
    assert 2_000 < len(first.data) < THUMBNAIL_MAX_BYTES
    image = decoded(first)
    assert (image.width(), image.height()) == (480, 270)
    # The board's dark background, not an empty image: the header's text is there too.
    assert image.pixelColor(470, 260).lightness() < 40
    assert max(image.pixelColor(x, 12).lightness() for x in range(0, 200)) > 150
    image.save(str(tmp_path / f"thumbnail-{size[0]}.png"))

    # The same screen: the same bytes, so the heartbeat sends only the hash.
    again = take_on_a_worker(qtbot, thumbnails)
    assert again is not None and again.sha256 == first.sha256

    # Another screen on show: another picture.
    clock.advance(20)
    window.advance()
    assert window.current_screen()[0] == "comments"
    comments = take_on_a_worker(qtbot, thumbnails)
    assert comments is not None and comments.sha256 != first.sha256

    # After closing time the screen is black, and so is its picture.
    wall.moment = wall.moment.replace(hour=23)
    window.apply_schedule()
    assert not window.display_on
    dark = take_on_a_worker(qtbot, thumbnails)
    assert dark is not None and dark.sha256 not in (first.sha256, comments.sha256)
    night = decoded(dark)
    assert max(night.pixelColor(x, y).lightness() for x in (10, 240, 470) for y in (10, 260)) < 8


def test_a_hidden_window_has_no_thumbnail(qtbot, clock) -> None:
    window = KioskWindow(SLOTS, DisplayConfig(transition_ms=0), clock=clock, now=Wall())
    qtbot.addWidget(window)
    assert ScreenThumbnails(window).take(timeout=1) is None
