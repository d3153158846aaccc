"""The numeric keypad for one metric on one day, and the read-only list of its changes.

The keypad shows the metric, the day, and what a manager needs to type the right number: the
goal in force, the value the board uses so far (and where it came from), the day before's
and the unit; the number starts as the value so far, and the first digit typed replaces it,
as on a calculator. Checking and saving belong to the controller: the pad only shows the message it
is given, and offers "Save anyway" when the message allows an override (the outlier check).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from kiosk.board.formatting import Formats
from kiosk.board.model import EntryRow
from kiosk.manager.entries import AuditRow
from kiosk.ui import theme as th
from kiosk.ui.i18n import translate, words
from kiosk.ui.manager.common import (
    AMBER,
    GREEN,
    RED,
    ManagerPage,
    PadButton,
    bigger,
    key_font,
    word_font,
)
from kiosk.ui.screens.entry import source_word
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import Panel, line_height, plain_label

MAX_TYPED = 12  # digits and a point; a longer number is a stuck finger


def plain_number(value: float) -> str:
    """`412.0` -> "412", `6.5` -> "6.5": the value as a person would type it, no grouping."""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return text


def with_unit(text: str, unit: str, formats: Formats | None = None) -> str:
    """What is typed ("6.5", a point for the decimal mark), as the locale writes it, with
    the catalog's unit where the board puts it: "$412", "6.5 h"; "6,5 h" in fr_CA."""
    if not text:
        return text
    formats = formats or words().formats
    return formats.with_unit(text.replace(".", formats.decimal_symbol), unit)


GOAL_FACTS: dict[str, dict[str, str]] = {
    "goal": {
        #: Beside the keypad: the goal in force for the day typed ("Goal today: 8.5 pts").
        "day": QT_TRANSLATE_NOOP("Keypad", "Goal today: {goal}"),
        #: The same when only the week has a goal.
        "week": QT_TRANSLATE_NOOP("Keypad", "Goal this week: {goal}"),
        "month": QT_TRANSLATE_NOOP("Keypad", "Goal this month: {goal}"),
    },
    "budget": {
        #: A budget not to pass (shrink: losses), for the day, the week or the month.
        "day": QT_TRANSLATE_NOOP("Keypad", "Budget today: {goal}"),
        "week": QT_TRANSLATE_NOOP("Keypad", "Budget this week: {goal}"),
        "month": QT_TRANSLATE_NOOP("Keypad", "Budget this month: {goal}"),
    },
    "limit": {
        #: A limit not to pass (a mean wait time, say).
        "day": QT_TRANSLATE_NOOP("Keypad", "Limit today: {goal}"),
        "week": QT_TRANSLATE_NOOP("Keypad", "Limit this week: {goal}"),
        "month": QT_TRANSLATE_NOOP("Keypad", "Limit this month: {goal}"),
    },
}


def day_words(day: dt.date, today: dt.date) -> str:
    """ "Today · Tue, Nov 24", "Yesterday · Mon, Nov 23", or just "Sat, Nov 21"."""
    date = words().formats.date(day)
    if day == today:
        #: Under the keypad's title: the day being typed, when it is today.
        return translate("Keypad", "Today · {date}").format(date=date)
    if day == today - dt.timedelta(days=1):
        return translate("Keypad", "Yesterday · {date}").format(date=date)
    return date


def _goal_kind(row: EntryRow) -> str:
    if row.direction != "down":
        return "goal"
    return "budget" if row.aggregate == "sum" else "limit"


