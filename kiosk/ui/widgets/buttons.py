"""Touch targets for the manager screens: big, high-contrast, painted, plain text."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

from kiosk.ui import theme as th


class TouchButton(QAbstractButton):
    """A finger-sized button. At least `min_size` pixels square; text elided to fit.

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
        painter.setFont(self.font())
        metrics = QFontMetrics(self.font())
        inner = rect.adjusted(self._min / 8, 0, -self._min / 8, 0)
        text = metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, int(inner.width()))
        painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
