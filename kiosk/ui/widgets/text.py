"""Plain-text labels that never overflow their box.

Feed and manager text is untrusted: a QLabel's default `Qt.AutoText` renders anything that
looks like HTML, and `<img src>` can even load local files. Every label here is PlainText.

Wrapping is done by `wrap_text` (QTextLayout), not by QLabel's word wrap, so a screen knows a
text's exact height before it lays out a page and can page instead of clipping. Text longer
than its lines ends in "…" after the last whole line that fits, never cut mid-line.
"""

from __future__ import annotations

import math
import re
import unicodedata

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
    QResizeEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from kiosk.board.formatting import ELLIPSIS

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# No-break spaces are how a language keeps a number in one piece ("12 345,50 $" in French,
# "87 %"): a run of them alone stays (its first), so a line never breaks inside a number.
_NO_BREAK = frozenset("\u00a0\u2007\u202f")
# Format characters that are part of how text is written, not tricks played on the layout:
# the zero-width joiner and non-joiner (emoji sequences such as a family, Persian and Indic
# spelling) and the tag characters of subdivision flags (England, Scotland, Wales). Dropping
# the joiner showed a family emoji as four separate people (issue 7, item 4).
_KEPT_FORMAT = frozenset({"\u200c", "\u200d"})
_TAGS = range(0xE0020, 0xE0080)


def _one_space(run: re.Match[str]) -> str:
    spaces = run.group()
    return spaces[0] if set(spaces) <= _NO_BREAK else " "


