"""Offscreen rendering of one screen to an image: `kiosk screenshot` and the docs use it.

The picture is exactly what the kiosk shows at that size: the same header and screen widgets,
the same fonts (bundled, loaded by `ensure_app` in `kiosk.ui.application`), painted into a
QImage of exactly `size`.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from kiosk.board.model import BoardSnapshot
from kiosk.ui import theme as th
from kiosk.ui.application import ensure_app
from kiosk.ui.header import Header, local_now
from kiosk.ui.screens import create_screen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import Screen, fill_background


class ScreenView(QWidget):
    """A header above one screen, at a fixed size: what `render_screen` paints."""

    def __init__(
        self,
        name: str,
        snapshot: BoardSnapshot,
        size: QSize,
        *,
        now: dt.datetime | None = None,
    ) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        fill_background(self, th.BACKGROUND)
        theme = Theme(size.height())
        # The board's date with the current time of day (in the store's zone when the
        # snapshot says it): `--date` renders that day's board.
        last = snapshot.freshness.last_success
        here = local_now()
        if last is not None and last.tzinfo is not None:
            here = here.astimezone(last.tzinfo)
        moment = now or dt.datetime.combine(snapshot.date, here.timetz())
        self.header = Header(theme, now=lambda: moment, parent=self)
        self.header.timer().stop()  # a picture needs no ticking clock
        self.screen: Screen = create_screen(name, theme)
        self.screen.setParent(self)
        self.screen.show()  # setParent() hides a widget
        self.resize(size)
        self.header.setGeometry(0, 0, size.width(), theme.header_height)
        self.screen.setGeometry(
            0, theme.header_height, size.width(), max(1, size.height() - theme.header_height)
        )
        self.header.set_snapshot(snapshot)
        self.screen.set_snapshot(snapshot)
        self.show_page(0)
        # Shown (never on a screen) before anything paints it: a widget rendered before its
        # first show() stays blank in every later render too (seen with PySide6 6.12,
        # offscreen platform), and show() also delivers the pending resize events.
        self.show()

    def show_page(self, page: int) -> None:
        count = self.screen.page_count()
        if not 0 <= page < count:
            # Pages are counted from 1 wherever people see them (`--page N`, "2 / 3").
            raise ValueError(
                f"page {page + 1} does not exist: {self.screen.name} has "
                f"{count} page{'s' if count != 1 else ''} at this size"
            )
        self.screen.show_page(page)
        self.header.set_title(self.screen.title(), self.screen.page_text())


def render_screen(
    name: str,
    snapshot: BoardSnapshot,
    size: QSize,
    page: int = 0,
    *,
    now: dt.datetime | None = None,
    locale: str | None = None,
) -> QImage:
    """Header + screen `name` showing `snapshot`, page `page`, as an image of exactly `size`,
    in `locale`'s language (None: the language in use).

    Works without a display (creates an offscreen QApplication when none exists). Raises
    ValueError for an unknown screen, a size under 64x64 or a page the screen does not have.
    """
    if size.width() < 64 or size.height() < 64:
        raise ValueError(f"size {size.width()}x{size.height()} is too small (at least 64x64)")
    ensure_app(offscreen=True, locale=locale)
    view = ScreenView(name, snapshot, size, now=now)
    try:
        view.show_page(page)
        image = QImage(size, QImage.Format.Format_RGB32)
        image.fill(QColor(th.BACKGROUND))
        # render() paints at exactly `size`, whatever the device pixel ratio of a screen.
        view.render(image)
        return image
    finally:
        view.hide()
        view.deleteLater()


def save_png(
    name: str,
    snapshot: BoardSnapshot,
    width: int,
    height: int,
    path: str,
    page: int = 0,
    *,
    locale: str | None = None,
) -> bool:
    """Render screen `name` (see `render_screen`) at `width` x `height` in `locale` into the
    PNG file at `path`; False when the file cannot be written. For callers that stay free of
    Qt types (`kiosk screenshot`)."""
    image = render_screen(name, snapshot, QSize(width, height), page, locale=locale)
    return image.save(path, "PNG")
