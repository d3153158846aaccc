"""Application set-up: the process's QApplication, and the ways a running kiosk is told to quit.

- `ensure_app`: the QApplication (Fusion style, the bundled fonts, optionally Qt Virtual
  Keyboard as the input method). Every entry point that shows or renders a widget calls it:
  `kiosk run`, `kiosk screenshot` (through `kiosk.ui.render`), the tests and the benchmarks.
- `install_signal_handlers`: SIGTERM/SIGINT quit the event loop cleanly (systemd's stop).
- `install_quit_shortcut`: Ctrl+Alt+Q for a technician with a keyboard.
- `route_qt_messages`: Qt's own warnings into the kiosk's log, minus the known noise.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    QSocketNotifier,
    Qt,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.fonts import FAMILY, load_fonts
from kiosk.ui.i18n import use_locale

log = logging.getLogger(__name__)


def ensure_app(
    *,
    offscreen: bool = False,
    keyboard: bool = False,
    decorations: bool = True,
    locale: str | None = None,
) -> QApplication:
    """The process's QApplication (made when there is none) with the bundled fonts loaded.

    `offscreen=True` selects Qt's offscreen platform when this call creates the application
    and no platform was chosen, so a screenshot works on a server without a display.
    `keyboard=True` selects Qt Virtual Keyboard as the input method (`kiosk run` only: it
    loads QtQml and QtQuick, which a screenshot does not need). `decorations=False` (the
    fullscreen kiosk) stops Qt drawing a title bar of its own on Wayland, which it does
    under a compositor without server-side decorations, fullscreen or not. `locale`
    (`[store] locale`) makes the screens speak it from now on (`kiosk.ui.i18n.use_locale`);
    None leaves the language as it is.
    """
    app = QApplication.instance()
    if app is None:
        if offscreen:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        if not decorations:
            os.environ.setdefault("QT_WAYLAND_DISABLE_WINDOWDECORATION", "1")
        if keyboard:
            # The manager's shout-out page types with Qt Virtual Keyboard: its input method
            # is chosen when the application starts, so it is selected here or never.
            from kiosk.ui.manager.keyboard import enable_virtual_keyboard

            enable_virtual_keyboard()
        app = QApplication(sys.argv[:1])
        # Fusion looks the same on every OS; the native styles do not.
        app.setStyle("Fusion")
    if not isinstance(app, QApplication):
        raise RuntimeError("a QGuiApplication exists; the kiosk needs a QApplication (widgets)")
    load_fonts()
    font = app.font()
    font.setFamily(FAMILY)
    app.setFont(font)
    if locale is not None:
        use_locale(locale)
    return app


class SignalQuitter(QSocketNotifier):
    """Quits `app` on SIGTERM or SIGINT while the Qt event loop runs.

    Python runs signal handlers only when the interpreter gets control; a wake-up socket
    watched by Qt gives it control without a polling timer (which would cost idle CPU).
    Emits QSocketNotifier's `activated` when a signal arrived (it then quits the app).
    """

    def __init__(self, app: QApplication) -> None:
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        super().__init__(reader.fileno(), QSocketNotifier.Type.Read, app)
        # Both ends stay open as long as this object: the wake-up fd is the writer's.
        self._reader = reader
        self._writer = writer
        self._app = app
        signal.set_wakeup_fd(writer.fileno())
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: None)
        self.activated.connect(self._on_signal)

    @Slot()
    def _on_signal(self) -> None:
        with contextlib.suppress(OSError):
            self._reader.recv(64)
        log.info("stop requested by signal; quitting")
        self._app.quit()


def install_signal_handlers(app: QApplication) -> SignalQuitter:
    """Quit cleanly on SIGTERM/SIGINT; keep the result alive while the event loop runs."""
    return SignalQuitter(app)


def install_quit_shortcut(window: QWidget, app: QApplication) -> QShortcut:
    """Ctrl+Alt+Q quits: for a technician with a keyboard, never reachable by touch."""
    shortcut = QShortcut(QKeySequence("Ctrl+Alt+Q"), window)
    shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
    shortcut.activated.connect(app.quit)
    return shortcut


# EX_TEMPFAIL: systemd's Restart=always starts the kiosk again, which opens the database now at
# its path.
RESTART_EXIT_CODE = 75


class RestartRequest(QObject):
    """Lets any thread ask the kiosk to exit so that systemd restarts it (the database file was
    replaced under it). Lives in the GUI thread; `request()` is safe from any thread.

    Signals: `requested()`, queued to the GUI thread, where it ends the event loop.
    """

    requested = Signal()

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self.requested.connect(self._exit)

    def request(self) -> None:
        self.requested.emit()

    @Slot()
    def _exit(self) -> None:
        log.error("restarting the kiosk (exit code %d)", RESTART_EXIT_CODE)
        self._app.exit(RESTART_EXIT_CODE)


# Qt's messages that say nothing about a fault of the kiosk, each with why (matched on the
# start of the text, per category): logged at DEBUG instead of filling the journal.
QT_NOISE: dict[str, tuple[str, ...]] = {
    # The keyboard lives inside the window (kiosk/ui/manager/keyboard.py), not in the
    # compositor: Qt warns about the input method name on every Wayland start.
    "qt.qpa.wayland": (
        "qtvirtualkeyboard currently is not supported at client-side",
        "Wayland does not support QWindow::requestActivate()",
        # The screen went away (a TV switched off or unplugged): the compositor sends the
        # fullscreen window a 0x0 size, which Qt ignores, and Qt stands in a placeholder
        # screen. `ScreenFollower` says so in one line of its own ("no screen connected").
        "There are no outputs - creating placeholder screen",
        "Configure event with maximized or fullscreen state contains invalid",
    ),
}
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def route_qt_messages() -> None:
    """Send Qt's own messages (qWarning and friends) to loggers named by their category
    (`qt.qpa.wayland`; `qt.default` without one), so they reach kiosk.log and the journal in
    the kiosk's format, and the known noise (`QT_NOISE`) only at DEBUG. `kiosk run` only: the
    tests keep pytest-qt's handler, which fails a test on an unexpected Qt warning."""

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        category = context.category or "default"
        level = _QT_LEVELS.get(kind, logging.WARNING)
        if message.startswith(QT_NOISE.get(category, ())):
            level = logging.DEBUG
        name = category if category.startswith("qt.") else f"qt.{category}"
        logging.getLogger(name).log(level, "%s", message)

    qInstallMessageHandler(handler)
