"""The PIN pad, and the notice shown instead when no PIN is set.

The pad shows a dot per digit, never a digit: someone behind the manager sees how long the PIN
is, nothing more. The typed PIN lives only in this widget until OK hands it over (and forgets
it); it is never logged. Checking it (scrypt, ~0.1 s, and a database write) is the
controller's job, off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QHideEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from kiosk.manager.pin import MAX_PIN_LENGTH
from kiosk.ui import theme as th
from kiosk.ui.fonts import make_font
from kiosk.ui.i18n import translate
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
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import Panel, line_height, plain_label

DOT = "●"
NO_PIN_COMMAND = "kiosk pin set"  # a command, the same in every language


def prompt() -> str:
    #: Under the PIN pad's dots, before anything is typed.
    return translate("PinPad", "Type your PIN, then OK")


def no_pin_title() -> str:
    #: Instead of the PIN pad, when no manager PIN was ever set at this kiosk.
    return translate("PinPad", "Manager entry is not set up yet")


def no_pin_text() -> str:
    #: Above the command IT runs to set the PIN ("kiosk pin set", never translated).
    return translate("PinPad", "No manager PIN is set. Ask your IT contact to run:")


def dots_font(theme: Theme) -> QFont:
    # Not condensed: a condensed "●" is an oval.
    return make_font(theme.px(64))


def countdown_text(seconds: float) -> str:
    """`272.1` -> "4:33": whole seconds, rounded up, so it never shows 0:00 while locked."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def wrong_pin_text(attempts_left: int) -> str:
    """ "Wrong PIN — 3 tries left" (then the pad locks for a while)."""
    if attempts_left == 1:
        #: A wrong PIN typed; one more wrong PIN locks the pad for a few minutes.
        return translate("PinPad", "Wrong PIN — 1 try left")
    #: A wrong PIN typed, and how many tries are left before the pad locks (0, or 2 or more).
    text = translate("PinPad", "Wrong PIN — {count} tries left")
    return text.format(count=attempts_left)


def locked_text(seconds: float) -> str:
    #: Too many wrong PINs: the pad is locked for this long ("4:33", minutes and seconds).
    text = translate("PinPad", "Locked — try again in {time}")
    return text.format(time=countdown_text(seconds))


