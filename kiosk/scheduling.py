"""The schedule: one APScheduler interval job per feed, a first pull at start, the new day, and
HQ's jobs (the outbox every minute, a heartbeat at start and every `[hq] heartbeat_minutes`).

APScheduler's `BackgroundScheduler` runs jobs on its own pool threads; results reach the GUI
through a callback (the app passes a bridge QObject's signal). We avoid `QtScheduler`: with
APScheduler 3.11 under Qt each `add_job` after `start()` leaves one more wake-up timer loop
running.

Every job: `max_instances=1` (never two pulls of one feed at once), `coalesce=True` (after a
sleep, one pull, not a burst), a misfire grace of half the interval (the default of 1 s silently
drops a pull that starts late on a busy CPU), and jitter so a fleet does not poll HQ in step.
Every repeating job is on a trigger from `kiosk.triggers` that survives the wall clock jumping
decades (a Raspberry Pi without a battery clock boots in 1970): `build_kiosk_scheduler` and
`build_headless_scheduler` are the whole schedules of `kiosk run` and `kiosk sync`, and
tests/kiosk/test_jump_safety.py checks every job they make.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger

from kiosk.clock_watch import ClockWatch
from kiosk.config import Config
from kiosk.control import serve_control
from kiosk.demo.hooks import add_goal_job, prepare_demo
from kiosk.heap import GIVE_BACK_EVERY_SECONDS, can_give_back, give_back_free_heap
from kiosk.heartbeat import KioskHeartbeat, ThumbnailSource
from kiosk.triggers import JumpSafeIntervalTrigger, StoreMidnightTrigger
from sync.heartbeat import HeartbeatLink
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
    after_first_pull: Callable[[], None] | None = None,
    rng: random.Random | None = None,
    now: dt.datetime | None = None,
) -> BackgroundScheduler:
    """A configured, not yet started scheduler pulling `config.feeds` through `service`.

    With `on_new_day`, a "new-day" job calls it just after each store midnight and then, with
    `pull_on_new_day`, pulls every feed as the first pull does. `after_first_pull` is called
    on the job's thread when the first pull is done; it must not call the scheduler itself
    (APScheduler's `shutdown(wait=True)` holds the job store's lock while it waits for running
    jobs: a job asking for a job would never finish).
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

    def first_pull() -> None:
        pull_all()
        if after_first_pull is not None:
            after_first_pull()

    # The first pull soon after start, in contract order; the interval jobs start after it.
    first = start + dt.timedelta(seconds=config.sync.start_delay_seconds)
    scheduler.add_job(
        first_pull, DateTrigger(run_date=first), id="first-pull", misfire_grace_time=3600
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


def build_headless_scheduler(
    config: Config, service: SyncService, on_report: ReportSink, *, now: dt.datetime | None = None
) -> BackgroundScheduler:
    """Every job of `kiosk sync` (without --once): the feeds. No new-day job: only `kiosk run`
    writes the demo's feeds, and the feeds' own jobs pull the new day's data."""
    return build_scheduler(config, service, on_report, now=now)


def run_headless(config: Config, service: SyncService) -> int:
    """`kiosk sync` without --once: keep pulling on schedule until SIGTERM or Ctrl-C."""
    stop = threading.Event()

    def report(pull: PullReport) -> None:
        print(pull.line(), flush=True)

    scheduler = build_headless_scheduler(config, service, report)
    control = serve_control(config.database_path, pull_lines(service, report))
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    scheduler.start()
    clock_watch = ClockWatch(scheduler).start()
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        control.close()
        clock_watch.stop()
        scheduler.shutdown(wait=True)
    return 0


def pull_lines(service: SyncService, on_report: ReportSink) -> Callable[[], list[tuple[str, bool]]]:
    """What the control socket's "sync" runs: every feed now, reported as a scheduled pull is
    (so the screen refreshes), answered as (line, ok) per feed."""

    def pull_all() -> list[tuple[str, bool]]:
        results = []
        for spec in service.ordered_feeds():
            report = service.pull(spec)
            on_report(report)
            results.append((report.line(), report.ok))
        return results

    return pull_all


def build_kiosk_scheduler(
    config: Config,
    service: SyncService,
    db: Database,
    writer: Writer,
    on_report: ReportSink,
    *,
    thumbnail: ThumbnailSource | None = None,
    started: float | None = None,
    rng: random.Random | None = None,
    now: dt.datetime | None = None,
) -> tuple[BackgroundScheduler, HqJobs | None]:
    """Every job of `kiosk run`: the feeds and the new day (with a pull of every feed), the
    demo's goal, and with `[hq] url` the outbox and the heartbeat (None without it)."""
    hq: HqJobs | None = None

    def after_first_pull() -> None:
        # HQ hears how the first pull went now, not a heartbeat interval later; a few seconds
        # on, so that the thumbnail shows the board with the pulled data.
        if hq is not None:
            hq.heartbeat_soon(after_seconds=HEARTBEAT_AFTER_PULL_SECONDS)

    scheduler = build_scheduler(
        config,
        service,
        on_report,
        on_new_day=partial(prepare_demo, config),
        pull_on_new_day=True,
        after_first_pull=after_first_pull,
        rng=rng,
        now=now,
    )
    add_goal_job(scheduler, config, service, on_report)
    add_heap_job(scheduler, now=now)
    hq = add_hq_jobs(
        scheduler, config, db, writer, thumbnail=thumbnail, started=started, rng=rng, now=now
    )
    return scheduler, hq


HEAP_JOB_ID = "give-back-heap"


def add_heap_job(scheduler: BackgroundScheduler, *, now: dt.datetime | None = None) -> None:
    """Give the C heap's free pages back once a minute (kiosk/heap.py), where the C library
    can; about a millisecond of a pool thread, never the GUI thread."""
    if not can_give_back():
        return
    start = (now or dt.datetime.now(dt.UTC)) + dt.timedelta(seconds=GIVE_BACK_EVERY_SECONDS)
    scheduler.add_job(
        give_back_free_heap,
        JumpSafeIntervalTrigger(seconds=GIVE_BACK_EVERY_SECONDS, start_date=start, timezone=dt.UTC),
        id=HEAP_JOB_ID,
        name="give the free heap back",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=GIVE_BACK_EVERY_SECONDS,
    )


UPLOAD_JOB_ID = "hq-upload"
HEARTBEAT_JOB_ID = "hq-heartbeat"
UPLOAD_EVERY_SECONDS = 60
HEARTBEAT_START_DELAY_SECONDS = 3  # the window has painted: the thumbnail shows the board
HEARTBEAT_AFTER_PULL_SECONDS = 5  # the board has loaded what the first pull brought
HEARTBEAT_JITTER_SECONDS = 30  # at most; a tenth of the interval when that is shorter


@dataclass
class HqJobs:
    """What `add_hq_jobs` made: the uploader (closed at shutdown) and the heartbeat."""

    scheduler: BackgroundScheduler
    uploader: OutboxUploader
    link: HeartbeatLink
    heartbeat: KioskHeartbeat

    def upload_soon(self) -> None:
        """Deliver the outbox now (after a manager save) instead of within the minute."""
        run_soon(self.scheduler, UPLOAD_JOB_ID)

    def heartbeat_soon(self, after_seconds: float) -> None:
        """Heartbeat `after_seconds` from now instead of at the next interval. Safe from a job's
        thread: the job is moved from a timer thread of its own, which a shutdown waiting for
        the running jobs does not wait for."""
        timer = threading.Timer(after_seconds, self._heartbeat_now)
        timer.daemon = True
        timer.name = "heartbeat soon"
        timer.start()

    def _heartbeat_now(self) -> None:
        if self.scheduler.running:
            try:
                run_soon(self.scheduler, HEARTBEAT_JOB_ID)
            except Exception:  # shut down meanwhile: the next start heartbeats anyway
                log.debug("heartbeat: not moved forward", exc_info=True)

    def close(self) -> None:
        self.uploader.close()


def add_hq_jobs(
    scheduler: BackgroundScheduler,
    config: Config,
    db: Database,
    writer: Writer,
    *,
    thumbnail: ThumbnailSource | None = None,
    started: float | None = None,
    rng: random.Random | None = None,
    now: dt.datetime | None = None,
) -> HqJobs | None:
    """With `[hq] url`: deliver the outbox every minute, and heartbeat at start and every
    `heartbeat_minutes`. Returns None (and adds nothing) without it.

    The outbox lives in the database, so what was not delivered before a restart or a day
    offline is delivered by the first run that reaches HQ. Each item waits its own backoff.
    """
    if not config.hq.url:
        return None
    rng = rng or random.Random()
    start = now or dt.datetime.now(dt.UTC)
    link = HeartbeatLink()
    uploader = OutboxUploader(
        db,
        writer,
        config.hq.url,
        config.hq.token,
        on_acknowledged=link.acknowledged,
        timeout=config.hq.timeout_seconds,
        retry_seconds=config.hq.retry_seconds,
        max_retry_seconds=config.hq.max_retry_seconds,
    )
    heartbeat = KioskHeartbeat(
        config, db, writer, uploader, link, thumbnail=thumbnail, started=started
    )
    scheduler.add_job(
        uploader.deliver_due,
        JumpSafeIntervalTrigger(
            seconds=UPLOAD_EVERY_SECONDS,
            start_date=start + dt.timedelta(seconds=rng.uniform(0.5, 1.0) * UPLOAD_EVERY_SECONDS),
            timezone=dt.UTC,
        ),
        id=UPLOAD_JOB_ID,
        name="deliver the outbox to HQ",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=UPLOAD_EVERY_SECONDS * 5,
    )
    interval = config.hq.heartbeat_minutes * 60
    at_start = start + dt.timedelta(seconds=HEARTBEAT_START_DELAY_SECONDS)
    scheduler.add_job(
        heartbeat.send,
        JumpSafeIntervalTrigger(
            seconds=interval,
            start_date=at_start,
            # Kiosks that booted together (a power cut) would otherwise beat in step for good.
            jitter=min(HEARTBEAT_JITTER_SECONDS, interval / 10),
            timezone=dt.UTC,
        ),
        next_run_time=at_start,  # the first one without jitter: HQ learns of a start at once
        id=HEARTBEAT_JOB_ID,
        name="heartbeat to HQ",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=max(30, int(interval)),
    )
    return HqJobs(scheduler, uploader, link, heartbeat)


def run_soon(scheduler: BackgroundScheduler, job_id: str) -> None:
    """Run job `job_id` now rather than at its next time; nothing when there is no such job.
    Never from inside a job (see `build_scheduler`)."""
    job = scheduler.get_job(job_id)
    if job is not None:
        job.modify(next_run_time=dt.datetime.now(dt.UTC))
