"""The running kiosk and its sync: the GUI stays responsive and the board follows the data."""

from __future__ import annotations

import dataclasses
import itertools
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from kiosk.scheduling import build_scheduler
from kiosk.ui.board_controller import BoardController, SnapshotLoader, SyncBridge
from kiosk.ui.window import KioskWindow
from sync.service import SyncService
from sync.spec import FetchOptions
from tests.demo_env import demo_env
from tests.sync.servers import RawServer, drip_body


def label_texts(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def test_gui_stays_responsive_while_a_pull_drips(qtbot, tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    with RawServer(drip_body(0.05)) as server:
        slow = dataclasses.replace(
            env.config.feeds[2],
            url=server.url("/metrics.csv"),
            fetch=FetchOptions(deadline_s=2.5, read_timeout_s=1, retries=0),
        )
        config = dataclasses.replace(env.config, feeds=(slow,))
        service = SyncService(env.db, config.store.id, config.feeds)
        bridge = SyncBridge()
        scheduler = build_scheduler(config, service, bridge.emit_report)

        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start()
        try:
            with qtbot.waitSignal(bridge.report_ready, timeout=15_000) as blocker:
                scheduler.start()
        finally:
            timer.stop()
            scheduler.shutdown(wait=True)
            service.close()
            env.db.dispose()
    report = blocker.args[0]
    assert report.outcome == "failed" and "longer than" in report.error  # the deadline hit
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 50  # the event loop kept running during the 2.5 s pull
    assert max(gaps) < 0.25, max(gaps)


def test_board_shows_new_numbers_after_a_pull(qtbot, tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    env.sync()
    window = KioskWindow(env.config.screens, env.config.display)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    loader = SnapshotLoader(env.db, env.config)
    bridge = SyncBridge()
    controller = BoardController(window, loader, bridge)
    with qtbot.waitSignal(loader.loaded, timeout=10_000):
        loader.request()
    scoreboard = window.screen("scoreboard")
    assert "$9,876" not in label_texts(scoreboard)

    # HQ publishes a new number for today; a pull applies it and the board follows.
    metrics = env.feeds_dir / "metrics.csv"
    today = loader.load_now().date.isoformat()
    metrics.write_text(metrics.read_text() + f"S001,{today},sales,9876\n")
    service = SyncService(env.db, env.config.store.id, env.config.feeds)
    try:
        with qtbot.waitSignal(loader.loaded, timeout=10_000):
            bridge.emit_report(service.pull(env.config.feeds[2]))
    finally:
        service.close()
    qtbot.waitUntil(lambda: "$9,876" in label_texts(scoreboard), timeout=5_000)
    loader.shutdown()
    del controller
    env.db.dispose()
