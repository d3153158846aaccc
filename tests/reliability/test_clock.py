"""The clock: DST changes never double-count or skip a store day, and the schedule keeps going
when the wall clock jumps (an NTP correction, a Pi without a battery-backed clock).

The store's "today" is `StoreConfig.today(now)`: the UTC instant converted to the store's time
zone. Periods, targets and message windows are plain dates after that, so a 23- or 25-hour day
is still one day. America/Chicago changes on 2026-03-08 (02:00 -> 03:00, a 23-hour day) and on
2026-11-01 (02:00 -> 01:00, a 25-hour day; also the first of a month and a Sunday, the last day
of a week).
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from kiosk.board.periods import elapsed_days
from kiosk.board.scoreboard import build_scoreboard
from kiosk.board.snapshot import load_messages
from kiosk.scheduling import build_scheduler
from kiosk.triggers import JumpSafeIntervalTrigger, StoreMidnightTrigger
from sync.store.db import Database
from sync.store.models import Message, Target
from tests.demo_env import demo_env
from tests.kiosk.factories import catalog, insert, values

UTC = dt.UTC
SPRING = dt.date(2026, 3, 8)  # 23 hours in Chicago
FALL = dt.date(2026, 11, 1)  # 25 hours in Chicago


@pytest.fixture
def env(tmp_path: Path) -> Iterator[SimpleNamespace]:
    demo = demo_env(tmp_path)  # store S001 in America/Chicago, nothing synced yet
    yield SimpleNamespace(config=demo.config, db=demo.db, store=demo.config.store)
    demo.db.dispose()


def instants(first: dt.date, last: dt.date, step: dt.timedelta) -> Iterator[dt.datetime]:
    """UTC instants from `first` 00:00 UTC to `last` 00:00 UTC."""
    moment = dt.datetime.combine(first, dt.time(), UTC)
    end = dt.datetime.combine(last, dt.time(), UTC)
    while moment < end:
        yield moment
        moment += step


@pytest.mark.parametrize(("day", "hours"), [(SPRING, 23), (FALL, 25)])
def test_a_dst_day_is_one_store_day_of_23_or_25_hours(
    env: SimpleNamespace, day: dt.date, hours: int
) -> None:
    step = dt.timedelta(minutes=5)
    seen: list[dt.date] = []
    for moment in instants(day - dt.timedelta(days=2), day + dt.timedelta(days=3), step):
        today = env.store.today(moment)
        if not seen or seen[-1] != today:
            seen.append(today)
        else:
            assert seen[-1] == today
    # Every date once, in order, none skipped, none coming back.
    assert seen == sorted(set(seen))
    assert all((b - a).days == 1 for a, b in itertools.pairwise(seen))
    minutes = Counter(
        env.store.today(m)
        for m in instants(day - dt.timedelta(days=1), day + dt.timedelta(days=2), step)
    )
    assert minutes[day] * 5 == hours * 60
    assert minutes[day - dt.timedelta(days=1)] * 5 == 24 * 60


def _fill_month(db: Database, month_first: dt.date, days: int) -> None:
    insert(
        db,
        catalog("visits", position=0, aggregate="sum"),
        values("S001", "visits", {month_first + dt.timedelta(days=i): 1.0 for i in range(days)}),
    )


@pytest.mark.parametrize(
    ("day", "month_first", "week_monday"),
    [
        (SPRING, dt.date(2026, 3, 1), dt.date(2026, 3, 2)),
        (FALL, dt.date(2026, 11, 1), dt.date(2026, 10, 26)),
    ],
)
def test_week_and_month_sums_count_each_day_once_through_a_dst_change(
    env: SimpleNamespace, day: dt.date, month_first: dt.date, week_monday: dt.date
) -> None:
    # One visit a day, every day around the change: a week's actual is the number of its days
    # so far, a month's the day of the month. Any double count or skipped day shows.
    first = min(month_first, week_monday) - dt.timedelta(days=7)
    _fill_month(env.db, first, 60)
    insert(
        env.db,
        Target(
            store_id="S001", metric="visits", period="week", start=week_monday, target=7, feed="t"
        ),
        Target(
            store_id="S001", metric="visits", period="month", start=month_first, target=30, feed="t"
        ),
    )
    step = dt.timedelta(minutes=20)
    checked = set()
    for moment in instants(day - dt.timedelta(days=1), day + dt.timedelta(days=2), step):
        today = env.store.today(moment)
        with env.db.read() as session:
            board = build_scoreboard(session, "S001", today)
        by_period = {m.period: m for m in board.metrics if m.metric == "visits"}
        if today - dt.timedelta(days=today.weekday()) == week_monday:
            assert by_period["week"].actual == elapsed_days("week", today)
        if today.replace(day=1) == month_first:
            assert by_period["month"].actual == today.day
        checked.add(today)
    assert day in checked


@pytest.mark.parametrize(("day", "hours"), [(SPRING, 23), (FALL, 25)])
def test_a_one_day_message_shows_for_exactly_that_store_day(
    env: SimpleNamespace, day: dt.date, hours: int
) -> None:
    insert(
        env.db,
        Message(
            store_id="*", start=day, end=day, title="Today only", kind="news", body="", feed="m"
        ),
        Message(
            store_id="*",
            start=day + dt.timedelta(days=1),
            end=None,
            title="From tomorrow",
            kind="news",
            body="",
            feed="m",
        ),
    )
    shown: Counter[str] = Counter()
    step = dt.timedelta(minutes=15)
    for moment in instants(day - dt.timedelta(days=1), day + dt.timedelta(days=3), step):
        with env.db.read() as session:
            messages, _ = load_messages(session, "S001", env.store.today(moment))
        shown.update(m.title for m in messages)
    assert shown["Today only"] * 15 == hours * 60
    # "From tomorrow" starts at the store's midnight after the change day, not an hour off.
    first_shown = next(
        m
        for m in instants(day, day + dt.timedelta(days=3), dt.timedelta(minutes=1))
        if env.store.today(m) == day + dt.timedelta(days=1)
    )
    local = first_shown.astimezone(env.store.tz)
    assert (local.hour, local.minute) == (0, 0)


def _fires(trigger: object, start: dt.datetime, count: int) -> list[dt.datetime]:
    fires: list[dt.datetime] = []
    previous, now = None, start
    while len(fires) < count:
        previous = trigger.get_next_fire_time(previous, now)  # type: ignore[attr-defined]
        assert previous is not None
        fires.append(previous)
        now = previous
    return fires


def _assert_once_a_day(fires: list[dt.datetime], tz: dt.tzinfo, day: dt.date) -> None:
    local = [f.astimezone(tz) for f in fires]
    dates = [t.date() for t in local]
    assert dates == [dates[0] + dt.timedelta(days=i) for i in range(len(dates))], dates
    assert day in dates


@pytest.mark.parametrize("day", [SPRING, FALL])
def test_the_new_day_job_fires_once_per_store_day_across_dst(
    env: SimpleNamespace, day: dt.date
) -> None:
    service = SimpleNamespace(pull=lambda spec: None, ordered_feeds=lambda: [])
    scheduler = build_scheduler(env.config, service, lambda r: None, on_new_day=lambda: None)
    trigger = scheduler.get_job("new-day").trigger
    start = dt.datetime.combine(day - dt.timedelta(days=3), dt.time(12), UTC)
    _assert_once_a_day(_fires(trigger, start, 7), env.store.tz, day + dt.timedelta(days=1))


def test_apscheduler_cron_really_skips_the_day_after_spring_forward() -> None:
    """The upstream bug itself, so that the xfail above is known to be about it."""
    tz = ZoneInfo("America/Chicago")
    cron = CronTrigger(hour=0, minute=0, second=30, timezone=tz)
    start = dt.datetime(2026, 3, 7, 12, tzinfo=UTC)
    dates = [f.astimezone(tz).date() for f in _fires(cron, start, 2)]
    assert dates == [dt.date(2026, 3, 8), dt.date(2026, 3, 10)]  # 2026-03-09 never comes


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("America/Chicago", SPRING),
        ("America/Chicago", FALL),
        ("Europe/Berlin", dt.date(2026, 3, 29)),
        ("Europe/Berlin", dt.date(2026, 10, 25)),
        ("America/Santiago", dt.date(2026, 9, 6)),  # the change is at midnight: 00:00 is skipped
        ("America/Santiago", dt.date(2026, 4, 5)),  # and here 23:00-24:00 comes twice
        ("Australia/Lord_Howe", dt.date(2026, 4, 5)),  # a half-hour change
    ],
)
def test_store_midnight_trigger_fires_once_per_store_day(zone: str, day: dt.date) -> None:
    tz = ZoneInfo(zone)
    trigger = StoreMidnightTrigger(tz)
    start = dt.datetime.combine(day - dt.timedelta(days=3), dt.time(12), UTC)
    fires = _fires(trigger, start, 8)
    _assert_once_a_day(fires, tz, day)
    _assert_once_a_day(fires, tz, day + dt.timedelta(days=1))
    for fire in fires:  # just after the store's midnight (or just after a gap at midnight)
        assert fire.astimezone(tz).time() in (dt.time(0, 0, 30), dt.time(1, 0, 30))


def test_store_midnight_trigger_never_repeats_a_day_when_the_clock_goes_back() -> None:
    tz = ZoneInfo("America/Chicago")
    trigger = StoreMidnightTrigger(tz)
    fired = trigger.get_next_fire_time(None, dt.datetime(2026, 11, 24, 5, tzinfo=UTC))
    # The clock is set back a day right after that run:
    later = trigger.get_next_fire_time(fired, fired - dt.timedelta(days=1))
    assert later.astimezone(tz).date() == fired.astimezone(tz).date() + dt.timedelta(days=1)
    # And jumps ten years forward: one step, to the next store midnight after now.
    now = fired + dt.timedelta(days=3650, hours=3)
    jumped = trigger.get_next_fire_time(fired, now)
    assert now - dt.timedelta(days=2) < jumped <= now + dt.timedelta(days=1)


# --- the schedule across wall-clock jumps ---------------------------------------------------


class _WallClock:
    """`datetime` for APScheduler's modules whose now() is the real time plus `offset`."""

    offset = dt.timedelta()

    @classmethod
    def install(cls, monkeypatch: pytest.MonkeyPatch) -> type[dt.datetime]:
        class JumpyDatetime(dt.datetime):
            @classmethod
            def now(cls_, tz: dt.tzinfo | None = None) -> dt.datetime:
                return dt.datetime.now(tz) + cls.offset

        import apscheduler.executors.base
        import apscheduler.schedulers.base

        monkeypatch.setattr(apscheduler.schedulers.base, "datetime", JumpyDatetime)
        monkeypatch.setattr(apscheduler.executors.base, "datetime", JumpyDatetime)
        return JumpyDatetime


