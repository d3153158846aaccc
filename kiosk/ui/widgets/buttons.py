"""Touch targets for the manager screens: big, high-contrast, painted, plain text."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

from kiosk.ui import theme as th

# A word longer than its key (a translation: "Abbrechen" for "Cancel") is set smaller, down to
# this share of the button's type, before it is cut with "…": at arm's length it still reads.
SMALLEST_TEXT = 0.7


def _whole(font: QFont, text: str, width: int) -> bool:
    """Whether `text` is drawn whole in `width` pixels: asked of the eliding itself, whose
    idea of a text's width can be a fraction of a pixel above horizontalAdvance's."""
    return QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, width) == text


def fitted_font(font: QFont, text: str, width: int) -> QFont:
    """`font`, or a smaller one (down to SMALLEST_TEXT of it) in which `text` fits `width`."""
    if font.pixelSize() <= 0 or _whole(font, text, width):
        return font
    smaller = QFont(font)
    least = max(1, round(font.pixelSize() * SMALLEST_TEXT))
    pixels = font.pixelSize()
    while pixels > least:
        pixels -= 1
        smaller.setPixelSize(pixels)
        if _whole(smaller, text, width):
            break
    return smaller


class TouchButton(QAbstractButton):
    """A finger-sized button. At least `min_size` pixels square; a text too long for it is
    set smaller (`fitted_font`), and only then elided.

    Emits QAbstractButton's `clicked` / `toggled`. The accessible name defaults to its text so
    screen readers and UI tests can find it.
    """

    def __init__(
        self,
        text: str,
        font: QFont,
        min_size: int,
        *,
        accent: str = th.STATUS_COLORS["on_track"],
        checkable: bool = False,
        accessible_name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setText(text)
        self.setFont(font)
        self.setCheckable(checkable)
        self.setAccessibleName(accessible_name or text)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._accent = QColor(accent)
        self._min = min_size
        self.setMinimumSize(min_size, min_size)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        width = metrics.horizontalAdvance(self.text()) + self._min // 2
        return QSize(max(self._min, width), self._min)

    def text_rect(self) -> QRectF:
        """Where the text is drawn: the button less a margin of an eighth of its size."""
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        return rect.adjusted(self._min / 8, 0, -self._min / 8, 0)

    def text_font(self) -> QFont:
        """The font the text is drawn in (see `fitted_font`)."""
        return fitted_font(self.font(), self.text(), int(self.text_rect().width()))

    def shown_text(self) -> str:
        """The text as drawn: whole, or cut with "…" when even the smaller font is too wide."""
        metrics = QFontMetrics(self.text_font())
        width = int(self.text_rect().width())
        return metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, width)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        radius = min(rect.height() / 5, 24.0)
        if self.isChecked():
            background, foreground = self._accent, QColor(th.BACKGROUND)
        elif self.isDown():
            background, foreground = QColor(th.TRACK), QColor(th.TEXT)
        else:
            background, foreground = QColor(th.SURFACE_HIGH), QColor(th.TEXT)
        if not self.isEnabled():
            background, foreground = QColor(th.SURFACE), QColor(th.TRACK)
        painter.setBrush(background)
        border = self._accent if (self.hasFocus() or self.isChecked()) else QColor(th.TRACK)
        painter.setPen(QPen(border, max(2.0, rect.height() / 40)))
        painter.drawRoundedRect(rect, radius, radius)
        painter.setPen(foreground)
        painter.setFont(self.text_font())
        painter.drawText(self.text_rect(), Qt.AlignmentFlag.AlignCenter, self.shown_text())
        painter.end()
