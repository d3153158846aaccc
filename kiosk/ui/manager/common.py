"""Building blocks of the manager area: pad keys, full-window pages, the way-in tab, a toast.

Sizes come from the theme, so every page is the same physical size on a 720p, 1080p or 4K
panel of the same diagonal. A 55-inch 16:9 panel is 1218 mm wide: at 1080p one pixel is
0.63 mm, and the theme's touch size (126 px at 1080p) is about 80 mm, far above the 15 mm
minimum for a finger.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Slot
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.ui import theme as th
from kiosk.ui.fonts import make_font
from kiosk.ui.i18n import translate
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TouchButton, fill_background, plain_label

PANEL_WIDTH_MM = 1218  # a 55-inch 16:9 panel
GREEN = th.STATUS_COLORS["met"]
BLUE = th.STATUS_COLORS["on_track"]
RED = th.STATUS_COLORS["behind"]
AMBER = th.WARNING_BAND


def millimetres(pixels: int, screen_width: int = 1920) -> float:
    """How wide `pixels` are on a 55-inch panel showing `screen_width` pixels across."""
    return pixels * PANEL_WIDTH_MM / screen_width


def key_font(theme: Theme) -> QFont:
    """Digits on pad keys: bigger than button words, readable at arm's length at a glance."""
    return make_font(theme.px(60), bold=True)


def word_font(theme: Theme) -> QFont:
    return theme.font("button")


def text_fits(button: QAbstractButton) -> bool:
    """Whether the button's text shows whole (TouchButton sets a long word smaller, then
    elides what still does not fit)."""
    if isinstance(button, TouchButton):
        return button.shown_text() == button.text()
    inner = button.width() - 2 * (button.minimumWidth() / 8)
    return QFontMetrics(button.font()).horizontalAdvance(button.text()) <= inner


def bigger(font: QFont, factor: float) -> QFont:
    """`font` scaled by `factor` (OK reads a little bigger than the other words)."""
    scaled = QFont(font)
    scaled.setPixelSize(max(1, round(font.pixelSize() * factor)))
    return scaled


class PadButton(TouchButton):
    """A TouchButton that never takes the keyboard focus and can be re-sized for a new theme.

    Taking no focus matters on the shout-out page: the text field must keep it, or what the
    virtual keyboard types would go nowhere.
    """

    def __init__(
        self,
        text: str,
        *,
        accessible_name: str | None = None,
        accent: str = BLUE,
        primary: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            text, QFont(), 1, accent=accent, accessible_name=accessible_name, parent=parent
        )
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._primary = primary

    def restyle(self, font: QFont, min_size: int) -> None:
        self.setFont(font)
        self._min = min_size
        self.setMinimumSize(min_size, min_size)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not (self._primary and self.isEnabled()):
            super().paintEvent(event)
            return
        # The one button that finishes the job (OK, Save): filled with its colour.
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        radius = min(rect.height() / 5, 24.0)
        fill = QColor(self._accent).darker(130) if self.isDown() else self._accent
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, radius, radius)
        painter.setPen(QColor(th.BACKGROUND))
        painter.setFont(self.text_font())
        painter.drawText(self.text_rect(), Qt.AlignmentFlag.AlignCenter, self.shown_text())
        painter.end()


class ManagerPage(QWidget):
    """A page of the manager area, covering the whole window; lays itself out on resize.

    Presses land here, not on the board behind: the window would take a press that reaches
    it for a tap on the board.
    """

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        fill_background(self, th.BACKGROUND)

    @property
    def theme(self) -> Theme:
        return self._theme

    def set_theme(self, theme: Theme) -> None:
        if theme != self._theme:
            self._theme = theme
            self.relayout()

    def relayout(self) -> None:
        """Set every child's font and geometry for the theme and size (subclasses)."""

    def resizeEvent(self, event: object) -> None:
        self.relayout()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def touch_targets(self) -> list[QAbstractButton]:
        """Every button showing on this page (tests check their size and names)."""
        return [b for b in self.findChildren(QAbstractButton) if b.isVisibleTo(self)]

    def button(self, name: str) -> QAbstractButton:
        """The visible button with accessible name `name` (tests, accessibility)."""
        for button in self.touch_targets():
            if button.accessibleName() == name:
                return button
        raise LookupError(name)


