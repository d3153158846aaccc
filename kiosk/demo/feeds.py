"""Demo HQ feeds, generated for today's date so the shipped demo never looks stale.

`[demo] feeds_dir` in the config turns this on. `kiosk run` is the demo's stand-in for HQ and
the only writer of that folder: at start and at each new day (only files whose content changed
are rewritten, so an unchanged demo feed stays "unchanged" for the sync). No other command
writes there: a `kiosk pin set` or `kiosk status` beside a running demo must not undo what it
showed (`kiosk.demo.hooks`). The numbers are pseudo-random but fixed for a given store and day.

A newcomer should see a celebration without waiting for a real goal: the demo store's
five-star comments today stand one below the day goal (`goal_met=False`, what the start
writes), and `kiosk run` rewrites the metrics feed about a minute after start with the goal
crossed (`goal_met=True`, see `kiosk.demo.hooks`), so the next pull meets it on screen.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kiosk.board.periods import period_start
from kiosk.config import StoreConfig

HISTORY_DAYS = 45
DEMO_STORE = "S001"
# The goal the demo meets on screen: today's five-star comments, one short of this at start.
FIVE_STAR_DAY_GOAL = 2
GOAL_METRIC = "five_star"
GOAL_MET_AFTER_SECONDS = 60
REGION = "Central"
# (store_id, name, region, strength): strength scales how well each store does.
DEMO_STORES: tuple[tuple[str, str, str, float], ...] = (
    ("S001", "Downtown", REGION, 1.00),
    ("S002", "Riverside", REGION, 1.07),
    ("S003", "Oak Park", REGION, 0.93),
    ("S004", "Lakeview", REGION, 1.02),
    ("S005", "Hillcrest", REGION, 0.97),
    ("S101", "Bayside", "West", 1.05),
    ("S102", "Canyon", "West", 0.90),
)


@dataclass(frozen=True)
class DemoMetric:
    metric: str
    label: str
    unit: str
    perspective: str
    direction: str
    aggregate: str
    decimals: int
    entry: bool
    daily: float  # a typical day's value
    spread: float  # +/- fraction of daily
    day_goal: float | None
    week_goal: float | None
    month_goal: float | None


CATALOG: tuple[DemoMetric, ...] = (
    DemoMetric(
        # HQ's point-of-sale system feeds sales; managers type appearance and training.
        "sales",
        "Sales",
        "$",
        "financial",
        "up",
        "sum",
        0,
        False,
        11800,
        0.18,
        12000,
        84000,
        360000,
    ),
    DemoMetric(
        "avg_basket",
        "Average basket",
        "$",
        "financial",
        "up",
        "mean",
        2,
        False,
        41.5,
        0.12,
        None,
        None,
        42.0,
    ),
    DemoMetric(
        "mystery_shopper",
        "Mystery shopper score",
        "%",
        "customer",
        "up",
        "last",
        0,
        False,
        88,
        0.06,
        None,
        None,
        90,
    ),
    DemoMetric(
        "five_star",
        "Five-star comments",
        "",
        "customer",
        "up",
        "sum",
        0,
        False,
        1.6,
        0.9,
        FIVE_STAR_DAY_GOAL,
        10,
        None,
    ),
    DemoMetric(
        "appearance",
        "Store appearance",
        "pts",
        "process",
        "up",
        "mean",
        1,
        True,
        8.4,
        0.08,
        8.5,
        8.5,
        None,
    ),
    DemoMetric(
        "shrink", "Shrink", "$", "process", "down", "sum", 0, False, 52, 0.6, None, 400, 1700
    ),
    DemoMetric(
        "training",
        "Training hours",
        "h",
        "learning",
        "up",
        "sum",
        1,
        True,
        1.4,
        0.7,
        None,
        None,
        40,
    ),
)

COMMENTS: tuple[tuple[int, int, str, str], ...] = (
    # (days ago, rating, source, text)
    (
        0,
        5,
        "Google",
        "Jamal at the register remembered my name and my usual order. "
        "That's why I drive past two other stores to shop here.",
    ),
    (1, 2, "Survey", "Waited almost ten minutes at checkout with only one lane open."),
    (2, 5, "In store", "The new seasonal display looks fantastic, very easy to find everything."),
    (
        3,
        4,
        "Email",
        "Helpful staff in the garden section, though the aisles were a bit "
        "cluttered on Saturday morning.",
    ),
    (
        5,
        1,
        "Google",
        "Returned a broken kettle and was told to come back with the box. "
        "Nobody had told me that when I bought it.",
    ),
    (7, 5, "Survey", "Maria went to the stockroom twice to find my size. Above and beyond!"),
    (
        9,
        3,
        "In store",
        "Fine visit. Prices clearly marked, but the self-checkout kept asking for help.",
    ),
    (12, 5, "Google", "Cleanest store in the city, and always a smile at the door."),
)


def _rng(*parts: object) -> random.Random:
    return random.Random("|".join(str(p) for p in parts))


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _value(m: DemoMetric, store: str, strength: float, day: dt.date, today: dt.date) -> float:
    rng = _rng(m.metric, store, day.isoformat())
    base = m.daily * (strength if m.direction == "up" else 2 - strength)
    value = base * (1 + rng.uniform(-m.spread, m.spread))
    if m.metric == "sales" and day.weekday() >= 5:
        value *= 1.25  # weekends sell more
    if day == today and m.aggregate == "sum":
        value *= 0.85  # the day is not over yet
    if m.metric == "mystery_shopper":
        value = min(100.0, value)
    return round(value, m.decimals) if m.decimals else float(round(value))


def metrics_csv(today: dt.date, *, goal_met: bool = False) -> str:
    """Every store's daily values; `goal_met` puts the demo store's five-star comments today
    past their day goal (else one short of it)."""
    rows: list[list[object]] = []
    for offset in range(HISTORY_DAYS, -1, -1):
        day = today - dt.timedelta(days=offset)
        for store, _name, _region, strength in DEMO_STORES:
            for m in CATALOG:
                if m.metric == "mystery_shopper" and day.day % 7 != 3 and day != today:
                    continue  # a mystery shop happens now and then; "last" keeps the latest
                if m.entry and store == DEMO_STORE and day == today:
                    continue  # left for the manager to type in
                value = _value(m, store, strength, day, today)
                if m.metric == GOAL_METRIC and store == DEMO_STORE and day == today:
                    value = FIVE_STAR_DAY_GOAL + 1 if goal_met else FIVE_STAR_DAY_GOAL - 1
                rows.append([store, day.isoformat(), m.metric, f"{value:.{m.decimals}f}"])
    return _csv(["store_id", "date", "metric", "value"], rows)


def targets_csv(today: dt.date) -> str:
    rows: list[list[object]] = []
    week_start = period_start("week", today)
    month_start = period_start("month", today)
    for store, _name, _region, strength in DEMO_STORES:
        goal_scale = 1.0 if strength >= 1 else 0.98
        for m in CATALOG:
            if m.day_goal is not None:
                for offset in range(13, -1, -1):
                    day = today - dt.timedelta(days=offset)
                    rows.append(
                        [store, m.metric, "day", day.isoformat(), round(m.day_goal * goal_scale, 2)]
                    )
            if m.week_goal is not None:
                rows.append([store, m.metric, "week", week_start.isoformat(), m.week_goal])
            if m.month_goal is not None:
                rows.append([store, m.metric, "month", month_start.isoformat(), m.month_goal])
    return _csv(["store_id", "metric", "period", "start", "target"], rows)


def catalog_csv() -> str:
    rows = [
        [
            m.metric,
            m.label,
            m.unit,
            m.perspective,
            m.direction,
            m.aggregate,
            m.decimals,
            "yes" if m.entry else "no",
        ]
        for m in CATALOG
    ]
    return _csv(
        ["metric", "label", "unit", "perspective", "direction", "aggregate", "decimals", "entry"],
        rows,
    )


def stores_csv() -> str:
    return _csv(
        ["store_id", "name", "region"],
        [[sid, name, region] for sid, name, region, _ in DEMO_STORES],
    )


def comments_csv(store_id: str, today: dt.date) -> str:
    rows = [
        [store_id, (today - dt.timedelta(days=ago)).isoformat(), rating, source, text]
        for ago, rating, source, text in COMMENTS
    ]
    rows.append(["S002", today.isoformat(), 5, "Google", "Great service at Riverside."])
    return _csv(["store_id", "date", "rating", "source", "text"], rows)


def messages_json(store_id: str, today: dt.date) -> str:
    def day(offset: int) -> str:
        return (today + dt.timedelta(days=offset)).isoformat()

    records = [
        {
            "store_id": "*",
            "start": day(-2),
            "end": day(5),
            "kind": "news",
            "title": "Holiday hours start Friday",
            "body": "All stores open 7am to 11pm from Friday through New Year's Eve. "
            "Check the rota in the break room.",
        },
        {
            "store_id": "*",
            "start": day(-6),
            "end": day(8),
            "kind": "story",
            "title": "How Riverside turned a complaint into a regular",
            "body": "A customer came back furious about a late delivery. Priya listened, "
            "fixed it on the spot and followed up the next day. He now shops there "
            "every week.",
        },
        {
            "store_id": "*",
            "start": day(-3),
            "end": day(10),
            "kind": "lesson",
            "title": "What the October mystery shop taught us",
            "body": "Stores that greeted within 10 seconds scored 12 points higher. "
            "Fitting rooms were the weak spot across the region.",
        },
        {
            "store_id": store_id,
            "start": day(-1),
            "end": None,
            "kind": "expectation",
            "title": "Greet every customer within 10 seconds",
            "body": "Eye contact and a hello, even when you are busy. It is the single "
            "biggest driver of our mystery-shopper score.",
        },
        {
            "store_id": store_id,
            "start": day(-1),
            "end": day(6),
            "kind": "recognition",
            "title": "Maria G.: five-star review",
            "body": "A customer wrote in to thank Maria for finding the right size twice.",
        },
        {
            "store_id": "*",
            "start": day(-30),
            "end": day(-10),
            "kind": "news",
            "title": "Old news that has expired",
            "body": "Should not be on screen.",
        },
    ]
    return json.dumps({"records": records}, indent=2) + "\n"


def demo_feeds(store: StoreConfig, today: dt.date, *, goal_met: bool = False) -> dict[str, str]:
    """File name -> content of every demo feed for `today`."""
    return {
        "stores.csv": stores_csv(),
        "catalog.csv": catalog_csv(),
        "metrics.csv": metrics_csv(today, goal_met=goal_met),
        "targets.csv": targets_csv(today),
        "comments.csv": comments_csv(store.id, today),
        "messages.json": messages_json(store.id, today),
    }


def write_demo_feeds(
    folder: Path, store: StoreConfig, today: dt.date, *, goal_met: bool = False
) -> list[Path]:
    """Write the demo feeds into `folder`; returns the files that changed.

    Each file is written to a temporary file of its own in `folder`, then renamed over the
    old one: a sync never reads half a file, and two writers at once (the start and the
    demo's goal job, or two kiosks on one checkout) never take each other's temporary file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    changed: list[Path] = []
    for name, content in demo_feeds(store, today, goal_met=goal_met).items():
        path = folder / name
        data = content.encode("utf-8")
        try:
            if path.read_bytes() == data:
                continue
        except FileNotFoundError:
            pass
        _replace_atomically(path, data)
        changed.append(path)
    return changed


def _replace_atomically(path: Path, data: bytes) -> None:
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        # mkstemp makes it 0600; demo feeds are public, like the files they stand in for.
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
