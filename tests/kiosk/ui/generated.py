"""Generated scoreboards of 1, 4, 6, 10 and 20 metrics across the four perspectives.

Each board is computed the way the kiosk computes it (`compute_entry` over days of values,
targets in force on the date), from a pool of realistic metrics: sums, means and latest
values, budgets and limits, goals by day, week and month in the mixes stores use. The six
of `catalog(6)` are the store of issue 16: one financial metric, three customer metrics,
one internal-process and one learning metric. `write_feeds` writes the same board as HQ
feeds, for tests that go through a real pull and database.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from kiosk.board.model import BoardSnapshot, Scoreboard, Source, Trend, TrendDay
from kiosk.board.periods import period_start
from kiosk.board.scoreboard import CatalogInfo, DayValue, compute_entry
from sync.vocabulary import Aggregate, Direction, Period
from tests.kiosk.ui import snapshots

DAY = snapshots.DAY  # Tue 24 Nov 2026
NOW = snapshots.NOW  # 10:47 store time
COUNTS = (1, 4, 6, 10, 20)


@dataclass(frozen=True)
class Template:
    info: CatalogInfo
    daily: float  # a typical day's value
    goals: tuple[float | None, float | None, float | None]  # day, week, month


def _t(
    metric: str,
    label: str,
    perspective: str,
    unit: str,
    daily: float,
    goals: tuple[float | None, float | None, float | None],
    *,
    direction: str = "up",
    aggregate: str = "sum",
    decimals: int = 0,
) -> Template:
    info = CatalogInfo(
        metric=metric,
        label=label,
        perspective=perspective,
        unit=unit,
        direction=Direction(direction),
        aggregate=Aggregate(aggregate),
        decimals=decimals,
    )
    return Template(info, daily, goals)


POOL: dict[str, Template] = {
    t.info.metric: t
    for t in (
        _t("sales", "Sales", "financial", "$", 11800, (12000, 84000, 360000)),
        _t(
            "shopper",
            "Mystery shopper score",
            "customer",
            "%",
            88,
            (None, None, 90),
            aggregate="last",
        ),
        _t("five_star", "Five-star comments", "customer", "", 1.6, (2, 10, None)),
        _t(
            "wait",
            "Checkout wait",
            "customer",
            "min",
            4.6,
            (5, None, 5),
            direction="down",
            aggregate="mean",
            decimals=1,
        ),
        _t(
            "appearance",
            "Store appearance",
            "process",
            "pts",
            8.4,
            (8.5, 8.5, None),
            aggregate="mean",
            decimals=1,
        ),
        _t("training", "Training hours", "learning", "h", 1.4, (None, None, 40), decimals=1),
        _t(
            "basket",
            "Average basket",
            "financial",
            "$",
            41.5,
            (None, None, 42),
            aggregate="mean",
            decimals=2,
        ),
        _t("shrink", "Shrink", "process", "$", 52, (60, 400, 1700), direction="down"),
        _t("nps", "Net promoter score", "customer", "", 62, (60, None, 60), aggregate="mean"),
        _t(
            "cross_trained",
            "Cross-trained staff",
            "learning",
            "",
            7,
            (None, None, 9),
            aggregate="last",
        ),
        _t("labor", "Labor cost", "financial", "$", 2100, (2200, 15000, 64000), direction="down"),
        _t("loyalty", "Loyalty sign-ups", "customer", "", 14, (15, 100, 420)),
        _t(
            "returns",
            "Returns processed on time",
            "process",
            "%",
            93,
            (95, None, None),
            aggregate="mean",
        ),
        _t(
            "units",
            "Units per transaction",
            "financial",
            "",
            2.3,
            (2.5, None, None),
            aggregate="mean",
            decimals=2,
        ),
        _t("safety", "Safety checks done", "process", "%", 97, (100, None, None), aggregate="mean"),
        _t("onboarding", "New hires onboarded", "learning", "", 1, (None, 2, 6)),
        _t(
            "complaints",
            "Complaints resolved same day",
            "customer",
            "%",
            82,
            (85, None, 85),
            aggregate="mean",
        ),
        _t("online", "Online orders picked", "financial", "", 64, (70, 480, 2000)),
        _t(
            "stockouts",
            "Out-of-stock items",
            "process",
            "",
            12,
            (10, None, None),
            direction="down",
            aggregate="last",
        ),
        _t("coaching", "Coaching sessions", "learning", "", 2, (None, 12, 50)),
    )
}
ORDER: tuple[str, ...] = tuple(POOL)
SELECTION: dict[int, tuple[str, ...]] = {
    1: ("sales",),
    4: ("sales", "shopper", "appearance", "training"),
    6: ("sales", "shopper", "five_star", "wait", "appearance", "training"),
    10: ORDER[:10],
    20: ORDER[:20],
}


def catalog(count: int) -> tuple[CatalogInfo, ...]:
    names = SELECTION.get(count) or ORDER[:count]
    return tuple(POOL[name].info for name in names)


def _value(template: Template, day: dt.date) -> float:
    rng = random.Random(f"{template.info.metric}|{day.isoformat()}")
    value = template.daily * (1 + rng.uniform(-0.15, 0.12))
    if day == DAY and template.info.aggregate == Aggregate.sum:
        value *= 0.45  # the day is not over yet at 10:47
    return round(value, template.info.decimals)


def _values(template: Template) -> dict[dt.date, DayValue]:
    first = DAY.replace(day=1) - dt.timedelta(days=14)
    days = (first + dt.timedelta(days=n) for n in range((DAY - first).days + 1))
    return {day: DayValue(_value(template, day), Source.hq) for day in days}


def scoreboard(count: int) -> Scoreboard:
    entries = []
    for info in catalog(count):
        template = POOL[info.metric]
        values = _values(template)
        periods = [p for p, goal in zip(Period, template.goals, strict=True) if goal is not None]
        for period in periods or [Period.day]:
            goal = dict(zip(Period, template.goals, strict=True)).get(period)
            entries.append(compute_entry(info, period, DAY, values, goal))
    return Scoreboard("S001", DAY, tuple(entries))


def trends(count: int) -> tuple[Trend, ...]:
    out = []
    for info in catalog(count):
        template = POOL[info.metric]
        goal = template.goals[0]
        if goal is None:
            continue
        values = _values(template)
        days = tuple(
            TrendDay(
                DAY - dt.timedelta(days=13 - n), values[DAY - dt.timedelta(days=13 - n)].value, goal
            )
            for n in range(14)
        )
        out.append(Trend(info.metric, info.direction, days))
    return tuple(out)


def snapshot(count: int) -> BoardSnapshot:
    """The full fixture's board (comments, messages...) with a generated scoreboard."""
    board = scoreboard(count)
    result = dataclasses.replace(snapshots.full_snapshot(), scoreboard=board, trends=trends(count))
    if hasattr(result, "to_win"):  # how to win today, at 10:47 with the store open 07-22
        from kiosk.board.display_schedule import DailyWindow
        from kiosk.board.to_win import board_to_win

        hours = DailyWindow(dt.time(7), dt.time(22))
        result = dataclasses.replace(result, to_win=board_to_win(board.metrics, NOW, DAY, hours))
    return result


