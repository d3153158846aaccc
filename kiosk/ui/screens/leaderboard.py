"""The region's stores ranked by percent of goal, this store highlighted.

Ties share a rank; stores without data come last with "no data". When there are more stores
than rows fit, the top ones show, then "⋯", then this store's row: everyone can always find
their own store.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QWidget

from kiosk.formatting import PERIOD_WORDS, format_percent
from kiosk.ui import theme as th
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import Panel, ProgressBar, Screen, line_height, plain_label
from kiosk.views import Leaderboard, LeaderRow

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


class LeaderboardScreen(Screen):
    """The region ranking on one page. No content (skipped) without a leaderboard."""

    name = "leaderboard"

    def title(self) -> str:
        return "Leaderboard"

    def _board(self) -> Leaderboard | None:
        return self.snapshot.leaderboard if self.snapshot else None

    def has_content(self) -> bool:
        return self._board() is not None

    def build_pages(self, area: QSize) -> list[QWidget]:
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
        for row in visible_rows(board.rows, fit):
            if row is None:
                gap_label = plain_label(
                    "⋯",
                    t.font("heading"),
                    th.TEXT_DIM,
                    align=Qt.AlignmentFlag.AlignCenter,
                    parent=page,
                )
                gap_label.setGeometry(0, y, area.width(), row_h)
            else:
                widget = LeaderRowWidget(row, t, area.width(), row_h)
                widget.setParent(page)
                widget.setGeometry(0, y, area.width(), row_h)
                widget.show()  # setParent() hides a widget
            y += row_h + gap
        return [page]
