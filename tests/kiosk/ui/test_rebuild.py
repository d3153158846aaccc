"""A new snapshot rebuilds only the screens whose own data changed (each rebuild drops frames)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from kiosk.board.model import Freshness
from kiosk.ui.render import ScreenView
from tests.kiosk.ui import snapshots
from tests.kiosk.ui.conftest import SIZES


def test_freshness_alone_rebuilds_nothing_and_new_comments_rebuild_only_comments(qtbot) -> None:
    first = snapshots.full_snapshot()
    views = {
        name: ScreenView(name, first, SIZES[1], now=snapshots.NOW)
        for name in ("scoreboard", "comments", "messages")
    }
    for view in views.values():
        qtbot.addWidget(view)
    before = {name: view.screen.pages() for name, view in views.items()}

    fresher = dataclasses.replace(
        first, freshness=Freshness(dt.datetime(2026, 11, 24, 10, 50, tzinfo=dt.UTC), False)
    )
    for view in views.values():
        view.screen.set_snapshot(fresher)
    assert {name: view.screen.pages() for name, view in views.items()} == before

    fewer = dataclasses.replace(fresher, comments=fresher.comments[:1])
    for view in views.values():
        view.screen.set_snapshot(fewer)
    after = {name: view.screen.pages() for name, view in views.items()}
    assert after["scoreboard"] == before["scoreboard"]
    assert after["messages"] == before["messages"]
    assert after["comments"] != before["comments"]
    assert views["comments"].screen.snapshot is fewer
