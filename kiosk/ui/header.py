"""The strip across the top of every screen: where, what, and how fresh.

Left: the store's name. Centre: the showing screen's title and page ("2 / 3"). Right: the
freshness mark ("updated 10:42"), today's date and the time, in the store's language and
locale ("mis à jour à 10 h 42", "mar. 24 nov."). When the data is stale the mark becomes an
amber band, "⚠ Data not updated since Mon 09:12", that nobody can miss.

The clock repaints once a minute on a single-shot timer aimed just past the minute boundary:
no per-second repaint of a screen that runs all day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QRect, Qt, QTimer, Slot
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QWidget

from kiosk.board.model import BoardSnapshot, Freshness
from kiosk.ui import theme as th
from kiosk.ui.i18n import translate, words
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import FitLabel, Panel, fill_background, line_height, plain_label, text_width

# Fire this long after the minute turns, so a timer that is a few ms early still lands in the
# new minute.
_MINUTE_SLACK_MS = 50
WARNING = "⚠ "  # before a warning, in every language
# What the kiosk says when its disk cannot save (`sync.store.storage.DiskProblem.short`):
# translated by their English text, which is their source string here.
STORAGE_PROBLEMS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("Header", "Disk full: nothing can be saved"),
    QT_TRANSLATE_NOOP("Header", "Disk read-only: nothing can be saved"),
)


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def freshness_text(freshness: Freshness, now: dt.datetime) -> str:
    """ "updated 10:42", "⚠ Data not updated since Mon 09:12", "⚠ No data from HQ yet", or
    what stops the kiosk from saving ("⚠ Disk full: nothing can be saved"), which outranks the
    rest: a manager about to type numbers must know they would be lost."""
    last = freshness.last_success
    formats = words().formats
    if freshness.storage_problem is not None:
        return WARNING + translate("Header", freshness.storage_problem)
    if freshness.stale:
        if last is None:
            #: The header's warning band: no data has ever arrived from headquarters.
            return WARNING + translate("Header", "No data from HQ yet")
        #: The header's warning band: the last data from headquarters is old ("Mon 09:12").
        since = translate("Header", "Data not updated since {when}")
        return WARNING + since.format(when=formats.day_time(last))
    if last is None:
        return ""
    if last.date() == now.date():
        #: When the data last arrived from headquarters, today ("10:42").
        return translate("Header", "updated {time}").format(time=formats.time(last))
    #: When the data last arrived from headquarters, an earlier day ("Mon 09:12").
    return translate("Header", "updated {when}").format(when=formats.day_time(last))


def fitted_font(font: QFont, text: str, width: int, theme: Theme) -> QFont:
    """`font`, or one a few pixels smaller (not under the theme's label size) that fits
    `text` in `width`."""
    least = theme.font("label").pixelSize()
    pixels = font.pixelSize()
    fitted = QFont(font)
    while text and text_width(text, fitted) > width and pixels > least:
        pixels -= 1
        fitted.setPixelSize(pixels)
    return fitted


def ms_to_next_minute(now: dt.datetime) -> int:
    """Milliseconds from `now` to just after the next minute boundary."""
    elapsed = now.second * 1000 + now.microsecond // 1000
    return 60_000 - elapsed + _MINUTE_SLACK_MS


class Header(QWidget):
    """The top strip. Emits no signals; the window feeds it titles and snapshots."""

    def __init__(
        self,
        theme: Theme | None = None,
        now: Callable[[], dt.datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._theme = theme or Theme()
        self._now = now or local_now
        self._freshness = Freshness(None, False)
        self._tz: dt.tzinfo | None = None
        fill_background(self, th.SURFACE)
        t = self._theme
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.store = plain_label("", t.font("store"), th.TEXT, parent=self)
        self.title = plain_label(
            "", t.font("title"), th.TEXT, align=Qt.AlignmentFlag.AlignCenter, parent=self
        )
        self.page = plain_label("", t.font("meta_bold"), th.TEXT_DIM, parent=self)
        self.warning = Panel(th.WARNING_BAND, radius=t.px(10), parent=self)
        self.warning.hide()
        self.fresh = plain_label("", t.font("meta"), th.TEXT_DIM, align=right, parent=self)
        self.date = plain_label("", t.font("label"), th.TEXT_DIM, align=right, parent=self)
        self.time = plain_label("", t.font("clock"), th.TEXT, align=right, parent=self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_minute)
        self.setFixedHeight(t.header_height)
        self.refresh_clock()

    # --- inputs -------------------------------------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        if theme == self._theme:
            return
        self._theme = theme
        self.store.setFont(theme.font("store"))
        self.title.setFont(theme.font("title"))
        self.page.setFont(theme.font("meta_bold"))
        self.date.setFont(theme.font("label"))
        self.time.setFont(theme.font("clock"))
        self._style_freshness()
        self.fresh.set_full_text(freshness_text(self._freshness, self.current_time()))
        self.setFixedHeight(theme.header_height)
        self._layout()

    def set_snapshot(self, snapshot: BoardSnapshot) -> None:
        self.store.set_full_text(snapshot.store_name)
        self.set_freshness(snapshot.freshness)

    def set_freshness(self, freshness: Freshness) -> None:
        self._freshness = freshness
        if freshness.last_success is not None and freshness.last_success.tzinfo is not None:
            # last_success is in the store's time zone: show the clock in it too, so
            # "updated 10:42" and the time beside it agree on a machine set to UTC.
            self._tz = freshness.last_success.tzinfo
        self._style_freshness()
        self._show_time()

    def set_title(self, title: str, page_text: str = "") -> None:
        self.title.set_full_text(title)
        self.page.set_full_text(page_text)
        self._layout()

    @property
    def stale_shown(self) -> bool:
        return self._freshness.stale

    def timer(self) -> QTimer:
        return self._timer

    # --- the clock ----------------------------------------------------------------------

    def current_time(self) -> dt.datetime:
        """Now, in the store's time zone once a snapshot has told it."""
        now = self._now()
        return now.astimezone(self._tz) if self._tz is not None and now.tzinfo else now

    def refresh_clock(self) -> None:
        """Show the current date and time, and aim the timer at the next minute."""
        now = self._show_time()
        self._timer.start(ms_to_next_minute(now))

    def _show_time(self) -> dt.datetime:
        """Show the date, time and freshness mark for now (the timer is left as it is);
        returns the time shown."""
        now = self.current_time()
        formats = words().formats
        self.date.set_full_text(formats.date(now.date()))
        self.time.set_full_text(formats.time(now))
        self.fresh.set_full_text(freshness_text(self._freshness, now))
        self._layout()
        return now

    @Slot()
    def _on_minute(self) -> None:
        self.refresh_clock()

    # --- layout -------------------------------------------------------------------------

    def _style_freshness(self) -> None:
        stale = self._freshness.warning
        self.fresh.setFont(self._theme.font("meta_bold" if stale else "meta"))
        self.fresh.set_color(th.WARNING_TEXT if stale else th.TEXT_DIM)
        self.fresh.setAlignment(
            (Qt.AlignmentFlag.AlignCenter if stale else Qt.AlignmentFlag.AlignRight)
            | Qt.AlignmentFlag.AlignVCenter
        )
        self.warning.setVisible(stale)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout()

    def _natural(self, label: FitLabel) -> int:
        return text_width(label.full_text(), label.font()) if label.full_text() else 0

    def _layout(self) -> None:
        t = self._theme
        width, height = self.width(), self.height()
        pad, gap = t.margin, t.px(28)
        # Right group, from the right edge: time, date, freshness (or the warning band).
        # The warning outranks the date: while it shows, the date makes room for it.
        stale = self._freshness.warning
        self.date.setVisible(not stale)
        x = width - pad
        for label in (self.time, self.date) if not stale else (self.time,):
            w = self._natural(label)
            x -= w
            label.setGeometry(x, 0, w, height)
            x -= gap
        fresh_w = self._natural(self.fresh)
        band_pad = t.px(18) if stale else 0
        room = max(0, x - pad - width // 4)  # the warning may take all but a quarter
        fresh_w = min(fresh_w, max(0, room - 2 * band_pad))
        x -= fresh_w + 2 * band_pad
        line = line_height(self.fresh.font())
        band_h = min(height - t.px(16), line + t.px(16))
        self.warning.setGeometry(x, (height - band_h) // 2, fresh_w + 2 * band_pad, band_h)
        self.fresh.setGeometry(x + band_pad, (height - line) // 2, fresh_w, line)
        self.fresh.raise_()
        right_edge = x - gap if fresh_w else x
        # Store name on the left, up to 40% of what is left; then the title.
        store_w = min(self._natural(self.store), max(0, (right_edge - pad) * 2 // 5))
        self.store.setGeometry(pad, 0, store_w, height)
        # Title (and page) centred on the screen when there is room, else beside the name.
        page_w = self._natural(self.page)
        page_gap = t.px(16) if page_w else 0
        left_limit = pad + store_w + gap
        room = max(0, right_edge - left_limit)
        title_room = max(0, room - page_w - page_gap)
        # A long title (a translation, next to a warning) is set smaller before it is cut,
        # down to the size of a metric's name.
        self.title.setFont(fitted_font(t.font("title"), self.title.full_text(), title_room, t))
        title_w = min(self._natural(self.title), title_room)
        block = title_w + page_gap + page_w
        start = max(left_limit, min((width - block) // 2, right_edge - block))
        self.title.setGeometry(QRect(start, 0, title_w, height))
        self.page.setGeometry(start + title_w + page_gap, 0, page_w, height)
