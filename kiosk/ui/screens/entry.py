"""The manager's entry screen, first page: pick a day, then a metric to type in.

Not part of the rotation: the window opens it on request and pauses the rotation meanwhile.
This widget only lists the manager-entry metrics with their current value and where it came
from, and offers big touch targets; the PIN pad, the keypad and the shout-outs
(`kiosk.ui.manager`) plug in behind its signals.

It shows the snapshot's rows (today's, which is what `kiosk screenshot entry` renders) until
`set_rows()` gives it the rows of the day the manager picked: yesterday's, or the last 7
days', one row per metric and day.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, Signal, Slot
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QWidget

from kiosk.board.model import EntryRow
from kiosk.ui import theme as th
from kiosk.ui.i18n import translate, words
from kiosk.ui.theme import Theme, qcolor
from kiosk.ui.widgets import (
    FitLabel,
    Screen,
    TouchButton,
    line_height,
    plain_label,
    rows_per_page,
    text_width,
    wrap_text,
)

DAY_CHOICES: tuple[tuple[str, str], ...] = (
    #: The entry screen's day buttons: which day's numbers to type.
    ("today", QT_TRANSLATE_NOOP("Entry", "Today")),
    ("yesterday", QT_TRANSLATE_NOOP("Entry", "Yesterday")),
    ("last7", QT_TRANSLATE_NOOP("Entry", "Last 7 days")),
)
SOURCE_WORDS: dict[str | None, str] = {
    #: Where a number on the entry screen came from: headquarters' feed...
    "hq": QT_TRANSLATE_NOOP("Entry", "HQ"),
    #: ...a manager at this store...
    "store": QT_TRANSLATE_NOOP("Entry", "Store"),
    #: ...or nobody yet.
    None: QT_TRANSLATE_NOOP("Entry", "not entered"),
}
DAY_TITLES: dict[str, str] = {
    #: The entry screen's title, by the day chosen.
    "today": QT_TRANSLATE_NOOP("Entry", "Enter today's numbers"),
    "yesterday": QT_TRANSLATE_NOOP("Entry", "Enter yesterday's numbers"),
    "last7": QT_TRANSLATE_NOOP("Entry", "The last 7 days"),
}


def from_hq_text(labels: Sequence[str], shown: int) -> str:
    """Why metrics are not in the entry list, naming the first `shown` of `labels`:
    "Sales comes from HQ: it is not typed here.", "Sales, Shrink, and 2 more come from HQ:
    they are not typed here."."""
    if not labels:
        return ""
    formats = words().formats
    named = list(labels[:shown])
    rest = len(labels) - len(named)
    if rest:
        count = formats.number(rest)
        if named:
            #: The end of a list of metrics: "Sales, Shrink, and {count} more".
            named.append(translate("Entry", "{count} more").format(count=count))
        else:
            #: A number of metrics, none named (2 or more).
            named.append(translate("Entry", "{count} metrics").format(count=count))
    if len(named) == 1 and not rest:
        #: Under the entry list: a metric of the board that is not typed at the store.
        text = translate("Entry", "{metric} comes from HQ: it is not typed here.")
        return text.format(metric=named[0])
    #: Under the entry list: metrics of the board that are not typed at the store.
    text = translate("Entry", "{metrics} come from HQ: they are not typed here.")
    return text.format(metrics=formats.list(named))


def source_key(row: EntryRow) -> str | None:
    """ "hq", "store", or None when the day has no value."""
    return row.source if row.value is not None else None


def source_word(row: EntryRow) -> str:
    return translate("Entry", SOURCE_WORDS.get(source_key(row), SOURCE_WORDS[None]))


