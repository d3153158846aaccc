"""The scoreboard: today's numbers against their goals, by balanced-scorecard perspective.

One card per metric (`metric_card.py`), under its perspective's heading and colour. The
perspectives flow down columns in order, sharing a column when they are short and going on
in the next one (headed again) when they are long, so a store with three customer metrics
and one of each other perspective does not page while half the screen is empty.

The type grows into the room the cards leave: the board tries each column count and steps up
a ladder of sizes (metric names first, to the size read from the door, then everything),
and keeps the largest that shows every card on one page, preferring, in order: the names
read from the door, nothing shortened ("$1.2M" for "$1,234,567"), the 14-day trends kept.
Only when the cards do not fit one page at the theme's own sizes (the legible minimum) does
it page. All this planning uses font metrics, not widgets, and runs only when the board's
data, size or theme change; the cards are built once, from the plans chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from kiosk.board import wording
from kiosk.board.model import BoardSnapshot
from kiosk.board.to_win import to_win_text
from kiosk.ui import theme as th
from kiosk.ui.fonts import make_font
from kiosk.ui.i18n import translate, words
from kiosk.ui.screens.metric_card import (
    CardPlan,
    CardStyle,
    MetricCard,
    MetricGroup,
    group_metrics,
    plan_card,
)
from kiosk.ui.theme import FONT_ROLES, MIN_TEXT_PX, READ_FROM_DOOR_CAP_PX, Theme
from kiosk.ui.widgets import (
    Panel,
    Screen,
    SectionFlow,
    Slot,
    column_width,
    line_height,
    plain_label,
    text_width,
)

__all__ = [
    "MetricCard",
    "MetricGroup",
    "ScoreboardScreen",
    "group_metrics",
    "perspective_label",
    "size_ladder",
]

MIN_COLUMN = 400  # 1080p pixels: narrower, a card's lines wrap more than they gain
MAX_COLUMNS = 6
# The ladder: metric names (and status words) grow first, to where a capital is 34 px tall
# at 1080p; then names and numbers grow together. 2.4x is a single metric filling a screen.
_WORDS_FIRST = (1.0, 1.05, 1.1, 1.15, 1.2)
_THEN_ALL = tuple(round(1.0 + 0.05 * n, 2) for n in range(1, 29))  # 1.05 .. 2.4
_HEADING_RULE = 6


def perspective_label(perspective: str) -> str:
    return wording.perspective_label(perspective, words())


def size_ladder(theme: Theme, *, compact: bool = False) -> list[CardStyle]:
    """The card sizes to try, smallest (the theme's own) first."""
    top = _WORDS_FIRST[-1]
    return [CardStyle(theme, words=w, compact=compact) for w in _WORDS_FIRST] + [
        CardStyle(theme, words=top * s, numbers=s, compact=compact) for s in _THEN_ALL
    ]


def reads_from_door(style: CardStyle) -> bool:
    """Metric names at least READ_FROM_DOOR_CAP_PX tall (capitals, at 1080p; scaled)."""
    return style.cap_height("label") >= READ_FROM_DOOR_CAP_PX * style.theme.unit - 0.5


@dataclass(frozen=True)
class Choice:
    """A way to lay the board out: column count, size step, which cards keep their trend,
    and whether week and month lines may take compact numbers to stay on one line."""

    columns: int
    step: int
    trends: frozenset[str]
    compact: bool = False

    def at(self, step: int) -> Choice:
        return Choice(self.columns, step, self.trends, self.compact)

    def with_trends(self, trends: frozenset[str]) -> Choice:
        return Choice(self.columns, self.step, trends, self.compact)


@dataclass
class _Evaluation:
    heights: tuple[tuple[int, ...], ...]  # per section, per card
    pages: int
    shortened: int
    flow: SectionFlow


class BoardPlanner:
    """Finds the board's layout for a content area (see the module text).

    Plain arithmetic on font metrics. Each card is planned once per (column width, size
    step), with its trend; the same card without its trend is that height less the trend
    row, so choosing which trends to keep costs no planning.
    """

    def __init__(
        self,
        sections: Sequence[tuple[str, Sequence[MetricGroup]]],
        theme: Theme,
        area: QSize,
        snapshot: BoardSnapshot,
    ) -> None:
        self.sections = [(p, list(groups)) for p, groups in sections]
        self.theme = theme
        self.area = area
        self.snapshot = snapshot
        self.ladders = {False: size_ladder(theme), True: size_ladder(theme, compact=True)}
        self.steps = len(self.ladders[False])
        self.door = next((i for i, s in enumerate(self.ladders[False]) if reads_from_door(s)), 0)
        self._plans: dict[tuple[str, int, int, bool], CardPlan] = {}
        self._evaluations: dict[Choice, _Evaluation] = {}
        self._fits: dict[Choice, bool] = {}
        self._heading_fonts: dict[tuple[int, int], QFont] = {}
        groups = [g for _, gs in self.sections for g in gs]
        self.with_trend = frozenset(
            g.metric for g in groups if snapshot.trend(g.metric) is not None
        )
        self.cards = len(groups)
        fit = (area.width() + theme.gap) // max(1, theme.px(MIN_COLUMN) + theme.gap)
        self.max_columns = max(1, min(MAX_COLUMNS, self.cards, fit))

    # --- sizes of one step ------------------------------------------------------------------

    def style(self, choice: Choice) -> CardStyle:
        return self.ladders[choice.compact][choice.step]

    def gap(self, step: int) -> int:
        return self.ladders[False][step].px(20)

    def heading_font(self, columns: int, step: int) -> QFont:
        """The perspective headings' font: as grown as the step's words, but never wider
        than a column ("Learning & growth" must not end in "…"): a long name ("Formación y
        crecimiento") is set smaller, down to the smallest type read from across the room."""
        key = (columns, step)
        found = self._heading_fonts.get(key)
        if found is None:
            grown = self.ladders[False][step].words
            font = self.theme.font("heading", grown)
            widest = max(text_width(perspective_label(p), font) for p, _ in self.sections)
            room = self.column_width(columns, step)
            if widest > room:
                size, bold, condensed = FONT_ROLES["heading"]
                scale = max(MIN_TEXT_PX / size, grown * room / widest)
                # Rounding may leave it a pixel too wide: one step smaller then.
                pixels = self.theme.px(size * scale)
                font = make_font(pixels, bold=bold, condensed=condensed)
                least = self.theme.px(MIN_TEXT_PX)
                while widest > room and pixels > least:
                    widest = max(text_width(perspective_label(p), font) for p, _ in self.sections)
                    if widest > room:
                        pixels -= 1
                        font = make_font(pixels, bold=bold, condensed=condensed)
            found = self._heading_fonts[key] = font
        return found

    def heading_height(self, columns: int, step: int) -> int:
        """A perspective heading: its words, the coloured rule under them, and a gap."""
        font = self.heading_font(columns, step)
        return line_height(font) + self.theme.px(_HEADING_RULE) + self.ladders[False][step].px(10)

    def column_width(self, columns: int, step: int) -> int:
        return column_width(self.area.width(), columns, self.gap(step))

    # --- evaluating a choice ----------------------------------------------------------------

    def plan(self, group: MetricGroup, choice: Choice, trend: bool = True) -> CardPlan:
        """`group`'s card as `choice` lays it out, with its trend unless `trend` is False."""
        width = self.column_width(choice.columns, choice.step)
        key = (group.metric, width, choice.step, choice.compact)
        found = self._plans.get(key)
        if found is None:
            found = self._plans[key] = self._new_plan(group, choice, width, True)
        if not trend and found.trend_height:
            return self._new_plan(group, choice, width, False)
        return found

    def _new_plan(self, group: MetricGroup, choice: Choice, width: int, trend: bool) -> CardPlan:
        return plan_card(
            group,
            self.style(choice),
            width,
            trend=self.snapshot.trend(group.metric) if trend else None,
            win=self.snapshot.win(group.metric),
            # Alone in a column under the largest heading it could have.
            max_height=self.area.height() - self.heading_height(1, choice.step),
        )

    def evaluate(self, choice: Choice) -> _Evaluation:
        found = self._evaluations.get(choice)
        if found is not None:
            return found
        heights = []
        shortened = 0
        for _, groups in self.sections:
            section = []
            for group in groups:
                plan = self.plan(group, choice)
                kept = group.metric in choice.trends
                section.append(plan.height - (0 if kept else plan.trend_height))
                shortened += plan.shortened
            heights.append(tuple(section))
        flow = SectionFlow(
            tuple(heights),
            self.heading_height(choice.columns, choice.step),
            self.gap(choice.step),
        )
        needed = flow.columns_needed(self.area.height())
        pages = -(-needed // choice.columns)
        found = self._evaluations[choice] = _Evaluation(tuple(heights), pages, shortened, flow)
        return found

    def fits_one_page(self, choice: Choice) -> bool:
        """Whether every card fits one page as `choice` lays them out. Plans cards in order
        only until they overflow, so a size that is far too big costs a few cards."""
        found = self._evaluations.get(choice)
        if found is not None:
            return found.pages == 1
        known = self._fits.get(choice)
        if known is not None:
            return known
        heading = self.heading_height(choice.columns, choice.step)
        heights: list[tuple[int, ...]] = []
        fits = True
        for _, groups in self.sections:
            section: list[int] = []
            heights.append(())
            for group in groups:
                plan = self.plan(group, choice)
                section.append(
                    plan.height - (0 if group.metric in choice.trends else plan.trend_height)
                )
                heights[-1] = tuple(section)
                flow = SectionFlow(tuple(heights), heading, self.gap(choice.step))
                if flow.columns_needed(self.area.height()) > choice.columns:
                    fits = False
                    break
            if not fits:
                break
        self._fits[choice] = fits
        return fits

    def plans(self, choice: Choice) -> list[list[CardPlan]]:
        """The cards' plans for `choice`, per section, as they are built."""
        return [
            [self.plan(g, choice, g.metric in choice.trends) for g in groups]
            for _, groups in self.sections
        ]

    def _largest(
        self, choice: Choice, ok: Callable[[Choice], bool], top: int | None = None
    ) -> Choice:
        """`choice` at the largest step (up to `top`) at which the layout is `ok` (it is at
        `choice`'s), by bisection: a bigger size never fits where a smaller one did not."""
        low, high = choice.step, self.steps - 1 if top is None else top
        while low < high:
            middle = (low + high + 1) // 2
            if ok(choice.at(middle)):
                low = middle
            else:
                high = middle - 1
        return choice.at(low)

    # --- choosing ---------------------------------------------------------------------------

    def choose(self) -> Choice:
        """The best layout: one page if the legible minimum allows, else the fewest pages.

        Week and month lines get compact numbers only when that is what lets the metric
        names be read from the door."""
        candidates = self._one_page_candidates(compact=False)
        if not any(c.step >= self.door for c in candidates):
            candidates += self._one_page_candidates(compact=True)
        if candidates:
            best = max(candidates, key=self._rank)
            return self._trends_back(best) if best.trends != self.with_trend else best
        return self._best_paged()

    def _rank(self, choice: Choice) -> tuple[object, ...]:
        evaluation = self.evaluate(choice)
        return (
            -evaluation.pages,
            choice.step >= self.door,
            -evaluation.shortened,
            len(choice.trends),
            choice.step,
            -self._splits(choice),
        )

    def _splits(self, choice: Choice) -> int:
        """Columns that start mid-perspective on the first page (its heading repeated)."""
        evaluation = self.evaluate(choice)
        page = evaluation.flow.pack(choice.columns, self.area.height())[0]
        return sum(1 for column in page if len(column) > 1 and column[1].card not in (None, 0))

    def _one_page_candidates(self, *, compact: bool) -> list[Choice]:
        """Per column count, with and without trends: the largest size on one page, and the
        largest that shortens no more than the smallest does."""
        candidates: list[Choice] = []
        for columns in range(1, self.max_columns + 1):
            for trends in (self.with_trend, frozenset()):
                smallest = Choice(columns, 0, trends, compact)
                if not self.fits_one_page(smallest):
                    continue
                base = self.evaluate(smallest).shortened

                def clean(choice: Choice, base: int = base) -> bool:
                    return self.fits_one_page(choice) and self.evaluate(choice).shortened <= base

                largest = self._largest(smallest, self.fits_one_page)
                if self.evaluate(largest).shortened <= base:
                    candidates.append(largest)  # clean too: one bisection is enough
                    cleanest = largest
                else:
                    cleanest = self._largest(smallest, clean)
                    candidates += [largest, cleanest]
                if cleanest.step >= self.door:
                    # Dropping trends could only win a bigger size, which ranks below them.
                    break
        return candidates

    def _trends_back(self, choice: Choice) -> Choice:
        """Give trends back, card by card in board order, while the layout ranks as well as
        without them: a chart is a nice-to-have, a name read from the door is not."""
        rank = self._rank(choice)[:3]
        kept = set(choice.trends)
        for _, groups in self.sections:
            for group in groups:
                if group.metric not in self.with_trend or group.metric in kept:
                    continue
                trial = choice.with_trends(frozenset(kept | {group.metric}))
                if self._rank(trial)[:3] >= rank:
                    kept.add(group.metric)
        return choice.with_trends(frozenset(kept))

    def _first_page(self, choice: Choice) -> int:
        """How many cards the first page shows: a card on a later page is one fewer people
        see, so a paged board puts as many as it can first."""
        page = self.evaluate(choice).flow.pack(choice.columns, self.area.height())[0]
        return sum(1 for column in page for slot in column if slot.card is not None)

    def _best_paged(self) -> Choice:
        """The cards do not fit one page at the legible minimum: the fewest pages (trends
        dropped only if they cost one), the most cards on the first, then the largest type
        that keeps both."""
        smallest = [
            Choice(columns, 0, trends)
            for columns in range(1, self.max_columns + 1)
            for trends in (self.with_trend, frozenset())
        ]

        def paged_rank(choice: Choice) -> tuple[object, ...]:
            evaluation = self.evaluate(choice)
            return (-evaluation.pages, self._first_page(choice), *self._rank(choice)[1:])

        best = max(smallest, key=paged_rank)
        if best.trends != self.with_trend:
            best = self._trends_back(best)
        target = self.evaluate(best)
        first = self._first_page(best)

        def same(choice: Choice) -> bool:
            evaluation = self.evaluate(choice)
            return (
                evaluation.pages <= target.pages
                and evaluation.shortened <= target.shortened
                and self._first_page(choice) >= first
            )

        # Grown at most until the names read from the door: a paged board is a full one.
        return self._largest(best, same, top=max(best.step, self.door))


class ScoreboardScreen(Screen):
    """Today's score vs goal for every metric, grouped by perspective; pages when needed."""

    name = "scoreboard"
    choice: Choice | None = None  # the layout last chosen (tests and screenshots read it)
    style: CardStyle | None = None

    def content_key(self, snapshot: BoardSnapshot) -> object:
        # How to win is part of the cards; its per-hour figure changes as the hours pass,
        # so the text (not the exact hours) decides whether the board is rebuilt.
        wins = tuple((w.metric, to_win_text(w, words())) for w in snapshot.to_win)
        return (snapshot.scoreboard, snapshot.trends, wins)

    def title(self) -> str:
        #: The title of the scoreboard screen: today's numbers against their goals.
        return translate("Scoreboard", "Today's score")

    def has_content(self) -> bool:
        # The scoreboard is the board's home: it always shows, even while waiting for data.
        return True

    def build_pages(self, area: QSize) -> list[QWidget]:
        snapshot = self.snapshot
        sections = group_metrics(snapshot.scoreboard.metrics) if snapshot else []
        if not sections or snapshot is None:
            self.choice = self.style = None
            #: The scoreboard before the first data ever arrived from headquarters.
            waiting = translate("Scoreboard", "No numbers yet: waiting for the first data from HQ.")
            return [self.empty_page(waiting)]
        planner = BoardPlanner(sections, self.theme, area, snapshot)
        choice = planner.choose()
        self.choice, self.style = choice, planner.style(choice)
        plans = planner.plans(choice)
        width = planner.column_width(choice.columns, choice.step)
        gap = planner.gap(choice.step)
        pages = []
        for columns in planner.evaluate(choice).flow.pack(choice.columns, area.height()):
            page = self.new_page()
            for index, slots in enumerate(columns):
                self._place_column(page, slots, index * (width + gap), planner, choice, plans)
            pages.append(page)
        return pages

    def _place_column(
        self,
        page: QWidget,
        slots: Sequence[Slot],
        x: int,
        planner: BoardPlanner,
        choice: Choice,
        plans: Sequence[Sequence[CardPlan]],
    ) -> None:
        """One column's headings and cards, top down, spaced as `SectionFlow` measured."""
        width = planner.column_width(choice.columns, choice.step)
        gap = planner.gap(choice.step)
        heading_h = planner.heading_height(choice.columns, choice.step)
        y = 0
        for index, slot in enumerate(slots):
            if slot.card is None:
                if index:
                    y += gap
                perspective = planner.sections[slot.section][0]
                self._heading(page, perspective, QRect(x, y, width, heading_h), planner, choice)
                y += heading_h
                continue
            if index and slots[index - 1].card is not None:
                y += gap
            plan = plans[slot.section][slot.card]
            card = MetricCard.from_plan(plan)
            card.setParent(page)
            card.setGeometry(x, y, width, min(plan.height, page.height() - y))
            card.show()  # setParent() hides a widget
            y += plan.height

    def _heading(
        self, page: QWidget, perspective: str, rect: QRect, planner: BoardPlanner, choice: Choice
    ) -> None:
        """The perspective's name over a rule, both in its colour."""
        color = th.PERSPECTIVE_COLORS.get(perspective, th.OTHER_PERSPECTIVE_COLOR)
        font = planner.heading_font(choice.columns, choice.step)
        font_h = line_height(font)
        label = plain_label(perspective_label(perspective), font, color, parent=page)
        label.setGeometry(rect.x(), rect.y(), rect.width(), font_h)
        rule = self.theme.px(_HEADING_RULE)
        Panel(color, radius=self.theme.px(3), parent=page).setGeometry(
            rect.x(), rect.y() + font_h, rect.width(), rule
        )
