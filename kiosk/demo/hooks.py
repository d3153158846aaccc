"""Where the demo meets the running kiosk: today's feeds before anything reads them, a first pull
for a database that has never seen a feed, and the goal met on screen a minute after start.

Each hook does nothing without `[demo]` in the config, so callers need no demo checks of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.config import Config
from kiosk.control import running_kiosk
from kiosk.demo.feeds import GOAL_MET_AFTER_SECONDS, write_demo_feeds
from sync.clock import utc_now

if TYPE_CHECKING:
    from sync.service import PullReport, SyncService
    from sync.store.db import Database

GOAL_JOB_ID = "demo-goal"


def prepare_demo(config: Config) -> None:
    """With `[demo]` configured, write today's demo feeds before anything reads them."""
    if config.demo_feeds_dir is None:
        return
    write_demo_feeds(config.demo_feeds_dir, config.store, config.store.today())


def pull_if_never_synced(config: Config, db: Database) -> None:
    """The demo's first look: pull once if this database has never seen a feed."""
    if config.demo_feeds_dir is None or running_kiosk(config.database_path) is not None:
        return  # a running kiosk makes its own first pull: no second writer
    from sqlalchemy import func, select

    from sync.service import SyncService
    from sync.store.models import FeedState

    with db.read() as session:
        seen = session.scalar(select(func.count()).select_from(FeedState))
    if not seen:
        service = SyncService(db, config.store.id, config.feeds)
        try:
            service.pull_all()
        finally:
            service.close()


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

    feeds_dir = config.demo_feeds_dir

    def goal_met() -> None:
        write_demo_feeds(feeds_dir, config.store, config.store.today(), goal_met=True)
        for spec in service.feeds:
            if spec.kind == "metrics":
                on_report(service.pull(spec))

    at = utc_now() + dt.timedelta(seconds=GOAL_MET_AFTER_SECONDS)
    scheduler.add_job(goal_met, DateTrigger(run_date=at), id=GOAL_JOB_ID, misfire_grace_time=600)
