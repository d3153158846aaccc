"""Field fault: a clock set back silenced the schedule and hid stale data.

Before: after a one-day backwards correction the next pull of every feed was a day away, and the
header never said stale, because the last success lay in the future. Now a watch on the
monotonic clock re-arms every job, and a last success in the future counts as unknown freshness.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from kiosk.board.snapshot import load_freshness
from kiosk.clock_watch import ClockWatch
from kiosk.scheduling import build_scheduler
from sync.service import SyncService
from sync.store.models import FeedState
from tests.demo_env import demo_env

DAY = dt.timedelta(days=1)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[SimpleNamespace]:
    demo = demo_env(tmp_path)
    service = SyncService(demo.db, demo.config.store.id, demo.config.feeds)
    yield SimpleNamespace(config=demo.config, db=demo.db, service=service)
    service.close()
    demo.db.dispose()


def test_a_clock_set_back_a_day_rearms_every_job(env: SimpleNamespace) -> None:
    wrong = dt.datetime.now(dt.UTC) + DAY  # the clock ran a day ahead when the kiosk started
    scheduler = build_scheduler(env.config, env.service, lambda _: None, now=wrong)
    scheduler.start(paused=True)
    offset = DAY.total_seconds()
    watch = ClockWatch(scheduler, wall=lambda: time.time() + offset)
    try:
        before = {job.id: job.next_run_time for job in scheduler.get_jobs()}
        assert all(due > wrong - dt.timedelta(minutes=1) for due in before.values())

        offset = 0.0  # NTP sets it right: a day back
        assert watch.check() == pytest.approx(DAY.total_seconds(), abs=5)
        now = dt.datetime.now(dt.UTC)
        for job in scheduler.get_jobs():
            interval = dt.timedelta(minutes=15) if job.id.startswith("feed:") else DAY
            assert job.next_run_time <= now + interval, job.id  # not a day away any more
        first = scheduler.get_job("first-pull").next_run_time
        assert first == pytest.approx(before["first-pull"] - DAY, abs=dt.timedelta(seconds=5))
        assert watch.check() == 0.0  # nothing more to do
    finally:
        scheduler.shutdown(wait=False)


def test_a_last_success_in_the_future_shows_as_stale(env: SimpleNamespace) -> None:
    now = dt.datetime.now(dt.UTC)
    with env.db.write.begin() as session:
        for feed in env.config.feeds:
            session.add(
                FeedState(
                    name=feed.name,
                    kind=feed.kind,
                    url=feed.url,
                    last_success=now + DAY,
                    status="ok",
                )
            )
    with env.db.read() as session:
        assert load_freshness(session, env.config, now).stale
        assert not load_freshness(session, env.config, now + DAY + dt.timedelta(minutes=5)).stale
