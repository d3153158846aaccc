"""Where the demo meets the kiosk: `kiosk run` publishes today's feeds (it is the demo's
stand-in for HQ, and the only command that writes `[demo] feeds_dir`: at start, at each new
day, and with the goal met a minute after start); a read-only command on a demo that has
never pulled shows today's demo board from a throwaway database instead of nothing.

Each hook does nothing without `[demo]` in the config, so callers need no demo checks of their own.
The feed generator (`kiosk.demo.feeds`) is imported by the hooks that write feeds, so a
screenshot of a store that has pulled (the usual case) does not load it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Config
from sync.clock import utc_now

if TYPE_CHECKING:
    from sync.service import PullReport, SyncService
    from sync.store.reading import Readable

GOAL_JOB_ID = "demo-goal"
FIRST_LOOK_NOTE = (
    "demo: no feed pulled yet, so this shows today's demo data; `kiosk run` publishes the "
    "demo's feeds in {folder} and pulls them"
)


def prepare_demo(config: Config) -> None:
    """With `[demo]` configured, write today's demo feeds (`kiosk run` only: at start and at
    each new day)."""
    if config.demo_feeds_dir is None:
        return
    from kiosk.demo.feeds import write_demo_feeds

    write_demo_feeds(config.demo_feeds_dir, config.store, config.store.today())


@contextmanager
def first_look(config: Config, db: Readable) -> Iterator[tuple[Readable, str | None]]:
    """The database a read-only command (`kiosk scoreboard`, `kiosk screenshot`) shows, and a
    note for stderr.

    Normally `db` itself and no note. On a demo whose database has never pulled a feed (a
    fresh checkout, before `kiosk run`), what a newcomer expects is the demo's board, not an
    empty one: today's demo feeds are written to a temporary folder and pulled into a
    throwaway database, both removed afterwards. Neither `[demo] feeds_dir` nor `db` is
    touched, so a kiosk started later (or already running) sees exactly what it wrote.
    """
    if config.demo_feeds_dir is None or _has_pulled(db):
        yield db, None
        return
    import tempfile

    from kiosk.demo.feeds import write_demo_feeds
    from sync.service import SyncService
    from sync.store.db import open_database

    with tempfile.TemporaryDirectory(prefix="kiosk-demo-") as scratch:
        folder = Path(scratch)
        today = config.store.today()
        written = {path.name for path in write_demo_feeds(folder, config.store, today)}
        feeds = tuple(
            dataclasses.replace(spec, url=str(folder / Path(spec.url).name))
            if Path(spec.url).parent == config.demo_feeds_dir and Path(spec.url).name in written
            else spec
            for spec in config.feeds
        )
        preview = open_database(folder / "kiosk.db")
        try:
            service = SyncService(preview, config.store.id, feeds)
            try:
                service.pull_all()
            finally:
                service.close()
            yield preview, FIRST_LOOK_NOTE.format(folder=config.demo_feeds_dir)
        finally:
            preview.dispose()


def _has_pulled(db: Readable) -> bool:
    with db.reading() as conn:
        return bool(conn.execute("SELECT count(*) FROM feed_state").fetchone()[0])


def add_goal_job(
    scheduler: Any,
    config: Config,
    service: SyncService,
    on_report: Callable[[PullReport], None],
) -> None:
    """About a minute after start, the demo's HQ publishes the number that meets the goal,
    and the kiosk pulls it at once: a newcomer sees a celebration on the first run of a day
    (later runs that day do not celebrate again: the goal is stored as celebrated)."""
    if config.demo_feeds_dir is None:
        return
    from apscheduler.triggers.date import DateTrigger

    from kiosk.demo.feeds import GOAL_MET_AFTER_SECONDS, write_demo_feeds

    feeds_dir = config.demo_feeds_dir

    def goal_met() -> None:
        write_demo_feeds(feeds_dir, config.store, config.store.today(), goal_met=True)
        for spec in service.feeds:
            if spec.kind == "metrics":
                on_report(service.pull(spec))

    at = utc_now() + dt.timedelta(seconds=GOAL_MET_AFTER_SECONDS)
    scheduler.add_job(goal_met, DateTrigger(run_date=at), id=GOAL_JOB_ID, misfire_grace_time=600)
