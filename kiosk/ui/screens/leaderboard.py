"""The region's stores ranked by pace (a week or a month) or percent of goal (a day), this
store highlighted.

On the 6th of a month every store stands near 20% of its month goal, so the board ranks and
shows where each is on pace to finish ("on pace for 102%"), with the month so far under it
("19% of goal so far") and a bar that is solid to date and pale on to the projection.

Ties share a rank; stores without data come last with "no data". Rows grow (type too) to
use the whole screen when the region is small. When there are more stores than rows fit,
the top ones show, then a gap row ("⋯ 26 more stores ⋯"), then this store's row: everyone
can always find their own store, and sees how far down it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QWidget

from kiosk.board.model import BoardSnapshot, Leaderboard, LeaderRow, Period
from kiosk.ui import theme as th
from kiosk.ui.i18n import translate, words
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import (
    FitLabel,
    Panel,
    ProgressBar,
    Screen,
    line_height,
    plain_label,
    text_width,
)

ELLIPSIS_ROW = None  # marks the "⋯" gap in a list of rows
WHAT: dict[str, str] = {
    #: Above the leaderboard: the metric ranked ("Sales", as HQ names it) and its period.
    "day": QT_TRANSLATE_NOOP("Leaderboard", "{metric} today"),
    "week": QT_TRANSLATE_NOOP("Leaderboard", "{metric} this week"),
    "month": QT_TRANSLATE_NOOP("Leaderboard", "{metric} this month"),
}
RANKED: dict[str, str] = {
    #: How the leaderboard ranks: by where each store will end the period at its pace.
    "week": QT_TRANSLATE_NOOP("Leaderboard", "ranked by pace to the week's end"),
    "month": QT_TRANSLATE_NOOP("Leaderboard", "ranked by pace to the month's end"),
    #: How the leaderboard ranks a day: by the percent of the day's goal reached.
    "day": QT_TRANSLATE_NOOP("Leaderboard", "ranked by percent of goal"),
}


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


def figure_words(row: LeaderRow, period: Period) -> tuple[str, str, str]:
    """(words before, the figure, words under) of a row: ("on pace for", "102%", "19% of
    goal so far") for a week or a month; ("", "102%", "of goal") for a day."""
    figure = row.figure(period)
    formats = words().formats
    if figure is None:
        #: A store on the leaderboard without a goal or a number.
        return "", translate("Leaderboard", "no data"), ""
    if period == Period.day:
        #: Under a store's percent of its day goal ("102%" over "of goal").
        return "", formats.percent(figure), translate("Leaderboard", "of goal")
    so_far = ""
    if row.percent is not None:
        #: Under a store's pace: how much of the week's or month's goal it has so far.
        so_far = translate("Leaderboard", "{percent} of goal so far")
        so_far = so_far.format(percent=formats.percent(row.percent))
    #: Small words just before a store's big projected percent: "on pace for" "102%".
    return translate("Leaderboard", "on pace for"), formats.percent(figure), so_far


def you_text() -> str:
    #: The tag on this store's own row of the leaderboard, in capitals.
    return translate("Leaderboard", "YOU")


def gap_text(count: int) -> str:
    """ "⋯ 26 more stores ⋯": the stores left out between the top ones and this one."""
    if count == 1:
        #: The one store left out between the top stores and this store.
        return translate("Leaderboard", "⋯ 1 more store ⋯")
    #: The stores left out between the top stores and this store (2 or more).
    text = translate("Leaderboard", "⋯ {count} more stores ⋯")
    return text.format(count=words().formats.number(count))


class LeaderRowWidget(Panel):
    """One store's row: rank, name (+ "YOU"), a bar and its figure: for a week or a month
    "on pace for 102%" over "19% of goal so far", for a day "102%" over "of goal".

    `scale` grows the type with the row when few stores leave room (never below 1).
    """

    def __init__(
        self,
        row: LeaderRow,
        theme: Theme,
        width: int,
        height: int,
        period: Period = Period.month,
        scale: float = 1.0,
        block_w: int | None = None,
        bar_w: int | None = None,
    ) -> None:
        own = row.is_self
        super().__init__(
            th.SELF_ROW if own else th.SURFACE,
            radius=theme.radius,
            border_color=th.SELF_ROW_BORDER if own else None,
            border_width=theme.px(4) if own else 0,
        )
        self.row = row
        t = theme
        k = max(1.0, scale)
        pad = t.padding
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        rank_font, name_font = t.font("rank", k), t.font("heading", k)
        value_font, meta_font = t.font("value", k), t.font("meta", k)
        chip_font = t.font("meta_bold", k)
        before, figure_text, under = figure_words(row, period)
        figure = row.figure(period)
        block_w = max(block_w or 0, self.block_width(row, theme, period, scale))
        rank_w = max(t.px(110), text_width("88", rank_font))
        if bar_w is None:
            bar_w = self.bar_width([row], theme, width, block_w, scale)
        x = pad
        rank_text = str(row.rank) if row.rank is not None else "–"
        self.rank = plain_label(rank_text, rank_font, th.TEXT, align=right, parent=self)
        self.rank.setGeometry(x, 0, rank_w, height)
        x += rank_w + t.px(28)
        chip_w = text_width(you_text(), chip_font) + t.px(36) if own else 0
        name_room = width - x - bar_w - block_w - 3 * t.px(24) - pad
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
                you_text(),
                chip_font,
                th.BACKGROUND,
                align=Qt.AlignmentFlag.AlignCenter,
                parent=chip,
            )
            you.setGeometry(0, 0, chip_w, chip_h)
        x = width - pad - block_w
        self.secondary: FitLabel | None = None
        self.before: FitLabel | None = None
        if figure is None:
            self.percent = plain_label(
                figure_text, meta_font, th.TEXT_DIM, align=right, parent=self
            )
            self.percent.setGeometry(x, 0, block_w, height)
            return
        block_h = line_height(value_font) + (line_height(meta_font) if under else 0)
        top = max(0, (height - block_h) // 2)
        self.percent = plain_label(figure_text, value_font, th.TEXT, align=right, parent=self)
        figure_w = text_width(figure_text, value_font)
        self.percent.setGeometry(x + block_w - figure_w, top, figure_w, line_height(value_font))
        if before:
            before_w = text_width(before, meta_font)
            self.before = plain_label(before, meta_font, th.TEXT_DIM, align=right, parent=self)
            # On the figure's baseline.
            baseline = top + QFontMetricsF(value_font).ascent()
            before_top = round(baseline - QFontMetricsF(meta_font).ascent())
            left = x + block_w - figure_w - t.px(12 * k) - before_w
            self.before.setGeometry(left, before_top, before_w, line_height(meta_font))
        if under:
            self.secondary = plain_label(under, meta_font, th.TEXT_DIM, align=right, parent=self)
            self.secondary.setGeometry(
                x, top + line_height(value_font), block_w, line_height(meta_font)
            )
        # Green only at or past the goal; below it a neutral tone, not a status colour.
        color = th.STATUS_COLORS["met"] if figure >= 100 else th.NEUTRAL_BAR
        bar_h = t.px(20 * k)
        projected = None if period == Period.day else figure
        shown = row.percent if projected is not None else figure
        self.bar = ProgressBar(shown, color, th.TRACK, parent=self, projected=projected)
        self.bar.setGeometry(x - t.px(24) - bar_w, (height - bar_h) // 2, bar_w, bar_h)

    @staticmethod
    def bar_width(
        rows: Sequence[LeaderRow], theme: Theme, width: int, block_w: int, scale: float = 1.0
    ) -> int:
        """The bars' width, the same on every row so that they compare: 30% of the row, less
        what the longest store name (and "YOU") needs, down to a short bar. A longer figure
        block (French: "26 % de l'objectif jusqu'ici") then takes room from the bars, not
        from "Downtown"."""
        t = theme
        k = max(1.0, scale)
        name_font, chip_font = t.font("heading", k), t.font("meta_bold", k)
        rank_w = max(t.px(110), text_width("88", t.font("rank", k)))
        chip_w = text_width(you_text(), chip_font) + t.px(36) + t.px(16)
        need = max(
            (text_width(r.name, name_font) + (chip_w if r.is_self else 0) for r in rows),
            default=0,
        )
        fixed = 2 * t.padding + rank_w + t.px(28) + block_w + 3 * t.px(24)
        shortest = t.px(120)
        return max(shortest, min(width * 3 // 10, width - fixed - need))

    @staticmethod
    def block_width(row: LeaderRow, theme: Theme, period: Period, scale: float = 1.0) -> int:
        """The width of a row's figure block: "on pace for" + "102%" on one line, "19% of
        goal so far" under it. The screen gives every row the widest, so they line up."""
        k = max(1.0, scale)
        value_font, meta_font = theme.font("value", k), theme.font("meta", k)
        before, figure_text, under = figure_words(row, period)
        top = text_width(figure_text, value_font if row.figure(period) is not None else meta_font)
        if before:
            top += theme.px(12 * k) + text_width(before, meta_font)
        return max(top, text_width(under, meta_font), theme.px(230))


class GapRow(QWidget):
    """The rows left out between the top stores and this one: "⋯ 26 more stores ⋯" between
    two dotted rules, so the jump in rank reads as a gap, not a missing row."""

    def __init__(self, count: int, theme: Theme, width: int, height: int) -> None:
        super().__init__()
        t = theme
        self.count = count
        font = t.font("meta_bold")
        text = gap_text(count)
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
        #: The title of the screen ranking the region's stores.
        return translate("Leaderboard", "Leaderboard")

    def _board(self) -> Leaderboard | None:
        return self.snapshot.leaderboard if self.snapshot else None

    def has_content(self) -> bool:
        return self._board() is not None

    gap_row: GapRow | None = None

    def build_pages(self, area: QSize) -> list[QWidget]:
        self.gap_row = None
        board = self._board()
        if board is None or not board.rows:
            return [
                self.empty_page(translate("Leaderboard", "No leaderboard for this region yet."))
            ]
        t = self.theme
        page = self.new_page()
        meta = t.font("meta")
        top = line_height(meta) + t.px(10)
        parts = [translate("Leaderboard", WHAT.get(board.period, WHAT["day"]))]
        parts[0] = parts[0].format(metric=board.label)
        if board.region:
            #: The region whose stores are ranked, as HQ names it ("North").
            region = translate("Leaderboard", "stores in region {region}")
            parts.append(region.format(region=board.region))
        parts.append(translate("Leaderboard", RANKED.get(board.period, RANKED["day"])))
        plain_label(" · ".join(parts), meta, th.TEXT_DIM, parent=page).setGeometry(
            t.padding, 0, area.width() - 2 * t.padding, line_height(meta)
        )
        gap = t.px(10)
        # Rows grow, and their type with them, to fill the screen when the region is small
        # (five stores used to leave its lower 40% empty), from the height of the figure
        # and the line under it up to 190 px (at 1080p).
        room = area.height() - top + gap
        least = line_height(t.font("value")) + line_height(meta) + t.px(8)
        row_h = max(least, min(t.px(190), room // max(1, len(board.rows)) - gap))
        scale = min(1.6, row_h / least)
        fit = max(1, room // (row_h + gap))
        y = top
        shown = visible_rows(board.rows, fit)
        own = next((i for i, r in enumerate(ordered_rows(board.rows)) if r.is_self), 0)
        block_w = max(
            LeaderRowWidget.block_width(row, t, board.period, scale)
            for row in shown
            if row is not None
        )
        bar_w = LeaderRowWidget.bar_width(
            [row for row in shown if row is not None], t, area.width(), block_w, scale
        )
        for index, row in enumerate(shown):
            if row is None:
                # The stores between the top ones and this one; those below it are not
                # counted, the gap marks what lies between the two.
                self.gap_row = GapRow(max(1, own - index), t, area.width(), row_h)
                self.gap_row.setParent(page)
                self.gap_row.setGeometry(0, y, area.width(), row_h)
                self.gap_row.show()
            else:
                widget = LeaderRowWidget(
                    row, t, area.width(), row_h, board.period, scale, block_w, bar_w
                )
                widget.setParent(page)
                widget.setGeometry(0, y, area.width(), row_h)
                widget.show()  # setParent() hides a widget
            y += row_h + gap
        return [page]
