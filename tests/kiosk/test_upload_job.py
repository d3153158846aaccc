"""`kiosk run` delivers the outbox on its schedule and at once after a save; it heartbeats from
the start."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from kiosk.config import HqConfig
from kiosk.scheduling import HEARTBEAT_JOB_ID, UPLOAD_JOB_ID, add_hq_jobs
from sync.store.writer import Writer
from sync.upload import HEARTBEAT_PATH, UPLOADS_PATH, enqueue
from tests.demo_env import demo_env


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
