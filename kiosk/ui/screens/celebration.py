"""Celebrate: goals met today, this week and this month, and shout-outs (newest first).

Recognising results is half of keeping a service programme alive; this screen also shows
straight away when the window is told a goal was just met (`KioskWindow.celebrate()`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget

from kiosk.formatting import PERIOD_WORDS, format_date, format_value
from kiosk.ui import theme as th
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
    wrap_text,
)
from kiosk.views import MetricEntry, Recognition

MAX_BODY_LINES = 4
_ORIGIN_WORDS = {"hq": "from HQ", "store": "from your manager"}


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
        actual = format_value(entry.actual, entry.unit, entry.decimals)
        goal = format_value(entry.target, entry.unit, entry.decimals)
        chunks = [
            Chunk(f"✓ Met {PERIOD_WORDS.get(entry.period, entry.period)}", t.font("label"), color),
            Chunk(f"{actual} vs goal {goal}", t.font("body"), th.TEXT),
        ]
        used, _ = place_chunks(self, chunks, x, y, inner, t.px(20))
        self.content_height = y + used + pad


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
        meta = f"{format_date(item.day)} · {_ORIGIN_WORDS.get(item.origin, '')}".rstrip(" ·")
        plain_label(meta, meta_font, th.TEXT_DIM, parent=self).setGeometry(x, y, inner, meta_h)
        self.content_height = y + meta_h + pad


class CelebrationScreen(Screen):
    """Goals met and recognitions, side by side when both exist. Has no content when both
    are empty, so the rotation skips it."""

    name = "celebration"

    def title(self) -> str:
        return "Let's celebrate!"

    def has_content(self) -> bool:
        snapshot = self.snapshot
        return snapshot is not None and not snapshot.celebration.is_empty

    def build_pages(self, area: QSize) -> list[QWidget]:
        snapshot = self.snapshot
        if snapshot is None or snapshot.celebration.is_empty:
            return [self.empty_page("No goals met yet today. Keep going!")]
        t = self.theme
        gap = t.gap
        goals = list(snapshot.celebration.goals_met)
        shout_outs = sorted(snapshot.celebration.recognitions, key=lambda r: r.day, reverse=True)
        total = columns_for(area.width(), t.px(760), gap, at_most=3)
        both = bool(goals) and bool(shout_outs)
        lane_columns = [max(1, total // 2), max(1, total - total // 2)] if both else [total]
        width = column_width(area.width(), sum(lane_columns), gap)
        heading = t.font("heading")
        header_h = line_height(heading) + t.px(6)
        room = area.height() - header_h - self.heading_gap
        lanes: list[Lane] = []
        if goals:
            cards = [GoalCard(goal, t, width) for goal in goals]
            lanes.append(
                Lane(
                    columns=lane_columns[0],
                    items=[(c, c.content_height) for c in cards],
                    header_height=header_h,
                    make_header=self._header_maker("✓ Goals met", th.STATUS_COLORS["met"]),
                )
            )
        if shout_outs:
            cards = [RecognitionCard(item, t, width, room) for item in shout_outs]
            lanes.append(
                Lane(
                    columns=lane_columns[-1],
                    items=[(c, c.content_height) for c in cards],
                    header_height=header_h,
                    make_header=self._header_maker("★ Shout-outs", th.CELEBRATION),
                )
            )
        return self.place_lanes(area, lanes, gap)

    def _header_maker(self, text: str, color: str) -> Callable[[QWidget, QRect], None]:
        t = self.theme

        def make(page: QWidget, rect: QRect) -> None:
            font = t.font("heading")
            label = plain_label(text, font, color, parent=page)
            label.setGeometry(rect.x(), rect.y(), rect.width(), line_height(font))
            Panel(color, radius=t.px(3), parent=page).setGeometry(
                rect.x(), rect.bottom() - t.px(6) + 1, rect.width(), t.px(6)
            )

        return make
