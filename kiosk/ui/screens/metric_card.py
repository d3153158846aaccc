"""One metric's scoreboard card, planned before it is built.

`plan_card` lays a card out with font metrics only (no widgets): what goes where and how
tall the card is. The scoreboard plans every card at several sizes and column widths to find
the largest type that shows the whole board on one page, then builds each card once from
its chosen plan (`MetricCard`). Planning a card costs tens of microseconds; building one
costs a few hundred (a label per text), so only the winners are built.

A card, top to bottom: the metric's name; today's number, big, with its percent of goal
beside it when the width allows (else beside the bar); a bar towards the goal; "Goal
$12,000", the status and how to win today ("$770 to go", "$257 an hour"); the last 14 days
as small bars; a line per week and month goal.

A `down` metric is a budget (shrink) or a limit (a mean wait time): "506%" of goal and an
overflowing bar confused staff, so its card shows the share of the budget used instead (a
bar that fills towards the budget and turns red past it) and "$30 under" / "over by $40";
a day budget still running says what is left to spend. The JSON model keeps the contract's
percent; only the screen says it differently.

Every line of a card is one whole translated sentence ("Week {actual} / {goal}", "of {goal}
this month"), in the store's language (`kiosk.ui.i18n.words()`): a card never glues words
together, so a translator can order them as the language wants, and a card is planned with
the very text it will show.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from PySide6.QtCore import QT_TRANSLATE_NOOP, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF

from kiosk.board.formatting import (
    ELLIPSIS,
    Formats,
    budget_over,
    budget_used,
    is_budget,
    used_pace_share,
)
from kiosk.board.model import PERSPECTIVES, MetricEntry, ToWin, Trend, WinKind
from kiosk.board.to_win import left_to_spend_short, to_win_pieces
from kiosk.board.wording import (
    STATUS_GLYPHS,
    Wording,
    entry_status_text,
    pace_text,
    status_text,
    used_pace_text,
    used_text,
)
from kiosk.ui import theme as th
from kiosk.ui.fonts import make_font
from kiosk.ui.i18n import translate, words
from kiosk.ui.sparkline import TrendChart
from kiosk.ui.theme import FONT_ROLES, MIN_TEXT_PX, Theme
from kiosk.ui.widgets import FitLabel, Panel, ProgressBar, plain_label, wrap_text

_PERIOD_ORDER = {"day": 0, "week": 1, "month": 2}
# What each way of saying less costs a reader, for `CardPlan.shortened`: a text cut off
# ("Customer satisf…") or a period line left out loses words; "$1.2M" for today's number
# loses digits that matter; "$228K" in a month line fewer; "▼ pace 95%" for "▼ on pace for
# 95%" nothing a reader needs (glyph, colour and figure all stay), so it never holds the
# type back.
SHORTENED = {"cut": 10, "dropped": 10, "hero": 5, "numbers": 2, "pace": 0}
_NO_PERCENT: tuple[str, float | None, str, str, str] = ("", None, "", "", "")
# The goal under (or beside) the number, by period: a goal, a budget (a `down` sum, such as
# shrink) or a limit (a `down` mean or latest value, such as a wait time).
GOAL_LINES: dict[str, dict[str, str]] = {
    "goal": {
        #: Under today's number on a card: the day's goal ("Goal $12,000").
        "day": QT_TRANSLATE_NOOP("Scoreboard", "Goal {goal}"),
        #: A card whose big number is the week's: the week's goal.
        "week": QT_TRANSLATE_NOOP("Scoreboard", "Week goal {goal}"),
        "month": QT_TRANSLATE_NOOP("Scoreboard", "Month goal {goal}"),
    },
    "budget": {
        #: A budget not to pass (shrink: losses), for the day, week or month.
        "day": QT_TRANSLATE_NOOP("Scoreboard", "Budget {goal}"),
        "week": QT_TRANSLATE_NOOP("Scoreboard", "Week budget {goal}"),
        "month": QT_TRANSLATE_NOOP("Scoreboard", "Month budget {goal}"),
    },
    "limit": {
        #: A limit not to pass (a mean wait time, say), for the day, week or month.
        "day": QT_TRANSLATE_NOOP("Scoreboard", "Limit {goal}"),
        "week": QT_TRANSLATE_NOOP("Scoreboard", "Week limit {goal}"),
        "month": QT_TRANSLATE_NOOP("Scoreboard", "Month limit {goal}"),
    },
}
# What the percent beside the big number is a percent of (under it, small).
OF_GOAL: dict[str, dict[str, str]] = {
    "goal": {
        #: Under the big percent beside today's number: "107%" over "of $12,000".
        "day": QT_TRANSLATE_NOOP("Scoreboard", "of {goal}"),
        "week": QT_TRANSLATE_NOOP("Scoreboard", "of {goal} this week"),
        "month": QT_TRANSLATE_NOOP("Scoreboard", "of {goal} this month"),
    },
    "budget": {
        #: Under the share of a budget used: "80% used" over "of $150 budget".
        "day": QT_TRANSLATE_NOOP("Scoreboard", "of {goal} budget"),
        "week": QT_TRANSLATE_NOOP("Scoreboard", "of {goal} budget this week"),
        "month": QT_TRANSLATE_NOOP("Scoreboard", "of {goal} budget this month"),
    },
    "limit": {
        "day": QT_TRANSLATE_NOOP("Scoreboard", "of {goal} limit"),
        "week": QT_TRANSLATE_NOOP("Scoreboard", "of {goal} limit this week"),
        "month": QT_TRANSLATE_NOOP("Scoreboard", "of {goal} limit this month"),
    },
}
# A week's or month's line on a card: its number against its goal, or alone.
PERIOD_LINES: dict[str, dict[str, str]] = {
    "against": {
        #: A line of a card for another period: "Week $18,010 / $60,000" (number / goal).
        "day": QT_TRANSLATE_NOOP("Scoreboard", "Today {actual} / {goal}"),
        "week": QT_TRANSLATE_NOOP("Scoreboard", "Week {actual} / {goal}"),
        "month": QT_TRANSLATE_NOOP("Scoreboard", "Month {actual} / {goal}"),
    },
    "used": {
        #: The same line for a budget being used up: "Month $2,950 of $4,000".
        "day": QT_TRANSLATE_NOOP("Scoreboard", "Today {actual} of {goal}"),
        "week": QT_TRANSLATE_NOOP("Scoreboard", "Week {actual} of {goal}"),
        "month": QT_TRANSLATE_NOOP("Scoreboard", "Month {actual} of {goal}"),
    },
    "alone": {
        #: The same line for a period without a goal: "Week $54,210".
        "day": QT_TRANSLATE_NOOP("Scoreboard", "Today {actual}"),
        "week": QT_TRANSLATE_NOOP("Scoreboard", "Week {actual}"),
        "month": QT_TRANSLATE_NOOP("Scoreboard", "Month {actual}"),
    },
}


def _kind(entry: MetricEntry) -> str:
    """ "goal", "budget" (a `down` sum) or "limit" (a `down` mean or latest value)."""
    if not is_budget(entry):
        return "goal"
    return "budget" if entry.aggregate == "sum" else "limit"


def _line(table: dict[str, str], period: str, **fields: str) -> str:
    """The translated template of `period` in `table`, filled in."""
    return translate("Scoreboard", table.get(period, table["day"])).format(**fields)


def trend_caption() -> str:
    #: Beside the small bars of a card's last 14 days.
    return translate("Scoreboard", "14 days")


def no_goal_text() -> str:
    #: A card (or a period line) of a metric that has no goal.
    return translate("Scoreboard", "no goal")


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


def entry_color(entry: MetricEntry) -> str:
    return th.STATUS_COLORS[entry.status] if entry.status else th.STATUS_COLORS[None]


def budget_color(entry: MetricEntry) -> str:
    """Red when over the budget, else the status colour (met, or on track for a week)."""
    if budget_over(entry):
        return th.STATUS_COLORS["behind"]
    return entry_color(entry)


# --- sizes -------------------------------------------------------------------------------------


# A board is planned at a few dozen sizes and column widths, and re-planned whenever a number
# changes while most of its words do not: what costs (shaping a text takes tens of
# microseconds, formatting a number a few) is done once per process.
FontKey = tuple[str, int, bool]  # family, pixel size, bold


@lru_cache(maxsize=64)
def _font(key: FontKey) -> QFont:
    family, pixels, bold = key
    font = QFont(family)
    font.setPixelSize(pixels)
    font.setBold(bold)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font


@lru_cache(maxsize=64)
def _font_metrics(key: FontKey) -> QFontMetrics:
    return QFontMetrics(_font(key))


@lru_cache(maxsize=16_384)
def _advance(key: FontKey, text: str) -> int:
    return _font_metrics(key).horizontalAdvance(text)


@lru_cache(maxsize=2048)
def _wrapped(key: FontKey, text: str, width: int, lines: int) -> tuple[str, ...]:
    return tuple(wrap_text(text, _font(key), width, lines))


def _never(text: str) -> bool:
    return False  # forces Formats.value's compact form


# Keyed by the wording too: a test (or a screenshot) may build boards in several languages.
@lru_cache(maxsize=4096)
def _value(
    formats: Formats, value: float | None, unit: str, decimals: int, compact: bool = False
) -> str:
    """ "$12,000"; compact: "$12K"."""
    return formats.value(value, unit, decimals, fits=_never if compact else None)


@lru_cache(maxsize=1024)
def _percent_text(formats: Formats, percent: float | None) -> str:
    return formats.percent(percent)


@lru_cache(maxsize=1024)
def _status_words(wording: Wording, entry: MetricEntry) -> str:
    return entry_status_text(entry, wording)


@lru_cache(maxsize=1024)
def _win_pieces(wording: Wording, win: ToWin) -> tuple[str, ...]:
    return tuple(to_win_pieces(win, wording))


@lru_cache(maxsize=1024)
def _pace_words(wording: Wording, pace: float | None) -> str:
    return pace_text(pace, wording)


@lru_cache(maxsize=1024)
def _used_pace_words(wording: Wording, entry: MetricEntry) -> str:
    return used_pace_text(entry, wording)


@dataclass(frozen=True)
class CardStyle:
    """The cards' type and spacing at one step of the scoreboard's size ladder.

    `words` scales what names and judges (metric names, status words, percents, how to win,
    perspective headings); `numbers` the key numbers; the goal and period lines and the
    spacing grow more slowly (`rest`), since they are read from closer. Never below the
    theme's sizes: those are the legible minimum.
    """

    theme: Theme
    words: float = 1.0
    numbers: float = 1.0
    # Week and month lines kept to one line with compact numbers ("$228K / $300K") rather
    # than wrapped: the scoreboard's last resort to read the names from the door.
    compact: bool = False

    @property
    def rest(self) -> float:
        return 1.0 + (self.numbers - 1.0) * 0.6

    def px(self, base: float) -> int:
        found = self._px.get(base)
        if found is None:
            found = self._px[base] = self.theme.px(base * self.rest)
        return found

    @cached_property
    def _px(self) -> dict[float, int]:
        return {}

    @cached_property
    def fonts(self) -> dict[str, QFont]:
        t = self.theme
        fonts = {
            "label": t.font("label", self.words),
            "heading": t.font("heading", self.words),
            "hero": t.font("hero", self.numbers),
            "meta": t.font("meta", self.rest),
            "meta_bold": t.font("meta_bold", self.rest),
        }
        # The percent beside the big number: between a label and the number.
        size, bold, condensed = FONT_ROLES["value"]
        fonts["percent"] = make_font(t.px(size * self.words), bold=bold, condensed=condensed)
        return fonts

    @cached_property
    def _metrics(self) -> dict[str, QFontMetrics]:
        return {role: QFontMetrics(font) for role, font in self.fonts.items()}

    @cached_property
    def _metrics_f(self) -> dict[str, QFontMetricsF]:
        return {role: QFontMetricsF(font) for role, font in self.fonts.items()}

    @cached_property
    def _font_keys(self) -> dict[str, tuple[str, int, bool]]:
        return {
            role: (font.family(), font.pixelSize(), font.bold())
            for role, font in self.fonts.items()
        }

    def wrap(self, text: str, role: str, width: int, lines: int) -> tuple[str, ...]:
        """`wrap_text` in `role`'s font, once per process for each text and width."""
        return _wrapped(self._font_keys[role], text, width, lines)

    def width(self, text: str, role: str, pixels: int | None = None) -> int:
        """`text`'s advance in `role`'s font (at `pixels` when given). Measured once per
        process: the board is re-planned whenever a number changes, and most of its words
        do not."""
        key = self._font_keys[role]
        return _advance(key if pixels is None else (key[0], pixels, key[2]), text)

    def fitting_pixels(self, text: str, role: str, width: int) -> int:
        """The largest pixel size of `role`'s font at which `text` fits `width`, down to the
        legible minimum (MIN_TEXT_PX)."""
        pixels = self._font_keys[role][1]
        floor = self.theme.px(MIN_TEXT_PX)
        size = min(pixels, pixels * width // max(1, self.width(text, role)))
        while size > floor and self.width(text, role, size) > width:
            size -= 1
        return max(size, floor)

    def line(self, role: str) -> int:
        """One line's height as Qt draws it (see `kiosk.ui.widgets.line_height`)."""
        return math.ceil(self._metrics_f[role].lineSpacing())

    def ascent(self, role: str) -> float:
        return self._metrics_f[role].ascent()

    def descent(self, role: str) -> float:
        return self._metrics_f[role].descent()

    def cap_height(self, role: str) -> float:
        return self._metrics_f[role].capHeight()


# --- the plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextPart:
    text: str
    role: str
    color: str
    rect: QRect
    name: str = ""  # what the card calls it: "label", "hero", "percent", "win"
    align: Qt.AlignmentFlag | None = None
    max_lines: int = 1
    pixels: int | None = None  # smaller than the role's font: a number that would be cut


@dataclass(frozen=True)
class BarPart:
    share: float | None
    color: str
    rect: QRect
    accessible: str


@dataclass(frozen=True)
class RulePart:
    rect: QRect


@dataclass(frozen=True)
class ChartPart:
    trend: Trend
    rect: QRect


Part = TextPart | BarPart | RulePart | ChartPart


@dataclass
class CardPlan:
    """Where everything of one card goes, at one width and style, and how tall it is."""

    group: MetricGroup
    style: CardStyle
    width: int
    parts: list[Part] = field(default_factory=list)
    height: int = 0
    trend_height: int = 0  # what the trend row adds
    # How much was said shorter than written, weighted by what it costs a reader (see
    # SHORTENED): the scoreboard prefers sizes that shorten nothing.
    shortened: int = 0


@dataclass(frozen=True)
class _Chunk:
    text: str
    role: str
    color: str
    name: str = ""


def _wrapped_chunks(plan: CardPlan, chunks: Sequence[_Chunk], width: int) -> list[_Chunk]:
    """`chunks`, a chunk wider than a whole line said on two lines instead of cut (a long
    translation: "Monat 277.395 $ / 360.000 $"), when two lines hold it whole; it costs what
    a cut would (SHORTENED), so the board still prefers sizes that need neither."""
    style = plan.style
    out: list[_Chunk] = []
    for chunk in chunks:
        if not chunk.text or style.width(chunk.text, chunk.role) <= width:
            out.append(chunk)
            continue
        lines = style.wrap(chunk.text, chunk.role, width, 2)
        if len(lines) < 2 or (lines[-1].endswith(ELLIPSIS) and not chunk.text.endswith(ELLIPSIS)):
            out.append(chunk)  # cut in _flow, as before
            continue
        plan.shortened += SHORTENED["cut"]
        rest = "" if chunk.name in ("status", "percent") else chunk.name
        out += [_Chunk(lines[0], chunk.role, chunk.color, chunk.name)]
        out += [_Chunk(line, chunk.role, chunk.color, rest) for line in lines[1:]]
    return out


def _flow(plan: CardPlan, chunks: Sequence[_Chunk], x: int, y: int, width: int, gap: int) -> int:
    """Chunks left to right, wrapping between them, baselines aligned; returns the height."""
    style = plan.style
    lines: list[list[_Chunk]] = []
    used = 0
    chunks = _wrapped_chunks(plan, chunks, width)
    for chunk in chunks:
        if not chunk.text:
            continue
        advance = style.width(chunk.text, chunk.role)
        if lines and lines[-1] and used + gap + advance <= width:
            lines[-1].append(chunk)
            used += gap + advance
        else:
            lines.append([chunk])
            used = advance
    top = y
    for line in lines:
        ascent = max(style.ascent(c.role) for c in line)
        descent = max(style.descent(c.role) for c in line)
        left = x
        for chunk in line:
            advance = min(style.width(chunk.text, chunk.role), x + width - left)
            if advance < style.width(chunk.text, chunk.role):
                plan.shortened += SHORTENED["cut"]  # a size at which it fits is better
            offset = math.floor(ascent - style.ascent(chunk.role))
            rect = QRect(left, top + offset, max(1, advance), style.line(chunk.role))
            plan.parts.append(TextPart(chunk.text, chunk.role, chunk.color, rect, chunk.name))
            left += advance + gap
        top += math.ceil(ascent + descent)
    return top - y


def plan_card(
    group: MetricGroup,
    style: CardStyle,
    width: int,
    *,
    trend: Trend | None = None,
    win: ToWin | None = None,
    max_height: int | None = None,
) -> CardPlan:
    """Lay out `group`'s card `width` pixels wide; period lines that would pass `max_height`
    are left out (today's number always shows)."""
    plan = CardPlan(group, style, width)
    wording = words()
    formats = wording.formats
    t = style.theme
    primary = group.primary
    has_goal = primary.target is not None
    budget = has_goal and is_budget(primary)
    pad = style.px(18)
    x = t.band + pad
    inner = max(1, width - x - pad)
    limit = max_height if max_height is not None else 10**6
    gap = style.px(14)
    y = pad

    # The status, on the name's line when both fit it ("Sales      ▼ Behind"), else on the
    # line under the bar; then how to win, and the goal when it is not beside the number.
    goal_chunk, status, wins = _goal_chunks(style, wording, primary, budget, has_goal, win, inner)
    status_w = style.width(status.text, status.role)
    room = inner - status_w - style.px(24)
    # Beside a long status (French "▼ En retard") a short name still fits on one line.
    if room >= inner * 0.4 or (room > 0 and style.width(group.label, "label") <= room):
        name_lines = _name_lines(style, group.label, room)
    else:
        name_lines = None
    # Beside the name when the name still fits (on up to two lines) beside it: the status
    # then sits in the same corner of every card that allows it.
    merged = name_lines is not None
    if name_lines is None:
        name_lines = _name_lines(style, group.label, inner)
        if name_lines is None:
            name_lines = list(style.wrap(group.label, "label", inner, 2))
            plan.shortened += SHORTENED["cut"]
    label_h = len(name_lines) * style.line("label")
    name_rect = QRect(x, y, room if merged else inner, label_h)
    plan.parts.append(TextPart(group.label, "label", th.TEXT, name_rect, "label", None, 2))
    if merged:
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        # On the name's first baseline, whatever the status's font.
        top = round(y + style.ascent("label") - style.ascent(status.role))
        status_rect = QRect(x + inner - status_w, top, status_w, style.line(status.role))
        plan.parts.append(
            TextPart(status.text, status.role, status.color, status_rect, status.name, right)
        )
    y += label_h

    # Today's number; beside it, when both fit the line, its percent and what of ("40%" over
    # "of $12,000"): one line less than a separate goal line, so bigger type fits.
    hero_text = _value(formats, primary.actual, primary.unit, primary.decimals)
    if style.width(hero_text, "hero") > inner:
        hero_text = _value(formats, primary.actual, primary.unit, primary.decimals, compact=True)
        plan.shortened += SHORTENED["hero"]
    hero_w = style.width(hero_text, "hero")
    hero_pixels = None
    if hero_w > inner:
        # Still too wide once compact (German has no short form for thousands: "11.508 $"):
        # set smaller rather than cut, since "11.50…" reads as another number.
        hero_pixels = style.fitting_pixels(hero_text, "hero", inner)
        hero_w = style.width(hero_text, "hero", hero_pixels)
        plan.shortened += SHORTENED["hero"]
    percent = _percent(wording, primary) if has_goal else _NO_PERCENT
    percent_text, share, bar_color, accessible = percent[:4]
    goal_text = _of_goal(formats, primary) if has_goal else ""
    if primary.actual is None and goal_chunk is not None:
        # No number yet: no "–%" beside a "–", just the goal it will be measured against.
        percent_text, goal_text = "", goal_chunk.text
    hundred = _percent_text(formats, 100.0)
    block_w = 0
    if has_goal:
        block_w = max(
            style.width(percent_text, "percent"),
            style.width(hundred, "percent") if percent_text else 0,
            style.width(goal_text, "meta"),
        )
    beside = has_goal and hero_w + style.px(24) + block_w <= inner
    # Figures barely use the font's descent (only a comma dips below the baseline), so the
    # next row may start inside it.
    hero_h = round(style.ascent("hero") + style.descent("hero") * 0.4)
    row_h = hero_h
    plan.parts.append(
        TextPart(
            hero_text,
            "hero",
            th.TEXT,
            QRect(x, y, inner, style.line("hero")),
            "hero",
            pixels=hero_pixels,
        )
    )
    if beside:
        percent_h = style.line("percent") if percent_text else 0
        block_h = percent_h + style.line("meta")
        row_h = max(hero_h, block_h)
        top = y + max(0, (hero_h - block_h) // 2)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        left = x + inner - block_w
        if percent_text:
            percent_rect = QRect(left, top, block_w, percent_h)
            plan.parts.append(
                TextPart(percent_text, "percent", th.TEXT, percent_rect, "percent", right)
            )
        goal_rect = QRect(left, top + percent_h, block_w, style.line("meta"))
        plan.parts.append(TextPart(goal_text, "meta", th.TEXT_DIM, goal_rect, "goal", right))
    y += row_h

    if has_goal:
        if beside:
            bar_h = style.px(20)
            y += style.px(6)
            plan.parts.append(BarPart(share, bar_color, QRect(x, y, inner, bar_h), accessible))
            y += bar_h + style.px(8)
        else:
            y += _bar_row(plan, percent, hundred, x, y, inner)
            y += style.px(4)

    chunks = ([] if beside or goal_chunk is None else [goal_chunk]) + ([] if merged else [status])
    chunks += _joined_win(style, wins, inner)
    if chunks:
        y += _flow(plan, chunks, x, y, inner, gap)

    if trend is not None and trend.days and primary.period == "day":
        caption_h = style.line("meta")
        row_h = max(caption_h, style.px(46))
        if y + style.px(10) + row_h + pad <= limit:
            y += style.px(10)
            caption = trend_caption()
            caption_w = style.width(caption, "meta")
            caption_rect = QRect(x, y + row_h - caption_h, caption_w, caption_h)
            plan.parts.append(TextPart(caption, "meta", th.TEXT_DIM, caption_rect, "caption"))
            chart_x = x + caption_w + style.px(14)
            plan.parts.append(
                ChartPart(trend, QRect(chart_x, y, max(1, x + inner - chart_x), row_h))
            )
            y += row_h
            plan.trend_height = style.px(10) + row_h

    divider_gap = style.px(8)
    rule = max(1, style.px(2))
    # One way of saying the pace per card: if a line needs "pace 95%", they all say it so.
    short = any(_period_chunks(style, wording, entry, inner, gap)[2] for entry in group.others)
    for index, entry in enumerate(group.others):
        chunks, compact, _ = _period_chunks(style, wording, entry, inner, gap, short_pace=short)
        line = CardPlan(group, style, width)
        line_h = _flow(line, chunks, x, y + divider_gap + rule + divider_gap, inner, gap)
        if y + 2 * divider_gap + rule + line_h + pad > limit:
            plan.shortened += SHORTENED["dropped"] * (len(group.others) - index)
            break  # keeps the card inside its column; today's number always shows
        plan.shortened += compact
        y += divider_gap
        plan.parts.append(RulePart(QRect(x, y, inner, rule)))
        y += rule + divider_gap
        plan.parts.extend(line.parts)
        y += line_h
    plan.height = y + pad
    return plan


def _percent(wording: Wording, entry: MetricEntry) -> tuple[str, float | None, str, str, str]:
    """(text, bar share, bar colour, accessible name, short text) of the day's percent, or of
    the share of a budget used ("80% used": nobody reads it as 80% of a goal; short "80%")."""
    formats = wording.formats
    if is_budget(entry):
        used = budget_used(entry)
        text = _percent_text(formats, used)
        if _kind(entry) == "budget":
            #: What a card's bar says to a screen reader: the share of a budget used.
            accessible = translate("Scoreboard", "{percent} of budget")
        else:
            #: The same for a limit (a wait time).
            accessible = translate("Scoreboard", "{percent} of limit")
        return (
            used_text(entry, wording) if used is not None else text,
            used,
            budget_color(entry),
            accessible.format(percent=text),
            text,
        )
    text = _percent_text(formats, entry.percent)
    #: What a card's bar says to a screen reader: the percent of the goal reached.
    accessible = translate("Scoreboard", "{percent} of goal").format(percent=text)
    return text, entry.percent, entry_color(entry), accessible, text


def _bar_row(
    plan: CardPlan,
    percent: tuple[str, float | None, str, str, str],
    hundred: str,
    x: int,
    y: int,
    inner: int,
) -> int:
    """The bar with the percent at its right end, one label line tall ("80% used" said "80%"
    when it would take more than half the row)."""
    style = plan.style
    text, share, color, accessible, short = percent
    row_h = style.line("label")
    if text != short and style.width(text, "label") > inner // 2:
        text = short
    text_w = max(style.width(text, "label"), style.width(hundred, "label"))
    bar_h = style.px(20)
    bar_w = max(1, inner - text_w - style.px(16))
    plan.parts.append(
        BarPart(share, color, QRect(x, y + (row_h - bar_h) // 2, bar_w, bar_h), accessible)
    )
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    rect = QRect(x + inner - text_w, y, text_w, row_h)
    plan.parts.append(TextPart(text, "label", th.TEXT, rect, "percent", right))
    return row_h


def _of_goal(formats: Formats, entry: MetricEntry) -> str:
    """What the percent beside the number is of: "of $12,000", "of $150 budget", "of 90%
    this month" (a card whose big number is the month's)."""
    goal = _value(formats, entry.target, entry.unit, entry.decimals)
    return _line(OF_GOAL[_kind(entry)], entry.period, goal=goal)


def _name_lines(style: CardStyle, name: str, width: int) -> Sequence[str] | None:
    """The metric's name on at most two lines of `width`; None if it does not fit whole."""
    if width <= 0:
        return None
    if style.width(name, "label") <= width:
        return [name]
    lines = style.wrap(name, "label", width, 2)
    if lines and lines[-1].endswith(ELLIPSIS) and not name.endswith(ELLIPSIS):
        return None
    return lines


def _goal_chunks(
    style: CardStyle,
    wording: Wording,
    entry: MetricEntry,
    budget: bool,
    has_goal: bool,
    win: ToWin | None,
    width: int,
) -> tuple[_Chunk | None, _Chunk, list[_Chunk]]:
    """The goal ("Goal $12,000", "Budget $150"), the status ("▼ Behind", "✓ $30 under", while
    a day budget runs "✓ $30 left to spend") and how to win ("$770 to go", "$257 an hour")."""
    if not has_goal:
        return None, _Chunk(no_goal_text(), "meta", th.TEXT_DIM, "status"), []
    goal = _value(wording.formats, entry.target, entry.unit, entry.decimals)
    goal_text = _line(GOAL_LINES[_kind(entry)], entry.period, goal=goal)
    goal_chunk = _Chunk(goal_text, "meta", th.TEXT_DIM, "goal")
    pieces = list(_win_pieces(wording, win)) if win is not None else []
    if budget:
        color = budget_color(entry)
        if entry.actual is None:
            said = status_text(None, wording)
        elif win is not None and win.kind == WinKind.left_to_spend:
            # "$30 left to spend" says the margin and what to do with it: no "$30 under"
            # too ("$30 left" in a narrow card).
            glyph = STATUS_GLYPHS[entry.status]
            said = f"{glyph} {pieces.pop(0)}"
            if style.width(said, "label") > width:
                said = f"{glyph} {left_to_spend_short(win, wording)}"
        else:
            said = _status_words(wording, entry)
        status = _Chunk(said, "label", color, "status")
    else:
        status = _Chunk(status_text(entry.status, wording), "label", entry_color(entry), "status")
    return goal_chunk, status, [_Chunk(piece, "label", th.TEXT, "win") for piece in pieces]


def _joined_win(style: CardStyle, wins: list[_Chunk], width: int) -> list[_Chunk]:
    """ "$770 to go · $257 an hour" as one text where it fits a line; else its pieces, each
    on its own line if need be (a line never starts with a dangling "·")."""
    if len(wins) < 2:
        return wins
    joined = _Chunk(" · ".join(c.text for c in wins), wins[0].role, wins[0].color, "win")
    return wins if style.width(joined.text, joined.role) > width else [joined]


def _period_chunks(
    style: CardStyle,
    wording: Wording,
    entry: MetricEntry,
    width: int,
    gap: int,
    *,
    short_pace: bool = False,
) -> tuple[list[_Chunk], int, bool]:
    """ "Week $54,210 / $60,000" and "▲ on pace for 104%" (or "✓ Met"); what saying it
    shorter cost (see SHORTENED); and whether the pace is said short ("▲ pace 104%",
    always with `short_pace`)."""
    formats = wording.formats
    actual = _value(formats, entry.actual, entry.unit, entry.decimals)
    if entry.target is None:
        chunks = [
            _Chunk(_line(PERIOD_LINES["alone"], entry.period, actual=actual), "meta", th.TEXT),
            _Chunk(no_goal_text(), "meta", th.TEXT_DIM),
        ]
        return chunks, 0, False
    budget = is_budget(entry)
    # "Month $2,950 of $4,000": a budget being used; "Week $18,010 / $60,000": a goal.
    table = PERIOD_LINES["used" if budget else "against"]
    goal = _value(formats, entry.target, entry.unit, entry.decimals)
    values = [
        _line(table, entry.period, actual=actual, goal=goal),
        _line(
            table,
            entry.period,
            actual=_value(formats, entry.actual, entry.unit, entry.decimals, compact=True),
            goal=_value(formats, entry.target, entry.unit, entry.decimals, compact=True),
        ),
    ]
    color = budget_color(entry) if budget else entry_color(entry)
    glyph = STATUS_GLYPHS[entry.status]
    if budget and budget_over(entry):
        judged = [_status_words(wording, entry)]  # "▼ over by $40"
    elif entry.status != "met" and entry.pace is not None:
        # Before the goal is met, the pace is the point of the line and says the status
        # with its glyph and colour: "▼ on pace for 73%". Once met, it adds nothing.
        used = used_pace_share(entry) if budget else None
        if budget and used is None:
            judged = [status_text(entry.status, wording)]
        elif budget:
            #: Short for "on pace to use {percent}" (of a budget), where a card is narrow.
            to_use = translate("Scoreboard", "to use {percent}")
            judged = [
                f"{glyph} {_used_pace_words(wording, entry)}",
                f"{glyph} {to_use.format(percent=_percent_text(formats, used))}",
            ]
        else:
            #: Short for "on pace for {percent}", where a card is narrow: "▲ pace 104%".
            pace = translate("Scoreboard", "pace {percent}")
            judged = [
                f"{glyph} {_pace_words(wording, entry.pace)}",
                f"{glyph} {pace.format(percent=_percent_text(formats, entry.pace))}",
            ]
    else:
        judged = [status_text(entry.status, wording)]
    # Exact numbers on one line; else the pace said short; else (in a compact style) the
    # numbers compact; else exact numbers over two lines. Compact numbers are used anyway
    # when the exact ones alone are wider than the card.
    full, short = judged[0], judged[-1]
    if short_pace:
        full = short
    exact = values[0]
    one_line = [(exact, full), (exact, short)]
    if style.compact:
        one_line += [(values[1], full), (values[1], short)]
    for value, said in one_line:
        if style.width(value, "meta") + gap + style.width(said, "meta") <= width:
            said_short = said != judged[0]
            cost = SHORTENED["pace"] if said_short else 0
            cost += SHORTENED["numbers"] if value is not exact else 0
            chunks = [_Chunk(value, "meta", th.TEXT), _Chunk(said, "meta", color, "period")]
            return chunks, cost, said_short
    said_short = short != judged[0]
    cost = SHORTENED["pace"] if said_short else 0
    if style.width(exact, "meta") > width:
        exact = values[1]
        cost += SHORTENED["numbers"]
    chunks = [_Chunk(exact, "meta", th.TEXT), _Chunk(short, "meta", color, "period")]
    return chunks, cost, said_short


# --- the widget --------------------------------------------------------------------------------


class MetricCard(Panel):
    """One metric's card, built from its plan. `content_height` is its exact height.

    `MetricCard(group, theme, width)` plans and builds at the theme's own sizes; the
    scoreboard passes the plan it chose (`MetricCard.from_plan`).
    """

    def __init__(
        self,
        group: MetricGroup,
        theme: Theme,
        width: int,
        max_height: int | None = None,
        trend: Trend | None = None,
        *,
        win: ToWin | None = None,
        plan: CardPlan | None = None,
    ) -> None:
        if plan is None:
            style = CardStyle(theme)
            plan = plan_card(group, style, width, trend=trend, win=win, max_height=max_height)
        primary = plan.group.primary
        has_goal = primary.target is not None
        if has_goal:
            band = budget_color(primary) if is_budget(primary) else entry_color(primary)
        else:
            band = th.TRACK
        super().__init__(th.SURFACE, radius=theme.radius, band_color=band, band_width=theme.band)
        self.group = plan.group
        self.plan = plan
        self.chart: TrendChart | None = None
        self.content_height = plan.height
        self.trend_height = plan.trend_height
        self.hero: FitLabel
        self.label: FitLabel | None = None
        self.percent: FitLabel | None = None
        self.status: FitLabel | None = None
        self.win: list[FitLabel] = []
        fonts = plan.style.fonts
        for part in plan.parts:
            if isinstance(part, TextPart):
                font = fonts[part.role]
                if part.pixels is not None:
                    font = QFont(font)
                    font.setPixelSize(part.pixels)
                label = plain_label(
                    part.text,
                    font,
                    part.color,
                    max_lines=part.max_lines,
                    align=part.align,
                    parent=self,
                )
                label.setGeometry(part.rect)
                self._remember(part.name, label)
            elif isinstance(part, BarPart):
                bar = ProgressBar(part.share, part.color, th.TRACK, parent=self)
                bar.setGeometry(part.rect)
                bar.setAccessibleName(part.accessible)
            elif isinstance(part, RulePart):
                Panel(th.DIVIDER, parent=self).setGeometry(part.rect)
            else:
                self.chart = TrendChart(part.trend, parent=self)
                self.chart.setGeometry(part.rect)

    def _remember(self, name: str, label: FitLabel) -> None:
        if name == "hero":
            self.hero = label
            #: What a card's big number says to a screen reader: "Sales value".
            value = translate("Scoreboard", "{metric} value")
            label.setAccessibleName(value.format(metric=self.group.label))
        elif name == "label":
            self.label = label
        elif name == "percent":
            self.percent = label
        elif name == "status":
            self.status = label
        elif name == "win":
            self.win.append(label)

    @classmethod
    def from_plan(cls, plan: CardPlan) -> MetricCard:
        return cls(plan.group, plan.style.theme, plan.width, plan=plan)
