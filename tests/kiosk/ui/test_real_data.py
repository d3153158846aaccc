"""Every screen built from a real SQLite file filled by the demo feeds, at three sizes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize

from kiosk.board.model import BoardSnapshot
from kiosk.board.snapshot import load_snapshot
from tests.demo_env import DEMO_DAY, demo_env
from tests.kiosk.ui.checks import all_overflow_problems, non_plain_labels
from tests.kiosk.ui.conftest import SIZES

ROTATING = ("scoreboard", "comments", "celebration", "messages", "leaderboard", "entry")


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoardSnapshot]:
    env = demo_env(tmp_path_factory.mktemp("demo"))
    env.sync()
    # The day is fixed; freshness is judged against the real time the sync just ran.
    yield load_snapshot(env.db, env.config, DEMO_DAY, dt.datetime.now(dt.UTC))
    env.db.dispose()


def test_demo_data_reaches_every_screen(snapshot: BoardSnapshot) -> None:
    assert snapshot.store_name == "Downtown"
    labels = {m.label for m in snapshot.scoreboard.metrics}
    assert {"Sales", "Mystery shopper score", "Shrink", "Training hours"} <= labels
    assert {m.perspective for m in snapshot.scoreboard.metrics} == {
        "financial",
        "customer",
        "process",
        "learning",
    }
    assert len(snapshot.comments) == 8
    assert {m.kind for m in snapshot.messages} == {"news", "story", "lesson", "expectation"}
    assert snapshot.leaderboard is not None and len(snapshot.leaderboard.rows) == 5
    assert [r.title for r in snapshot.celebration.recognitions] == ["Maria G.: five-star review"]
    assert not snapshot.freshness.stale


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
@pytest.mark.parametrize("name", ROTATING)
def test_screen_renders_real_data_without_overflow(
    make_view, snapshot: BoardSnapshot, name: str, size: QSize
) -> None:
    view = make_view(name, snapshot, size)
    assert view.screen.has_content()
    for page in range(view.screen.page_count()):
        view.show_page(page)
        assert all_overflow_problems(view) == [], (name, page)
    assert non_plain_labels(view) == []
    image = view.grab().toImage()
    assert (image.width(), image.height()) == (size.width(), size.height())
