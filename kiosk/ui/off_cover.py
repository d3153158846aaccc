"""What the screen shows outside opening hours: black, or a dim clock that wanders.

A dim clock tells anyone walking past at night that the board is asleep, not broken. It
moves to another of nine places every minute, so even it burns nothing in. The cover owns
no timer: the window, which wakes once a minute anyway in clock mode, calls `set_time()`.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui.fonts import make_font
from kiosk.ui.theme import Theme

OFF_BLACK = "#000000"
CLOCK_DIM = "#59636e"  # readable on black from across a dark room, not glaring
NOTE_DIM = "#3d454d"
# Where the clock block sits, as fractions of the free space: the centre first.
POSITIONS: tuple[tuple[float, float], ...] = (
    (0.5, 0.5),
    (0.2, 0.25),
    (0.8, 0.3),
    (0.3, 0.75),
    (0.75, 0.7),
    (0.5, 0.2),
    (0.15, 0.55),
    (0.85, 0.55),
    (0.5, 0.8),
)


class OffCover(QWidget):
    """Covers the whole window while the display is off. Emits no signals; lets taps through
    (a manager can still open the entry screen after closing)."""

    def __init__(self, parent: QWidget, mode: str = "black") -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.mode = mode
        self._time = ""
        self._note = ""
        self._position = 0
        self._theme = Theme()
        self._black = QColor(OFF_BLACK)
        self._dim = QColor(CLOCK_DIM)
        self._note_color = QColor(NOTE_DIM)
        self.hide()

    @property
    def shows_clock(self) -> bool:
        return self.mode == "clock"

    def time_text(self) -> str:
        return self._time if self.shows_clock else ""

    def note_text(self) -> str:
        """What the dim clock says under the time ("Back at 07:00"), "" in black mode."""
        return self._note if self.shows_clock else ""

    def note_font(self) -> QFont:
        return make_font(self._theme.px(40), condensed=True)

    def clock_font(self) -> QFont:
        return make_font(self._theme.px(200), bold=True, condensed=True)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_time(self, text: str, note: str, minute_index: int) -> None:
        """Show `text` ("22:41") over `note` ("Back at 07:00"), at place `minute_index`."""
        position = minute_index % len(POSITIONS)
        if (text, note, position) != (self._time, self._note, self._position):
            self._time, self._note, self._position = text, note, position
            self.update()

    def clock_rect(self) -> QRect:
        """Where the clock block is drawn now (tests check that it wanders)."""
        t = self._theme
        # Wider for a longer time or note: French writes "22 h 41".
        width = max(
            t.px(720),
            QFontMetrics(self.clock_font()).horizontalAdvance(self.time_text()) + t.px(20),
            QFontMetrics(self.note_font()).horizontalAdvance(self.note_text()) + t.px(20),
        )
        width, height = min(width, self.width()), t.px(300)
        fx, fy = POSITIONS[self._position]
        x = round((self.width() - width) * fx)
        y = round((self.height() - height) * fy)
        return QRect(x, y, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._black)
        if self.shows_clock and self._time:
            box = self.clock_rect()
            clock_font = self.clock_font()
            note_font = self.note_font()
            clock_h = round(box.height() * 0.75)
            painter.setPen(self._dim)
            painter.setFont(clock_font)
            painter.drawText(
                QRect(box.x(), box.y(), box.width(), clock_h),
                Qt.AlignmentFlag.AlignCenter,
                self._time,
            )
            if self._note:
                painter.setPen(self._note_color)
                painter.setFont(note_font)
                painter.drawText(
                    QRect(box.x(), box.y() + clock_h, box.width(), box.height() - clock_h),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    self._note,
                )
        painter.end()
