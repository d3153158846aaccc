"""docs/cli.md, `kiosk scoreboard --json`: the shape, the entries and every number, computed by
hand for one store on Wednesday 2026-03-11 (its week began Monday the 9th; March has 31 days),
with HQ values, manager entries and targets of several periods."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kiosk.manager.entries import save_entry
from sync.store.db import open_database
from tests.contract.helpers import Store, config_text, entries

CATALOG = """Metric;Label;Unit;Perspective;Direction;Aggregate;Decimals;Entry
sales;Sales;$;Financial;UP;Sum;0;Yes
nps;NPS;;customer;up;MEAN;1;no
shrink;Shrink;$;process;Down;sum;0;no
mystery;Mystery shopper;%;customer;up;last;0;no
training;Training;h;learning;up;Last;1;YES
wait;Wait time;min;process;down;mean;0;no
zero_up;Zero goal;;process;up;sum;0;no
no_goal;No goal;;learning;up;sum;0;no
cost;Cost;$;financial;down;last;0;no
no_value;No value;;learning;up;sum;0;no
"""

TARGETS = """store_id,metric,period,start,target
CHC-1,sales,day,2026-03-11,1000
CHC-1,sales,day,2026-03-10,900
CHC-1,sales,week,2026-03-09,7000
CHC-1,sales,month,2026-03-01,31000
CHC-1,sales,week,2026-03-02,1
CHC-1,nps,week,2026-03-09,80
CHC-1,shrink,week,2026-03-09,700
CHC-1,shrink,month,2026-03-01,3100
CHC-1,mystery,month,2026-03-01,90
CHC-1,training,week,2026-03-09,6
CHC-1,wait,day,2026-03-11,5
CHC-1,wait,week,2026-03-09,5
CHC-1,zero_up,day,2026-03-11,0
CHC-1,cost,day,2026-03-11,100
CHC-1,cost,week,2026-03-09,100
CHC-1,no_value,week,2026-03-09,10
CHC-2,no_goal,day,2026-03-11,10
"""


def metrics_feed() -> str:
    rows = ["store_id,date,metric,value"]
    rows += [f"CHC-1,2026-03-{day:02d},sales,1000" for day in range(1, 9)]
    rows += [
        "CHC-1,2026-03-09,sales,1200",
        "CHC-1,2026-03-11,sales,1100",
        "CHC-1,2026-03-12,sales,5000",  # after the date: never counted
        "CHC-1,2026-03-09,nps,80",
        "CHC-1,2026-03-11,nps,85",
        "CHC-1,2026-03-02,shrink,200",
        "CHC-1,2026-03-09,shrink,100",
        "CHC-1,2026-03-10,shrink,50",
        "CHC-1,2026-03-11,shrink,0",
        "CHC-1,2026-03-03,mystery,70",
        "CHC-1,2026-03-10,mystery,88",
        "CHC-1,2026-03-09,training,5",
        "CHC-1,2026-03-09,wait,6",
        "CHC-1,2026-03-10,wait,5",
        "CHC-1,2026-03-11,wait,4",
        "CHC-1,2026-03-11,zero_up,3",
        "CHC-1,2026-03-11,no_goal,42",
        "CHC-1,2026-03-09,cost,50",
        "CHC-1,2026-03-11,cost,0",
        "CHC-2,2026-03-11,sales,99999",  # another store
    ]
    return "\r\n".join(rows) + "\r\n"


@pytest.fixture
def christchurch(store: Store) -> Store:
    store.feed("catalog.csv", CATALOG)
    store.feed("targets.csv", TARGETS)
    store.feed("metrics.csv", metrics_feed())
    store.write_config(
        config_text(
            "CHC-1",
            "Pacific/Auckland",
            [
                ("targets", "targets", "feeds/targets.csv"),
                ("metrics", "metrics", "feeds/metrics.csv"),
                ("catalog", "catalog", "feeds/catalog.csv"),
            ],
        )
    )
    result = store.sync()
    assert result.returncode == 0, result.stdout + result.stderr
    # The manager's entries: one HQ will overrule (the 11th), two it never sends.
    db = open_database(store.root / "var" / "kiosk.db")
    now = dt.datetime(2026, 3, 11, 1, 0, tzinfo=dt.UTC)
    try:
        with db.write.begin() as session:
            for metric, day, value in (
                ("sales", 10, "800"),
                ("sales", 11, "999"),
                ("training", 10, "7"),
            ):
                saved = save_entry(session, "CHC-1", metric, dt.date(2026, 3, day), value, now)
                assert getattr(saved, "changed", False), saved
    finally:
        db.dispose()
    return store


# (metric, period): actual, target, percent, pace, status, source
EXPECTED: dict[tuple[str, str], tuple[object, ...]] = {
    # 1100 / 1000; the day goal of the 10th is not in force on the 11th.
    ("sales", "day"): (1100, 1000, 110.0, None, "met", "hq"),
    # 1200 + 800 (entry) + 1100 (HQ beats the entry of 999) = 3100; 3100/7000 = 44.29%;
    # pace 3100 / 3 days x 7 = 7233.3 -> 103.33%. The goal of last week is not in force.
    ("sales", "week"): (3100, 7000, 44.3, 103.3, "on_track", "store"),
    # 8 x 1000 + 3100 = 11100; 35.81%; pace 11100 / 11 x 31 = 31281.8 -> 100.91%.
    ("sales", "month"): (11100, 31000, 35.8, 100.9, "on_track", "store"),
    # mean(80, 85) = 82.5 (the 10th has no value); 103.125%; pace is the actual itself.
    ("nps", "week"): (82.5, 80, 103.1, 103.1, "met", "hq"),
    # A budget: 700 / 150 = 466.67%, but before Sunday only on_track or behind, by pace:
    # 150 / 3 x 7 = 350 -> 700 / 350 = 200%.
    ("shrink", "week"): (150, 700, 466.7, 200.0, "on_track", "hq"),
    # 350 -> 3100 / 350 = 885.71%; pace 350 / 11 x 31 = 986.36 -> 314.29%.
    ("shrink", "month"): (350, 3100, 885.7, 314.3, "on_track", "hq"),
    # last: the 10th's 88; 97.78%.
    ("mystery", "month"): (88, 90, 97.8, 97.8, "behind", "hq"),
    # last: the manager's 7 of the 10th (later than HQ's 5 of the 9th); 116.67%.
    ("training", "week"): (7, 6, 116.7, 116.7, "met", "store"),
    # down: 5 / 4 = 125%.
    ("wait", "day"): (4, 5, 125.0, None, "met", "hq"),
    # down, mean(6, 5, 4) = 5: exactly 100%, met (not a sum: no budget rule).
    ("wait", "week"): (5, 5, 100.0, 100.0, "met", "hq"),
    # up with a target of 0: no percent.
    ("zero_up", "day"): (3, 0, None, None, "behind", "hq"),
    # no target in force for this store: a day entry with target null.
    ("no_goal", "day"): (42, None, None, None, None, "hq"),
    # down with an actual of 0: percent null, but counts as above 100.
    ("cost", "day"): (0, 100, None, None, "met", "hq"),
    ("cost", "week"): (0, 100, None, None, "met", "hq"),
    # a goal but no value: everything null but the target.
    ("no_value", "week"): (None, 10, None, None, None, None),
}


def test_every_entry_computed_by_hand(christchurch: Store) -> None:
    board = christchurch.scoreboard("2026-03-11")
    assert set(board) == {"store_id", "date", "metrics"}
    assert (board["store_id"], board["date"]) == ("CHC-1", "2026-03-11")
    # Catalog order, then day, week, month.
    assert [(m["metric"], m["period"]) for m in board["metrics"]] == list(EXPECTED)
    fields = ("actual", "target", "percent", "pace", "status", "source")
    for key, entry in entries(board).items():
        assert set(entry) == {"metric", "label", "perspective", "period", *fields}
        assert tuple(entry[f] for f in fields) == EXPECTED[key], key
    sales = entries(board)[("sales", "day")]
    assert (sales["label"], sales["perspective"]) == ("Sales", "financial")
    assert entries(board)[("training", "week")]["perspective"] == "learning"
    assert entries(board)[("no_goal", "day")]["label"] == "No goal"


def test_the_budget_can_be_met_on_the_last_day_of_its_week(christchurch: Store) -> None:
    shrink = entries(christchurch.scoreboard("2026-03-15"))[("shrink", "week")]
    # Sunday: 150 spent of 700, 466.67%, and the week is over: met. Pace equals percent.
    assert (shrink["actual"], shrink["percent"], shrink["pace"], shrink["status"]) == (
        150,
        466.7,
        466.7,
        "met",
    )


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "Pacific/Honolulu", "Pacific/Kiritimati"])
def test_the_date_defaults_to_today_in_the_stores_time_zone(store: Store, zone: str) -> None:
    store.write_config(config_text("TZ-1", zone, []))
    before = dt.datetime.now(ZoneInfo(zone)).date()
    board = store.scoreboard()
    after = dt.datetime.now(ZoneInfo(zone)).date()
    assert board["date"] in {before.isoformat(), after.isoformat()}
    assert board == {"store_id": "TZ-1", "date": board["date"], "metrics": []}