class EntryRowButton(QAbstractButton):
    """One metric as a full-width touch target: name, current value, where it came from.

    Emits QAbstractButton's `clicked`. Its labels are transparent to the mouse, so a press
    anywhere on the row presses the row.
    """

    def __init__(
        self, row: EntryRow, theme: Theme, width: int, height: int, *, show_day: bool = False
    ) -> None:
        super().__init__()
        self.row = row
        formats = words().formats
        value = formats.value(row.value, row.unit, row.decimals)
        source = source_word(row)
        day = formats.date(row.day)
        name = f"{row.label}, {day}" if show_day else row.label
        self.setAccessibleName(f"{name}: {value}, {source}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFixedSize(width, height)
        t = theme
        pad = t.px(32)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        source_font, value_font = t.font("meta_bold"), t.font("value")
        source_w = max(
            text_width(translate("Entry", w), source_font) for w in SOURCE_WORDS.values()
        ) + t.px(8)
        # The unit comes from HQ's catalog: a long one must not push the value's box past
        # the row's left edge (it did, by thousands of pixels; issue 7, item 4). Past a
        # third of the row, the value is elided instead.
        value_w = min(max(text_width(value, value_font), t.px(220)), width // 3)
        x_source = width - pad - source_w
        x_value = x_source - t.px(32) - value_w
        label_w = max(1, x_value - t.px(32) - pad)
        heading = t.font("heading")
        self.label = plain_label(row.label, heading, th.TEXT, parent=self)
        self.day: FitLabel | None = None
        if show_day:
            # Several days in one list: the day above the metric's name.
            meta = t.font("meta_bold")
            block = line_height(meta) + line_height(heading)
            top = max(0, (height - block) // 2)
            self.day = plain_label(day, meta, th.TEXT_DIM, parent=self)
            self.day.setGeometry(pad, top, label_w, line_height(meta))
            self.label.setGeometry(pad, top + line_height(meta), label_w, line_height(heading))
        else:
            self.label.setGeometry(pad, 0, label_w, height)
        self.value = plain_label(
            value,
            value_font,
            th.TEXT if row.value is not None else th.TEXT_DIM,
            align=right,
            parent=self,
        )
        self.value.setGeometry(x_value, 0, value_w, height)
        color = th.STATUS_COLORS["on_track"] if source_key(row) == "store" else th.TEXT_DIM
        self.source = plain_label(source, source_font, color, align=right, parent=self)
        self.source.setGeometry(x_source, 0, source_w, height)
        for label in (self.label, self.value, self.source, self.day):
            if label is not None:
                label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def sizeHint(self) -> QSize:
        return self.size()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(1, 1, -1, -1)
        radius = min(rect.height() / 6, 20.0)
        painter.setBrush(qcolor(th.TRACK if self.isDown() else th.SURFACE_HIGH))
        border = qcolor(th.SELF_ROW_BORDER if self.hasFocus() else th.TRACK)
        painter.setPen(QPen(border, max(2.0, rect.height() / 50)))
        painter.drawRoundedRect(rect, radius, radius)
        painter.end()


class EntryScreen(Screen):
    """Day selector, the entry metrics, paging, shout-outs and a close button.

    Signals:
    - `day_selected(str)`: "today", "yesterday" or "last7"; the owner answers with
      `set_rows()`.
    - `metric_selected(str)`: the metric key of the row pressed.
    - `row_selected(EntryRow)`: the row pressed (metric and day: "last7" lists several days).
    - `shoutouts_requested()`: the Shout-outs button.
    - `close_requested()`: the manager is done.
    """

    name = "entry"
    day_selected = Signal(str)
    metric_selected = Signal(str)
    row_selected = Signal(object)
    shoutouts_requested = Signal()
    close_requested = Signal()

    def __init__(self, theme: Theme | None = None, parent: QWidget | None = None) -> None:
        self._day = "today"
        self._rows: tuple[EntryRow, ...] | None = None
        self._rows_version = 0
        super().__init__(theme, parent)

    def title(self) -> str:
        return translate("Entry", DAY_TITLES.get(self._day, DAY_TITLES["today"]))

    def has_content(self) -> bool:
        return bool(self.rows())

    def selected_day(self) -> str:
        return self._day

    def rows(self) -> tuple[EntryRow, ...]:
        """The rows listed: those given by `set_rows()`, else the snapshot's (today's)."""
        if self._rows is not None:
            return self._rows
        return self.snapshot.entries if self.snapshot else ()

    def set_rows(self, rows: Sequence[EntryRow], day: str | None = None) -> None:
        """List `rows` (fresh from the database) for the day choice `day` (default: as is)."""
        if day is not None:
            self._select_day(day)
        self._rows = tuple(rows)
        self._changed()

    def clear_rows(self) -> None:
        """Back to today and the snapshot's rows (the manager area closed)."""
        self._select_day("today")
        self._rows = None
        self._changed()

    def _changed(self) -> None:
        self._rows_version += 1
        self._rebuild()
        # The window re-reads the title on page_changed: the day may be in it.
        self.page_changed.emit(self.current_page())

    def _key(self) -> tuple[object, ...]:
        return (*super()._key(), self._rows_version)

    def _select_day(self, key: str) -> None:
        self._day = key if key in DAY_TITLES else "today"
        # Every page has its own selector; keep them in step.
        for other in self.findChildren(TouchButton):
            if other.objectName().startswith("day_"):
                other.setChecked(other.objectName() == f"day_{self._day}")

    def touch_targets(self) -> list[QAbstractButton]:
        """Every button on the page showing (tests check their size and names)."""
        return [b for b in self.findChildren(QAbstractButton) if b.isVisibleTo(self)]

    def build_pages(self, area: QSize) -> list[QWidget]:
        t = self.theme
        touch = t.touch_target
        gap = t.px(18)
        rows = list(self.rows())
        several_days = len({row.day for row in rows}) > 1
        list_top = touch + t.px(28)
        note_font = t.font("label")
        note_text = self._from_hq_note(area.width(), note_font)
        note_h = len(wrap_text(note_text, note_font, area.width(), 2)) * line_height(note_font)
        room = area.height() - list_top - (note_h + gap if note_text else 0)
        per_page = rows_per_page(room, touch, gap, len(rows), touch + gap)
        chunks = [rows[i : i + per_page] for i in range(0, len(rows), per_page)] or [[]]
        pages = []
        for number, chunk in enumerate(chunks):
            page = self.new_page()
            self._add_top_row(page, area, touch)
            y = list_top
            for row in chunk:
                button = EntryRowButton(row, t, area.width(), touch, show_day=several_days)
                button.setParent(page)
                button.move(0, y)
                button.show()  # setParent() hides a widget
                button.clicked.connect(self._on_row_clicked)
                y += touch + gap
            if not rows:
                note = plain_label(
                    translate("Entry", "No metrics are set up for store entry."),
                    t.font("heading"),
                    th.TEXT_DIM,
                    parent=page,
                )
                note.setGeometry(0, y, area.width(), line_height(t.font("heading")))
                y += line_height(t.font("heading")) + gap
            if note_text:
                # Why the board's other metrics are not in the list: HQ sends them.
                hq = plain_label(note_text, note_font, th.TEXT_DIM, max_lines=2, parent=page)
                hq.setObjectName("from_hq")
                hq.setGeometry(0, y, area.width(), note_h)
            if len(chunks) > 1:
                self._add_pager(page, area, touch, number, len(chunks))
            pages.append(page)
        return pages

    def from_hq(self) -> list[str]:
        """The board's metrics not typed here (catalog `entry = no`), in catalog order."""
        snapshot = self.snapshot
        if snapshot is None:
            return []
        typed = {row.metric for row in snapshot.entries} | {row.metric for row in self.rows()}
        labels: dict[str, str] = {}
        for entry in snapshot.scoreboard.metrics:
            if entry.metric not in typed:
                labels.setdefault(entry.metric, entry.label)
        return list(labels.values())

    def _from_hq_note(self, width: int, font: QFont) -> str:
        """ "Sales and Shrink come from HQ: they are not typed here.", naming as many as fit
        two lines ("Sales, Average basket and 3 more come from HQ: ...")."""
        labels = self.from_hq()
        for shown in range(len(labels), 0, -1):
            text = from_hq_text(labels, shown)
            if len(wrap_text(text, font, width)) <= 2:
                return text
        return from_hq_text(labels, 0) if labels else ""

    def _add_top_row(self, page: QWidget, area: QSize, touch: int) -> None:
        t = self.theme
        font = t.font("button")
        group = QButtonGroup(page)
        group.setExclusive(True)
        x = 0
        for key, text in DAY_CHOICES:
            button = TouchButton(translate("Entry", text), font, touch, checkable=True, parent=page)
            button.setObjectName(f"day_{key}")
            button.setChecked(key == self._day)
            width = button.sizeHint().width()
            button.setGeometry(x, 0, width, touch)
            button.clicked.connect(self._on_day_clicked)
            group.addButton(button)
            x += width + t.px(18)
        #: The button that closes the manager's entry screen.
        done = translate("Entry", "Done")
        close = TouchButton(done, font, touch, accent=th.STATUS_COLORS["met"], parent=page)
        close.setAccessibleName(translate("Entry", "Close the entry screen"))
        close.setObjectName("close")
        width = close.sizeHint().width()
        close.setGeometry(area.width() - width, 0, width, touch)
        close.clicked.connect(self.close_requested)
        #: The button to the manager's shout-outs (thank-yous shown on the celebration screen).
        word = translate("Entry", "Shout-outs")
        shoutouts = TouchButton(f"★ {word}", font, touch, accessible_name=word, parent=page)
        shoutouts.setObjectName("shoutouts")
        shout_w = shoutouts.sizeHint().width()
        shoutouts.setGeometry(area.width() - width - t.px(18) - shout_w, 0, shout_w, touch)
        shoutouts.clicked.connect(self.shoutouts_requested)

    def _add_pager(self, page: QWidget, area: QSize, touch: int, number: int, total: int) -> None:
        t = self.theme
        font = t.font("button")
        y = area.height() - touch
        previous = TouchButton(
            "◀ " + translate("Entry", "Previous"),
            font,
            touch,
            accessible_name=translate("Entry", "Previous page"),
            parent=page,
        )
        previous.setGeometry(0, y, previous.sizeHint().width(), touch)
        previous.setEnabled(number > 0)
        previous.clicked.connect(self._on_previous)
        following = TouchButton(
            translate("Entry", "Next") + " ▶",
            font,
            touch,
            accessible_name=translate("Entry", "Next page"),
            parent=page,
        )
        width = following.sizeHint().width()
        following.setGeometry(area.width() - width, y, width, touch)
        following.setEnabled(number < total - 1)
        following.clicked.connect(self._on_next)
        formats = words().formats
        label = plain_label(
            f"{formats.number(number + 1)} / {formats.number(total)}",
            t.font("label"),
            th.TEXT_DIM,
            align=Qt.AlignmentFlag.AlignCenter,
            parent=page,
        )
        label.setGeometry(area.width() // 3, y, area.width() // 3, touch)

    @Slot()
    def _on_previous(self) -> None:
        self.show_page(self.current_page() - 1)

    @Slot()
    def _on_next(self) -> None:
        self.show_page(self.current_page() + 1)

    @Slot()
    def _on_day_clicked(self) -> None:
        button = self.sender()
        key = button.objectName().removeprefix("day_") if button else "today"
        if key != self._day:
            self._select_day(key)
            self.page_changed.emit(self.current_page())  # the title names the day
        self.day_selected.emit(key)

    @Slot()
    def _on_row_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, EntryRowButton):
            self.metric_selected.emit(button.row.metric)
            self.row_selected.emit(button.row)
