"""The kiosk window over the whole primary screen, whatever draws the screen, and kept there.

`QWidget.showFullScreen()` only asks. Without a window manager (a bare X server started by
xinit) nobody answers, and the window keeps its default 640x480 in a corner; under a Wayland
kiosk compositor the request is granted only if the first buffer already has the output's
size. So `ScreenFollower` gives the window the screen's geometry itself, then asks for full
screen, and does both again whenever the screen changes under it:

- `QScreen.geometryChanged`: the resolution changed (a new mode, a TV that came back at
  another one, `xrandr` or `wlr-randr`);
- `QGuiApplication.primaryScreenChanged`: the screen went away and another took its place,
  or a kiosk that started before its TV was plugged in (on Qt's placeholder screen) gets a
  real one.

The window then lays itself out again at the new size (`KioskWindow.resizeEvent`): no
restart.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRect, Slot
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class ScreenFollower(QObject):
    """Keeps `window` fullscreen on the application's primary screen (see the module docstring).

    Call `show()` once instead of `window.showFullScreen()`. Emits no signals.
    """

    def __init__(self, window: QWidget, app: QGuiApplication) -> None:
        super().__init__(window)
        self._window = window
        self._screen: QScreen | None = None
        app.primaryScreenChanged.connect(self._on_primary_screen_changed)
        self._follow(app.primaryScreen())

    @property
    def screen(self) -> QScreen | None:
        """The screen the window covers."""
        return self._screen

    def show(self) -> None:
        self._cover()

    @Slot(QScreen)
    def _on_primary_screen_changed(self, screen: QScreen) -> None:
        self._follow(screen)
        self._cover()

    @Slot(QRect)
    def _on_geometry_changed(self, geometry: QRect) -> None:
        self._cover()

    def _follow(self, screen: QScreen | None) -> None:
        if self._screen is not None:
            self._screen.geometryChanged.disconnect(self._on_geometry_changed)
        self._screen = screen
        if screen is not None:
            screen.geometryChanged.connect(self._on_geometry_changed)

    def _cover(self) -> None:
        screen = self._screen
        if screen is None:
            return
        geometry = screen.geometry()
        if geometry.isEmpty():
            # Qt's placeholder while no output is connected: nothing to cover until a real
            # screen arrives (primaryScreenChanged).
            log.info("no screen connected: waiting for one")
            return
        window = self._window
        handle = window.windowHandle()
        if handle is not None and handle.screen() is not screen:
            handle.setScreen(screen)
        # The size first, so the first buffer is already as big as the screen; then the
        # state, which a window manager or compositor may act on (or not).
        window.setGeometry(geometry)
        window.showFullScreen()
        log.info(
            "fullscreen on screen %s: %dx%d at %d,%d",
            screen.name() or "?",
            geometry.width(),
            geometry.height(),
            geometry.x(),
            geometry.y(),
        )
