"""The manager area's pages over the whole window: one of them at a time, or none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui import theme as th
from kiosk.ui.manager.common import ManagerPage
from kiosk.ui.manager.keypad import AuditPage, NumberPad
from kiosk.ui.manager.pin_pad import NoticePage, PinPad
from kiosk.ui.manager.shoutouts import ShoutOutEditor, ShoutOutsPage
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import fill_background


class ManagerOverlay(QWidget):
    """The manager's pages over the whole window, one at a time; hidden while the entry list
    (the window's own entry screen) shows. Takes every press, so none reaches the board.

    Emits no signals; its pages do.
    """

    def __init__(
        self,
        window: QWidget,
        theme: Theme,
        now: Callable[[], dt.datetime],
        shoutout_days: int,
    ) -> None:
        super().__init__(window)
        fill_background(self, th.BACKGROUND)
        self.pin_pad = PinPad(theme, now, self)
        self.notice = NoticePage(theme, self)
        self.keypad = NumberPad(theme, self)
        self.audit = AuditPage(theme, self)
        self.shoutouts = ShoutOutsPage(theme, shoutout_days, self)
        self.editor = ShoutOutEditor(theme, self)
        self._pages: tuple[ManagerPage, ...] = (
            self.pin_pad,
            self.notice,
            self.keypad,
            self.audit,
            self.shoutouts,
            self.editor,
        )
        for page in self._pages:
            page.hide()
        self.hide()

    def pages(self) -> tuple[ManagerPage, ...]:
        return self._pages

    def current(self) -> ManagerPage | None:
        """The page showing, or None while the overlay is hidden."""
        if not self.isVisibleTo(self.parentWidget()):
            return None
        return next((p for p in self._pages if p.isVisibleTo(self)), None)

    def show_page(self, page: ManagerPage) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        for other in self._pages:
            if other is not page:
                other.hide()
        page.setGeometry(self.rect())
        page.show()
        self.show()
        self.raise_()

    def close_pages(self) -> None:
        for page in self._pages:
            page.hide()
        self.hide()

    def set_theme(self, theme: Theme) -> None:
        for page in self._pages:
            page.set_theme(theme)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for page in self._pages:
            page.setGeometry(self.rect())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
