"""The scoreboard: today's numbers against their goals, by balanced-scorecard perspective.

One column group per perspective present (in PERSPECTIVES order), one card per metric: its
name, today's actual big, a progress bar, "Goal $12,000" with the status word and glyph, the
last 14 days as small bars under the day goal, and a line per week / month target. Cards that
do not fit go to the next page.

A `down` metric is a budget (shrink) or a limit (a mean wait time): "506%" of goal and an
overflowing bar confused staff, so its card shows the share of the budget used instead (a
bar that fills towards the budget and turns red past it) and "$30 under" / "over by $40".
The JSON model keeps PRODUCT.md's percent; only the screen says it differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from kiosk.board.formatting import PERIOD_TITLES, format_pace, format_percent, format_value
from kiosk.board.model import PERSPECTIVE_LABELS, PERSPECTIVES, BoardSnapshot, MetricEntry, Trend
from kiosk.ui import theme as th
from kiosk.ui.sparkline import TrendChart
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import (
    Chunk,
    Lane,
    Panel,
    ProgressBar,
    Screen,
    allocate_columns,
    column_width,
    columns_for,
    flow_height,
    line_height,
    pack_columns,
    place_chunks,
    plain_label,
    text_width,
)

_PERIOD_ORDER = {"day": 0, "week": 1, "month": 2}
_GOAL_WORDS = {"day": "Goal", "week": "Week goal", "month": "Month goal"}
_BUDGET_PREFIX = {"day": "", "week": "Week ", "month": "Month "}
TREND_CAPTION = "14 days"


@dataclass(frozen=True)
class MetricGroup:
    """One metric's entries (day, then week, then month) as one card shows them."""

    metric: str
    label: str
    perspective: str
    entries: tuple[MetricEntry, ...]

    @property
    def primary(self) -> MetricEntry:
        """The big number: today's when there is a day entry, else the shortest period's."""
        return self.entries[0]

    @property
    def others(self) -> tuple[MetricEntry, ...]:
        return self.entries[1:]


def group_metrics(entries: Sequence[MetricEntry]) -> list[tuple[str, list[MetricGroup]]]:
    """Entries grouped by metric (catalog order kept), metrics grouped by perspective.

    Perspectives come in PERSPECTIVES order; one the catalog invented is shown after them
    rather than dropped.
    """
    by_metric: dict[str, list[MetricEntry]] = {}
    for entry in entries:
        by_metric.setdefault(entry.metric, []).append(entry)
    groups: dict[str, list[MetricGroup]] = {}
    for metric, rows in by_metric.items():
        rows.sort(key=lambda e: _PERIOD_ORDER.get(e.period, 3))
        first = rows[0]
        group = MetricGroup(metric, first.label, first.perspective, tuple(rows))
        groups.setdefault(first.perspective, []).append(group)
    order = [p for p in PERSPECTIVES if p in groups] + [p for p in groups if p not in PERSPECTIVES]
    return [(p, groups[p]) for p in order]


def perspective_label(perspective: str) -> str:
    return PERSPECTIVE_LABELS.get(perspective, perspective.replace("_", " ").capitalize())


def entry_color(entry: MetricEntry) -> str:
    return th.STATUS_COLORS[entry.status] if entry.status else th.STATUS_COLORS[None]


# --- budgets (direction down) -------------------------------------------------------------


def is_budget(entry: MetricEntry) -> bool:
    """A `down` metric: less is better, the target is a budget or a limit not to pass."""
    return entry.direction == "down"


def budget_word(entry: MetricEntry) -> str:
    """ "budget" for a sum that is spent (shrink), "limit" for a mean or a latest value."""
    return "budget" if entry.aggregate == "sum" else "limit"


def budget_used(entry: MetricEntry) -> float | None:
    """How much of the budget the actual uses, in percent (over 100: over budget)."""
    if entry.actual is None or entry.target is None:
        return None
    if entry.target <= 0:
        return 0.0 if entry.actual <= 0 else None
    return entry.actual / entry.target * 100


