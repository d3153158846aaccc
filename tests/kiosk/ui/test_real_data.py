"""Every screen built from a real SQLite file filled by the demo feeds, at three sizes; and
the generated boards of 1, 4, 6, 10 and 20 metrics pulled from feeds into a database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize

from kiosk.board.model import BoardSnapshot
from kiosk.board.snapshot import load_snapshot
from kiosk.config import load_config
from sync.service import SyncService
from sync.store.db import open_database
from tests import configs
from tests.demo_env import DEMO_DAY, demo_env
from tests.kiosk.ui import generated
from tests.kiosk.ui.checks import all_overflow_problems, legibility_problems, non_plain_labels
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


@pytest.fixture(scope="module", params=generated.COUNTS, ids=lambda n: f"{n}metrics")
def generated_snapshot(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BoardSnapshot]:
    """A store whose HQ publishes `generated.catalog(n)`, pulled into its database, read at
    10:47 with the store open 07:00-22:00."""
    folder = tmp_path_factory.mktemp(f"generated{request.param}")
    feeds = generated.write_feeds(folder / "feeds", request.param)
    hours = '[display]\nopen = "07:00"\nclose = "22:00"\n'
    config = load_config(configs.write_config(folder, configs.config_text(feeds, extra=hours)))
    db = open_database(config.database_path)
    service = SyncService(db, config.store.id, config.feeds)
    try:
        assert all(report.ok for report in service.pull_all())
    finally:
        service.close()
    yield load_snapshot(db, config, generated.DAY, generated.NOW)
    db.dispose()


def test_generated_feeds_make_the_generated_board(generated_snapshot: BoardSnapshot) -> None:
    """Through feeds, a pull and the database, the board is the one the layout tests use."""
    count = len({m.metric for m in generated_snapshot.scoreboard.metrics})
    expected = generated.snapshot(count)
    assert generated_snapshot.scoreboard == expected.scoreboard
    assert generated_snapshot.trends == expected.trends
    assert generated_snapshot.to_win == expected.to_win


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_generated_boards_fit_and_read_at_every_size(
    make_view, generated_snapshot: BoardSnapshot, size: QSize
) -> None:
    view = make_view("scoreboard", generated_snapshot, size)
    for page in range(view.screen.page_count()):
        view.show_page(page)
        assert all_overflow_problems(view) == [], page
        assert legibility_problems(view, size) == [], page
    assert non_plain_labels(view) == []
