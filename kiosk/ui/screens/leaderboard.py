"""The region's stores ranked by percent of goal, this store highlighted.

Ties share a rank; stores without data come last with "no data". When there are more stores
than rows fit, the top ones show, then a gap row ("⋯ 26 more stores ⋯"), then this store's
row: everyone can always find their own store, and sees how far down it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QWidget

from kiosk.board.formatting import PERIOD_WORDS, format_percent
from kiosk.board.model import BoardSnapshot, Leaderboard, LeaderRow
from kiosk.ui import theme as th
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import Panel, ProgressBar, Screen, line_height, plain_label, text_width

ELLIPSIS_ROW = None  # marks the "⋯" gap in a list of rows


def ordered_rows(rows: Sequence[LeaderRow]) -> list[LeaderRow]:
    """Ranked rows by rank (ties by name), then the rows without data."""
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.name.casefold()))


def visible_rows(rows: Sequence[LeaderRow], fit: int) -> list[LeaderRow | None]:
    """At most `fit` entries: all rows, or the top ones + None (a gap) + this store's row."""
    rows = ordered_rows(rows)
    if len(rows) <= fit:
        return list(rows)
    own = next((i for i, r in enumerate(rows) if r.is_self), None)
    if own is None or own < fit:
        return list(rows[:fit])
    if fit < 3:
        return [rows[own]]
    return [*rows[: fit - 2], ELLIPSIS_ROW, rows[own]]


class LeaderRowWidget(Panel):
    """One store's row: rank, name (+ "YOU"), a bar and the percent."""

    def __init__(self, row: LeaderRow, theme: Theme, width: int, height: int) -> None:
        own = row.is_self
        super().__init__(
            th.SELF_ROW if own else th.SURFACE,
            radius=theme.radius,
            border_color=th.SELF_ROW_BORDER if own else None,
            border_width=theme.px(4) if own else 0,
        )
        self.row = row
        t = theme
        pad = t.padding
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        rank_w, percent_w = t.px(110), t.px(230)
        bar_w = max(t.px(120), width * 3 // 10)
        x = pad
        rank_text = str(row.rank) if row.rank is not None else "–"
        self.rank = plain_label(rank_text, t.font("rank"), th.TEXT, align=right, parent=self)
        self.rank.setGeometry(x, 0, rank_w, height)
        x += rank_w + t.px(28)
        name_font, chip_font = t.font("heading"), t.font("meta_bold")
        chip_w = t.px(110) if own else 0
        name_room = width - x - bar_w - percent_w - 3 * t.px(24) - pad
        if own:
            name_room -= chip_w + t.px(16)
        self.name = plain_label(row.name, name_font, th.TEXT, parent=self)
        name_w = max(1, min(name_room, self.name.natural_width()))
        self.name.setGeometry(x, 0, name_w, height)
        if own:
            chip_h = line_height(chip_font) + t.px(6)
            chip = Panel(th.SELF_ROW_BORDER, radius=t.px(8), parent=self)
            chip.setGeometry(x + name_w + t.px(16), (height - chip_h) // 2, chip_w, chip_h)
            you = plain_label(
                "YOU", chip_font, th.BACKGROUND, align=Qt.AlignmentFlag.AlignCenter, parent=chip
            )
            you.setGeometry(0, 0, chip_w, chip_h)
        x = width - pad - percent_w
        if row.percent is None:
            self.percent = plain_label(
                "no data", t.font("meta"), th.TEXT_DIM, align=right, parent=self
            )
        else:
            self.percent = plain_label(
                format_percent(row.percent), t.font("value"), th.TEXT, align=right, parent=self
            )
            # Green only past the goal; below it a neutral tone, not a status colour.
            color = th.STATUS_COLORS["met"] if row.percent >= 100 else th.NEUTRAL_BAR
            bar_h = t.px(20)
            bar = ProgressBar(row.percent, color, th.TRACK, parent=self)
            bar.setGeometry(x - t.px(24) - bar_w, (height - bar_h) // 2, bar_w, bar_h)
        self.percent.setGeometry(x, 0, percent_w, height)


class GapRow(QWidget):
    """The rows left out between the top stores and this one: "⋯ 26 more stores ⋯" between
    two dotted rules, so the jump in rank reads as a gap, not a missing row."""

    def __init__(self, count: int, theme: Theme, width: int, height: int) -> None:
        super().__init__()
        t = theme
        self.count = count
        font = t.font("meta_bold")
        word = "store" if count == 1 else "stores"
        text = f"⋯ {count} more {word} ⋯"
        text_w = min(width, text_width(text, font) + t.px(40))
        self.label = plain_label(
            text, font, th.TEXT_DIM, align=Qt.AlignmentFlag.AlignCenter, parent=self
        )
        self.label.setGeometry((width - text_w) // 2, 0, text_w, height)
        rule_w = max(0, (width - text_w) // 2 - t.px(24))
        for x in (t.px(24), (width + text_w) // 2):
            Panel(th.TRACK, radius=t.px(2), parent=self).setGeometry(
                x, height // 2 - t.px(2), rule_w, t.px(4)
            )


class LeaderboardScreen(Screen):
    """The region ranking on one page. No content (skipped) without a leaderboard."""

    name = "leaderboard"

    def content_key(self, snapshot: BoardSnapshot) -> object:
        return snapshot.leaderboard

    def title(self) -> str:
        return "Leaderboard"

    def _board(self) -> Leaderboard | None:
        return self.snapshot.leaderboard if self.snapshot else None

    def has_content(self) -> bool:
        return self._board() is not None

    gap_row: GapRow | None = None

    def build_pages(self, area: QSize) -> list[QWidget]:
        self.gap_row = None
        board = self._board()
        if board is None or not board.rows:
            return [self.empty_page("No leaderboard for this region yet.")]
        t = self.theme
        page = self.new_page()
        meta = t.font("meta")
        top = line_height(meta) + t.px(10)
        what = f"{board.label} {PERIOD_WORDS.get(board.period, board.period)}"
        region = f"{what} · stores in region {board.region}" if board.region else what
        plain_label(region, meta, th.TEXT_DIM, parent=page).setGeometry(
            t.padding + t.px(138), 0, area.width() // 2, line_height(meta)
        )
        plain_label(
            "of goal",
            meta,
            th.TEXT_DIM,
            align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            parent=page,
        ).setGeometry(area.width() - t.padding - t.px(230), 0, t.px(230), line_height(meta))
        gap = t.px(10)
        # Rows grow up to 112 px (at 1080p) when few stores leave room, down to 92 px.
        room = area.height() - top + gap
        row_h = max(t.px(92), min(t.px(112), room // max(1, len(board.rows)) - gap))
        fit = max(1, room // (row_h + gap))
        y = top
        shown = visible_rows(board.rows, fit)
        own = next((i for i, r in enumerate(ordered_rows(board.rows)) if r.is_self), 0)
        for index, row in enumerate(shown):
            if row is None:
                # The stores between the top ones and this one; those below it are not
                # counted, the gap marks what lies between the two.
                self.gap_row = GapRow(max(1, own - index), t, area.width(), row_h)
                self.gap_row.setParent(page)
                self.gap_row.setGeometry(0, y, area.width(), row_h)
                self.gap_row.show()
            else:
                widget = LeaderRowWidget(row, t, area.width(), row_h)
                widget.setParent(page)
                widget.setGeometry(0, y, area.width(), row_h)
                widget.show()  # setParent() hides a widget
            y += row_h + gap
        return [page]
