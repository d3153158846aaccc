"""Custom-painted building blocks: card panels, progress bars, the cross-fade overlay."""

from __future__ import annotations

from PySide6.QtCore import Property, QPointF, QRectF, Qt, Slot
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QWidget


class Panel(QWidget):
    """A rounded card with an optional coloured band on its left edge (status, kind)."""

    def __init__(
        self,
        color: str,
        *,
        radius: int = 0,
        band_color: str | None = None,
        band_width: int = 0,
        border_color: str | None = None,
        border_width: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._color = QColor(color)
        self._radius = radius
        self._band_color = QColor(band_color) if band_color else None
        self._band_width = band_width
        self._border_color = QColor(border_color) if border_color else None
        self._border_width = border_width

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect())
        path = QPainterPath()
        path.addRoundedRect(rect, self._radius, self._radius)
        painter.fillPath(path, self._color)
        if self._band_color is not None and self._band_width > 0:
            painter.save()
            painter.setClipPath(path)
            painter.fillRect(QRectF(0, 0, self._band_width, rect.height()), self._band_color)
            painter.restore()
        if self._border_color is not None and self._border_width > 0:
            half = self._border_width / 2
            inner = rect.adjusted(half, half, -half, -half)
            painter.setPen(QPen(self._border_color, self._border_width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(inner, self._radius, self._radius)
        painter.end()


class ProgressBar(QWidget):
    """Progress towards a goal. Capped at 100% visually; beyond it, chevrons mark the overflow.

    With `projected` (a pace), a paler stretch runs on from the progress so far to where the
    period would end at that rate: where the store is, and where it is heading.
    """

    def __init__(
        self,
        percent: float | None,
        color: str,
        track: str,
        parent: QWidget | None = None,
        *,
        projected: float | None = None,
    ) -> None:
        super().__init__(parent)
        self._percent = percent
        self._projected = projected
        self._color = QColor(color)
        self._track = QColor(track)

    @property
    def percent(self) -> float | None:
        return self._percent

    @property
    def projected(self) -> float | None:
        return self._projected

    @property
    def overflowing(self) -> bool:
        shown = self._projected if self._projected is not None else self._percent
        return shown is not None and shown > 100

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect())
        radius = rect.height() / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._track)
        painter.drawRoundedRect(rect, radius, radius)
        share = max(0.0, min(100.0, self._percent or 0.0)) / 100
        heading = max(0.0, min(100.0, self._projected or 0.0)) / 100
        if heading > share:
            pale = QColor(self._color)
            pale.setAlpha(110)
            fill = QRectF(
                rect.left(), rect.top(), max(rect.height(), rect.width() * heading), rect.height()
            )
            painter.setBrush(pale)
            painter.drawRoundedRect(fill, radius, radius)
        if share > 0:
            fill = QRectF(
                rect.left(), rect.top(), max(rect.height(), rect.width() * share), rect.height()
            )
            painter.setBrush(self._color)
            painter.drawRoundedRect(fill, radius, radius)
        if self.overflowing:
            # Two dark chevrons at the full end: "past the goal", visible without colour.
            height = rect.height()
            pen = QPen(QColor("#0a0e14"), max(2.0, height / 6))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            step = height * 0.45
            tip = rect.right() - height * 0.45
            for offset in (0.0, step):
                x = tip - offset
                painter.drawPolyline(
                    [
                        QPointF(x - height * 0.25, rect.top() + height * 0.22),
                        QPointF(x, rect.center().y()),
                        QPointF(x - height * 0.25, rect.bottom() - height * 0.22),
                    ]
                )
        painter.end()


class FadeOverlay(QWidget):
    """A picture of the previous screen, painted at a falling opacity over the new one.

    One per window, reused for every transition together with one QPropertyAnimation on its
    `opacity` property: an effect or animation object per fade leaks (measured elsewhere: about
    30 MB per 10,000 fades on PySide6 6.12), and a QGraphicsOpacityEffect re-renders the whole
    screen widget each frame where this paints one pixmap.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._pixmap = QPixmap()
        self._opacity = 0.0
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def _get_opacity(self) -> float:
        return self._opacity

    def _set_opacity(self, value: float) -> None:
        self._opacity = float(value)
        self.update()

    opacity = Property(float, _get_opacity, _set_opacity)

    def cover(self, pixmap: QPixmap) -> None:
        """Show `pixmap` fully opaque, ready to fade."""
        self._pixmap = pixmap
        self._opacity = 1.0
        self.show()
        self.raise_()

    @Slot()
    def clear(self) -> None:
        """Hide and drop the picture (a 4K pixmap is 33 MB)."""
        self.hide()
        self._pixmap = QPixmap()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._pixmap.isNull():
            return
        painter = QPainter(self)
        painter.setOpacity(self._opacity)
        painter.drawPixmap(self.rect(), self._pixmap)
        painter.end()
