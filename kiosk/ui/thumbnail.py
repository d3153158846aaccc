"""The heartbeat's picture of the screen on show: grabbed on the GUI thread, encoded off it.

`ScreenThumbnails.take()` is called by the heartbeat job on a scheduler thread. It asks the GUI
thread (a queued signal into a slot) for a frame: the window painted straight into a 480x270
image (`QWidget.render` through a scaled painter: a median 8-9 ms for a full board at 1080p
and at 4K alike, where a full-size grab then a scale takes 15 ms at 1080p and 87 ms at 4K),
handed over as plain bytes. The
caller waits for it at most `GRAB_TIMEOUT_SECONDS` (the GUI thread never waits) and encodes it
as JPEG on its own thread; QImage may be used on any thread. The encoding is kept under
`THUMBNAIL_MAX_BYTES` by lowering the quality, and reused while the frame's pixels are the same.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QPoint,
    Qt,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

from kiosk.ui import theme as th
from sync.heartbeat import THUMBNAIL_MAX_BYTES, Thumbnail

THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT = 480, 270
GRAB_TIMEOUT_SECONDS = 3.0
# Quality 70 makes 5-28 KB of the demo's screens; lower steps only for an unusually busy one.
JPEG_QUALITIES = (70, 55, 40, 25)


@dataclass(frozen=True)
class Frame:
    """Raw RGB888 pixels of the scaled window, safe to hand to another thread."""

    width: int
    height: int
    bytes_per_line: int
    pixels: bytes


def grab_frame(window: QWidget) -> Frame | None:
    """The window painted into at most 480x270 (its aspect kept). GUI thread only."""
    width, height = window.width(), window.height()
    if not window.isVisible() or width <= 0 or height <= 0:
        return None
    scale = min(THUMBNAIL_WIDTH / width, THUMBNAIL_HEIGHT / height)
    image = QImage(
        max(1, round(width * scale)), max(1, round(height * scale)), QImage.Format.Format_RGB888
    )
    image.fill(QColor(th.BACKGROUND))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        window.render(painter, QPoint(0, 0))
    finally:
        painter.end()
    return Frame(image.width(), image.height(), image.bytesPerLine(), bytes(image.constBits()))


def encode_jpeg(frame: Frame, max_bytes: int = THUMBNAIL_MAX_BYTES) -> bytes | None:
    """The frame as a JPEG under `max_bytes`, at the best quality that fits; any thread."""
    image = QImage(
        frame.pixels, frame.width, frame.height, frame.bytes_per_line, QImage.Format.Format_RGB888
    ).copy()  # owns its pixels: `frame.pixels` is only borrowed by the constructor
    for quality in JPEG_QUALITIES:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        saved = image.save(buffer, "JPEG", quality)
        buffer.close()
        if saved and 0 < data.size() < max_bytes:
            return bytes(data.data())
    return None


class ScreenThumbnails(QObject):
    """The window's thumbnail on demand, for the heartbeat; lives in the GUI thread."""

    _grab_requested = Signal()

    def __init__(self, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._lock = threading.Lock()
        self._frame: Frame | None = None
        self._generation = 0
        self._grabbed = threading.Condition(self._lock)
        self._encoded: tuple[str, Thumbnail] | None = None  # (pixels' hash, its encoding)
        # Emitted from a scheduler thread: Qt queues it to this object's (the GUI) thread.
        self._grab_requested.connect(self._grab, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _grab(self) -> None:
        frame = grab_frame(self._window)
        with self._lock:
            self._frame = frame
            self._generation += 1
            self._grabbed.notify_all()

    def take(self, timeout: float = GRAB_TIMEOUT_SECONDS) -> Thumbnail | None:
        """A fresh thumbnail of the screen on show (the last one when the GUI thread is busy
        for `timeout` seconds); None before the window was first shown. Meant for another
        thread (it waits for the GUI thread); on the GUI thread it grabs directly."""
        if QThread.currentThread() == self.thread():  # on the GUI thread after all: no wait
            self._grab()
        with self._lock:
            if QThread.currentThread() != self.thread():
                asked = self._generation
                self._grab_requested.emit()
                self._grabbed.wait_for(lambda: self._generation != asked, timeout)
            frame = self._frame
        if frame is None:
            return None
        pixels = hashlib.sha256(frame.pixels).hexdigest()
        if self._encoded is not None and self._encoded[0] == pixels:
            return self._encoded[1]
        data = encode_jpeg(frame)
        if data is None:
            return None
        thumbnail = Thumbnail(data, "image/jpeg")
        self._encoded = (pixels, thumbnail)
        return thumbnail
