"""Measuring and placing: inline runs of differently styled text, and columns of cards.

`pack_columns` and `allocate_columns` are plain arithmetic, so how a screen pages is tested
without pixels; `place_chunks` measures with the real fonts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QWidget

from kiosk.ui.widgets.text import line_height, plain_label, text_width


@dataclass(frozen=True)
class Chunk:
    """A run of text in one font and colour, e.g. the "▲ On track" in a week line."""

    text: str
    font: QFont
    color: str


def flow_lines(chunks: Sequence[Chunk], width: int, gap: int) -> list[list[Chunk]]:
    """Chunks packed left to right into lines of `width`; a chunk is never split."""
    lines: list[list[Chunk]] = []
    current: list[Chunk] = []
    used = 0
    for chunk in chunks:
        if not chunk.text:
            continue
        advance = text_width(chunk.text, chunk.font)
        needed = advance if not current else used + gap + advance
        if current and needed > width:
            lines.append(current)
            current, used = [chunk], advance
        else:
            current.append(chunk)
            used = needed
    if current:
        lines.append(current)
    return lines


def flow_height(chunks: Sequence[Chunk], width: int, gap: int) -> int:
    total = 0
    for line in flow_lines(chunks, width, gap):
        metrics = [QFontMetricsF(c.font) for c in line]
        total += math.ceil(max(m.ascent() for m in metrics) + max(m.descent() for m in metrics))
    return total


def place_chunks(
    parent: QWidget, chunks: Sequence[Chunk], x: int, y: int, width: int, gap: int
) -> int:
    """Make one label per chunk, baselines aligned, wrapping between chunks; returns the height
    used."""
    top = y
    for line in flow_lines(chunks, width, gap):
        metrics = [QFontMetricsF(c.font) for c in line]
        ascent = max(m.ascent() for m in metrics)
        descent = max(m.descent() for m in metrics)
        left = x
        for chunk, m in zip(line, metrics, strict=True):
            advance = min(text_width(chunk.text, chunk.font), x + width - left)
            label = plain_label(chunk.text, chunk.font, chunk.color, parent=parent)
            # Baselines aligned: each label's top sits its own ascent above the line's.
            offset = math.floor(ascent - m.ascent())
            label.setGeometry(left, top + offset, max(1, advance), line_height(chunk.font))
            left += advance + gap
        top += math.ceil(ascent + descent)
    return top - y


def pack_columns(
    heights: Sequence[int],
    columns: int,
    column_height: int,
    gap: int,
    keep_with_next: Sequence[bool] | None = None,
) -> list[list[list[int]]]:
    """Item indices, in order, filled down column after column, page after page.

    Returns pages -> columns -> indices. An item taller than a column still gets a column to
    itself (its builder must have capped it). A `keep_with_next` item (a heading) moves on
    with the item that follows it rather than ending a column alone.
    """
    columns = max(1, columns)
    pages: list[list[list[int]]] = []
    page: list[list[int]] = [[] for _ in range(columns)]
    column = 0
    bottom = 0
    for index, height in enumerate(heights):
        needed = height
        if keep_with_next and keep_with_next[index] and index + 1 < len(heights):
            needed = height + gap + heights[index + 1]
        start = bottom + gap if page[column] else 0
        if page[column] and start + needed > column_height:
            column += 1
            if column == columns:
                pages.append(page)
                page = [[] for _ in range(columns)]
                column = 0
            start = 0
        page[column].append(index)
        bottom = start + height
    if any(page) or not pages:
        pages.append(page)
    # Greedy filling gives the fewest pages; then each page's items are spread over its
    # columns (order kept) so a page of two cards does not leave a column empty.
    keep = keep_with_next or [False] * len(heights)
    return [
        _balance([i for column in p for i in column], heights, keep, columns, gap) for p in pages
    ]


def _balance(
    items: list[int], heights: Sequence[int], keep: Sequence[bool], columns: int, gap: int
) -> list[list[int]]:
    """`items` split, in order, into `columns` runs with the lowest tallest run.

    Never cuts after a keep-with-next item; on a tie, earlier columns get more items.
    """
    count = len(items)

    def run_height(first: int, last: int) -> int:  # items[first:last]
        chosen = items[first:last]
        return sum(heights[i] for i in chosen) + gap * max(0, len(chosen) - 1)

    def can_cut(at: int) -> bool:
        return at in (0, count) or not keep[items[at - 1]]

    infinite = 10**12
    # best[k][n] = (tallest run, cut points) for the first n items in k columns.
    best = [[(0, ())] + [(infinite, ())] * count]
    for k in range(1, columns + 1):
        row = []
        for n in range(count + 1):
            choice = (infinite, ())
            for m in range(n, -1, -1):  # latest cut first: ties keep items to the left
                if not can_cut(m) or best[k - 1][m][0] >= infinite:
                    continue
                tallest = max(best[k - 1][m][0], run_height(m, n))
                if tallest < choice[0]:
                    choice = (tallest, (*best[k - 1][m][1], m))
            row.append(choice)
        best.append(row)
    cuts = [*best[columns][count][1][1:], count]
    result, start = [], 0
    for cut in cuts:
        result.append(items[start:cut])
        start = cut
    return result


def columns_for(
    width: int, min_column: int, gap: int, *, at_least: int = 1, at_most: int = 6
) -> int:
    """How many columns of at least `min_column` pixels fit `width`."""
    fit = (width + gap) // max(1, min_column + gap)
    return max(at_least, min(at_most, fit))


def column_width(width: int, columns: int, gap: int) -> int:
    return max(1, (width - (columns - 1) * gap) // max(1, columns))


def rows_per_page(room: int, row: int, gap: int, count: int, pager: int) -> int:
    """How many rows `row` pixels tall, `gap` apart, a page of height `room` lists.

    When the `count` rows do not fit one page, `pager` pixels of each page go to the page
    buttons.
    """
    per_page = max(1, (room + gap) // (row + gap))
    if count > per_page:
        per_page = max(1, (room - pager + gap) // (row + gap))
    return per_page


# --- sections of cards: headed groups flowing down columns ---------------------------------


@dataclass(frozen=True)
class Slot:
    """One thing in a column: section `section`'s heading (`card` None) or one of its cards."""

    section: int
    card: int | None = None