def keypad_facts(row: EntryRow, today: dt.date) -> list[str]:
    """What the keypad says beside the number: the goal, the value so far, the day
    before's, the unit. "Goal today: 8.5 pts" ("Budget this month: $1,700" for a `down`
    sum), "So far today: 8.3 pts · Store", "Yesterday: 8.6 pts", "Unit: pts"."""
    formats = words().formats
    facts = []
    if row.goal is None or row.goal_period is None:
        #: Beside the keypad: the metric has no goal on the day typed.
        facts.append(translate("Keypad", "No goal set"))
    else:
        table = GOAL_FACTS[_goal_kind(row)]
        goal = formats.value(row.goal, row.unit, row.decimals)
        template = translate("Keypad", table.get(row.goal_period, table["day"]))
        facts.append(template.format(goal=goal))
    date = formats.date(row.day)
    yesterday = today - dt.timedelta(days=1)
    if row.value is None:
        if row.day == today:
            #: Beside the keypad: nothing typed (nor sent by HQ) for today yet.
            facts.append(translate("Keypad", "Not entered yet today"))
        elif row.day == yesterday:
            facts.append(translate("Keypad", "Not entered for yesterday"))
        else:
            facts.append(translate("Keypad", "Not entered for {date}").format(date=date))
    else:
        value = formats.value(row.value, row.unit, row.decimals)
        if row.day == today:
            #: Beside the keypad: the day's number so far, then where it came from.
            so_far = translate("Keypad", "So far today: {value}")
        elif row.day == yesterday:
            so_far = translate("Keypad", "So far yesterday: {value}")
        else:
            so_far = translate("Keypad", "So far on {date}: {value}")
        so_far = f"{so_far.format(value=value, date=date)} · {source_word(row)}"
        if row.source == "hq":
            #: After the day's number when it is HQ's: what the manager types does not show.
            so_far += " " + translate("Keypad", "(HQ's number shows on the board for this day)")
        facts.append(so_far)
    before = row.day - dt.timedelta(days=1)
    previous = formats.value(row.previous, row.unit, row.decimals)
    if before == yesterday:
        #: Beside the keypad: the number of the day before the one typed.
        facts.append(translate("Keypad", "Yesterday: {value}").format(value=previous))
    else:
        #: The same for an earlier day: "Sun, Nov 22: 8.6 pts".
        line = translate("Keypad", "{date}: {value}")
        facts.append(line.format(date=formats.date(before), value=previous))
    if row.unit.strip():
        #: Beside the keypad: the unit of the number typed, as HQ's catalog writes it.
        facts.append(translate("Keypad", "Unit: {unit}").format(unit=row.unit.strip()))
    return facts


