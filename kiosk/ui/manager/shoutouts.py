"""The manager's shout-outs: the ones showing (with Delete), and a new one typed on Qt's
virtual keyboard.

A shout-out shows on the celebration screen for `[manager] shoutout_days` days. Deleting takes
two taps (Delete, then "Tap again to delete") because it cannot be undone at the screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QPalette, QShowEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.manager.entries import SHOUTOUT_MAX_CHARS, ShoutOutRow
from kiosk.ui import theme as th
from kiosk.ui.i18n import translate, words
from kiosk.ui.manager.common import GREEN, RED, ManagerPage, PadButton, word_font
from kiosk.ui.manager.keyboard import VirtualKeyboard
from kiosk.ui.theme import Theme, qcolor
from kiosk.ui.widgets import Panel, line_height, plain_label, rows_per_page

CONFIRM_SECONDS = 5


def showing_words(row: ShoutOutRow) -> str:
    """ "Shows Tue, Nov 24" or "Shows Tue, Nov 24 – Mon, Nov 30"."""
    formats = words().formats
    if row.day == row.until:
        #: Under a shout-out: the one day it is on the celebration screen.
        return translate("ShoutOuts", "Shows {date}").format(date=formats.date(row.day))
    #: Under a shout-out: the days it is on the celebration screen.
    text = translate("ShoutOuts", "Shows {start} – {end}")
    return text.format(start=formats.date(row.day), end=formats.date(row.until))


class ShoutOutsPage(ManagerPage):
    """The active shout-outs, newest first, each with Delete; "Add shout-out"; "Back".

    Signals:
    - `add_requested()`: open the editor.
    - `delete_requested(int)`: the id of a shout-out to delete (confirmed by a second tap).
    - `back()`: back to the numbers.
    """

    add_requested = Signal()
    delete_requested = Signal(int)
    back = Signal()

    def __init__(self, theme: Theme, days: int, parent: QWidget | None = None) -> None:
        super().__init__(theme, parent)
        self._days = days
        self._rows: list[ShoutOutRow] = []
        self._page = 0
        self._pages = 1
        self._loading = True
        self._confirming: int | None = None
        self._items: list[QWidget] = []
        #: The title of the manager's page of shout-outs (thank-yous to the team).
        title = translate("ShoutOuts", "Shout-outs")
        self.title = plain_label(title, theme.font("title"), th.TEXT, parent=self)
        self.subtitle = plain_label("", theme.font("meta"), th.TEXT_DIM, parent=self)
        self.note = plain_label("", theme.font("label"), th.TEXT_DIM, max_lines=2, parent=self)
        #: The button that opens the editor of a new shout-out.
        add = translate("ShoutOuts", "Add shout-out")
        self.add = PadButton(f"+ {add}", accessible_name=add, primary=True, parent=self)
        self.add.clicked.connect(self.add_requested)
        #: Back from the shout-outs to the entry list.
        self.back_button = PadButton(translate("ShoutOuts", "Back"), accent=GREEN, parent=self)
        self.back_button.clicked.connect(self.back)
        previous = translate("ShoutOuts", "Previous page")
        self.previous = PadButton("◀", accessible_name=previous, parent=self)
        self.previous.clicked.connect(self._on_previous)
        following = translate("ShoutOuts", "Next page")
        self.following = PadButton("▶", accessible_name=following, parent=self)
        self.following.clicked.connect(self._on_next)
        self._confirm_timer = QTimer(self)
        self._confirm_timer.setSingleShot(True)
        self._confirm_timer.timeout.connect(self._end_confirm)
        self.set_loading()

    def set_loading(self) -> None:
        self._loading = True
        self._rows = []
        self.relayout()

    def set_rows(self, rows: Sequence[ShoutOutRow]) -> None:
        self._loading = False
        self._rows = list(rows)
        self._confirming = None
        self.relayout()

    def rows(self) -> list[ShoutOutRow]:
        return list(self._rows)

    @Slot()
    def _on_previous(self) -> None:
        self._page = max(0, self._page - 1)
        self.relayout()

    @Slot()
    def _on_next(self) -> None:
        self._page = min(self._pages - 1, self._page + 1)
        self.relayout()

    @Slot()
    def _end_confirm(self) -> None:
        self._confirming = None
        self.relayout()

    @Slot()
    def _on_delete_clicked(self) -> None:
        button = self.sender()
        if button is not None:
            self._on_delete(int(button.property("shoutout_id")))

    def _on_delete(self, shoutout_id: int) -> None:
        if self._confirming == shoutout_id:
            self._confirming = None
            self._confirm_timer.stop()
            self.delete_requested.emit(shoutout_id)
            return
        self._confirming = shoutout_id
        self._confirm_timer.start(CONFIRM_SECONDS * 1000)
        self.relayout()

    def relayout(self) -> None:
        t = self.theme
        w, h = self.width(), self.height()
        gap = t.px(18)
        touch = t.touch_target
        title_font, meta, label, body = (
            t.font("title"),
            t.font("meta"),
            t.font("label"),
            t.font("body"),
        )
        word_type = word_font(t)
        self.title.setFont(title_font)
        self.subtitle.setFont(meta)
        self.note.setFont(label)
        #: Under the title: how long a shout-out shows ("7 days", worded by the locale).
        shown = translate("ShoutOuts", "On the celebration screen for {days}")
        self.subtitle.set_full_text(shown.format(days=words().formats.days(self._days)))
        for button in (self.add, self.back_button, self.previous, self.following):
            button.restyle(word_type, touch)
        back_w = max(t.px(240), self.back_button.sizeHint().width())
        add_w = self.add.sizeHint().width()
        self.back_button.setGeometry(w - t.margin - back_w, t.margin, back_w, touch)
        self.add.setGeometry(w - t.margin - back_w - gap - add_w, t.margin, add_w, touch)
        text_w = max(1, w - 4 * t.margin - back_w - add_w)
        self.title.setGeometry(t.margin, t.margin, text_w, line_height(title_font))
        self.subtitle.setGeometry(
            t.margin, t.margin + line_height(title_font), text_w, line_height(meta)
        )

        for item in self._items:
            item.hide()
            item.deleteLater()
        self._items = []
        top = t.margin + touch + t.px(28)
        row_h = max(touch, 2 * line_height(body) + line_height(meta)) + 2 * t.px(14)
        per_page = rows_per_page(h - top - t.margin, row_h, gap, len(self._rows), touch + gap)
        self._pages = max(1, -(-len(self._rows) // per_page))
        self._page = min(self._page, self._pages - 1)
        chunk = self._rows[self._page * per_page : (self._page + 1) * per_page]
        y = top
        for row in chunk:
            self._items.append(self._row_widget(row, t.margin, y, w - 2 * t.margin, row_h))
            y += row_h + gap
        if self._loading:
            note = translate("ShoutOuts", "Loading…")
        elif not self._rows:
            #: "Add shout-out" is the button's name: quote it as that button says it.
            note = translate(
                "ShoutOuts", "No shout-outs yet. Tap “Add shout-out” to thank someone."
            )
        else:
            note = ""
        self.note.set_full_text(note)
        self.note.setGeometry(t.margin, y, w - 2 * t.margin, 2 * line_height(label))
        paged = self._pages > 1
        self.previous.setVisible(paged)
        self.following.setVisible(paged)
        if paged:
            y_pager = h - t.margin - touch
            self.previous.setGeometry(t.margin, y_pager, touch, touch)
            self.following.setGeometry(w - t.margin - touch, y_pager, touch, touch)
            self.previous.setEnabled(self._page > 0)
            self.following.setEnabled(self._page < self._pages - 1)

    def _row_widget(self, row: ShoutOutRow, x: int, y: int, width: int, height: int) -> QWidget:
        t = self.theme
        panel = Panel(
            th.SURFACE, radius=t.radius, band_color=th.CELEBRATION, band_width=t.band, parent=self
        )
        panel.setGeometry(x, y, width, height)
        pad = t.px(28)
        confirming = self._confirming == row.id
        #: A shout-out's delete button; the second tap (within 5 s) deletes it.
        if confirming:
            word = translate("ShoutOuts", "Tap again to delete")
        else:
            word = translate("ShoutOuts", "Delete")
        #: What a screen reader says for that button, then the shout-out's text.
        named = translate("ShoutOuts", "Delete shout-out: {text}").format(text=row.text)
        delete = PadButton(word, accent=RED, accessible_name=named, parent=panel)
        delete.restyle(word_font(t), t.touch_target)
        if confirming:
            delete.setCheckable(True)
            delete.setChecked(True)  # painted in the accent colour: this is the second tap
        delete_w = delete.sizeHint().width()
        delete.setGeometry(
            width - pad - delete_w, (height - t.touch_target) // 2, delete_w, t.touch_target
        )
        delete.setProperty("shoutout_id", row.id)
        delete.clicked.connect(self._on_delete_clicked)
        text_w = max(1, width - 3 * pad - delete_w - t.band)
        body, meta = t.font("body"), t.font("meta")
        text = plain_label(row.text, body, th.TEXT, max_lines=2, parent=panel)
        text_h = text.fit_height(text_w)
        top = max(t.px(14), (height - text_h - line_height(meta)) // 2)
        text.setGeometry(t.band + pad, top, text_w, text_h)
        when = plain_label(showing_words(row), meta, th.TEXT_DIM, parent=panel)
        when.setGeometry(t.band + pad, top + text_h, text_w, line_height(meta))
        panel.show()
        return panel


class ShoutOutEditor(ManagerPage):
    """A text field, Save and Cancel, and Qt's virtual keyboard under them.

    Signals:
    - `saved(str)`: Save (or the keyboard's Enter) with the text typed.
    - `cancelled()`.
    """

    saved = Signal(str)
    cancelled = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, parent)
        self._busy = False
        #: The title of the page where a manager types a shout-out.
        title = translate("ShoutOuts", "New shout-out")
        self.title = plain_label(title, theme.font("title"), th.TEXT, parent=self)
        self.hint = plain_label(
            #: Beside that title: what to type, with an example (any first name of your country).
            translate("ShoutOuts", "Who did what? For example: Maria: five-star review"),
            theme.font("meta"),
            th.TEXT_DIM,
            parent=self,
        )
        self.field = QLineEdit(self)
        self.field.setAccessibleName(translate("ShoutOuts", "Shout-out text"))
        self.field.setMaxLength(SHOUTOUT_MAX_CHARS)
        #: Greyed in the empty text field.
        self.field.setPlaceholderText(translate("ShoutOuts", "Type the shout-out here"))
        self.field.setFrame(False)
        self.field.returnPressed.connect(self._on_save)
        self.field.textChanged.connect(self._on_text_changed)
        palette = self.field.palette()
        palette.setColor(QPalette.ColorRole.Base, qcolor(th.SURFACE_HIGH))
        palette.setColor(QPalette.ColorRole.Text, qcolor(th.TEXT))
        palette.setColor(QPalette.ColorRole.PlaceholderText, qcolor(th.TEXT_DIM))
        self.field.setPalette(palette)
        self.count = plain_label(
            "", theme.font("meta"), th.TEXT_DIM, align=Qt.AlignmentFlag.AlignRight, parent=self
        )
        self.message = plain_label("", theme.font("label"), RED, parent=self)
        save = translate("ShoutOuts", "Save")
        self.save = PadButton(save, accent=GREEN, primary=True, parent=self)
        self.save.clicked.connect(self._on_save)
        self.cancel = PadButton(translate("ShoutOuts", "Cancel"), parent=self)
        self.cancel.clicked.connect(self.cancelled)
        self.keyboard = VirtualKeyboard(theme, parent=self)
        self.relayout()

    def start(self) -> None:
        """An empty field with the focus, and the keyboard ready under it."""
        self._busy = False
        self.field.clear()
        self.message.set_full_text("")
        self._refresh()
        self.keyboard.ensure_loaded()
        self.relayout()
        self._focus_field()

    def _focus_field(self) -> None:
        self.field.setFocus()
        # The keyboard's input context may have been made after the field took the focus;
        # it learns about the focused field only on an update.
        QGuiApplication.inputMethod().update(Qt.InputMethodQuery.ImQueryAll)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        if busy:
            self.message.set_color(th.TEXT_DIM)
            self.message.set_full_text(translate("ShoutOuts", "Saving…"))
        self._refresh()

    def show_error(self, text: str) -> None:
        self._busy = False
        self.message.set_color(RED)
        self.message.set_full_text(text)
        self._refresh()
        self._focus_field()

    def _refresh(self) -> None:
        self.save.setEnabled(not self._busy and bool(self.field.text().strip()))
        self.field.setReadOnly(self._busy)
        formats = words().formats
        typed = formats.number(len(self.field.text()))
        self.count.set_full_text(f"{typed} / {formats.number(SHOUTOUT_MAX_CHARS)}")

    @Slot(str)
    def _on_text_changed(self, _text: str) -> None:
        if self.message.full_text() and not self._busy:
            self.message.set_full_text("")
        self._refresh()

    @Slot()
    def _on_save(self) -> None:
        if not self._busy:
            self.saved.emit(self.field.text())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._focus_field()

    def relayout(self) -> None:
        t = self.theme
        w, h = self.width(), self.height()
        gap = t.px(18)
        touch = t.touch_target
        title_font, meta, label = t.font("title"), t.font("meta"), t.font("label")
        field_font = t.font("value")
        self.title.setFont(title_font)
        self.hint.setFont(meta)
        self.count.setFont(meta)
        self.message.setFont(label)
        self.field.setFont(field_font)
        self.field.setTextMargins(t.px(20), 0, t.px(20), 0)
        word_type = word_font(t)
        self.save.restyle(word_type, touch)
        self.cancel.restyle(word_type, touch)
        y = t.margin
        self.title.setGeometry(t.margin, y, w // 2, line_height(title_font))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        self.hint.setGeometry(
            t.margin + w // 2,
            y + line_height(title_font) - line_height(meta),
            max(1, w // 2 - 2 * t.margin),
            line_height(meta),
        )
        y += line_height(title_font) + gap
        save_w = max(t.px(220), self.save.sizeHint().width())
        cancel_w = max(t.px(220), self.cancel.sizeHint().width())
        field_w = max(1, w - 2 * t.margin - save_w - cancel_w - 2 * gap)
        self.field.setGeometry(t.margin, y, field_w, touch)
        self.save.setGeometry(t.margin + field_w + gap, y, save_w, touch)
        self.cancel.setGeometry(t.margin + field_w + gap + save_w + gap, y, cancel_w, touch)
        y += touch + t.px(6)
        line = line_height(label)
        self.message.setGeometry(t.margin, y, field_w - t.px(200), line)
        self.count.setGeometry(t.margin + field_w - t.px(200), y, t.px(200), line_height(meta))
        y += line + gap
        self.keyboard.set_theme(t)
        self.keyboard.setGeometry(t.margin, y, w - 2 * t.margin, max(1, h - y - t.margin))