def budget_over(entry: MetricEntry) -> bool:
    return entry.actual is not None and entry.target is not None and entry.actual > entry.target


def budget_margin(entry: MetricEntry) -> str:
    """ "$30 under" or "over by $40": how far the actual is from the budget."""
    if entry.actual is None or entry.target is None:
        return ""
    difference = entry.target - entry.actual
    amount = format_value(abs(difference), entry.unit, entry.decimals)
    return f"over by {amount}" if difference < 0 else f"{amount} under"


def budget_color(entry: MetricEntry) -> str:
    """Red when over the budget, else the status colour (met, or on track for a week)."""
    if budget_over(entry):
        return th.STATUS_COLORS["behind"]
    return entry_color(entry)


def used_pace_text(entry: MetricEntry) -> str:
    """ "on pace to use 92%": the week's or month's projection as a share of its budget."""
    if entry.pace is None or entry.pace <= 0:
        return ""
    return f"on pace to use {format_percent(10_000 / entry.pace)}"


class MetricCard(Panel):
    """One metric's card, laid out for a fixed width. `content_height` is its exact height."""

    def __init__(
        self,
        group: MetricGroup,
        theme: Theme,
        width: int,
        max_height: int | None = None,
        trend: Trend | None = None,
    ) -> None:
        primary = group.primary
        has_goal = primary.target is not None
        budget = has_goal and is_budget(primary)
        band = (budget_color(primary) if budget else entry_color(primary)) if has_goal else th.TRACK
        super().__init__(
            th.SURFACE,
            radius=theme.radius,
            band_color=band,
            band_width=theme.band,
        )
        self.group = group
        self.chart: TrendChart | None = None
        t = theme
        pad = t.padding
        x = t.band + pad
        inner = max(1, width - x - pad)
        limit = max_height if max_height is not None else 10**6
        gap = t.px(14)
        divider_gap = t.px(10)
        y = pad

        label_font = t.font("label")
        label = plain_label(group.label, label_font, th.TEXT, max_lines=2, parent=self)
        label_h = len(label.lines_for(inner)) * line_height(label_font)
        label.setGeometry(x, y, inner, label_h)
        y += label_h

        hero_font = t.font("hero")
        hero_text = format_value(
            primary.actual,
            primary.unit,
            primary.decimals,
            fits=lambda s: text_width(s, hero_font) <= inner,
        )
        self.hero = plain_label(hero_text, hero_font, th.TEXT, parent=self)
        self.hero.setAccessibleName(f"{group.label} value")
        hero_h = line_height(hero_font)
        self.hero.setGeometry(x, y, inner, hero_h)
        # Figures barely use the font's descent (only a comma dips below the baseline), so the
        # next row may start inside it: that buys a second card per column on most boards.
        metrics = self.hero.fontMetrics()
        y += metrics.ascent() + round(metrics.descent() * 0.4)

        if has_goal:
            y += self._bar_row(primary, t, x, y, inner)
            y += t.px(4)
        meta, meta_bold = t.font("meta"), t.font("meta_bold")
        if budget:
            chunks = self._budget_chunks(primary, meta, label_font)
        elif has_goal:
            goal = format_value(primary.target, primary.unit, primary.decimals)
            chunks = [
                Chunk(f"{_GOAL_WORDS.get(primary.period, 'Goal')} {goal}", meta, th.TEXT_DIM),
                Chunk(th.status_text(primary.status), label_font, entry_color(primary)),
            ]
        else:
            chunks = [Chunk("no goal", meta, th.TEXT_DIM)]
        used = place_chunks(self, chunks, x, y, inner, gap)
        y += used

        self.trend_height = 0  # what the trend row adds (the screen may drop it to fit)
        if trend is not None and trend.days and primary.period == "day":
            caption_h = line_height(meta)
            row_h = max(caption_h, t.px(46))
            if y + t.px(10) + row_h + pad <= limit:
                y += t.px(10)
                caption_w = text_width(TREND_CAPTION, meta)
                # The caption sits at the bars' foot: "14 days" reads as the chart's axis.
                caption = plain_label(TREND_CAPTION, meta, th.TEXT_DIM, parent=self)
                caption.setGeometry(x, y + row_h - caption_h, caption_w, caption_h)
                self.chart = TrendChart(trend, parent=self)
                chart_x = x + caption_w + t.px(14)
                self.chart.setGeometry(chart_x, y, max(1, x + inner - chart_x), row_h)
                y += row_h
                self.trend_height = t.px(10) + row_h

        for entry in group.others:
            chunks = self._period_chunks(entry, meta, meta_bold, inner, gap)
            needed = 2 * divider_gap + t.px(2) + flow_height(chunks, inner, gap)
            if y + needed + pad > limit:
                break  # keeps the card inside its column; today's number always shows
            y += divider_gap
            Panel(th.DIVIDER, parent=self).setGeometry(x, y, inner, t.px(2))
            y += t.px(2) + divider_gap
            used = place_chunks(self, chunks, x, y, inner, gap)
            y += used
        self.content_height = y + pad

    def _bar_row(self, entry: MetricEntry, t: Theme, x: int, y: int, inner: int) -> int:
        font = t.font("label")
        row_h = line_height(font)
        if is_budget(entry):
            # The share of the budget used: fills towards the budget, red once past it.
            # "20% used", so nobody reads it as 20% of a goal.
            share = budget_used(entry)
            percent_text = format_percent(share)
            color, accessible = budget_color(entry), f"{percent_text} of {budget_word(entry)}"
            if share is not None and text_width(f"{percent_text} used", font) <= inner // 2:
                percent_text = f"{percent_text} used"
        else:
            share = entry.percent
            percent_text = format_percent(entry.percent)
            color, accessible = entry_color(entry), f"{percent_text} of goal"
        percent_w = max(text_width(percent_text, font), text_width("100%", font))
        bar_h = t.px(20)
        bar = ProgressBar(share, color, th.TRACK, parent=self)
        bar.setGeometry(x, y + (row_h - bar_h) // 2, max(1, inner - percent_w - t.px(16)), bar_h)
        bar.setAccessibleName(accessible)
        percent = plain_label(
            percent_text,
            font,
            th.TEXT,
            align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            parent=self,
        )
        percent.setGeometry(x + inner - percent_w, y, percent_w, row_h)
        return row_h

    @staticmethod
    def _budget_chunks(entry: MetricEntry, meta: QFont, label_font: QFont) -> list[Chunk]:
        """ "Budget $150" then "✓ $30 under" (green) or "▼ over by $40" (red)."""
        word = budget_word(entry)
        goal = format_value(entry.target, entry.unit, entry.decimals)
        prefix = _BUDGET_PREFIX.get(entry.period, "")
        title = f"{prefix}{word}" if prefix else word.capitalize()
        glyph = th.STATUS_GLYPHS["behind"] if budget_over(entry) else th.STATUS_GLYPHS[entry.status]
        margin = th.status_text(None) if entry.actual is None else f"{glyph} {budget_margin(entry)}"
        return [
            Chunk(f"{title} {goal}", meta, th.TEXT_DIM),
            Chunk(margin, label_font, budget_color(entry)),
        ]

    @staticmethod
    def _period_chunks(
        entry: MetricEntry, meta: QFont, meta_bold: QFont, width: int, gap: int
    ) -> list[Chunk]:
        """ "Week $54,210 / $60,000", then "▲ On track" and "on pace for 104%"."""
        title = PERIOD_TITLES.get(entry.period, entry.period.capitalize())
        actual = format_value(entry.actual, entry.unit, entry.decimals)
        if entry.target is None:
            return [Chunk(f"{title} {actual}", meta, th.TEXT), Chunk("no goal", meta, th.TEXT_DIM)]
        target = format_value(entry.target, entry.unit, entry.decimals)
        budget = is_budget(entry)
        joiner = "of" if budget else "/"  # "Month $2,950 of $4,000": a budget being used
        value = f"{title} {actual} {joiner} {target}"
        if text_width(value, meta) > width:
            # "Month $228.4K / $300K" rather than an ellipsis where the goal should be.
            never = lambda text: False  # noqa: E731 - forces the compact form
            actual = format_value(entry.actual, entry.unit, entry.decimals, fits=never)
            target = format_value(entry.target, entry.unit, entry.decimals, fits=never)
            value = f"{title} {actual} {joiner} {target}"
        if budget and budget_over(entry):
            status_text = f"{th.STATUS_GLYPHS['behind']} {budget_margin(entry)}"
        else:
            status_text = th.status_text(entry.status)
        color = budget_color(entry) if budget else entry_color(entry)
        status = Chunk(status_text, meta_bold, color)
        chunks = [Chunk(value, meta, th.TEXT), status]
        if entry.status != "met" and entry.pace is not None:
            # Once met, the pace adds nothing; before that it is the point of the line. In a
            # narrow card the short form keeps status and pace on one line.
            if budget:
                pace = used_pace_text(entry)
                # "▲ On track to use 97%": the short form still says what the 97% is.
                short = f"to use {format_percent(10_000 / entry.pace)}" if entry.pace > 0 else ""
            else:
                pace = format_pace(entry.pace)
                short = f"pace {format_percent(entry.pace)}"
            if text_width(status.text, meta_bold) + gap + text_width(pace, meta) > width:
                pace = short
            if pace:
                chunks.append(Chunk(pace, meta, th.TEXT_DIM))
        return chunks


class ScoreboardScreen(Screen):
    """Today's score vs goal for every metric, grouped by perspective; pages when needed."""

    name = "scoreboard"

    def content_key(self, snapshot: BoardSnapshot) -> object:
        return (snapshot.scoreboard, snapshot.trends)

    def title(self) -> str:
        return "Today's score"

    def has_content(self) -> bool:
        # The scoreboard is the board's home: it always shows, even while waiting for data.
        return True

    def build_pages(self, area: QSize) -> list[QWidget]:
        snapshot = self.snapshot
        groups = group_metrics(snapshot.scoreboard.metrics) if snapshot else []
        if not groups:
            return [self.empty_page("No numbers yet: waiting for the first data from HQ.")]
        t = self.theme
        gap = t.gap
        total = columns_for(area.width(), t.px(400), gap, at_least=len(groups), at_most=4)
        allocation = allocate_columns([len(g) for _, g in groups], total)
        # Cards are built at the width they are placed at: the columns actually handed out.
        column_w = column_width(area.width(), sum(allocation), gap)
        header_h = self.lane_heading_height
        card_room = area.height() - header_h - self.heading_gap
        lanes = []
        for (perspective, metric_groups), columns in zip(groups, allocation, strict=True):
            cards = [
                MetricCard(group, t, column_w, card_room, trend=snapshot.trend(group.metric))
                for group in metric_groups
            ]
            cards = self._trends_cost_no_page(cards, columns, card_room, gap, column_w)
            items: list[tuple[QWidget, int]] = [(card, card.content_height) for card in cards]
            lanes.append(
                Lane(
                    columns=columns,
                    items=items,
                    header_height=header_h,
                    make_header=self.lane_heading(
                        perspective_label(perspective),
                        th.PERSPECTIVE_COLORS.get(perspective, th.OTHER_PERSPECTIVE_COLOR),
                    ),
                )
            )
        return self.place_lanes(area, lanes, gap)

    def _trends_cost_no_page(
        self, cards: list[MetricCard], columns: int, room: int, gap: int, width: int
    ) -> list[MetricCard]:
        """Drop trend charts (last card first) while they push a lane onto more pages than
        it needs without them: a chart is a nice-to-have, a card on page 2 is missed."""

        def pages(heights: list[int]) -> int:
            return len(pack_columns(heights, columns, room, gap))

        needed = pages([card.content_height - card.trend_height for card in cards])
        for index in reversed(range(len(cards))):
            if pages([card.content_height for card in cards]) <= needed:
                break
            card = cards[index]
            if card.trend_height:
                card.deleteLater()
                cards[index] = MetricCard(card.group, self.theme, width, room, trend=None)
        return cards