class NumberPad(ManagerPage):
    """Digits, decimal point, Backspace, Clear, OK, Cancel; plus "Save anyway" and
    "Show changes".

    Signals:
    - `submitted(str, bool)`: OK (or "Save anyway", then the flag is true) with the text typed.
    - `cancelled()`: back to the list without saving.
    - `audit_requested()`: show the changes saved for this metric and day.
    """

    submitted = Signal(str, bool)
    cancelled = Signal()
    audit_requested = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, parent)
        self._row: EntryRow | None = None
        self._typed = ""
        self._untouched = True
        self._busy = False
        t = theme
        self.title = plain_label("", t.font("rank"), th.TEXT, max_lines=2, parent=self)
        self.day = plain_label("", t.font("label"), th.TEXT_DIM, parent=self)
        # Goal, value so far, the day before, unit: one line each (the so-far line may wrap).
        self.facts = [
            plain_label("", t.font("label"), th.TEXT_DIM, max_lines=2 if n == 1 else 1, parent=self)
            for n in range(4)
        ]
        self.box = Panel(th.SURFACE_HIGH, radius=t.radius, border_color=th.TRACK, parent=self)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.display = plain_label("", t.font("hero"), th.TEXT, align=right, parent=self.box)
        self.message = plain_label("", t.font("heading"), RED, max_lines=3, parent=self)
        self.digits: dict[str, PadButton] = {}
        for digit in "1234567890":
            button = PadButton(digit, parent=self)
            button.clicked.connect(self._on_digit)
            self.digits[digit] = button
        #: The name a screen reader says for the keypad's decimal mark key ("." or ",").
        point = translate("Keypad", "Decimal point")
        self.point = PadButton(words().formats.decimal_symbol, accessible_name=point, parent=self)
        self.point.clicked.connect(self._on_point)
        backspace = translate("Keypad", "Backspace")
        self.backspace = PadButton("⌫", accessible_name=backspace, parent=self)
        self.backspace.setAutoRepeat(True)
        self.backspace.clicked.connect(self._on_backspace)
        self.clear = PadButton(translate("Keypad", "Clear"), parent=self)
        self.clear.clicked.connect(self._on_clear)
        #: A keypad key: back to the list without saving.
        self.cancel = PadButton(translate("Keypad", "Cancel"), parent=self)
        self.cancel.clicked.connect(self.cancelled)
        #: The keypad's key that saves the number (short words only).
        self.ok = PadButton(translate("Keypad", "OK"), accent=GREEN, primary=True, parent=self)
        self.ok.clicked.connect(self._on_ok)
        #: Shown when a number looks wrong (100 times the usual): save it all the same.
        anyway = translate("Keypad", "Save anyway")
        self.save_anyway = PadButton(anyway, accent=AMBER, primary=True, parent=self)
        self.save_anyway.clicked.connect(self._on_save_anyway)
        self.save_anyway.hide()
        #: Opens the list of the changes saved for this metric and day.
        self.changes = PadButton(translate("Keypad", "Show changes"), parent=self)
        self.changes.clicked.connect(self.audit_requested)
        self.relayout()

    # --- state --------------------------------------------------------------------------

    @property
    def row(self) -> EntryRow | None:
        return self._row

    @property
    def typed(self) -> str:
        return self._typed

    def set_row(self, row: EntryRow, today: dt.date) -> None:
        """Show `row` (its value as the starting number) with nothing typed yet."""
        self._row = row
        self._busy = False
        self._typed = "" if row.value is None else plain_number(row.value)
        self._untouched = True
        self.title.set_full_text(row.label)
        self.day.set_full_text(day_words(row.day, today))
        facts = keypad_facts(row, today)
        for label, text in zip(self.facts, facts + [""] * len(self.facts), strict=False):
            label.set_full_text(text)
            # The goal in full white: it is what the number is typed against.
            label.set_color(th.TEXT if label is self.facts[0] else th.TEXT_DIM)
        self.message.set_full_text("")
        self.save_anyway.hide()
        self.relayout()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        if busy:
            #: While a number is being saved.
            self._say(translate("Keypad", "Saving…"), th.TEXT_DIM)
        self._refresh()

    def show_error(self, text: str, *, can_override: bool = False) -> None:
        """A message on the pad; with `can_override`, "Save anyway" appears under it."""
        self._busy = False
        self._say(text, RED)
        self.save_anyway.setVisible(can_override)
        self._refresh()

    def _say(self, text: str, color: str) -> None:
        self.message.set_full_text(text)
        self.message.set_color(color)

    def _edited(self) -> None:
        # Typing again makes any earlier message stale, "Save anyway" included.
        self._untouched = False
        self.save_anyway.hide()
        self._say("", th.TEXT_DIM)
        self._refresh()

    def _refresh(self) -> None:
        unit = self._row.unit if self._row is not None else ""
        self.display.set_full_text(with_unit(self._typed, unit) or "–")
        self.display.set_color(th.TEXT_DIM if self._untouched else th.TEXT)
        for button in self.touch_targets():
            if button is not self.cancel:
                button.setEnabled(not self._busy)
        self.changes.setEnabled(not self._busy and self._row is not None)

    # --- keys ---------------------------------------------------------------------------

    @Slot()
    def _on_digit(self) -> None:
        button = self.sender()
        if not isinstance(button, PadButton) or self._busy:
            return
        if self._untouched:
            self._typed = ""
        if len(self._typed) < MAX_TYPED:
            # "07" is a stuck zero: keep a single leading zero before other digits.
            self._typed = button.text() if self._typed == "0" else self._typed + button.text()
        self._edited()

    @Slot()
    def _on_point(self) -> None:
        if self._busy:
            return
        if self._untouched:
            self._typed = ""
        if "." not in self._typed and len(self._typed) < MAX_TYPED:
            self._typed = (self._typed or "0") + "."
        self._edited()

    @Slot()
    def _on_backspace(self) -> None:
        self._typed = self._typed[:-1]
        self._edited()

    @Slot()
    def _on_clear(self) -> None:
        self._typed = ""
        self._edited()

    @Slot()
    def _on_ok(self) -> None:
        if not self._busy:
            self.submitted.emit(self._typed, False)

    @Slot()
    def _on_save_anyway(self) -> None:
        if not self._busy:
            self.submitted.emit(self._typed, True)

    # --- layout -------------------------------------------------------------------------

    def relayout(self) -> None:
        t = self.theme
        w, h = self.width(), self.height()
        gap = t.px(18)
        key = t.touch_target  # 126 px at 1080p: 80 mm on a 55-inch panel
        wide = round(key * 1.5)
        grid_w = 3 * key + wide + 3 * gap
        grid_h = 4 * key + 3 * gap
        x0 = w - t.margin - grid_w
        left_w = max(1, x0 - 2 * t.margin)
        fonts = {
            self.title: t.font("rank"),
            self.day: t.font("label"),
            self.message: t.font("heading"),
            self.display: t.font("hero"),
        }
        for label in self.facts:
            fonts[label] = t.font("label")
        for label, font in fonts.items():
            label.setFont(font)
        pad = t.px(24)
        title_h = self.title.fit_height(left_w)
        day_h = line_height(fonts[self.day])
        facts = [label for label in self.facts if label.full_text()]
        fact_heights = [label.fit_height(left_w) for label in facts]
        facts_h = sum(fact_heights)
        box_h = line_height(fonts[self.display]) + 2 * pad
        message_h = 3 * line_height(fonts[self.message])
        left_h = title_h + day_h + facts_h + box_h + message_h + key + 4 * gap
        # The keypad and the column beside it end on the same line (OK beside the buttons).
        block_h = max(grid_h, left_h)
        y0 = max(t.margin, (h - block_h) // 2)
        bottom = y0 + block_h

        digits_font, word_type = key_font(t), word_font(t)
        grid_y = bottom - grid_h
        for row, names in enumerate(("123", "456", "789")):
            for column, name in enumerate(names):
                button = self.digits[name]
                button.restyle(digits_font, key)
                button.setGeometry(x0 + column * (key + gap), grid_y + row * (key + gap), key, key)
        last = grid_y + 3 * (key + gap)
        self.point.restyle(digits_font, key)
        self.point.setGeometry(x0, last, key, key)
        self.digits["0"].restyle(digits_font, key)
        self.digits["0"].setGeometry(x0 + key + gap, last, 2 * key + gap, key)
        right = x0 + 3 * (key + gap)
        for row, button in enumerate((self.backspace, self.clear, self.cancel, self.ok)):
            font = digits_font if button is self.backspace else word_type
            button.restyle(bigger(font, 1.3) if button is self.ok else font, key)
            button.setGeometry(right, grid_y + row * (key + gap), wide, key)

        # The left column: what is being typed, for which metric and day, and any message.
        x, y = t.margin, y0
        self.title.setGeometry(x, y, left_w, title_h)
        y += title_h
        self.day.setGeometry(x, y, left_w, day_h)
        y += day_h + gap
        for label in self.facts:
            label.setVisible(label in facts)
        for label, height in zip(facts, fact_heights, strict=True):
            label.setGeometry(x, y, left_w, height)
            y += height
        y += gap
        self.box.setGeometry(x, y, left_w, box_h)
        self.display.setGeometry(pad, pad, max(1, left_w - 2 * pad), box_h - 2 * pad)
        y += box_h + gap
        buttons_y = bottom - key
        self.message.setGeometry(x, y, left_w, max(message_h, buttons_y - gap - y))
        self.save_anyway.restyle(word_type, t.touch_target)
        self.changes.restyle(word_type, t.touch_target)
        half = (left_w - gap) // 2
        self.save_anyway.setGeometry(x, buttons_y, half, key)
        self.changes.setGeometry(x + half + gap, buttons_y, left_w - half - gap, key)
        self._refresh()


class AuditPage(ManagerPage):
    """Every saved change of one metric on one day, newest first: when, old -> new. Read-only.

    Signals: `back()`.
    """

    back = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, parent)
        self._rows: list[AuditRow] = []
        self._row: EntryRow | None = None
        self._tz: dt.tzinfo = dt.UTC
        self._items: list[QWidget] = []
        self.title = plain_label("", theme.font("title"), th.TEXT, parent=self)
        self.subtitle = plain_label("", theme.font("meta"), th.TEXT_DIM, parent=self)
        self.note = plain_label("", theme.font("label"), th.TEXT_DIM, max_lines=2, parent=self)
        #: Back from the list of changes to the keypad.
        self.back_button = PadButton(translate("Keypad", "Back"), accent=GREEN, parent=self)
        self.back_button.clicked.connect(self.back)
        self.relayout()

    def set_rows(
        self, row: EntryRow, rows: Sequence[AuditRow], tz: dt.tzinfo, today: dt.date
    ) -> None:
        self._row = row
        self._rows = list(reversed(rows))  # newest first
        self._tz = tz
        #: The title of the list of changes saved for one metric ("Changes: Sales").
        self.title.set_full_text(translate("Keypad", "Changes: {metric}").format(metric=row.label))
        #: After the day, under that title: only changes typed at this kiosk are listed.
        saved_here = translate("Keypad", "saved at this screen")
        self.subtitle.set_full_text(f"{day_words(row.day, today)} · {saved_here}")
        self.relayout()

    def lines(self) -> list[tuple[str, str]]:
        """(when, "old → new") for every change, newest first."""
        unit = self._row.unit if self._row else ""
        decimals = self._row.decimals if self._row else 0
        formats = words().formats
        out = []
        for change in self._rows:
            at = change.at if change.at.tzinfo else change.at.replace(tzinfo=dt.UTC)
            local = at.astimezone(self._tz)
            when = formats.date_time(local)
            old = formats.value(change.old_value, unit, decimals)
            new = formats.value(change.new_value, unit, decimals)
            out.append((when, f"{old} → {new}"))
        return out

    def relayout(self) -> None:
        t = self.theme
        w, h = self.width(), self.height()
        gap = t.px(14)
        title_font, meta, label, value = (
            t.font("title"),
            t.font("meta"),
            t.font("label"),
            t.font("value"),
        )
        self.title.setFont(title_font)
        self.subtitle.setFont(meta)
        self.note.setFont(label)
        self.back_button.restyle(word_font(t), t.touch_target)
        back_w = max(t.px(240), self.back_button.sizeHint().width())
        self.back_button.setGeometry(w - t.margin - back_w, t.margin, back_w, t.touch_target)
        text_w = max(1, w - 3 * t.margin - back_w)
        self.title.setGeometry(t.margin, t.margin, text_w, line_height(title_font))
        self.subtitle.setGeometry(
            t.margin, t.margin + line_height(title_font), text_w, line_height(meta)
        )
        for item in self._items:
            item.hide()
            item.deleteLater()
        self._items = []
        y = t.margin + t.touch_target + t.px(28)
        row_h = line_height(value) + 2 * t.px(16)
        lines = self.lines()
        room = max(0, (h - t.margin - y - 2 * line_height(label)) // (row_h + gap))
        shown = lines if len(lines) <= room + 1 else lines[:room]
        for when, change in shown:
            panel = Panel(th.SURFACE, radius=t.radius, parent=self)
            panel.setGeometry(t.margin, y, w - 2 * t.margin, row_h)
            pad = t.px(28)
            inner_w = w - 2 * t.margin - 2 * pad
            left = plain_label(when, label, th.TEXT_DIM, parent=panel)
            left.setGeometry(pad, 0, inner_w // 2, row_h)
            right = plain_label(
                change,
                value,
                th.TEXT,
                align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                parent=panel,
            )
            right.setGeometry(pad + inner_w // 2, 0, inner_w - inner_w // 2, row_h)
            panel.show()
            self._items.append(panel)
            y += row_h + gap
        if not lines:
            note = translate("Keypad", "No changes saved at this screen for this day yet.")
        elif len(shown) == len(lines) - 1:
            #: Under the list of changes, when the oldest one does not fit.
            note = translate("Keypad", "and 1 earlier change")
        elif len(shown) < len(lines):
            #: Under the list of changes, when the oldest ones do not fit (2 or more).
            note = translate("Keypad", "and {count} earlier changes")
            note = note.format(count=words().formats.number(len(lines) - len(shown)))
        else:
            note = ""
        self.note.set_full_text(note)
        self.note.setGeometry(t.margin, y, w - 2 * t.margin, 2 * line_height(label))