class PinPad(ManagerPage):
    """Digits 0-9, Backspace, Clear, OK and Cancel; dots for what is typed.

    Signals:
    - `submitted(str)`: OK with a PIN typed (the pad forgets it at once).
    - `cancelled()`: the manager gave up.
    """

    submitted = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        theme: Theme,
        now: Callable[[], dt.datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(theme, parent)
        self._now = now
        self._typed = ""
        self._busy = False
        self._locked_until: dt.datetime | None = None
        t = theme
        center = Qt.AlignmentFlag.AlignCenter
        #: The title of the PIN pad that opens the manager area.
        title = translate("PinPad", "Manager PIN")
        self.title = plain_label(title, t.font("title"), th.TEXT, align=center, parent=self)
        self.dots = plain_label("", dots_font(t), th.TEXT, align=center, parent=self)
        self.message = plain_label(
            prompt(), t.font("heading"), th.TEXT_DIM, max_lines=2, align=center, parent=self
        )
        self.digits: dict[str, PadButton] = {}
        for digit in "1234567890":
            button = PadButton(digit, parent=self)
            button.clicked.connect(self._on_digit)
            self.digits[digit] = button
        #: A pad key: empty what was typed.
        self.clear = PadButton(translate("PinPad", "Clear"), parent=self)
        self.clear.clicked.connect(self._on_clear)
        #: The name a screen reader says for the ⌫ key: remove the last digit typed.
        backspace = translate("PinPad", "Backspace")
        self.backspace = PadButton("⌫", accessible_name=backspace, parent=self)
        self.backspace.setAutoRepeat(True)
        self.backspace.clicked.connect(self._on_backspace)
        #: The pad's big key that sends the PIN (two keys tall, short words only).
        self.ok = PadButton(translate("PinPad", "OK"), accent=GREEN, primary=True, parent=self)
        self.ok.clicked.connect(self._on_ok)
        #: A pad key: leave the manager area.
        self.cancel = PadButton(translate("PinPad", "Cancel"), parent=self)
        self.cancel.clicked.connect(self.cancelled)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.update_lock)
        self.relayout()

    # --- state --------------------------------------------------------------------------

    @property
    def typed_length(self) -> int:
        return len(self._typed)

    @property
    def locked(self) -> bool:
        return self._locked_until is not None

    def tick_timer(self) -> QTimer:
        return self._tick

    def reset(self) -> None:
        """Empty, not busy, not locked: as a new visitor should find it."""
        self._typed = ""
        self._busy = False
        self._locked_until = None
        self._tick.stop()
        self._say(prompt(), th.TEXT_DIM)
        self._refresh()

    def set_busy(self, busy: bool, text: str | None = None) -> None:
        self._busy = busy
        if busy:
            #: While a typed PIN is being checked.
            self._say(text or translate("PinPad", "Checking…"), th.TEXT_DIM)
        self._refresh()

    def show_wrong(self, attempts_left: int) -> None:
        self._busy = False
        self._say(wrong_pin_text(attempts_left), RED)
        self._refresh()

    def show_error(self, text: str) -> None:
        self._busy = False
        self._say(text, RED)
        self._refresh()

    def set_locked(self, until: dt.datetime | None) -> None:
        """Lock the pad until `until` (aware), with a countdown; None unlocks it."""
        self._busy = False
        self._typed = ""
        self._locked_until = until
        self.update_lock()

    @Slot()
    def update_lock(self) -> None:
        """Show the time left (the tick timer calls this once a second while visible)."""
        if self._locked_until is None:
            self._tick.stop()
            self._refresh()
            return
        left = (self._locked_until - self._now()).total_seconds()
        if left <= 0:
            self._locked_until = None
            self._tick.stop()
            self._say(prompt(), th.TEXT_DIM)
        else:
            self._say(locked_text(left), AMBER)
            if self.isVisible() and not self._tick.isActive():
                self._tick.start()
        self._refresh()

    def _say(self, text: str, color: str) -> None:
        self.message.set_full_text(text)
        self.message.set_color(color)

    def _refresh(self) -> None:
        # Dots only: the label never holds a digit of the PIN.
        self.dots.set_full_text(" ".join(DOT * len(self._typed)))
        usable = not self._busy and self._locked_until is None
        for button in (*self.digits.values(), self.clear, self.backspace, self.ok):
            button.setEnabled(usable)
        if usable:
            full = len(self._typed) >= MAX_PIN_LENGTH
            for button in self.digits.values():
                button.setEnabled(not full)
            self.ok.setEnabled(bool(self._typed))
            self.clear.setEnabled(bool(self._typed))
            self.backspace.setEnabled(bool(self._typed))

    # --- keys ---------------------------------------------------------------------------

    @Slot()
    def _on_digit(self) -> None:
        button = self.sender()
        if not isinstance(button, PadButton) or self._busy or self.locked:
            return
        if len(self._typed) < MAX_PIN_LENGTH:
            self._typed += button.text()
        if self.message.full_text() != prompt():
            self._say(prompt(), th.TEXT_DIM)
        self._refresh()

    @Slot()
    def _on_clear(self) -> None:
        self._typed = ""
        self._refresh()

    @Slot()
    def _on_backspace(self) -> None:
        self._typed = self._typed[:-1]
        self._refresh()

    @Slot()
    def _on_ok(self) -> None:
        if self._busy or self.locked or not self._typed:
            return
        pin, self._typed = self._typed, ""
        self.set_busy(True)
        self.submitted.emit(pin)

    # --- Qt -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.update_lock()  # the countdown only ticks while someone can see it

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._tick.stop()

    def relayout(self) -> None:
        t = self.theme
        w, h = self.width(), self.height()
        gap = t.px(18)
        title_font, message_font = t.font("title"), t.font("heading")
        self.title.setFont(title_font)
        self.dots.setFont(dots_font(t))
        self.message.setFont(message_font)
        title_h = line_height(title_font)
        dots_h = line_height(dots_font(t))
        message_h = 2 * line_height(message_font)
        # The theme's touch size: 126 px at 1080p, 80 mm on a 55-inch panel. Bigger keys
        # would spread the pad over half the screen's height: more arm, not more accuracy.
        key = t.touch_target
        block_h = title_h + dots_h + message_h + 2 * gap + 4 * key + 3 * gap
        top = max(t.margin, (h - block_h) // 2)
        grid_top = top + title_h + dots_h + message_h + 2 * gap
        wide = round(key * 1.6)
        grid_w = 3 * key + wide + 3 * gap
        x0 = (w - grid_w) // 2
        self.title.setGeometry(t.margin, top, w - 2 * t.margin, title_h)
        self.dots.setGeometry(t.margin, top + title_h + gap // 2, w - 2 * t.margin, dots_h)
        self.message.setGeometry(
            t.margin, top + title_h + dots_h + gap, w - 2 * t.margin, message_h
        )
        digits_font, word_type = key_font(t), word_font(t)
        for row, keys in enumerate(("123", "456", "789")):
            for column, name in enumerate(keys):
                button = self.digits[name]
                button.restyle(digits_font, key)
                button.setGeometry(
                    x0 + column * (key + gap), grid_top + row * (key + gap), key, key
                )
        last = grid_top + 3 * (key + gap)
        self.digits["0"].restyle(digits_font, key)
        self.digits["0"].setGeometry(x0, last, 2 * key + gap, key)
        self.backspace.restyle(digits_font, key)
        self.backspace.setGeometry(x0 + 2 * (key + gap), last, key, key)
        # The words in the wide column: Cancel, Clear, then OK, two keys tall.
        right = x0 + 3 * (key + gap)
        for row, button in enumerate((self.cancel, self.clear)):
            button.restyle(word_type, key)
            button.setGeometry(right, grid_top + row * (key + gap), wide, key)
        self.ok.restyle(bigger(word_type, 1.4), key)
        self.ok.setGeometry(right, grid_top + 2 * (key + gap), wide, 2 * key + gap)
        self._refresh()


class NoticePage(ManagerPage):
    """A message, maybe a command to hand to IT, and one Close button.

    Shown instead of the PIN pad when no PIN is set (or the PIN cannot be read).
    Signals: `closed()`.
    """

    closed = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(theme, parent)
        center = Qt.AlignmentFlag.AlignCenter
        self.title = plain_label("", theme.font("title"), th.TEXT, align=center, parent=self)
        self.text = plain_label(
            "", theme.font("body"), th.TEXT_DIM, max_lines=3, align=center, parent=self
        )
        self.code_box = Panel(th.SURFACE_HIGH, radius=theme.radius, parent=self)
        self.code = plain_label("", theme.font("value"), th.TEXT, align=center, parent=self)
        #: The one button of a notice in the manager area.
        close = translate("PinPad", "Close")
        self.close_button = PadButton(close, accent=GREEN, primary=True, parent=self)
        self.close_button.clicked.connect(self.closed)
        self.relayout()

    def set_notice(self, title: str, text: str, code: str = "") -> None:
        self.title.set_full_text(title)
        self.text.set_full_text(text)
        self.code.set_full_text(code)
        self.relayout()

    def relayout(self) -> None:
        t = self.theme
        w, h = self.width(), self.height()
        title_font, body_font, code_font = t.font("title"), t.font("body"), t.font("value")
        self.title.setFont(title_font)
        self.text.setFont(body_font)
        self.code.setFont(code_font)
        width = min(w - 2 * t.margin, t.px(1400))
        x = (w - width) // 2
        y = max(t.margin, h // 5)
        self.title.setGeometry(x, y, width, line_height(title_font))
        y += line_height(title_font) + t.px(40)
        text_h = self.text.fit_height(width)
        self.text.setGeometry(x, y, width, text_h)
        y += text_h + t.px(24)
        has_code = bool(self.code.full_text())
        self.code_box.setVisible(has_code)
        self.code.setVisible(has_code)
        if has_code:
            pad = t.px(24)
            code_w = min(width, self.code.natural_width() + 4 * pad)
            code_h = line_height(code_font) + 2 * pad
            self.code_box.setGeometry((w - code_w) // 2, y, code_w, code_h)
            self.code.setGeometry(
                (w - code_w) // 2 + pad, y + pad, code_w - 2 * pad, code_h - 2 * pad
            )
            y += code_h
        y += t.px(48)
        self.close_button.restyle(word_font(t), t.touch_target)
        button_w = max(t.px(320), self.close_button.sizeHint().width())
        self.close_button.setGeometry((w - button_w) // 2, y, button_w, t.touch_target)
