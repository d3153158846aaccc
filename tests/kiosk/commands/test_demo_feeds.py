"""Who writes the demo's feeds: `kiosk run` only, atomically; every other command leaves them
alone, and a newcomer's first `kiosk scoreboard` still shows the demo (issue 14, item 5)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.demo.feeds import demo_feeds, write_demo_feeds
from tests import configs

REPO = Path(__file__).resolve().parents[3]
DAY = dt.date(2026, 11, 24)


def demo_copy(folder: Path) -> Path:
    """The shipped demo config in a folder of its own: its assets/demo and var/ resolve there,
    as in a fresh checkout."""
    shutil.copy(REPO / "config.toml", folder / "config.toml")
    return folder / "config.toml"


def kiosk(folder: Path, *args: str, stdin: str | None = None):
    config = str(folder / "config.toml")
    return configs.run_kiosk(*args, "--config", config, cwd=folder, stdin=stdin)


def feed_files(folder: Path) -> dict[str, tuple[bytes, int]]:
    demo = folder / "assets" / "demo"
    if not demo.is_dir():
        return {}
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(demo.iterdir())}


def test_a_newcomers_first_scoreboard_shows_the_demo_without_writing_anything(
    tmp_path: Path,
) -> None:
    demo_copy(tmp_path)
    board = kiosk(tmp_path, "scoreboard", "--json")
    assert board.returncode == 0, board.stderr
    metrics = {(m["metric"], m["period"]): m for m in json.loads(board.stdout)["metrics"]}
    assert metrics[("sales", "day")]["actual"] is not None  # today's demo numbers, not blanks
    assert metrics[("sales", "month")]["target"] == 360000
    assert "demo: no feed pulled yet" in board.stderr and "kiosk run" in board.stderr

    shot = kiosk(tmp_path, "screenshot", "leaderboard", "--out", "shot.png", "--size", "640x360")
    assert shot.returncode == 0, shot.stderr
    assert (tmp_path / "shot.png").stat().st_size > 1000

    # Neither the demo's feed folder nor the real database got anything.
    assert feed_files(tmp_path) == {}
    status = kiosk(tmp_path, "status", "--json")
    assert status.returncode == 0, status.stderr
    assert {feed["status"] for feed in json.loads(status.stdout)["feeds"]} == {"never"}


@pytest.mark.slow
def test_commands_beside_a_running_demo_leave_its_feeds_alone(tmp_path: Path) -> None:
    config = load_config(demo_copy(tmp_path))
    assert config.demo_feeds_dir is not None
    # What a running `kiosk run` has published a minute after its start: the goal met.
    write_demo_feeds(config.demo_feeds_dir, config.store, config.store.today(), goal_met=True)
    an_hour_ago = (dt.datetime.now().timestamp() - 3600,) * 2
    for path in config.demo_feeds_dir.iterdir():
        os.utime(path, an_hour_ago)
    before = feed_files(tmp_path)

    metrics = str(config.demo_feeds_dir / "metrics.csv")
    runs = [
        kiosk(tmp_path, "sync", "--once"),
        kiosk(tmp_path, "status"),
        kiosk(tmp_path, "pin", "set", stdin="483920\n"),
        kiosk(tmp_path, "scoreboard"),
        kiosk(tmp_path, "screenshot", "scoreboard", "--out", "s.png", "--size", "320x180"),
        kiosk(tmp_path, "feeds", "check", metrics, "--kind", "metrics"),
    ]
    for result in runs:
        assert result.returncode == 0, (result.args, result.stderr)
    assert feed_files(tmp_path) == before
    # The goal the kiosk celebrated is still met in what it pulls next.
    board = json.loads(kiosk(tmp_path, "scoreboard", "--json").stdout)
    five_star = next(m for m in board["metrics"] if m["metric"] == "five_star")
    assert five_star["status"] == "met"


def test_sync_once_on_a_demo_nobody_started_says_who_publishes_its_feeds(tmp_path: Path) -> None:
    demo_copy(tmp_path)
    result = kiosk(tmp_path, "sync", "--once")
    assert result.returncode == 1
    assert "`kiosk run` publishes the demo's feeds" in result.stderr
    assert feed_files(tmp_path) == {}


def test_two_writers_at_once_never_collide_and_readers_never_see_half_a_file(
    tmp_path: Path,
) -> None:
    """The fixed `metrics.csv.tmp` of old: one writer renamed the other's temporary file away
    and the second rename failed (FileNotFoundError), crashing a concurrent command."""
    store = load_config(demo_copy(tmp_path)).store
    folder = tmp_path / "feeds"
    versions = {
        demo_feeds(store, DAY)["metrics.csv"].encode(),
        demo_feeds(store, DAY, goal_met=True)["metrics.csv"].encode(),
    }
    errors: list[BaseException] = []
    seen: set[bytes] = set()
    stop = threading.Event()

    def writer(goal_met: bool) -> None:
        try:
            for _ in range(40):
                write_demo_feeds(folder, store, DAY, goal_met=goal_met)
                goal_met = not goal_met
        except BaseException as exc:
            errors.append(exc)

    def reader() -> None:
        while not stop.is_set():
            # Never missing either: a rename replaces the old file in one step.
            seen.add((folder / "metrics.csv").read_bytes())

    write_demo_feeds(folder, store, DAY)
    threads = [threading.Thread(target=writer, args=(flag,)) for flag in (False, True)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    watcher.join()
    assert errors == []
    assert seen <= versions and seen
    # No temporary file left behind.
    assert sorted(p.name for p in folder.iterdir()) == sorted(demo_feeds(store, DAY))
