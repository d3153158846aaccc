"""The kiosk's heartbeat: what it says about the board and the screen, and `kiosk status` showing
how the last ones went (HQ down, then up), against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from kiosk.board.display_schedule import schedule_from_display
from kiosk.config import HqConfig
from kiosk.heartbeat import OUTSIDE_OPENING_HOURS, KioskHeartbeat
from sync.heartbeat import HeartbeatLink, Thumbnail
from sync.store.writer import Writer
from sync.upload import OutboxUploader
from tests import configs
from tests.demo_env import demo_env
from tests.sync.test_heartbeat import JPEG, FakeHq, serving
from tests.sync.test_upload import free_port

# Open 07:00-22:00 in Chicago; the test checks both sides of the current time.
HOURS = '\n[display]\nopen = "07:00"\nclose = "22:00"\n'


def test_the_heartbeat_says_what_the_store_sees(tmp_path: Path) -> None:
    env = demo_env(tmp_path, extra=HOURS)
    env.sync()
    writer = Writer()
    link = HeartbeatLink()
    uploader = OutboxUploader(env.db, writer, "http://127.0.0.1:9")
    ticks = iter([100.0, 3700.0])
    beat = KioskHeartbeat(
        env.config,
        env.db,
        writer,
        uploader,
        link,
        thumbnail=lambda: Thumbnail(JPEG, "image/jpeg"),
        monotonic=lambda: next(ticks),
    )
    try:
        body = beat.payload()
    finally:
        uploader.close()
        writer.shutdown()
        env.db.dispose()
    assert body["store_id"] == "S001" and body["store_name"] == "Downtown"
    assert body["region"] == "Central" and body["uptime_seconds"] == 3600.0
    assert [feed["name"] for feed in body["feeds"]] == [spec.name for spec in env.config.feeds]
    assert all(feed["status"] == "ok" for feed in body["feeds"])
    # The demo feeds are for 2026-11-24 but were pulled just now: fresh.
    assert body["freshness"]["stale"] is False and body["freshness"]["last_success"]
    is_open = schedule_from_display(env.config.display, env.config.store.tz).is_on(
        dt.datetime.now(dt.UTC)
    )
    assert body["display"] == {
        "on": is_open,
        "reason": None if is_open else OUTSIDE_OPENING_HOURS,
    }
    assert body["thumbnail"]["sha256"] == body["thumbnail_sha256"]


def test_kiosk_status_shows_the_heartbeat(tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    port = free_port()
    config = dataclasses.replace(env.config, hq=HqConfig(url=f"http://127.0.0.1:{port}"))
    path = configs.write_config(
        tmp_path,
        (tmp_path / "config.toml").read_text() + f'\n[hq]\nurl = "http://127.0.0.1:{port}"\n',
    )
    writer = Writer()
    link = HeartbeatLink()
    uploader = OutboxUploader(
        env.db, writer, config.hq.url or "", on_acknowledged=link.acknowledged
    )
    beat = KioskHeartbeat(config, env.db, writer, uploader, link)

    def status() -> tuple[str, dict[str, object]]:
        text = configs.run_kiosk("status", "--config", str(path), cwd=tmp_path)
        data = configs.run_kiosk("status", "--json", "--config", str(path), cwd=tmp_path)
        assert text.returncode == data.returncode == 0, text.stderr + data.stderr
        [line] = [row for row in text.stdout.splitlines() if row.startswith("heartbeat")]
        return line, json.loads(data.stdout)["heartbeat"]

    try:
        beat.send()  # HQ is down
        beat.send()
        line, data = status()
        assert line.startswith("heartbeat      every 5 min, never acknowledged by HQ yet  ")
        assert f"last error (2 attempts): could not connect to 127.0.0.1:{port}" in line
        assert data["last_acknowledged"] is None and data["attempts"] == 2

        hq = FakeHq()
        with serving(hq, port):
            beat.send()
        line, data = status()
        assert len(hq.heartbeats()) == 1
        assert data["last_acknowledged"] is not None
        assert data["attempts"] == 0 and data["last_error"] is None
        assert (
            line
            == f"heartbeat      every 5 min, last acknowledged by HQ {data['last_acknowledged']}"
        )
    finally:
        uploader.close()
        writer.shutdown()
        env.db.dispose()


def test_without_hq_the_status_says_heartbeats_are_off(tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    env.db.dispose()
    result = configs.run_kiosk("status", "--config", str(tmp_path / "config.toml"), cwd=tmp_path)
    assert "heartbeat      off (no [hq] url)" in result.stdout.splitlines()