@pytest.mark.slow
def test_interval_jobs_keep_firing_after_the_wall_clock_jumps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Forward an hour: one coalesced run, no burst of 3,600. Back 3 s: one run late by about
    the jump, then the rhythm again. Options as kiosk.scheduling sets them."""
    clock = _WallClock
    clock.offset = dt.timedelta()
    clock.install(monkeypatch)
    runs: list[float] = []
    lock = threading.Lock()

    def job() -> None:
        with lock:
            runs.append(time.monotonic())

    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=3)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=UTC,
    )
    scheduler.add_job(
        job,
        IntervalTrigger(seconds=1, timezone=UTC),  # as kiosk.scheduling makes them today
        id="feed:metrics",
        misfire_grace_time=60,
    )
    missed: list[object] = []
    from apscheduler.events import EVENT_JOB_MISSED

    scheduler.add_listener(missed.append, EVENT_JOB_MISSED)
    scheduler.start()
    try:
        time.sleep(2.5)
        before_jump = len(runs)
        assert before_jump >= 2

        clock.offset += dt.timedelta(hours=1)  # NTP sets the clock an hour forward
        jumped = time.monotonic()
        time.sleep(2.6)
        after = [t for t in runs if t >= jumped]
        assert 1 <= len(after) <= 4, f"{len(after)} runs in 2.6 s after the jump: a burst"

        clock.offset -= dt.timedelta(seconds=3)  # and corrects back by 3 s
        back = time.monotonic()
        time.sleep(6.0)
        later = [t for t in runs if t >= back]
        assert len(later) >= 2, "the schedule stopped after a backwards jump"
        gaps = [b - a for a, b in zip([back, *later], later, strict=False)]
        assert max(gaps) < 1 + 3 + 0.8  # one run late by about the jump, no more
        assert gaps[-1] < 1.6  # then the 1-second rhythm again
    finally:
        scheduler.shutdown(wait=True)
        clock.offset = dt.timedelta()


def _job(trigger: IntervalTrigger, next_run: dt.datetime) -> Job:
    scheduler = BackgroundScheduler(timezone=UTC)
    job = Job(
        scheduler,
        func=print,
        trigger=trigger,
        executor="default",
        args=(),
        kwargs={},
        id="j",
        name="j",
        misfire_grace_time=60,
        coalesce=True,
        max_instances=1,
        next_run_time=next_run,
    )
    return job


def test_a_decades_long_jump_costs_one_step_with_the_jump_safe_trigger() -> None:
    """A Pi that booted at 1970 and then got the time from NTP. The stock trigger walks every
    missed interval (agronholm/apscheduler#526); shown here on one day at a 6 s interval."""
    start = dt.datetime(1970, 1, 1, 0, 0, 7, tzinfo=UTC)
    stock = IntervalTrigger(seconds=6, start_date=start, timezone=UTC)
    a_day_later = start + dt.timedelta(days=1, seconds=1)
    assert len(_job(stock, start)._get_run_times(a_day_later)) == 24 * 3600 // 6 + 1

    safe = JumpSafeIntervalTrigger(minutes=15, start_date=start, timezone=UTC)
    now = dt.datetime(2026, 11, 24, 21, 3, tzinfo=UTC)
    started = time.monotonic()
    run_times = _job(safe, start + dt.timedelta(minutes=15))._get_run_times(now)
    assert time.monotonic() - started < 0.1
    assert 1 <= len(run_times) <= 2
    following = safe.get_next_fire_time(run_times[-1], now)
    assert following is not None and now < following <= now + dt.timedelta(minutes=15)
    assert (following - start).total_seconds() % 900 == 0  # on the same phase as before


def test_the_jump_safe_trigger_is_the_stock_one_when_the_clock_behaves() -> None:
    start = dt.datetime(2026, 11, 24, 12, 0, 17, tzinfo=UTC)
    stock = IntervalTrigger(minutes=15, start_date=start, timezone=UTC)
    safe = JumpSafeIntervalTrigger(minutes=15, start_date=start, timezone=UTC)
    previous = None
    now = start - dt.timedelta(minutes=3)
    for _ in range(50):
        expected = stock.get_next_fire_time(previous, now)
        assert safe.get_next_fire_time(previous, now) == expected
        previous, now = expected, expected + dt.timedelta(seconds=20)  # a run a little late
