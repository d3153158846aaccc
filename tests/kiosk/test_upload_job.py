"""`kiosk run` delivers the outbox on its schedule and at once after a save; it heartbeats from
the start."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
import time
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from kiosk.config import HqConfig
from kiosk.scheduling import HEARTBEAT_JOB_ID, UPLOAD_JOB_ID, add_hq_jobs, build_kiosk_scheduler
from sync.service import SyncService
from sync.store.writer import Writer
from sync.upload import HEARTBEAT_PATH, UPLOADS_PATH, enqueue
from tests.demo_env import demo_env
from tests.sync.test_heartbeat import FakeHq, serving


def test_no_hq_url_means_no_job(tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    scheduler = BackgroundScheduler()
    assert add_hq_jobs(scheduler, env.config, env.db, Writer()) is None
    assert scheduler.get_jobs() == []
    env.db.dispose()


def test_saved_item_is_delivered_soon_after_a_save(tmp_path: Path, httpserver: HTTPServer) -> None:
    received: list[dict[str, object]] = []

    def handler(request: Request) -> Response:
        key = request.headers.get("Idempotency-Key")
        received.append(
            {
                "path": request.path,
                "key": key,
                "auth": request.headers.get("Authorization"),
                "body": json.loads(request.data),
            }
        )
        ack = json.dumps({"ok": True, "idempotency_key": key})
        return Response(ack, status=201, content_type="application/json")

    httpserver.expect_request(UPLOADS_PATH, method="POST").respond_with_handler(handler)
    httpserver.expect_request(HEARTBEAT_PATH, method="POST").respond_with_handler(handler)
    env = demo_env(tmp_path)
    config = dataclasses.replace(
        env.config, hq=HqConfig(url=httpserver.url_for("").rstrip("/"), token="t0k")
    )
    writer = Writer()
    scheduler = BackgroundScheduler(timezone=dt.UTC)
    hq = add_hq_jobs(scheduler, config, env.db, writer)
    assert hq is not None
    assert scheduler.get_job(UPLOAD_JOB_ID) is not None
    assert scheduler.get_job(HEARTBEAT_JOB_ID) is not None
    scheduler.start()
    try:
        with env.db.write.begin() as session:
            key = enqueue(
                session,
                "entry",
                {"store_id": "S001", "metric": "training", "date": "2026-11-24", "value": 2.5},
                dt.datetime.now(dt.UTC),
            )
        hq.upload_soon()  # not a minute from now
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(r["path"] == UPLOADS_PATH for r in received):
            time.sleep(0.05)
        # The heartbeat at start, a few seconds in.
        while time.monotonic() < deadline + 5 and not any(
            r["path"] == HEARTBEAT_PATH for r in received
        ):
            time.sleep(0.05)
    finally:
        scheduler.shutdown(wait=True)
        hq.close()
        writer.shutdown()
        env.db.dispose()
    uploads = [r for r in received if r["path"] == UPLOADS_PATH]
    assert [r["key"] for r in uploads] == [key]
    assert uploads[0]["auth"] == "Bearer t0k"
    assert uploads[0]["body"]["value"] == 2.5
    [heartbeat] = [r for r in received if r["path"] == HEARTBEAT_PATH]
    assert heartbeat["auth"] == "Bearer t0k" and heartbeat["body"]["kind"] == "heartbeat"
    assert heartbeat["body"]["outbox"] == {"pending": 0, "oldest": None}


def test_a_heartbeat_follows_the_first_pull(tmp_path: Path) -> None:
    """HQ hears how the first pull went a few seconds after it, not an interval later."""
    hq = FakeHq()
    env = demo_env(tmp_path)  # start_delay_seconds = 0
    with serving(hq) as server:
        config = dataclasses.replace(
            env.config, hq=HqConfig(url=server.url_for("").rstrip("/"), heartbeat_minutes=60)
        )
        service = SyncService(env.db, config.store.id, config.feeds)
        writer = Writer()
        scheduler, jobs = build_kiosk_scheduler(
            config, service, env.db, writer, lambda report: None
        )
        assert jobs is not None
        scheduler.start()
        try:
            deadline = time.monotonic() + 20
            while len(hq.heartbeats()) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            scheduler.shutdown(wait=True)
            jobs.close()
            service.close()
            writer.shutdown()
            env.db.dispose()
    # Two within seconds, with an hour's interval: the one at start, and the one the first
    # pull asked for.
    assert len(hq.heartbeats()) == 2
    after_pull = hq.heartbeats()[1]
    assert {feed["status"] for feed in after_pull["feeds"]} == {"ok"}
    assert after_pull["freshness"]["stale"] is False


def test_stopping_right_after_the_first_pull_does_not_hang(tmp_path: Path) -> None:
    """`shutdown(wait=True)` (as `kiosk sync` stops) waits for the running jobs while holding
    the job store's lock: a job that moved another job would wait for it forever."""
    env = demo_env(tmp_path)
    config = dataclasses.replace(env.config, hq=HqConfig(url="http://127.0.0.1:9"))
    service = SyncService(env.db, config.store.id, config.feeds)
    writer = Writer()
    pulled = threading.Event()
    reports: list[object] = []

    def on_report(report: object) -> None:
        reports.append(report)
        if len(reports) == len(config.feeds):
            pulled.set()
            time.sleep(0.5)  # the first-pull job is still running when the shutdown starts

    scheduler, jobs = build_kiosk_scheduler(config, service, env.db, writer, on_report)
    assert jobs is not None
    scheduler.start()
    try:
        assert pulled.wait(30)
        stopper = threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, daemon=True)
        stopper.start()  # at once, while the first-pull job is finishing
        stopper.join(15)
        assert not stopper.is_alive(), "shutdown(wait=True) hung"
    finally:
        jobs.close()
        service.close()
        writer.shutdown()
        env.db.dispose()
