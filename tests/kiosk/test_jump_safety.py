"""Every scheduled job of `kiosk run` and `kiosk sync` survives the wall clock jumping decades.

A Raspberry Pi without a battery-backed clock boots in 1970 and NTP sets it to today a minute
later. APScheduler 3 then walks every interval it thinks it missed before coalescing them: with
the stock IntervalTrigger, 29 million steps for a one-minute job (23.6 s and 1.7 GB measured
for the outbox's job, issue 13). Here each job's trigger is asked for its fire times across such
a jump, the way `Job._get_run_times` asks, with a cap so a bad trigger fails fast instead of
eating the machine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest
from apscheduler.schedulers.base import BaseScheduler

from kiosk.config import HqConfig
from kiosk.scheduling import (
    HEAP_JOB_ID,
    HEARTBEAT_JOB_ID,
    UPLOAD_JOB_ID,
    build_headless_scheduler,
    build_kiosk_scheduler,
)
from sync.service import SyncService
from sync.store.writer import Writer
from tests.demo_env import DemoEnv, demo_env

BOOT = dt.datetime(1970, 1, 1, 0, 0, 12, tzinfo=dt.UTC)  # no battery clock
NTP = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)  # then NTP sets the time
CAP = 1000  # the stock trigger would go on for millions


def fire_times_across_the_jump(trigger: object, first: dt.datetime | None) -> int:
    """How many fire times `Job._get_run_times(NTP)` would compute from `first` (capped)."""
    count, fire = 0, first
    while fire is not None and fire <= NTP and count < CAP:
        count += 1
        fire = trigger.get_next_fire_time(fire, NTP)  # type: ignore[attr-defined]
    return count


def assert_every_job_is_jump_safe(scheduler: BaseScheduler) -> set[str]:
    steps = {}
    for job in scheduler.get_jobs():
        # The first fire time as the scheduler computed it at boot, in 1970.
        first = job.trigger.get_next_fire_time(None, BOOT)
        steps[job.id] = fire_times_across_the_jump(job.trigger, first)
    # A jump-safe interval job catches up with one or two runs; the new day with up to three
    # (the store midnights of the two days before now).
    walked = {job_id: n for job_id, n in steps.items() if n > 3}
    assert not walked, f"jobs walking the missed intervals of 56 years: {walked}"
    # ...and each still has a next fire time after the jump, within a day.
    for job in scheduler.get_jobs():
        first = job.trigger.get_next_fire_time(None, BOOT)
        if first is None or job.id in ("first-pull", "demo-goal"):  # one-shot jobs
            continue
        following = job.trigger.get_next_fire_time(NTP, NTP)
        assert following is not None and following <= NTP + dt.timedelta(days=1), job.id
    return set(steps)


@pytest.fixture
def env(tmp_path: Path) -> DemoEnv:
    demo = demo_env(tmp_path, extra='[demo]\nfeeds_dir = "feeds"\n')
    demo.config = dataclasses.replace(
        demo.config, hq=HqConfig(url="http://127.0.0.1:9", token="t0k", heartbeat_minutes=1)
    )
    return demo


def test_every_job_of_kiosk_run_is_jump_safe(env: DemoEnv) -> None:
    service = SyncService(env.db, env.config.store.id, env.config.feeds)
    writer = Writer()
    # As kiosk.app builds it, with the machine's clock at 1970.
    scheduler, hq = build_kiosk_scheduler(
        env.config,
        service,
        env.db,
        writer,
        lambda report: None,
        rng=random.Random(3),
        now=BOOT,
    )
    try:
        ids = assert_every_job_is_jump_safe(scheduler)
    finally:
        assert hq is not None
        hq.close()
        service.close()
        writer.shutdown()
        env.db.dispose()
    feeds = {f"feed:{spec.name}" for spec in env.config.feeds}
    assert (
        ids
        == {"first-pull", "new-day", "demo-goal", UPLOAD_JOB_ID, HEARTBEAT_JOB_ID, HEAP_JOB_ID}
        | feeds
    )


def test_every_job_of_kiosk_sync_is_jump_safe(env: DemoEnv) -> None:
    service = SyncService(env.db, env.config.store.id, env.config.feeds)
    try:
        # As `kiosk sync` (without --once) builds it, with the machine's clock at 1970.
        scheduler = build_headless_scheduler(env.config, service, lambda report: None, now=BOOT)
        ids = assert_every_job_is_jump_safe(scheduler)
    finally:
        service.close()
        env.db.dispose()
    # No new-day job: only `kiosk run` writes the demo's feeds; the feeds' jobs pull the day.
    assert ids == {"first-pull"} | {f"feed:{spec.name}" for spec in env.config.feeds}
