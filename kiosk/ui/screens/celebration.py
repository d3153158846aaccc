"""Celebrate: goals met today, this week and this month, and shout-outs (newest first).

Recognising results is half of keeping a service programme alive; this screen also shows
straight away when the window is told a goal was just met (`KioskWindow.celebrate(goals)`):
then its first page features those goals, big, under the confetti ("Goal met today!",
the metric, the number vs the goal), and the usual pages follow. `clear_feature()` (the
window calls it when the interruption ends) drops that page again.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt
from PySide6.QtWidgets import QWidget

from kiosk.board.formatting import budget_used, is_budget
from kiosk.board.model import MetricEntry, Recognition
from kiosk.ui import theme as th
from kiosk.ui.confetti import keep_clear_of_confetti
from kiosk.ui.fonts import make_font
from kiosk.ui.i18n import translate, words
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import (
    Chunk,
    Lane,
    Panel,
    Screen,
    column_width,
    columns_for,
    line_height,
    place_chunks,
    plain_label,
    text_width,
    wrap_text,
)
from sync.vocabulary import Aggregate

MAX_BODY_LINES = 4
MAX_FEATURED = 3  # more goals met at once than this: the rest are on the next page's list
ORIGIN_WORDS: dict[str, str] = {
    #: Who gave a shout-out: headquarters...
    "hq": QT_TRANSLATE_NOOP("Celebration", "from HQ"),
    #: ...or the store's manager, at the kiosk.
    "store": QT_TRANSLATE_NOOP("Celebration", "from your manager"),
}
# The headline of a goal just met, by period; for a budget or a limit not passed.
GOAL_MET: dict[str, str] = {
    #: The big headline when a goal is reached (also: this week, this month).
    "day": QT_TRANSLATE_NOOP("Celebration", "Goal met today!"),
    "week": QT_TRANSLATE_NOOP("Celebration", "Goal met this week!"),
    "month": QT_TRANSLATE_NOOP("Celebration", "Goal met this month!"),
}
UNDER_BUDGET: dict[str, str] = {
    #: The headline when a budget (shrink: losses to keep low) is kept to.
    "day": QT_TRANSLATE_NOOP("Celebration", "Under budget today!"),
    "week": QT_TRANSLATE_NOOP("Celebration", "Under budget this week!"),
    "month": QT_TRANSLATE_NOOP("Celebration", "Under budget this month!"),
}
UNDER_LIMIT: dict[str, str] = {
    #: The headline when a limit (a wait time to keep short) is kept to.
    "day": QT_TRANSLATE_NOOP("Celebration", "Under the limit today!"),
    "week": QT_TRANSLATE_NOOP("Celebration", "Under the limit this week!"),
    "month": QT_TRANSLATE_NOOP("Celebration", "Under the limit this month!"),
}
MET_WHEN: dict[str, str] = {
    #: On a goal met, in the list of goals met (also: this week, this month).
    "day": QT_TRANSLATE_NOOP("Celebration", "Met today"),
    "week": QT_TRANSLATE_NOOP("Celebration", "Met this week"),
    "month": QT_TRANSLATE_NOOP("Celebration", "Met this month"),
}


def _sum(entry: MetricEntry) -> bool:
    return entry.aggregate == Aggregate.sum


def result_text(entry: MetricEntry) -> str:
    """ "$12,840 vs goal $12,000"; for a budget "$120 of $150 budget"."""
    formats = words().formats
    actual = formats.value(entry.actual, entry.unit, entry.decimals)
    goal = formats.value(entry.target, entry.unit, entry.decimals)
    if is_budget(entry) and _sum(entry):
        #: A budget kept to: what was spent of it ("$120 of $150 budget").
        text = translate("Celebration", "{actual} of {goal} budget")
    elif is_budget(entry):
        #: A limit kept to: the figure and its limit ("4.1 min of 5.0 min limit").
        text = translate("Celebration", "{actual} of {goal} limit")
    else:
        #: A goal met: the number reached and the goal ("$12,840 vs goal $12,000").
        text = translate("Celebration", "{actual} vs goal {goal}")
    return text.format(actual=actual, goal=goal)


def against_text(entry: MetricEntry) -> str:
    """ "goal $12,000 · 107%"; for a budget "budget $150 · 80% used"."""
    wording = words()
    formats = wording.formats
    goal = formats.value(entry.target, entry.unit, entry.decimals)
    if is_budget(entry):
        if _sum(entry):
            #: Under a budget just kept to, big: the budget ("budget $150").
            text = translate("Celebration", "budget {goal}").format(goal=goal)
        else:
            #: Under a limit just kept to, big: the limit ("limit 5.0 min").
            text = translate("Celebration", "limit {goal}").format(goal=goal)
        used = budget_used(entry)
        if used is None:
            return text
        #: The share of a budget used ("80% used").
        share = translate("Celebration", "{percent} used").format(percent=formats.percent(used))
        return f"{text} · {share}"
    #: Under a goal just met, big: the goal ("goal $12,000"), then its percent.
    text = translate("Celebration", "goal {goal}").format(goal=goal)
    if entry.percent is None:
        return text
    return f"{text} · {formats.percent(entry.percent)}"


def met_text(entry: MetricEntry) -> str:
    """ "Goal met today!"; a budget kept: "Under budget this week!"."""
    table = GOAL_MET
    if is_budget(entry):
        table = UNDER_BUDGET if _sum(entry) else UNDER_LIMIT
    return translate("Celebration", table.get(entry.period, table["day"]))


def met_when(entry: MetricEntry) -> str:
    """ "Met today", "Met this week", "Met this month"."""
    return translate("Celebration", MET_WHEN.get(entry.period, MET_WHEN["day"]))


class GoalCard(Panel):
    """ "Sales", "✓ Met today", "$12,840 vs goal $12,000"."""

    def __init__(self, entry: MetricEntry, theme: Theme, width: int) -> None:
        color = th.STATUS_COLORS["met"]
        super().__init__(th.SURFACE, radius=theme.radius, band_color=color, band_width=theme.band)
        t = theme
        pad = t.padding
        x = t.band + pad
        inner = max(1, width - x - pad)
        y = pad
        font = t.font("heading")
        self.label = plain_label(entry.label, font, th.TEXT, parent=self)
        self.label.setGeometry(x, y, inner, line_height(font))
        y += line_height(font)
        chunks = [
            Chunk(f"✓ {met_when(entry)}", t.font("label"), color),
            Chunk(result_text(entry), t.font("body"), th.TEXT),
        ]
        used = place_chunks(self, chunks, x, y, inner, t.px(20))
        self.content_height = y + used + pad


class FeaturedGoal(Panel):
    """A goal just met, as big as the screen allows: "✓ Goal met today!", the metric, the
    number in green and what it beat ("goal $12,000 · 107%"). Centred, for across the room.
    `big` is the one-goal layout; several goals get smaller type, side by side or stacked."""

    def __init__(
        self,
        entry: MetricEntry,
        theme: Theme,
        width: int,
        big: bool,
        parent: QWidget | None = None,
    ) -> None:
        color = th.STATUS_COLORS["met"]
        super().__init__(
            th.SURFACE,
            radius=theme.radius,
            border_color=color,
            border_width=theme.px(4),
            parent=parent,
        )
        self.entry = entry
        t = theme
        pad = t.px(36 if big else 20)
        inner = max(1, width - 2 * pad)
        center = Qt.AlignmentFlag.AlignCenter
        y = pad
        head_font = make_font(t.px(64 if big else 44), bold=True, condensed=True)
        # On two lines where a language needs them ("Objectif atteint ce mois-ci !" in a
        # third of the screen).
        self.headline = plain_label(
            f"✓ {met_text(entry)}", head_font, color, max_lines=2, align=center, parent=self
        )
        headline_h = self.headline.fit_height(inner)
        self.headline.setGeometry(pad, y, inner, headline_h)
        y += headline_h + t.px(6)
        name_font = t.font("hero") if big else t.font("value")
        lines = len(wrap_text(entry.label, name_font, inner, 2))
        self.name = plain_label(
            entry.label, name_font, th.TEXT, max_lines=lines, align=center, parent=self
        )
        self.name.setGeometry(pad, y, inner, lines * line_height(name_font))
        y += lines * line_height(name_font)
        # The number is the point: bigger than any other text on the board.
        number_font = make_font(t.px(170 if big else 104), bold=True, condensed=True)
        actual = words().formats.value(
            entry.actual,
            entry.unit,
            entry.decimals,
            fits=lambda text: text_width(text, number_font) <= inner,
        )
        self.number = plain_label(actual, number_font, color, align=center, parent=self)
        self.number.setGeometry(pad, y, inner, line_height(number_font))
        y += line_height(number_font)
        goal_font = t.font("heading")
        self.goal = plain_label(
            against_text(entry), goal_font, th.TEXT_DIM, max_lines=2, align=center, parent=self
        )
        goal_h = self.goal.fit_height(inner)  # "goal $12,000 · 107%": never empty
        self.goal.setGeometry(pad, y, inner, goal_h)
        y += goal_h
        self.content_height = y + pad
        # The goal's name and number (and what it beat) are what the burst is for.
        for label in (self.name, self.number, self.goal):
            keep_clear_of_confetti(label)

    def center_content(self, height: int) -> None:
        """Stretched to `height` (beside a taller card): keep the text block centred."""
        shift = max(0, (height - self.content_height) // 2)
        if shift:
            for child in (self.headline, self.name, self.number, self.goal):
                child.move(child.x(), child.y() + shift)


class RecognitionCard(Panel):
    """A shout-out: who, what for, when and from whom."""

    def __init__(self, item: Recognition, theme: Theme, width: int, max_height: int) -> None:
        super().__init__(
            th.SURFACE, radius=theme.radius, band_color=th.CELEBRATION, band_width=theme.band
        )
        t = theme
        pad = t.padding
        x = t.band + pad
        inner = max(1, width - x - pad)
        y = pad
        title_font = t.font("heading")
        title = f"★ {item.title}"
        title_lines = len(wrap_text(title, title_font, inner, 2))
        self.title = plain_label(
            title, title_font, th.CELEBRATION, max_lines=title_lines, parent=self
        )
        self.title.setGeometry(x, y, inner, title_lines * line_height(title_font))
        y += title_lines * line_height(title_font)
        meta_font = t.font("meta")
        meta_h = line_height(meta_font)
        body_font = t.font("body")
        spacing = line_height(body_font)
        room = (max_height - y - pad - meta_h - t.px(8)) // spacing
        if item.body.strip() and room >= 1:
            lines = len(wrap_text(item.body, body_font, inner, min(MAX_BODY_LINES, room)))
            self.body = plain_label(item.body, body_font, th.TEXT, max_lines=lines, parent=self)
            self.body.setGeometry(x, y, inner, lines * spacing)
            y += lines * spacing
        y += t.px(8)
        origin = ORIGIN_WORDS.get(item.origin)
        meta = words().formats.date(item.day)
        if origin is not None:
            meta += " · " + translate("Celebration", origin)
        plain_label(meta, meta_font, th.TEXT_DIM, parent=self).setGeometry(x, y, inner, meta_h)
        self.content_height = y + meta_h + pad


class CelebrationScreen(Screen):
    """Goals met and recognitions, side by side when both exist. Has no content when both
    are empty, so the rotation skips it."""

    name = "celebration"

    def __init__(self, theme: Theme | None = None, parent: QWidget | None = None) -> None:
        self._featured: tuple[MetricEntry, ...] = ()
        super().__init__(theme, parent)

    def title(self) -> str:
        #: The title of the screen of goals met and shout-outs.
        return translate("Celebration", "Let's celebrate!")

    def has_content(self) -> bool:
        if self._featured:
            return True
        snapshot = self.snapshot
        return snapshot is not None and not snapshot.celebration.is_empty

    # --- the goal just met --------------------------------------------------------------

    @property
    def featured(self) -> tuple[MetricEntry, ...]:
        return self._featured

    def feature(self, goals: Sequence[MetricEntry]) -> None:
        """Lead with `goals` (just met) on a page of their own, added to any featured ones."""
        merged = list(self._featured)
        for goal in goals:
            if all((g.metric, g.period) != (goal.metric, goal.period) for g in merged):
                merged.append(goal)
        if tuple(merged) != self._featured:
            self._featured = tuple(merged)
            self._page = 0
            self._rebuild()

    def clear_feature(self) -> None:
        if self._featured:
            self._featured = ()
            self._page = 0
            self._rebuild()

    def _key(self) -> tuple[object, ...]:
        return (*super()._key(), self._featured)

    def build_pages(self, area: QSize) -> list[QWidget]:
        pages = [self._featured_page(area)] if self._featured else []
        snapshot = self.snapshot
        if snapshot is None or snapshot.celebration.is_empty:
            if pages:
                return pages
            return [
                self.empty_page(translate("Celebration", "No goals met yet today. Keep going!"))
            ]
        return pages + self._board_pages(area)

    def _featured_page(self, area: QSize) -> QWidget:
        """The goals just met, centred: one big card, or up to three smaller ones stacked
        (side by side when stacking does not fit, as three do at 720p)."""
        t = self.theme
        page = self.new_page()
        goals = self._featured[:MAX_FEATURED]
        big = len(goals) == 1
        gap = t.gap
        width = min(area.width(), t.px(1400)) if big else min(area.width(), t.px(1600))
        cards = [FeaturedGoal(goal, t, width, big, parent=page) for goal in goals]
        total = sum(c.content_height for c in cards) + gap * (len(cards) - 1)
        if total <= area.height() or big:
            y = max(0, (area.height() - total) // 2)
            for card in cards:
                height = min(card.content_height, area.height() - y)
                card.setGeometry((area.width() - width) // 2, y, width, height)
                y += card.content_height + gap
            return page
        for card in cards:
            card.setParent(None)
            card.deleteLater()
        width = (area.width() - gap * (len(goals) - 1)) // len(goals)
        cards = [FeaturedGoal(goal, t, width, False, parent=page) for goal in goals]
        tallest = min(area.height(), max(c.content_height for c in cards))
        for index, card in enumerate(cards):
            card.setGeometry(index * (width + gap), (area.height() - tallest) // 2, width, tallest)
            card.center_content(tallest)
        return page

    def _board_pages(self, area: QSize) -> list[QWidget]:
        snapshot = self.snapshot
        assert snapshot is not None
        t = self.theme
        gap = t.gap
        goals = list(snapshot.celebration.goals_met)
        shout_outs = sorted(snapshot.celebration.recognitions, key=lambda r: r.day, reverse=True)
        total = columns_for(area.width(), t.px(760), gap, at_most=3)
        both = bool(goals) and bool(shout_outs)
        lane_columns = [max(1, total // 2), max(1, total - total // 2)] if both else [total]
        width = column_width(area.width(), sum(lane_columns), gap)
        header_h = self.lane_heading_height
        room = area.height() - header_h - self.heading_gap
        lanes: list[Lane] = []
        if goals:
            cards = [GoalCard(goal, t, width) for goal in goals]
            lanes.append(
                Lane(
                    columns=lane_columns[0],
                    items=[(c, c.content_height) for c in cards],
                    header_height=header_h,
                    make_header=self.lane_heading(
                        "✓ " + translate("Celebration", "Goals met"), th.STATUS_COLORS["met"]
                    ),
                )
            )
        if shout_outs:
            cards = [RecognitionCard(item, t, width, room) for item in shout_outs]
            lanes.append(
                Lane(
                    columns=lane_columns[-1],
                    items=[(c, c.content_height) for c in cards],
                    header_height=header_h,
                    make_header=self.lane_heading(
                        "★ " + translate("Celebration", "Shout-outs"), th.CELEBRATION
                    ),
                )
            )
        return self.place_lanes(area, lanes, gap)
