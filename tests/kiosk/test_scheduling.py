"""The sync schedule: one job per feed with sane limits, and a first pull in contract order."""

from __future__ import annotations

import datetime as dt
import random
import threading
from pathlib import Path

from apscheduler.triggers.interval import IntervalTrigger

from kiosk.scheduling import build_scheduler
from sync.service import PullReport, SyncService
from tests.demo_env import demo_env

START = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def test_one_job_per_feed_with_limits(tmp_path: Path) -> None:
    env = demo_env(tmp_path, extra="")
    config = env.config
    service = SyncService(env.db, config.store.id, config.feeds)
    scheduler = build_scheduler(config, service, lambda r: None, rng=random.Random(1), now=START)
    scheduler.start(paused=True)  # job defaults are applied when jobs are really added
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"first-pull"} | {f"feed:{f.name}" for f in config.feeds}
        for spec in config.feeds:
            job = jobs[f"feed:{spec.name}"]
            trigger = job.trigger
            assert isinstance(trigger, IntervalTrigger)
            interval = spec.every_minutes * 60
            assert trigger.interval.total_seconds() == interval
            assert job.max_instances == 1  # never two pulls of one feed at once
            assert job.coalesce is True  # after a sleep: one pull, not a burst
            assert job.misfire_grace_time == max(60, interval / 2)
            assert 0 <= (trigger.jitter or 0) <= interval / 5
            # a random phase within the first interval spreads a fleet booting together
            phase = (trigger.start_date - START).total_seconds()
            assert 0.5 * interval <= phase <= interval
    finally:
        scheduler.shutdown(wait=False)
        service.close()
        env.db.dispose()


def test_phases_differ_between_kiosks(tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    service = SyncService(env.db, env.config.store.id, env.config.feeds)
    try:
        starts = set()
        for seed in range(5):
            sched = build_scheduler(
                env.config, service, lambda r: None, rng=random.Random(seed), now=START
            )
            starts.add(sched.get_job("feed:metrics").trigger.start_date)
        assert len(starts) == 5
    finally:
        service.close()
        env.db.dispose()


def test_first_pull_runs_soon_after_start_in_contract_order(tmp_path: Path) -> None:
    env = demo_env(tmp_path)  # start_delay_seconds = 0 in the test config
    service = SyncService(env.db, env.config.store.id, env.config.feeds)
    reports: list[PullReport] = []
    done = threading.Event()

    def sink(report: PullReport) -> None:
        reports.append(report)
        if len(reports) == len(env.config.feeds):
            done.set()

    scheduler = build_scheduler(env.config, service, sink)
    scheduler.start()
    try:
        assert done.wait(30), [r.line() for r in reports]
    finally:
        scheduler.shutdown(wait=True)
        service.close()
        env.db.dispose()
    assert [r.kind for r in reports][:2] == ["stores", "catalog"]
    assert all(r.outcome == "applied" for r in reports), [r.line() for r in reports]