@dataclass(frozen=True)
class SectionFlow:
    """Sections of cards flowing down columns in order, each headed where it starts and again
    at the top of any column it continues in (so every card sits under its own heading).

    `sections` holds each section's card heights; `heading` is a heading's height with the
    gap under it; `gap` separates cards, and a section from the one above it.
    """

    sections: tuple[tuple[int, ...], ...]
    heading: int
    gap: int

    @property
    def _items(self) -> list[tuple[int, int, int, bool]]:
        """(section, card, height, first of its section) for every card, in order."""
        return [
            (section, card, height, card == 0)
            for section, heights in enumerate(self.sections)
            for card, height in enumerate(heights)
        ]

    def run_height(self, items: Sequence[tuple[int, int, int, bool]]) -> int:
        """The height of a column holding `items` (a heading on top, and one per section
        starting below it)."""
        if not items:
            return 0
        total = self.heading
        for index, (_, _, height, first) in enumerate(items):
            if index:
                total += self.gap + (self.heading if first else 0)
            total += height
        return total

    def columns_needed(self, column_height: int) -> int:
        """How many columns of `column_height` the sections fill, in order (the fewest: a
        column is closed only when the next card does not fit it)."""
        return len(self._runs(column_height))

    def _runs(self, column_height: int) -> list[list[tuple[int, int, int, bool]]]:
        runs: list[list[tuple[int, int, int, bool]]] = []
        bottom = 0  # the height of the last run so far (see run_height)
        for item in self._items:
            _, _, height, first = item
            below = bottom + self.gap + (self.heading if first else 0) + height
            if runs and below <= column_height:
                runs[-1].append(item)
                bottom = below
            else:
                runs.append([item])
                bottom = self.heading + height
        return runs

    def pack(self, columns: int, column_height: int) -> list[list[list[Slot]]]:
        """Pages -> columns -> slots. The fewest pages; on each page the cards are spread
        over all its columns, starting as few columns mid-section as fit, then with the
        lowest tallest column."""
        columns = max(1, columns)
        runs = self._runs(column_height)
        pages = []
        for first in range(0, max(1, len(runs)), columns):
            items = [item for run in runs[first : first + columns] for item in run]
            balanced = self._balance(items, columns, column_height)
            pages.append([self._slots(run) for run in balanced])
        return pages

    def _balance(
        self, items: list[tuple[int, int, int, bool]], columns: int, column_height: int
    ) -> list[list[tuple[int, int, int, bool]]]:
        count = len(items)
        runs = min(columns, count)
        if runs <= 1:
            return [items]
        infinite = (10**12, 0, 0)

        def cost(first: int, last: int) -> tuple[int, int, int]:
            height = self.run_height(items[first:last])
            split = 0 if items[first][3] else 1
            return (max(0, height - column_height), split, height)

        # best[k][n]: (overflow, columns starting mid-section, tallest), cut points; for the
        # first n items in k non-empty columns.
        best: list[list[tuple[tuple[int, int, int], tuple[int, ...]]]] = [
            [((0, 0, 0), ())] + [(infinite, ())] * count
        ]
        for k in range(1, runs + 1):
            row = [(infinite, ())]
            for n in range(1, count + 1):
                choice: tuple[tuple[int, int, int], tuple[int, ...]] = (infinite, ())
                for m in range(n - 1, k - 2, -1):  # latest cut first: ties keep items left
                    before, cuts = best[k - 1][m]
                    if before == infinite:
                        continue
                    over, split, height = cost(m, n)
                    total = (before[0] + over, before[1] + split, max(before[2], height))
                    if total < choice[0]:
                        choice = (total, (*cuts, m))
                row.append(choice)
            best.append(row)
        cuts = [*best[runs][count][1][1:], count]
        result, start = [], 0
        for cut in cuts:
            result.append(items[start:cut])
            start = cut
        return result

    @staticmethod
    def _slots(run: Sequence[tuple[int, int, int, bool]]) -> list[Slot]:
        slots: list[Slot] = []
        for index, (section, card, _, first) in enumerate(run):
            if index == 0 or first:
                slots.append(Slot(section))
            slots.append(Slot(section, card))
        return slots
