"""A 40-store region from the database to the screen: ties share a rank, stores without data
come last as "no data", this store is highlighted, and when the region does not fit the top
stores show, then a gap row saying how many are skipped, then this store's row."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QSize

from kiosk.board.leaderboard import build_leaderboard
from kiosk.ui.screens.leaderboard import GapRow, LeaderRowWidget, visible_rows
from tests.kiosk.factories import catalog, insert, store, target, values
from tests.kiosk.ui import snapshots
from tests.kiosk.ui.checks import all_overflow_problems, visible_labels

D = dt.date
WED = D(2024, 5, 15)
MAY1 = D(2024, 5, 1)


@pytest.fixture
def big_region(db):
    """S01..S40 in one region. Sales vs a 1000 goal: S01 best, a three-way tie at 130 %
    (S10, S11, S12), S38 with a target but no value, S39 and S40 without a target. This
    store is S30."""
    rows: list = [catalog("sales", label="Sales")]
    for n in range(1, 41):
        sid = f"S{n:02d}"
        rows.append(store(sid, f"Store {n:02d}", "Central"))
        if n >= 39:
            continue  # no target: no data
        rows.append(target(sid, "sales", "month", MAY1, 1000))
        if n == 38:
            continue  # a target, no number: no data
        percent = 130 if n in (10, 11, 12) else 140 - n
        rows.extend(values(sid, "sales", {D(2024, 5, 10): percent * 10}))
    rows.append(store("S99", "Other region", "East"))
    insert(db, *rows)
    return db


def board_of(db):
    with db.read() as session:
        board = build_leaderboard(session, "S30", WED, "sales", "month")
    assert board is not None
    return board


def test_forty_stores_rank_with_ties_and_no_data_last(big_region):
    board = board_of(big_region)
    assert len(board.rows) == 40  # the other region's store is not in it
    ranks = {row.store_id: row.rank for row in board.rows}
    assert ranks["S01"] == 1
    assert ranks["S10"] == ranks["S11"] == ranks["S12"] == 10  # tied, one rank
    assert ranks["S13"] == 13  # competition ranking: the next rank skips the tie
    assert [row.store_id for row in board.rows[-3:]] == ["S38", "S39", "S40"]
    assert all(row.rank is None and row.percent is None for row in board.rows[-3:])
    assert [row.store_id for row in board.rows if row.is_self] == ["S30"]
    assert ranks["S30"] == 30


@pytest.mark.parametrize("size", [QSize(1920, 1080), QSize(1280, 720)])
def test_forty_stores_on_screen_show_the_top_a_gap_and_this_store(big_region, make_view, size):
    board = board_of(big_region)
    snapshot = dataclasses.replace(snapshots.full_snapshot(), leaderboard=board)
    view = make_view("leaderboard", snapshot, size)
    rows = [w.row for w in view.screen.findChildren(LeaderRowWidget) if w.isVisibleTo(view)]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0))
    top = rows[:-1]
    assert [r.rank for r in top] == list(range(1, len(top) + 1))  # 1..6 (ties are below)
    assert rows[-1].store_id == "S30" and rows[-1].is_self
    gap = view.screen.gap_row
    assert isinstance(gap, GapRow) and gap.isVisibleTo(view)
    # Ranks 7..29 are skipped: the marker counts them, and sits between the two lists.
    assert gap.count == 29 - len(top)
    assert f"⋯ {gap.count} more stores ⋯" in {label.text() for label in visible_labels(view)}
    self_widget = next(w for w in view.screen.findChildren(LeaderRowWidget) if w.row.is_self)
    last_top = max(
        (w for w in view.screen.findChildren(LeaderRowWidget) if not w.row.is_self),
        key=lambda w: w.y(),
    )
    assert last_top.y() < gap.y() < self_widget.y()
    assert not all_overflow_problems(view)


def test_this_store_without_data_still_shows_last(big_region):
    board = board_of(big_region)
    rows = [dataclasses.replace(r, is_self=r.store_id == "S40") for r in board.rows]
    shown = visible_rows(rows, 8)
    assert shown[-1] is not None and shown[-1].store_id == "S40"
    assert shown[-2] is None  # the gap
    assert [r.rank for r in shown[:-2] if r is not None] == [1, 2, 3, 4, 5, 6]


def test_a_region_that_fits_has_no_gap(make_view):
    view = make_view("leaderboard", snapshots.full_snapshot())
    assert view.screen.gap_row is None
    widgets = view.screen.findChildren(LeaderRowWidget)
    assert len(widgets) == 6
    no_data = [w for w in widgets if w.row.rank is None]
    assert [w.percent.text() for w in no_data] == ["no data"]
