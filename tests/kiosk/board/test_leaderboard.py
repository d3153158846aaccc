"""The regional leaderboard: ranking, ties, stores without data, region and default metric."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.board.leaderboard import build_leaderboard
from kiosk.board.model import LeaderRow
from tests.kiosk.factories import catalog, entries, insert, store, target, values

D = dt.date
WED = D(2024, 5, 15)
MAY1 = D(2024, 5, 1)


def sales_month(store_id: str, goal: float, actual: float | None) -> list:
    rows: list = [target(store_id, "sales", "month", MAY1, goal)]
    if actual is not None:
        rows += values(store_id, "sales", {D(2024, 5, 10): actual})
    return rows


@pytest.fixture
def region(db):
    insert(
        db,
        catalog("nps", position=0, perspective="customer"),
        catalog("sales", position=1, label="Sales"),
        catalog("labor", position=2, direction="down"),
        store("S001", "Downtown", "North"),
        store("S002", "Airport", "North"),
        store("S003", "Mall", "North"),
        store("S004", "Bayside", "North"),
        store("S005", "Zed", "North"),  # no target
        store("S006", "Annex", "North"),  # a target, no value
        store("S900", "Elsewhere", "South"),
        sales_month("S001", 1000, 1100),
        sales_month("S002", 1000, 1200),
        sales_month("S003", 2000, 2200),
        sales_month("S004", 1000, 900),
        sales_month("S006", 1000, None),
        sales_month("S900", 1000, 5000),
        values("S005", "sales", {WED: 10_000}),
    )
    return db


def test_ranking_with_ties_and_no_data_last(region):
    with region.read() as session:
        board = build_leaderboard(session, "S001", WED, "sales", "month")
    assert board is not None
    assert (board.metric, board.label, board.period, board.region) == (
        "sales",
        "Sales",
        "month",
        "North",
    )
    assert board.rows == (
        LeaderRow(1, "S002", "Airport", 120.0, False),
        LeaderRow(2, "S001", "Downtown", 110.0, True),
        LeaderRow(2, "S003", "Mall", 110.0, False),
        LeaderRow(4, "S004", "Bayside", 90.0, False),
        LeaderRow(None, "S006", "Annex", None, False),
        LeaderRow(None, "S005", "Zed", None, False),
    )


def test_default_metric_is_the_first_financial_one(region):
    with region.read() as session:
        board = build_leaderboard(session, "S003", WED, None, "month")
    assert board is not None
    assert board.metric == "sales"
    assert [(r.store_id, r.is_self) for r in board.rows if r.is_self] == [("S003", True)]


def test_no_financial_metric_means_no_leaderboard(db):
    insert(db, catalog("nps", perspective="customer"), store("S001", "Downtown", "North"))
    with db.read() as session:
        assert build_leaderboard(session, "S001", WED, None, "month") is None


def test_unknown_metric_means_no_leaderboard(region):
    with region.read() as session:
        assert build_leaderboard(session, "S001", WED, "profit", "month") is None


def test_store_without_a_stores_row_has_no_leaderboard(region):
    with region.read() as session:
        assert build_leaderboard(session, "S777", WED, "sales", "month") is None


def test_other_region(region):
    with region.read() as session:
        board = build_leaderboard(session, "S900", WED, "sales", "month")
    assert board is not None
    assert board.region == "South"
    assert board.rows == (LeaderRow(1, "S900", "Elsewhere", 500.0, True),)


def test_period_and_direction_follow_the_scoreboard(db):
    insert(
        db,
        catalog("labor", direction="down"),
        store("S001", "Downtown", "North"),
        store("S002", "Airport", "North"),
        store("S003", "Mall", "North"),
        store("S004", "Bayside", "North"),
        target("S001", "labor", "week", D(2024, 5, 13), 100),
        target("S002", "labor", "week", D(2024, 5, 13), 100),
        target("S003", "labor", "week", D(2024, 5, 13), 100),
        target("S004", "labor", "month", MAY1, 100),  # not the asked period
        values("S001", "labor", {D(2024, 5, 13): 50, D(2024, 5, 12): 500}),
        values("S002", "labor", {D(2024, 5, 14): 80}),
        # Nothing spent: no percent, but counts as above any percent.
        values("S003", "labor", {D(2024, 5, 14): 0}),
        values("S004", "labor", {D(2024, 5, 14): 1}),
    )
    with db.read() as session:
        board = build_leaderboard(session, "S001", WED, "labor", "week")
    assert board is not None
    assert board.rows == (
        LeaderRow(1, "S003", "Mall", None, False),
        LeaderRow(2, "S001", "Downtown", 200.0, True),
        LeaderRow(3, "S002", "Airport", 125.0, False),
        LeaderRow(None, "S004", "Bayside", None, False),
    )


def test_manager_entries_count_hq_wins(db):
    insert(
        db,
        catalog("sales"),
        store("S001", "Downtown", "North"),
        store("S002", "Airport", "North"),
        target("S001", "sales", "day", WED, 100),
        target("S002", "sales", "day", WED, 100),
        entries("S001", "sales", {WED: 150}),
        values("S002", "sales", {WED: 90}),
        entries("S002", "sales", {WED: 300}),
    )
    with db.read() as session:
        board = build_leaderboard(session, "S002", WED, "sales", "day")
    assert board is not None
    assert [(r.rank, r.store_id, r.percent, r.is_self) for r in board.rows] == [
        (1, "S001", 150.0, False),
        (2, "S002", 90.0, True),
    ]


def test_ties_are_on_the_displayed_percent(db):
    insert(
        db,
        catalog("sales"),
        store("S001", "B store", "North"),
        store("S002", "A store", "North"),
        store("S003", "C store", "North"),
        target("S001", "sales", "day", WED, 1000),
        target("S002", "sales", "day", WED, 1000),
        target("S003", "sales", "day", WED, 1000),
        values("S001", "sales", {WED: 1001.1}),  # 100.11 %
        values("S002", "sales", {WED: 1000.6}),  # 100.06 %
        values("S003", "sales", {WED: 1000.4}),  # 100.04 %
    )
    with db.read() as session:
        board = build_leaderboard(session, "S001", WED, "sales", "day")
    assert board is not None
    assert [(r.rank, r.name, r.percent) for r in board.rows] == [
        (1, "A store", 100.1),
        (1, "B store", 100.1),
        (3, "C store", 100.0),
    ]


def test_unknown_period_is_an_error(region):
    with region.read() as session, pytest.raises(ValueError, match="quarter"):
        build_leaderboard(session, "S001", WED, "sales", "quarter")  # type: ignore[arg-type]
