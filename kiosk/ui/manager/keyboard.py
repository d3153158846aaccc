"""Qt Virtual Keyboard on the manager's shout-out page (no hand-made keyboard).

Qt Virtual Keyboard is a platform input context plugin, chosen by `QT_IM_MODULE` when the
QApplication starts, so `enable_virtual_keyboard()` must run before the application exists
(`kiosk.ui.application.ensure_app` calls it; the tests' conftest sets the same variables).

It has two integration methods. "Desktop" shows the keyboard in a top-level window of its own,
which on a fullscreen kiosk a window manager may stack behind the board, and which no widget
screenshot includes. "Application" (`QT_VIRTUALKEYBOARD_DESKTOP_DISABLE=1`) leaves it to the
application to place an `InputPanel` QML item: here it lives in a QQuickWidget inside the page,
so it is sized with the page, always on top of it, and `QWidget.grab()` renders it (with the
software Qt Quick backend too, which the tests and `kiosk screenshot` use). The panel sends
what is typed to the focused widget (the page's QLineEdit) through the input context; the
QQuickWidget takes no focus, so a tap on a key never takes the focus from the text field.

The QML engine is made only when the page first needs the keyboard: the board itself never
pays for it. If the plugin or its QML module is missing (libQt6VirtualKeyboard not deployed,
or `libpulse.so.0` missing for its sound-effect component), the widget says so in one line and
the page still works with a hardware keyboard.
"""

from __future__ import annotations

import logging
import os
from collections.abc import MutableMapping

from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui import theme as th
from kiosk.ui.i18n import current_locale, translate
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import plain_label

log = logging.getLogger(__name__)

IM_MODULE = "qtvirtualkeyboard"
# The keyboard's own style keeps this ratio (its design size is 2560 x 800).
ASPECT = 3.2

# The keys are those of the store's language (`[store] locale`): its layout is chosen through
# VirtualKeyboardSettings, which would otherwise follow the machine's locale.
_QML = b"""
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
InputPanel {
    objectName: "inputPanel"
    property string storeLocale: ""
    onStoreLocaleChanged: VirtualKeyboardSettings.locale = storeLocale
}
"""


def enable_virtual_keyboard(env: MutableMapping[str, str] | None = None) -> None:
    """Select Qt Virtual Keyboard, embedded in the application; call before the QApplication.

    Values already set in the environment win (a developer may pick another input method).
    """
    target = os.environ if env is None else env
    target.setdefault("QT_IM_MODULE", IM_MODULE)
    target.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")


def virtual_keyboard_selected() -> bool:
    return os.environ.get("QT_IM_MODULE") == IM_MODULE


class VirtualKeyboard(QWidget):
    """Hosts Qt Virtual Keyboard's InputPanel, made on the first `ensure_loaded()`.

    Emits no signals: what is typed goes to the focused text field through the input method.
    `keyboard_height(width)` says how tall the keys are for a width; the panel sits at the top
    of the widget.
    """

    def __init__(self, theme: Theme | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme or Theme()
        self._view: QWidget | None = None
        self._panel: object | None = None  # the InputPanel QQuickItem
        self._error: str | None = None
        self._note = plain_label(
            "", self._theme.font("meta"), th.TEXT_DIM, max_lines=2, parent=self
        )
        self._note.hide()

    # --- loading ------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        return self._panel is not None

    @property
    def error(self) -> str | None:
        return self._error

    def ensure_loaded(self) -> bool:
        """Make the QML keyboard if not yet made; False (with a note shown) when it cannot be."""
        if self._panel is not None:
            return True
        if self._error is not None:
            return False
        if not virtual_keyboard_selected():
            return self._fail(
                #: Instead of the on-screen keyboard (a technician's setting; keep the names).
                translate(
                    "Manager",
                    "The on-screen keyboard is off (QT_IM_MODULE is not qtvirtualkeyboard).",
                )
            )
        from PySide6.QtQml import QQmlComponent
        from PySide6.QtQuickWidgets import QQuickWidget

        view = QQuickWidget(self)
        # A tap on a key must leave the focus (and so the typed text) in the text field.
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.setClearColor(QColor(th.BACKGROUND))
        component = QQmlComponent(view.engine())
        # Inline QML: nothing to ship as package data, and no file to go missing.
        component.setData(_QML, QUrl())
        panel = component.create() if component.isReady() else None
        if panel is None:
            message = component.errorString().strip() or "unknown error"
            log.error("the on-screen keyboard could not be loaded: %s", message)
            view.deleteLater()
            return self._fail(
                translate(
                    "Manager", "The on-screen keyboard could not be loaded; use a USB keyboard."
                )
            )
        panel.setProperty("storeLocale", current_locale())
        panel.setParent(view)  # owned by the view (QObject parent) ...
        panel.setParentItem(view.quickWindow().contentItem())  # ... and drawn in its scene
        self._view = view
        self._panel = panel
        view.show()
        self._place()
        return True

    def _fail(self, text: str) -> bool:
        self._error = text
        self._note.set_full_text(text)
        self._note.show()
        self._place()
        return False

    # --- geometry -----------------------------------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._note.setFont(theme.font("meta"))
        self._place()

    @staticmethod
    def keyboard_height(width: int) -> int:
        return round(width / ASPECT)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        self._note.setGeometry(0, 0, self.width(), self.height())
        if self._view is None or self._panel is None:
            return
        # As wide as the height allows, centred: the keys keep the style's proportions.
        width = min(self.width(), round(self.height() * ASPECT))
        height = self.keyboard_height(width)
        self._view.setGeometry((self.width() - width) // 2, 0, width, height)
        self._panel.setWidth(width)  # type: ignore[attr-defined]

    # --- keys (for tests and accessibility checks) --------------------------------------

    def keys(self) -> list[object]:
        """The key items showing now (letters, space, enter, ...)."""
        found: list[object] = []
        if self._panel is None:
            return found

        def walk(item: object) -> None:
            for child in item.childItems():  # type: ignore[attr-defined]
                is_key = child.property("key") is not None
                if is_key and child.isVisible() and child.property("displayText") is not None:
                    found.append(child)
                walk(child)

        walk(self._panel)
        return found

    def key_position(self, text: str) -> QPoint | None:
        """Where the key showing `text` (case-insensitive) is, in the QQuickWidget's pixels."""
        wanted = text.lower()
        for key in self.keys():
            label = key.property("text")  # type: ignore[attr-defined]
            if isinstance(label, str) and label.lower() == wanted:
                centre = QPointF(key.width() / 2, key.height() / 2)  # type: ignore[attr-defined]
                return key.mapToScene(centre).toPoint()  # type: ignore[attr-defined]
        return None

    @property
    def view(self) -> QWidget | None:
        """The QQuickWidget the keys are drawn in (None until loaded)."""
        return self._view
