"""The demo's goal-met minute, end to end: demo feeds -> pull -> snapshot -> detector ->
`celebrated` row (on the writer thread) -> the window's celebration. And the controller's
behaviour around it: silent at start, nothing read while the display is off."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.config import DisplayConfig
from kiosk.demo.feeds import (
    CATALOG,
    DEMO_STORE,
    FIVE_STAR_DAY_GOAL,
    GOAL_METRIC,
    metrics_csv,
    write_demo_feeds,
)
from kiosk.ui.board_controller import (
    BoardController,
    SnapshotLoader,
    SyncBridge,
    record_on_writer,
)
from kiosk.ui.window import KioskWindow
from sync.service import SyncService
from sync.store.models import Celebrated
from sync.store.writer import Writer
from tests.demo_env import DEMO_DAY, DEMO_NOW, demo_env


def todays(metric: str, store: str, text: str) -> list[str]:
    rows = csv.DictReader(io.StringIO(text))
    return [
        r["value"]
        for r in rows
        if r["metric"] == metric and r["store_id"] == store and r["date"] == DEMO_DAY.isoformat()
    ]


def test_demo_feeds_put_five_star_comments_just_below_then_past_the_goal():
    assert todays(GOAL_METRIC, DEMO_STORE, metrics_csv(DEMO_DAY)) == [str(FIVE_STAR_DAY_GOAL - 1)]
    assert todays(GOAL_METRIC, DEMO_STORE, metrics_csv(DEMO_DAY, goal_met=True)) == [
        str(FIVE_STAR_DAY_GOAL + 1)
    ]
    # Deterministic: the same day gives the same feed.
    assert metrics_csv(DEMO_DAY) == metrics_csv(DEMO_DAY)


def test_demo_sales_come_from_hq_and_managers_type_the_rest():
    entry = {m.metric for m in CATALOG if m.entry}
    assert "sales" not in entry
    assert entry == {"appearance", "training"}
    text = metrics_csv(DEMO_DAY)
    assert todays("sales", DEMO_STORE, text)  # HQ's POS feed has today's sales
    assert todays("appearance", DEMO_STORE, text) == []  # left for the manager


class Env:
    def __init__(self, tmp_path: Path, qtbot) -> None:
        self.env = demo_env(tmp_path)
        self.env.sync()
        self.writer = Writer()
        self.service = SyncService(
            self.env.db, self.env.config.store.id, self.env.config.feeds, writer=self.writer
        )
        self.loader = SnapshotLoader(self.env.db, self.env.config, now=lambda: DEMO_NOW)
        self.bridge = SyncBridge()

    def close(self) -> None:
        self.loader.shutdown()
        self.service.close()
        self.writer.shutdown()
        self.env.db.dispose()

    def publish_goal_met(self) -> None:
        """What the demo job in `kiosk run` does a minute after start."""
        env = self.env
        write_demo_feeds(env.feeds_dir, env.config.store, DEMO_DAY, goal_met=True)
        metrics = next(spec for spec in env.config.feeds if spec.kind == "metrics")
        self.bridge.emit_report(self.service.pull(metrics))

    def celebrated(self) -> list[tuple[str, str, dt.date]]:
        with self.env.db.read() as session:
            rows = session.execute(select(Celebrated)).scalars().all()
        return sorted((r.metric, r.period, r.start) for r in rows)


@pytest.fixture
def env(tmp_path, qtbot):
    e = Env(tmp_path, qtbot)
    yield e
    e.close()


def make_window(qtbot, env: Env, **display) -> KioskWindow:
    window = KioskWindow(
        env.env.config.screens,
        DisplayConfig(transition_ms=0, shift_pixels=0, **display),
        now=lambda: DEMO_NOW.astimezone(env.env.config.store.tz),
    )
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    return window


def test_the_demo_goal_is_celebrated_once_a_minute_after_start(env, qtbot):
    window = make_window(qtbot, env)
    celebrations: list[list[str]] = []
    original = window.celebrate

    def spy(goals=()):
        celebrations.append([f"{g.metric}/{g.period}" for g in goals])
        return original(goals)

    window.celebrate = spy  # type: ignore[method-assign]
    controller = BoardController(
        window,
        env.loader,
        env.bridge,
        record=record_on_writer(env.env.db, "S001", env.writer, now=lambda: DEMO_NOW),
    )
    # Start: goals already met are stored, not celebrated.
    controller.present(env.loader.load_now())
    assert celebrations == []
    env.writer.submit(lambda: None).result()  # the queued write has landed
    already = env.celebrated()
    assert already and all(
        metric != GOAL_METRIC or period != "day" for metric, period, _ in already
    )

    with qtbot.waitSignal(env.loader.loaded, timeout=10_000):
        env.publish_goal_met()
    assert celebrations and f"{GOAL_METRIC}/day" in celebrations[0]
    assert window.current_screen() == ("celebration", 0)
    assert GOAL_METRIC in [g.metric for g in window.celebration.featured]
    env.writer.submit(lambda: None).result()
    assert (GOAL_METRIC, "day", DEMO_DAY) in env.celebrated()

    # The same feed pulled again (a re-sync), and a restart: no second celebration.
    count = len(celebrations)
    with qtbot.waitSignal(env.loader.loaded, timeout=10_000):
        env.bridge.emit_report(env.service.pull(env.env.config.feeds[2]))
    restarted = BoardController(window, env.loader, env.bridge)
    restarted.present(env.loader.load_now())
    assert len(celebrations) == count


def test_nothing_is_read_while_the_display_is_off(env, qtbot):
    # Opening hours that exclude DEMO_NOW (15:00 in Chicago).
    window = make_window(qtbot, env, open_at=dt.time(6), close_at=dt.time(9))
    assert not window.display_on
    controller = BoardController(window, env.loader, env.bridge)
    assert not controller.refresh_timer().isActive()
    loads: list[object] = []
    env.loader.loaded.connect(loads.append)
    env.bridge.emit_report(env.service.pull(env.env.config.feeds[2]))
    qtbot.wait(200)
    assert loads == []  # a pull at night does not rebuild the screens
    with qtbot.waitSignal(env.loader.loaded, timeout=10_000):
        window.display_changed.emit(True)  # opening time: one read catches up
    assert controller.refresh_timer().isActive()
    assert dataclasses.is_dataclass(loads[0])