def write_feeds(folder: Path, count: int, store_id: str = "S001") -> list[tuple[str, str, str]]:
    """`catalog(count)` with its values and goals as CSV feeds in `folder`; returns the
    (name, kind, path) of each, for `tests.configs.config_text`. Day goals are written for
    the 14 days of the trend, as HQ publishes them."""
    folder.mkdir(parents=True, exist_ok=True)
    infos = catalog(count)
    rows = {
        "stores": [["store_id", "name", "region"], [store_id, "Downtown", "Central"]],
        "catalog": [
            ["metric", "label", "unit", "perspective", "direction", "aggregate", "decimals"]
        ]
        + [
            [i.metric, i.label, i.unit, i.perspective, i.direction, i.aggregate, i.decimals]
            for i in infos
        ],
        "metrics": [["store_id", "date", "metric", "value"]],
        "targets": [["store_id", "metric", "period", "start", "target"]],
    }
    for info in infos:
        template = POOL[info.metric]
        for day, used in sorted(_values(template).items()):
            rows["metrics"].append([store_id, day.isoformat(), info.metric, repr(used.value)])
        day_goal, week_goal, month_goal = template.goals
        if day_goal is not None:
            for back in range(14):
                start = DAY - dt.timedelta(days=back)
                rows["targets"].append([store_id, info.metric, "day", start.isoformat(), day_goal])
        for period, goal in (("week", week_goal), ("month", month_goal)):
            if goal is not None:
                start = period_start(Period(period), DAY).isoformat()
                rows["targets"].append([store_id, info.metric, period, start, goal])
    feeds = []
    for kind in ("stores", "catalog", "metrics", "targets"):
        path = folder / f"{kind}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows(rows[kind])
        feeds.append((kind, kind, str(path)))
    return feeds
