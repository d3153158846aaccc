"""The base of every screen: pages of content that fit the screen exactly.

A screen builds all its pages when they are next needed after its data, theme or size
changed (not on every page turn), and shows one at a time. Pages are planned with real font
metrics before anything is placed, so content that does not fit goes to the next page: type
never shrinks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import QWidget

from kiosk.board.model import BoardSnapshot, Freshness
from kiosk.ui import theme as th
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.flow import column_width, columns_for, pack_columns
from kiosk.ui.widgets.painted import Panel
from kiosk.ui.widgets.text import line_height, plain_label

_NO_FRESHNESS = Freshness(None, False)
_HEADING_RULE = 6  # the bar under a lane heading, in 1080p pixels


def fill_background(widget: QWidget, color: str) -> None:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(color))
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)


@dataclass
class Lane:
    """A vertical band of a page: an optional heading, then items in `columns` columns.

    `items` are (widget, height) built at the lane's column width; `make_header(page, rect)`
    draws the heading on each page so every page keeps the same frame.
    """

    columns: int
    items: list[tuple[QWidget, int]]
    header_height: int = 0
    make_header: Callable[[QWidget, QRect], None] | None = None
    # Filled in by Screen.place_lanes:
    plan: list[list[list[int]]] = field(default_factory=list)


class Screen(QWidget):
    """One screen of the rotation.

    Interface used by the window, the rotator and `render_screen`:
    `set_snapshot(snapshot)`, `page_count()`, `show_page(i)`, `current_page()`,
    `has_content()`, `set_theme(theme)`, `title()`, `page_text()`. The title and the
    page indicator are shown by the header, which spans the screen anyway.

    Subclasses implement `title()`, `has_content()` and `build_pages(area)`.

    Signals: `page_changed(int)` when another page is shown.
    """

    name: ClassVar[str] = ""
    page_changed = Signal(int)

    def __init__(self, theme: Theme | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme or Theme()
        self._snapshot: BoardSnapshot | None = None
        self._content: object | None = None  # content_key() of what the pages show
        self._pages: list[QWidget] = []
        self._page = 0
        self._built_key: tuple[object, ...] | None = None
        fill_background(self, th.BACKGROUND)

    # --- the screen interface -----------------------------------------------------------

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def snapshot(self) -> BoardSnapshot | None:
        return self._snapshot

    def title(self) -> str:
        raise NotImplementedError

    def has_content(self) -> bool:
        raise NotImplementedError

    def set_theme(self, theme: Theme) -> None:
        # No build here: the theme is part of `_key()`, so the pages are rebuilt when they are
        # next needed (`page_count()`, `show_page()`, a resize), once, at the new size too.
        self._theme = theme

    def content_key(self, snapshot: BoardSnapshot) -> object:
        """The part of a snapshot this screen shows; rebuilt only when it changes.

        Subclasses narrow it to their own data. The default leaves out the freshness, which
        only the header shows and which changes with every successful poll.
        """
        return replace(snapshot, freshness=_NO_FRESHNESS)

    def set_snapshot(self, snapshot: BoardSnapshot) -> None:
        # The app re-reads the board every minute and after every poll; rebuilding all six
        # screens costs ~40 ms at 1080p (2-3 dropped frames), so only a screen whose own data
        # changed (frozen dataclasses compare by value) is rebuilt.
        content = self.content_key(snapshot)
        self._snapshot = snapshot
        if self._content is not None and content == self._content:
            return  # keep the old key object: `_key()` sees nothing to rebuild
        self._content = content
        self._rebuild()

    def page_count(self) -> int:
        self._ensure_built()
        return len(self._pages)

    def current_page(self) -> int:
        return self._page

    def show_page(self, index: int) -> None:
        """Show page `index`, clamped to the pages there are."""
        self._ensure_built()
        index = max(0, min(index, len(self._pages) - 1))
        for number, page in enumerate(self._pages):
            page.setVisible(number == index)
        changed = index != self._page
        self._page = index
        if changed:
            self.page_changed.emit(index)

    def pages(self) -> list[QWidget]:
        self._ensure_built()
        return list(self._pages)

    # --- for subclasses -----------------------------------------------------------------

    def build_pages(self, area: QSize) -> list[QWidget]:
        """Make the page widgets (children of `self.new_page()`) for a content area."""
        raise NotImplementedError

    @property
    def heading_gap(self) -> int:
        """Space between a lane's heading and its first item."""
        return self._theme.px(10)

    @property
    def lane_heading_height(self) -> int:
        """The height of a `lane_heading()`: one line of the heading font and its bar."""
        return line_height(self._theme.font("heading")) + self._theme.px(_HEADING_RULE)

    def lane_heading(self, text: str, color: str) -> Callable[[QWidget, QRect], None]:
        """A `Lane.make_header`: `text` in the heading font over a bar, both in `color`."""
        t = self._theme

        def make(page: QWidget, rect: QRect) -> None:
            font = t.font("heading")
            label = plain_label(text, font, color, parent=page)
            label.setGeometry(rect.x(), rect.y(), rect.width(), line_height(font))
            rule = t.px(_HEADING_RULE)
            Panel(color, radius=t.px(3), parent=page).setGeometry(
                rect.x(), rect.bottom() - rule + 1, rect.width(), rule
            )

        return make

    def page_text(self) -> str:
        """ "2 / 3" for the header while a screen has several pages, else ""."""
        count = self.page_count()
        return f"{self._page + 1} / {count}" if count > 1 else ""

    def content_rect(self) -> QRect:
        t = self._theme
        top = t.px(14)
        return QRect(
            t.margin,
            top,
            max(1, self.width() - 2 * t.margin),
            max(1, self.height() - top - t.px(16)),
        )

    def new_page(self) -> QWidget:
        page = QWidget(self)
        page.setGeometry(self.content_rect())
        page.hide()
        return page

    def empty_page(self, text: str) -> QWidget:
        """A page with one calm line, for a screen with nothing to show (screenshots)."""
        page = self.new_page()
        font = self._theme.font("heading")
        label = plain_label(
            text, font, th.TEXT_DIM, max_lines=3, align=Qt.AlignmentFlag.AlignCenter, parent=page
        )
        height = 3 * line_height(font)
        label.setGeometry(0, (page.height() - height) // 3, page.width(), height)
        return page

    def card_pages(
        self, area: QSize, make_cards: Callable[[int], Sequence[QWidget]], min_width: int
    ) -> list[QWidget]:
        """Cards of one kind in up to three columns of at least `min_width`, paged.

        `make_cards(width)` builds the cards for a column width; each card says how tall it
        needs to be in `content_height`.
        """
        gap = self._theme.gap
        columns = columns_for(area.width(), min_width, gap, at_most=3)
        cards = make_cards(column_width(area.width(), columns, gap))
        items = [(card, int(card.content_height)) for card in cards]  # type: ignore[attr-defined]
        return self.place_lanes(area, [Lane(columns=columns, items=items)], gap)

    def place_lanes(self, area: QSize, lanes: Sequence[Lane], gap: int) -> list[QWidget]:
        """Lay lanes side by side (widths by their column counts) and page them together."""
        column_w = column_width(area.width(), sum(lane.columns for lane in lanes), gap)
        # Where each lane's items start: below its heading and the gap after it.
        heading_gap = self.heading_gap
        tops = [lane.header_height + heading_gap if lane.header_height else 0 for lane in lanes]
        for lane, top in zip(lanes, tops, strict=True):
            lane.plan = pack_columns(
                [h for _, h in lane.items], lane.columns, area.height() - top, gap
            )
        page_total = max((len(lane.plan) for lane in lanes), default=1)
        pages: list[QWidget] = []
        for number in range(page_total):
            page = self.new_page()
            x = 0
            for lane, top in zip(lanes, tops, strict=True):
                lane_w = lane.columns * column_w + (lane.columns - 1) * gap
                if lane.make_header is not None:
                    lane.make_header(page, QRect(x, 0, lane_w, lane.header_height))
                if number < len(lane.plan):
                    for column, indices in enumerate(lane.plan[number]):
                        y = top
                        for index in indices:
                            widget, height = lane.items[index]
                            height = min(height, area.height() - y)
                            widget.setParent(page)
                            widget.setGeometry(x + column * (column_w + gap), y, column_w, height)
                            widget.show()
                            y += height + gap
                x += lane_w + gap
            pages.append(page)
        # Items planned on no page (none today) must not linger as top-level windows.
        for lane in lanes:
            for widget, _ in lane.items:
                if widget.parent() is None:
                    widget.deleteLater()
        return pages

    # --- internals ----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The size is part of `_key()`: a resize to the size already built (a hidden screen's
        # pending resize, delivered when it is first shown) builds nothing.
        self._ensure_built()

    def _ensure_built(self) -> None:
        if self._built_key != self._key():
            self._rebuild()

    def _key(self) -> tuple[object, ...]:
        return (self.size().width(), self.size().height(), self._theme, id(self._content))

    def _rebuild(self) -> None:
        for page in self._pages:
            page.hide()
            page.setParent(None)
            page.deleteLater()
        self._pages = []
        area = self.content_rect().size()
        pages = self.build_pages(area) if self._usable(area) else []
        self._pages = pages or [self.new_page()]
        self._built_key = self._key()
        self._page = max(0, min(self._page, len(self._pages) - 1))
        for number, page in enumerate(self._pages):
            page.setVisible(number == self._page)

    def _usable(self, area: QSize) -> bool:
        # Before the window is sized, children are a default 100x30: not worth laying out.
        return area.width() >= self._theme.px(200) and area.height() >= self._theme.px(200)
