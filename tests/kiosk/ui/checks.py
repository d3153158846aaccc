"""Assertions about laid-out widgets, made with font metrics rather than eyes."""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.ui.theme import MIN_TEXT_PX
from kiosk.ui.widgets import line_height


def visible_labels(root: QWidget) -> list[QLabel]:
    return [w for w in root.findChildren(QLabel) if w.isVisibleTo(root) and w.text()]


def overflow_problems(label: QLabel, root: QWidget) -> list[str]:
    """Why `label`'s text does not fit its box or its box is clipped by an ancestor."""
    problems = []
    name = repr(label.text()[:40])
    rect = label.contentsRect()
    if label.wordWrap():
        if label.heightForWidth(rect.width()) > rect.height():
            problems.append(f"{name}: wrapped text taller than its box")
    else:
        metrics = label.fontMetrics()
        lines = label.text().split("\n")
        for line in lines:
            advance = metrics.horizontalAdvance(line)
            if advance > rect.width():
                problems.append(f"{name}: line {line!r} is {advance}px wide in {rect.width()}px")
        needed = len(lines) * line_height(label.font())
        if needed > rect.height():
            problems.append(f"{name}: {len(lines)} lines need {needed}px, box {rect.height()}px")
    # Every ancestor up to the root must contain the label's box: nothing clips it.
    widget: QWidget = label
    box = QRect(label.geometry())
    while widget is not root:
        parent = widget.parentWidget()
        if parent is None:
            break
        if not parent.rect().contains(box):
            problems.append(f"{name}: box {box.getRect()} leaves {type(parent).__name__}")
            break
        box.translate(parent.pos())
        widget = parent
    return problems


def all_overflow_problems(root: QWidget) -> list[str]:
    return [p for label in visible_labels(root) for p in overflow_problems(label, root)]


def non_plain_labels(root: QWidget) -> list[str]:
    return [
        repr(w.text()[:40])
        for w in root.findChildren(QLabel)
        if w.textFormat() != Qt.TextFormat.PlainText
    ]


def legibility_problems(root: QWidget, size: QSize, minimum: int = MIN_TEXT_PX) -> list[str]:
    """Visible text smaller than `minimum` pixels at 1080p (in proportion at `size`): what a
    break-room screen read from across the room must never show."""
    least = math.floor(minimum * size.height() / 1080)
    return [
        f"{label.text()[:40]!r}: {label.font().pixelSize()} px, under {least} px"
        for label in visible_labels(root)
        if label.font().pixelSize() < least
    ]
