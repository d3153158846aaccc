"""The pointer hidden over the board: a kiosk has no use for an arrow in the middle of it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QApplication, QWidget

_POINTER_EVENTS = (
    QEvent.Type.MouseMove,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TabletMove,
)


class CursorHider(QObject):
    """Hides the pointer over `widget` after `seconds` without movement; movement shows it.

    Watches the whole application, because a pointer moving over a child without mouse
    tracking sends no events to the window itself. `seconds <= 0` keeps it hidden (a
    touch-only kiosk). Emits no signals.
    """

    def __init__(self, widget: QWidget, seconds: float) -> None:
        super().__init__(widget)
        self._widget = widget
        self._seconds = seconds
        self._hidden = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._hide)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if seconds <= 0:
            self._hide()
        else:
            self._timer.start(int(seconds * 1000))

    @property
    def hidden(self) -> bool:
        return self._hidden

    def hide_now(self) -> None:
        """Hide the pointer at once and stop waiting (the display went dark)."""
        self._timer.stop()
        self._hide()

    @Slot()
    def _hide(self) -> None:
        self._hidden = True
        self._widget.setCursor(Qt.CursorShape.BlankCursor)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._seconds > 0 and event.type() in _POINTER_EVENTS:
            if self._hidden:
                self._hidden = False
                self._widget.unsetCursor()
            self._timer.start(int(self._seconds * 1000))
        return False