def clean_text(text: str) -> str:
    """Feed text made safe to lay out: no control or bidi-override characters, tidy spaces.

    Joiners and emoji tag characters stay (see `_KEPT_FORMAT`); every other format
    character (bidi overrides, embeddings and isolates, zero-width spaces, BOMs) goes.

    Newlines are kept as paragraph breaks; runs of blank lines collapse, since a comment's
    empty lines would only waste a break-room screen. Runs of spaces become one space, or one
    no-break space when they are only no-break spaces.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    kept = []
    for char in text:
        if char == "\n":
            kept.append(char)
        elif char == "\t":
            kept.append(" ")
        elif char in _KEPT_FORMAT or ord(char) in _TAGS:
            kept.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue  # controls, bidi overrides, zero-width and unassigned: nothing to show
        else:
            kept.append(char)
    paragraphs = [_SPACES.sub(_one_space, line).strip() for line in "".join(kept).split("\n")]
    return "\n".join(p for p in paragraphs if p)


def _fits(metrics: QFontMetrics, text: str, width: int) -> bool:
    return metrics.horizontalAdvance(text) <= width


def _ellipsize(line: str, rest: str, metrics: QFontMetrics, width: int) -> str:
    """`line` + "…", dropping whole words from its end until it fits `width`.

    `rest` is the text from the line's start on: a line that is one long word cut anywhere
    is elided from it instead ("Downt…"), so an ellipsis always marks the cut.
    """
    candidate = line.rstrip()
    whole_words = rest[len(line) : len(line) + 1] in ("", " ")  # the line ends at a space
    while candidate and whole_words:
        text = candidate.rstrip(" ,;:.-–—") + ELLIPSIS
        if _fits(metrics, text, width):
            return text
        cut = candidate.rfind(" ")
        if cut <= 0:
            break
        candidate = candidate[:cut]
    return metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)


def wrap_text(text: str, font: QFont, width: int, max_lines: int | None = None) -> list[str]:
    """`text` broken into lines no wider than `width` pixels; at most `max_lines` of them.

    When lines are dropped, the last kept line ends with "…". Words longer than a line break
    anywhere (a URL must not push the box wider).
    """
    metrics = QFontMetrics(font)
    width = max(1, int(width))
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    lines: list[tuple[str, str]] = []  # (line, text from its start on)
    limit = None if max_lines is None else max(1, max_lines)

    def full() -> bool:
        return limit is not None and len(lines) > limit

    for paragraph in clean_text(text).split("\n"):
        if not paragraph:
            continue
        if _fits(metrics, paragraph, width):
            # Decide single lines with the same integer metrics the box was sized with:
            # QTextLayout measures in sub-pixels and would break a text that fits exactly.
            lines.append((paragraph, paragraph))
        else:
            layout = QTextLayout(paragraph, font)
            layout.setTextOption(option)
            layout.beginLayout()
            while not full():
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                start = line.textStart()
                piece = paragraph[start : start + line.textLength()].rstrip()
                if not _fits(metrics, piece, width):  # never wider than the box
                    piece = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, width)
                lines.append((piece, paragraph[start:]))
            layout.endLayout()
        if full():
            break
    if limit is not None and len(lines) > limit:
        kept = [line for line, _ in lines[:limit]]
        kept[-1] = _ellipsize(kept[-1], lines[limit - 1][1], metrics, width)
        return kept
    return [line for line, _ in lines]


def line_height(font: QFont) -> int:
    """One line's height as Qt draws it: the fractional line spacing, rounded up.

    QFontMetrics.lineSpacing() rounds (46.5 -> 46 px at 40 px DejaVu); seven lines drawn by
    Qt then need 3 px more than seven rounded lines, and the last line's descenders clip.
    """
    return math.ceil(QFontMetricsF(font).lineSpacing())


# Qt's raster engine caches glyph images only up to this many pixels (QT_MAX_CACHED_GLYPH_SIZE,
# read once at start; raising it blanks the text on the offscreen platform); a bigger glyph is
# filled as a path on every paint: at 4K every label, 3-4 ms each (docs/performance.md).
GLYPH_CACHE_PX = 64


def text_width(text: str, font: QFont) -> int:
    return QFontMetrics(font).horizontalAdvance(text)


class FitLabel(QLabel):
    """A plain-text label that fits its text to its size.

    It wraps to at most `max_lines` lines of its current width (and no more lines than its
    height holds), ending with "…" when text is left over. `full_text()` is the unfitted text,
    `text()` what is drawn. Emits no signals of its own.
    """

    def __init__(
        self,
        text: str,
        font: QFont,
        color: str,
        *,
        max_lines: int = 1,
        align: Qt.AlignmentFlag | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._full = ""
        self._sized = False
        self._drawn: tuple[tuple[object, ...], QPixmap] | None = None
        self._max_lines = max(1, max_lines)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setFont(font)
        default_align = (
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            if self._max_lines == 1
            else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        )
        self.setAlignment(align if align is not None else default_align)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # Inside a button a label would otherwise draw in ButtonText (black in Fusion).
        self.setForegroundRole(QPalette.ColorRole.WindowText)
        self.set_color(color)
        self._full = clean_text(text)
        self._refit()

    def full_text(self) -> str:
        return self._full

    def paintEvent(self, event: QPaintEvent) -> None:
        """Text bigger than Qt's glyph cache is drawn once into a pixmap and blitted on every
        later paint (a rotation's cross-fade frames, a still screen's repaints) until what it
        shows changes; smaller text Qt already draws from its glyph cache. The pixmap covers
        the label only, so the memory is what the label covers on screen."""
        if QFontMetrics(self.font()).height() <= GLYPH_CACHE_PX or self.width() <= 0:
            super().paintEvent(event)
            return
        ratio = self.devicePixelRatioF()
        key = (
            self.text(),
            self.width(),
            self.height(),
            ratio,
            self.font().key(),
            self.palette().color(QPalette.ColorRole.WindowText).rgba(),
            self.alignment(),
            self.isEnabled(),
        )
        if self._drawn is None or self._drawn[0] != key:
            pixmap = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setFont(self.font())
            # As QLabel draws plain text: the style's item text in the contents rectangle.
            self.style().drawItemText(
                painter,
                self.contentsRect(),
                int(self.alignment()),
                self.palette(),
                self.isEnabled(),
                self.text(),
                self.foregroundRole(),
            )
            painter.end()
            self._drawn = (key, pixmap)
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._drawn[1])

    def set_full_text(self, text: str) -> None:
        text = clean_text(text)
        if text != self._full:
            self._full = text
            self._refit()
            self.updateGeometry()

    def set_color(self, color: str) -> None:
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
        self.setPalette(palette)

    def lines_for(self, width: int) -> list[str]:
        return wrap_text(self._full, self.font(), width, self._max_lines)

    def fit_height(self, width: int) -> int:
        """The height this label needs at `width` (contents, no margins)."""
        return max(1, len(self.lines_for(width))) * line_height(self.font())

    def natural_width(self) -> int:
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(p) for p in self._full.split("\n")), default=0)

    def sizeHint(self) -> QSize:
        # From the full text, not the fitted one: a hint that shrank with the elided text
        # would let layouts shrink the label step by step.
        margins = self.contentsMargins()
        lines = min(self._max_lines, max(1, self._full.count("\n") + 1))
        return QSize(
            self.natural_width() + margins.left() + margins.right(),
            lines * line_height(self.font()) + margins.top() + margins.bottom(),
        )

    def minimumSizeHint(self) -> QSize:
        margins = self.contentsMargins()
        return QSize(0, line_height(self.font()) + margins.top() + margins.bottom())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._sized = True
        self._refit()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._refit()

    def _refit(self) -> None:
        if not self._sized:
            # Until Qt delivers the first resize (a hidden widget's waits for its show()),
            # the box is a placeholder: keep the whole text rather than fit it to that.
            self.setText(self._full)
            return
        rect = self.contentsRect()
        spacing = line_height(self.font())
        room = max(1, min(self._max_lines, rect.height() // max(1, spacing)))
        self.setText("\n".join(wrap_text(self._full, self.font(), rect.width(), room)))


def plain_label(
    text: str,
    font: QFont,
    color: str,
    *,
    max_lines: int = 1,
    align: Qt.AlignmentFlag | None = None,
    parent: QWidget | None = None,
) -> FitLabel:
    """The one way screens make a label: plain text, fitted to its box."""
    return FitLabel(text, font, color, max_lines=max_lines, align=align, parent=parent)
