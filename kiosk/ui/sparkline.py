"""A metric's last 14 days as small bars under its day goal: the trend on a scoreboard card.

Painted with QPainter: 14 rectangles and a polyline cost well under a millisecond, repaint
only when the card is rebuilt, and render offscreen like every other widget (no QtCharts
scene, view and animation per card).

Bars that met that day's goal are green; a `down` metric's day over its budget is red;
other days are neutral. The day's goal is a line (stepped when the goal changed). Today's
bar is the board's date, the day still running, drawn lighter. A day without a value is a
short tick on the baseline, so a gap reads as "no number", not as zero.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from kiosk.board.model import Trend
from kiosk.ui import theme as th
from kiosk.ui.i18n import translate


def value_range(trend: Trend) -> tuple[float, float]:
    """(baseline, top) of the chart. From zero, unless every number sits in a narrow band
    far from zero (a 8.2-8.6 appearance score), where bars from zero would all look alike:
    then the baseline rises to just under the lowest number."""
    numbers = [d.value for d in trend.days if d.value is not None]
    numbers += [d.goal for d in trend.days if d.goal is not None]
    if not numbers:
        return 0.0, 1.0
    low, high = min(numbers), max(numbers)
    if high <= 0:
        return min(low, 0.0), max(1.0, abs(low) * 0.1)
    base = 0.0
    if low > 0 and low > high * 0.6:
        base = max(0.0, low - (high - low) * 0.8 - high * 0.02)
    top = high + (high - base) * 0.12
    return base, top if top > base else base + 1.0


class TrendChart(QWidget):
    """Bars of `trend`'s days under a goal line. Emits no signals."""

    def __init__(self, trend: Trend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trend = trend
        self.setAccessibleName(self.describe())

    def describe(self) -> str:
        """ "6 of 14 days met the goal" (for screen readers and tests)."""
        judged = [self.trend.met(d) for d in self.trend.days]
        met = sum(1 for m in judged if m)
        #: What a card's 14 small bars say to a screen reader: "6 of 14 days met the goal".
        text = translate("Scoreboard", "{met} of {days} days met the goal")
        return text.format(met=met, days=len(self.trend.days))

    def bar_color(self, index: int) -> QColor:
        day = self.trend.days[index]
        met = self.trend.met(day)
        if met:
            color = th.STATUS_COLORS["met"]
        elif met is False and self.trend.direction == "down":
            color = th.STATUS_COLORS["behind"]
        else:
            color = th.NEUTRAL_BAR
        return QColor(color)

    def paintEvent(self, event: QPaintEvent) -> None:
        days = self.trend.days
        if not days:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width, height = float(self.width()), float(self.height())
        line_w = max(2.0, height / 22)
        top_pad = line_w  # room for the goal line at the top of the range
        chart_h = height - top_pad
        base, top = value_range(self.trend)
        span = top - base

        def y_of(value: float) -> float:
            share = (min(max(value, base), top) - base) / span
            return top_pad + chart_h * (1 - share)

        slot = width / len(days)
        bar_w = max(2.0, slot * 0.68)
        radius = min(bar_w / 3, 3.0)
        painter.setPen(Qt.PenStyle.NoPen)
        last = len(days) - 1
        for index, day in enumerate(days):
            x = index * slot + (slot - bar_w) / 2
            if day.value is None:
                painter.setBrush(QColor(th.TRACK))
                tick = max(2.0, height / 16)
                painter.drawRoundedRect(QRectF(x, height - tick, bar_w, tick), 1, 1)
                continue
            y = y_of(day.value)
            color = self.bar_color(index)
            if index == last:
                color.setAlpha(150)  # the day is not over yet
            painter.setBrush(color)
            bar_h = max(2.0, height - y)
            painter.drawRoundedRect(QRectF(x, height - bar_h, bar_w, bar_h), radius, radius)

        # The goal: a line across each day's slot, joined where it steps.
        pen = QPen(QColor(th.TEXT), line_w)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        run: list[QPointF] = []
        for index, day in enumerate(days):
            if day.goal is None:
                if len(run) > 1:
                    painter.drawPolyline(run)
                run = []
                continue
            y = y_of(day.goal)
            left, right = index * slot, (index + 1) * slot
            run.append(QPointF(left, y))
            run.append(QPointF(right, y))
        if len(run) > 1:
            painter.drawPolyline(run)
        painter.end()
