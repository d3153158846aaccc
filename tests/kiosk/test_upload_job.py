"""`kiosk run` delivers the outbox on its schedule, and at once after a save."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from kiosk.config import HqUploadConfig
from kiosk.scheduling import UPLOAD_JOB_ID, add_upload_job, upload_soon
from sync.store.writer import Writer
from sync.upload import enqueue
from tests.demo_env import demo_env


def test_no_upload_url_means_no_job(tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    scheduler = BackgroundScheduler()
    assert add_upload_job(scheduler, env.config, env.db, Writer()) is None
    assert scheduler.get_job(UPLOAD_JOB_ID) is None
    env.db.dispose()


def test_saved_item_is_delivered_soon_after_a_save(tmp_path: Path, httpserver: HTTPServer) -> None:
    received: list[dict[str, object]] = []

    def handler(request: Request) -> Response:
        received.append(
            {
                "key": request.headers.get("Idempotency-Key"),
                "auth": request.headers.get("Authorization"),
                "body": json.loads(request.data),
            }
        )
        return Response(status=201)

    httpserver.expect_request("/uploads", method="POST").respond_with_handler(handler)
    env = demo_env(tmp_path)
    config = dataclasses.replace(
        env.config, hq=HqUploadConfig(upload_url=httpserver.url_for("/uploads"), token="t0k")
    )
    writer = Writer()
    scheduler = BackgroundScheduler(timezone=dt.UTC)
    uploader = add_upload_job(scheduler, config, env.db, writer)
    assert uploader is not None
    job = scheduler.get_job(UPLOAD_JOB_ID)
    assert job is not None
    scheduler.start()
    try:
        with env.db.write.begin() as session:
            key = enqueue(
                session,
                "entry",
                {"store_id": "S001", "metric": "training", "date": "2026-11-24", "value": 2.5},
                dt.datetime.now(dt.UTC),
            )
        upload_soon(scheduler)  # not a minute from now
        deadline = time.monotonic() + 10
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        scheduler.shutdown(wait=True)
        uploader.close()
        writer.shutdown()
        env.db.dispose()
    assert [r["key"] for r in received] == [key]
    assert received[0]["auth"] == "Bearer t0k"
    assert received[0]["body"]["value"] == 2.5
