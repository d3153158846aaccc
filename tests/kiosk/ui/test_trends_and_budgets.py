"""Scoreboard cards: the 14-day trend chart, and budgets (direction down) shown as the share of
the budget used rather than "506% of goal"."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from kiosk.board.formatting import budget_used
from kiosk.board.model import Scoreboard
from kiosk.board.wording import budget_margin
from kiosk.ui import theme as th
from kiosk.ui.screens.metric_card import group_metrics
from kiosk.ui.screens.scoreboard import (
    BoardPlanner,
    Choice,
    MetricCard,
    MetricGroup,
    reads_from_door,
)
from kiosk.ui.sparkline import TrendChart, value_range
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import ProgressBar
from tests.kiosk.ui import generated, snapshots
from tests.kiosk.ui.checks import all_overflow_problems, visible_labels

SHRINK = {"unit": "$", "direction": "down"}


def card_for(view, metric: str) -> MetricCard:
    return next(
        c
        for c in view.screen.findChildren(MetricCard)
        if c.group.metric == metric and c.isVisibleTo(view)
    )


def label_texts(widget) -> set[str]:
    return {label.text() for label in visible_labels(widget)}


def shrink_board(actual: float, target: float, **extra) -> object:
    day = snapshots.entry(
        "shrink", "Shrink", "process", "day", actual, target, None, None, "met", **SHRINK
    )
    rows = (day, *extra.get("more", ()))
    return dataclasses.replace(
        snapshots.full_snapshot(), scoreboard=Scoreboard("S001", snapshots.DAY, rows)
    )


# --- trends -------------------------------------------------------------------------------


def test_cards_with_a_day_goal_show_the_trend(make_view):
    view = make_view("scoreboard")
    sales = card_for(view, "sales")
    assert sales.chart is not None and sales.chart.isVisibleTo(view)
    assert len(sales.chart.trend.days) == 14
    assert "14 days" in label_texts(sales)
    assert sales.chart.describe() == "8 of 14 days met the goal"
    # No day goal, no chart: basket has a day goal but no trend in the fixture; mystery
    # shopper has only a month goal.
    assert card_for(view, "shopper").chart is None
    assert card_for(view, "basket").chart is None


def test_trend_bars_are_coloured_by_their_days_goal():
    trend = snapshots.trends()[2]  # shrink: a budget
    chart = TrendChart(trend)
    colors = [chart.bar_color(i).name() for i in range(14)]
    assert colors[0] == QColor(th.STATUS_COLORS["met"]).name()  # 130 within 150
    assert colors[2] == QColor(th.STATUS_COLORS["behind"]).name()  # 170 over 150
    up = TrendChart(snapshots.trends()[0])  # sales: below the goal is neutral, not red
    assert up.bar_color(0).name() == QColor(th.NEUTRAL_BAR).name()
    assert up.bar_color(1).name() == QColor(th.STATUS_COLORS["met"]).name()


def test_trend_chart_paints_bars_and_the_goal_line(qtbot):
    chart = TrendChart(snapshots.trends()[0])
    qtbot.addWidget(chart)
    chart.resize(280, 46)
    image = QImage(280, 46, QImage.Format.Format_RGB32)
    image.fill(QColor("#000000"))
    chart.render(image)
    colours = {image.pixelColor(x, y).name() for x in range(280) for y in range(46)}
    assert QColor(th.STATUS_COLORS["met"]).name() in colours
    assert "#ffffff" in colours  # the goal line


def test_value_range_rises_for_numbers_in_a_narrow_band():
    narrow = snapshots.trend("csat", "up", 90, [88, 91, 92, 89] + [90] * 10)
    base, top = value_range(narrow)
    assert 80 < base < 88 and top > 92
    wide = snapshots.trends()[2]
    assert value_range(wide)[0] == 0


def test_trends_give_way_before_a_page_or_the_names_from_the_door(make_view):
    """The six metrics of issue 16 at 1080p: with every 14-day chart no layout shows them on
    one page with names read from the door, so charts are left out (one is kept, since it
    still fits) rather than a page added or the type kept small."""
    snapshot = generated.snapshot(6)
    view = make_view("scoreboard", snapshot, QSize(1920, 1080))
    screen = view.screen
    assert screen.page_count() == 1
    assert reads_from_door(screen.style)
    charted = {c.group.metric for c in screen.findChildren(MetricCard) if c.chart is not None}
    assert charted == set(screen.choice.trends)
    every = {t.metric for t in snapshot.trends}
    assert charted and charted < every

    sections = group_metrics(snapshot.scoreboard.metrics)
    planner = BoardPlanner(sections, Theme(1080), screen.content_rect().size(), snapshot)
    with_all = [
        Choice(columns, planner.door, frozenset(every), compact)
        for columns in range(1, planner.max_columns + 1)
        for compact in (False, True)
    ]
    assert not any(planner.fits_one_page(choice) for choice in with_all)

    alone = dataclasses.replace(
        snapshots.full_snapshot(),
        scoreboard=Scoreboard(
            "S001", snapshots.DAY, tuple(m for m in snapshots.metrics() if m.metric == "csat")
        ),
    )
    view = make_view("scoreboard", alone, QSize(1920, 1080))
    assert card_for(view, "csat").chart is not None  # room enough: the chart stays


# --- budgets ------------------------------------------------------------------------------


def test_budget_card_shows_the_share_used_and_the_margin(make_view):
    view = make_view("scoreboard", shrink_board(120, 150))
    card = card_for(view, "shrink")
    bar = card.findChildren(ProgressBar)[0]
    assert bar.percent == pytest.approx(80)  # actual / budget, not target / actual
    assert not bar.overflowing
    texts = label_texts(card)
    assert "80% used" in texts
    assert texts & {"Budget $150", "of $150 budget"}
    assert "✓ $30 under" in texts
    assert not any(text.endswith("125%") for text in texts)  # the old "percent of goal"
    assert bar.accessibleName() == "80% of budget"


def test_a_tiny_actual_no_longer_reads_506_percent(make_view):
    view = make_view("scoreboard", shrink_board(79, 400))
    texts = label_texts(card_for(view, "shrink"))
    assert "20% used" in texts and "✓ $321 under" in texts
    assert "506%" not in texts


def test_over_budget_is_red_and_says_by_how_much(make_view):
    over = dataclasses.replace(
        shrink_board(190, 150).scoreboard.metrics[0], percent=78.9, status="behind"
    )
    snapshot = dataclasses.replace(
        snapshots.full_snapshot(), scoreboard=Scoreboard("S001", snapshots.DAY, (over,))
    )
    view = make_view("scoreboard", snapshot)
    card = card_for(view, "shrink")
    bar = card.findChildren(ProgressBar)[0]
    assert bar.percent == pytest.approx(126.67, abs=0.01)
    assert bar._color.name() == QColor(th.STATUS_COLORS["behind"]).name()
    assert "▼ over by $40" in label_texts(card)


def test_budget_week_and_month_lines(make_view):
    view = make_view("scoreboard")  # the fixture's shrink: month $2,950 of $4,000, pace 108.5
    texts = label_texts(card_for(view, "shrink"))
    assert "Month $2,950 of $4,000" in texts
    assert texts & {"▲ on pace to use 92%", "▲ to use 92%"}
    assert not any("pace 108" in t or "109%" in t for t in texts)


def test_budget_helpers():
    entry = shrink_board(0, 150).scoreboard.metrics[0]
    assert budget_used(entry) == 0
    assert budget_margin(entry) == "$150 under"
    zero_budget = dataclasses.replace(entry, actual=5, target=0)
    assert budget_used(zero_budget) is None
    assert budget_margin(dataclasses.replace(entry, actual=None)) == ""


@pytest.mark.parametrize("size", [QSize(1280, 720), QSize(1920, 1080)])
def test_budget_and_trend_cards_fit(make_view, size):
    view = make_view("scoreboard", shrink_board(190, 150), size)
    assert not all_overflow_problems(view)


def test_up_metric_cards_are_unchanged():
    group = MetricGroup(
        "sales", "Sales", "financial", tuple(m for m in snapshots.metrics() if m.metric == "sales")
    )
    card = MetricCard(group, Theme(1080), 451)
    assert "107%" in {label.text() for label in card.findChildren(type(card.hero))}
    card.deleteLater()
