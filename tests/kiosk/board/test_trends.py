"""The last 14 days of each metric with a day goal, as the snapshot carries them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.board.model import TrendDay
from kiosk.board.snapshot import load_snapshot
from kiosk.board.trends import TREND_DAYS
from kiosk.config import parse_config
from tests.kiosk.factories import catalog, entries, insert, target, values

D = dt.date
WED = D(2024, 5, 15)
NOW = dt.datetime(2024, 5, 15, 17, 0, tzinfo=dt.UTC)


def config(tmp_path: Path):
    return parse_config(
        {
            "store": {"id": "S001", "name": "Downtown", "timezone": "America/Chicago"},
            "feeds": [{"name": "metrics", "kind": "metrics", "url": "m.csv"}],
        },
        tmp_path / "config.toml",
    )


def days_back(n: int) -> dt.date:
    return WED - dt.timedelta(days=n)


def test_trends_cover_14_days_oldest_first_with_each_days_goal(db, tmp_path):
    insert(
        db,
        catalog("sales", position=0),
        catalog("shrink", position=1, direction="down"),
        catalog("nps", position=2),  # a month goal only: no trend
        # Day goals: 100 until a week ago, 120 since; none on day -10.
        [
            target("S001", "sales", "day", days_back(n), 100 if n > 6 else 120)
            for n in range(14)
            if n != 10
        ],
        target("S001", "sales", "day", days_back(14), 999),  # 15 days ago: outside
        target("S001", "shrink", "day", WED, 50),
        target("S001", "nps", "month", D(2024, 5, 1), 70),
        values("S001", "sales", {days_back(n): 90 + n for n in range(20) if n != 3}),
        values("S001", "nps", {WED: 60}),
        values("S002", "sales", {WED: 5}),  # another store
        entries("S001", "shrink", {WED: 40, days_back(1): 70}),
        values("S001", "shrink", {WED: 45}),  # HQ wins over the entry, as on the card
    )
    snapshot = load_snapshot(db, config(tmp_path), WED, NOW)
    assert [t.metric for t in snapshot.trends] == ["sales", "shrink"]
    sales = snapshot.trend("sales")
    assert sales is not None and sales.direction == "up"
    assert len(sales.days) == TREND_DAYS
    assert sales.days[0] == TrendDay(days_back(13), 103, 100)
    assert sales.days[-1] == TrendDay(WED, 90, 120)
    assert sales.days[-4] == TrendDay(days_back(3), None, 120)  # no number that day
    assert sales.days[3] == TrendDay(days_back(10), 100, None)  # no goal that day
    shrink = snapshot.trend("shrink")
    assert shrink is not None and shrink.direction == "down"
    assert shrink.days[-1] == TrendDay(WED, 45, 50)
    assert shrink.days[-2] == TrendDay(days_back(1), 70, None)
    assert shrink.met(shrink.days[-1]) is True  # 45 within a budget of 50
    assert shrink.met(TrendDay(WED, 55, 50)) is False
    assert shrink.met(shrink.days[-2]) is None
    assert snapshot.trend("nps") is None


def test_no_day_goal_today_no_trend(db, tmp_path):
    insert(
        db,
        catalog("sales"),
        target("S001", "sales", "day", days_back(1), 100),  # yesterday's goal only
        values("S001", "sales", {WED: 50}),
    )
    assert load_snapshot(db, config(tmp_path), WED, NOW).trends == ()
