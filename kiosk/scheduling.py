"""The sync schedule: one APScheduler interval job per feed, plus a first pull at start.

APScheduler's `BackgroundScheduler` runs jobs on its own pool threads; results reach the GUI
through a callback (the app passes a bridge QObject's signal). We avoid `QtScheduler`: with
APScheduler 3.11 under Qt each `add_job` after `start()` leaves one more wake-up timer loop
running.

Every job: `max_instances=1` (never two pulls of one feed at once), `coalesce=True` (after a
sleep, one pull, not a burst), a misfire grace of half the interval (the default of 1 s silently
drops a pull that starts late on a busy CPU), and jitter so a fleet does not poll HQ in step.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import signal
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger

from kiosk.config import Config
from kiosk.triggers import JumpSafeIntervalTrigger, StoreMidnightTrigger
from sync.spec import FeedSpec
from sync.upload import OutboxUploader

if TYPE_CHECKING:
    from sync.service import PullReport, SyncService
    from sync.store.db import Database
    from sync.store.writer import Writer

log = logging.getLogger(__name__)

ReportSink = Callable[["PullReport"], None]
PULL_THREADS = 3  # downloads in parallel; applies still queue on the single writer


def misfire_grace_seconds(spec: FeedSpec) -> int:
    return max(60, int(spec.every_minutes * 60 / 2))


def feed_jitter_seconds(config: Config, spec: FeedSpec) -> float:
    """Per-run jitter: the configured maximum, but at most a fifth of the interval."""
    return min(config.sync.jitter_seconds, spec.every_minutes * 60 / 5)


def build_scheduler(
    config: Config,
    service: SyncService,
    on_report: ReportSink,
    *,
    on_new_day: Callable[[], None] | None = None,
    pull_on_new_day: bool = False,
    rng: random.Random | None = None,
    now: dt.datetime | None = None,
) -> BackgroundScheduler:
    """A configured, not yet started scheduler pulling `config.feeds` through `service`.

    With `on_new_day`, a "new-day" job calls it just after each store midnight and then, with
    `pull_on_new_day`, pulls every feed as the first pull does.
    """
    rng = rng or random.Random()
    start = now or dt.datetime.now(dt.UTC)
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=PULL_THREADS)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=dt.UTC,
    )

    def pull(spec: FeedSpec) -> None:
        on_report(service.pull(spec))

    def pull_all() -> None:
        for spec in service.ordered_feeds():  # stores and catalog first
            on_report(service.pull(spec))

    # The first pull soon after start, in contract order; the interval jobs start after it.
    first = start + dt.timedelta(seconds=config.sync.start_delay_seconds)
    scheduler.add_job(
        pull_all, DateTrigger(run_date=first), id="first-pull", misfire_grace_time=3600
    )
    for spec in config.feeds:
        interval = spec.every_minutes * 60
        # A random phase spreads a fleet that all booted at the same moment (a power cut).
        phase = rng.uniform(0.5, 1.0) * interval
        scheduler.add_job(
            pull,
            # A Pi without a battery clock boots in 1970 and then jumps decades: the plain
            # IntervalTrigger would walk every missed interval (agronholm/apscheduler#526).
            JumpSafeIntervalTrigger(
                seconds=interval,
                start_date=first + dt.timedelta(seconds=phase),
                jitter=feed_jitter_seconds(config, spec),
                timezone=dt.UTC,
            ),
            args=[spec],
            id=f"feed:{spec.name}",
            name=f"pull {spec.name}",
            misfire_grace_time=misfire_grace_seconds(spec),
        )
    if on_new_day is not None:
        hook = on_new_day

        def new_day() -> None:
            hook()
            if pull_on_new_day:
                pull_all()

        # Just after the store's midnight: a new day on the board (and new demo feeds).
        # Not CronTrigger: it skips the day after the spring DST change
        # (agronholm/apscheduler#606).
        scheduler.add_job(
            new_day,
            StoreMidnightTrigger(config.store.tz),
            id="new-day",
            misfire_grace_time=3600,
        )

    def on_event(event: JobExecutionEvent) -> None:
        if event.code == EVENT_JOB_MISSED:
            log.warning(
                "scheduled job %s missed its time (%s)", event.job_id, event.scheduled_run_time
            )
        elif event.exception is not None:
            log.error("scheduled job %s failed: %r", event.job_id, event.exception)

    scheduler.add_listener(on_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    return scheduler


def run_headless(config: Config, service: SyncService) -> int:
    """`kiosk sync` without --once: keep pulling on schedule until SIGTERM or Ctrl-C."""
    stop = threading.Event()

    def report(pull: PullReport) -> None:
        print(pull.line(), flush=True)

    scheduler = build_scheduler(config, service, report)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    scheduler.start()
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown(wait=True)
    return 0


UPLOAD_JOB_ID = "hq-upload"
UPLOAD_EVERY_SECONDS = 60


def add_upload_job(
    scheduler: BackgroundScheduler, config: Config, db: Database, writer: Writer
) -> OutboxUploader | None:
    """With `[hq] upload_url`, deliver the outbox every minute; returns the uploader or None.

    The outbox lives in the database, so what was not delivered before a restart or a day
    offline is delivered by the first run that reaches HQ. Each item waits its own backoff.
    """
    if not config.hq.upload_url:
        return None
    uploader = OutboxUploader(
        db,
        writer,
        config.hq.upload_url,
        config.hq.token,
        timeout=config.hq.timeout_seconds,
        retry_seconds=config.hq.retry_seconds,
        max_retry_seconds=config.hq.max_retry_seconds,
    )
    scheduler.add_job(
        uploader.deliver_due,
        "interval",
        seconds=UPLOAD_EVERY_SECONDS,
        id=UPLOAD_JOB_ID,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=UPLOAD_EVERY_SECONDS * 5,
    )
    return uploader


def upload_soon(scheduler: BackgroundScheduler) -> None:
    """Run the upload job now (after a manager save) instead of within the minute."""
    job = scheduler.get_job(UPLOAD_JOB_ID)
    if job is not None:
        job.modify(next_run_time=dt.datetime.now(dt.UTC))