class ManagerTab(QAbstractButton):
    """The way in: a small tab on the right edge of the board, with a padlock.

    It sits in the screens' right margin, so it never covers a number, yet a finger finds it
    by sliding to the bezel. Emits QAbstractButton's `clicked`.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        #: The padlock tab on the board's edge that opens the manager area.
        self.setAccessibleName(translate("Manager", "Manager"))
        self.setToolTip(translate("Manager", "Manager: enter numbers and shout-outs"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    @staticmethod
    def size_for(theme: Theme) -> tuple[int, int]:
        """(width, height): 36 x 126 px at 1080p, about 23 x 80 mm on a 55-inch panel."""
        return theme.px(36), theme.touch_target

    def place(self, theme: Theme) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        width, height = self.size_for(theme)
        bottom = parent.height() - theme.px(40)
        self.setGeometry(parent.width() - width, max(0, bottom - height), width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, 0, -1)
        radius = rect.width() / 3
        path = QPainterPath()
        # Rounded on the left only: a tab that grows out of the screen's edge.
        path.addRoundedRect(rect.adjusted(0, 0, radius, 0), radius, radius)
        painter.setClipRect(rect)
        painter.fillPath(path, QColor(th.TRACK if self.isDown() else th.SURFACE_HIGH))
        painter.setPen(QPen(QColor(th.TRACK), max(1.0, rect.width() / 18)))
        painter.drawPath(path)
        # A padlock, drawn (the bundled DejaVu fonts have no padlock glyph).
        side = rect.width() * 0.62
        cx, cy = rect.center().x(), rect.center().y() + side * 0.2
        body = QRectF(cx - side / 2, cy - side * 0.1, side, side * 0.72)
        shackle = QRectF(cx - side * 0.32, cy - side * 0.62, side * 0.64, side * 0.9)
        color = QColor(th.TEXT_DIM)
        painter.setPen(QPen(color, side * 0.16))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawArc(shackle, 0, 180 * 16)
        for x in (shackle.left(), shackle.right()):
            painter.drawLine(QPointF(x, shackle.center().y()), QPointF(x, body.top()))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(body, side * 0.12, side * 0.12)
        painter.end()


class Toast(QWidget):
    """A short confirmation ("✓ Saved ...") at the bottom of the window for a few seconds.

    Transparent to presses. Emits no signals.
    """

    SECONDS = 4

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._theme = Theme()
        self._label = plain_label(
            "",
            self._theme.font("label"),
            th.BACKGROUND,
            max_lines=2,  # a long metric's name, in a long language
            align=Qt.AlignmentFlag.AlignCenter,
            parent=self,
        )
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def text(self) -> str:
        return self._label.full_text()

    def timer(self) -> QTimer:
        return self._timer

    def show_text(self, text: str, theme: Theme) -> None:
        self._theme = theme
        self._label.setFont(theme.font("label"))
        self._label.set_full_text(text)
        self._place()
        self.show()
        self.raise_()
        self._timer.start(self.SECONDS * 1000)

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        t = self._theme
        width = min(parent.width() - 2 * t.margin, self._label.natural_width() + t.px(80))
        height = self._label.fit_height(max(1, width - t.px(80))) + t.px(28)
        # Over the header strip: it covers neither the list nor its page buttons (a toast
        # of two lines overlaps their top edge a little, for its few seconds).
        top = max(0, (t.header_height - height) // 2)
        self.setGeometry((parent.width() - width) // 2, top, width, height)
        self._label.setGeometry(t.px(40), 0, max(1, width - t.px(80)), height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = self.height() / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(GREEN))
        painter.drawRoundedRect(QRectF(self.rect()), radius, radius)
        painter.end()

    @Slot()
    def dismiss(self) -> None:
        self._timer.stop()
        self.hide()
