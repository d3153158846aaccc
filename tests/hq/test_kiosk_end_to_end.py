"""A real `kiosk run` (offscreen, the demo config) reporting to a real `kiosk-hq serve`, both
subprocesses on 127.0.0.1: the store turns ok on HQ's fleet, a manager's entry reaches HQ's CSV
export, the screen's thumbnail arrives (a JPEG under 40 KB), and a stopped kiosk turns offline.

The manager's entry is saved the way the touch screen saves it (`kiosk.manager.entries
.save_entry`: the value, its audit row and its outbox item in one transaction), into the running
kiosk's database from this process; the kiosk's own scheduler delivers it. This is the one hq
test that imports kiosk code (no Qt: the kiosk's window is in its own process).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.config import load_config
from kiosk.manager.entries import SavedEntry, save_entry
from sync.store.db import open_database
from tests.hq import helpers as h
from tests.hq.servers import ServeProcess, free_port, kiosk_hq

REPO = Path(__file__).resolve().parents[2]
HEARTBEAT_MINUTES = 0.1  # every 6 s
STALE_AFTER_MINUTES = 0.25  # offline after 15 s without a heartbeat


def wait_for(what: str, check: Callable[[], Any], timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}")
        time.sleep(0.25)


@dataclass
class Fleet:
    hq: ServeProcess
    kiosk: subprocess.Popen[bytes]
    kiosk_config: Path
    kiosk_log: Path

    def get(self, path: str) -> requests.Response:
        return requests.get(self.hq.base + path, auth=h.ADMIN, timeout=10)

    def store(self) -> dict[str, Any]:
        stores = self.get("/api/stores").json()["stores"]
        return next(store for store in stores if store["store_id"] == "S001")

    def stop_kiosk(self) -> int:
        if self.kiosk.poll() is None:
            self.kiosk.send_signal(signal.SIGTERM)  # as systemd stops it
            try:
                self.kiosk.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kiosk.kill()
                self.kiosk.wait()
        return self.kiosk.returncode


@pytest.fixture
def fleet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Fleet]:
    # HQ: the embedded default (SQLite next to hq.toml), a token for the demo store.
    hq_dir = tmp_path / "hq"
    hq_dir.mkdir()
    port = free_port()
    hq_config = h.write_config(
        hq_dir, f"[server]\nport = {port}\n[fleet]\nstale_after_minutes = {STALE_AFTER_MINUTES}\n"
    )
    minted = kiosk_hq("token", "S001", "--config", str(hq_config))
    assert minted.returncode == 0, minted.stderr
    hq = ServeProcess(hq_config, port)

    # The kiosk: the shipped demo config, pointed at HQ as the README says.
    kiosk_dir = tmp_path / "kiosk"
    kiosk_dir.mkdir()
    config = kiosk_dir / "config.toml"
    config.write_text(
        (REPO / "config.toml").read_text(encoding="utf-8")
        + f'\n[hq]\nurl = "{hq.base}"\ntoken_env = "KIOSK_HQ_TOKEN"\n'
        f"heartbeat_minutes = {HEARTBEAT_MINUTES}\n"
        "\n[sync]\nstart_delay_seconds = 0\njitter_seconds = 0\n",
        encoding="utf-8",
    )
    log = kiosk_dir / "kiosk.out"
    monkeypatch.setenv("KIOSK_HQ_TOKEN", minted.stdout.strip())  # as kiosk.env would
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_CONFIG"}
    env.update(QT_QPA_PLATFORM="offscreen")
    with log.open("wb") as out:
        kiosk = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "run", "--config", str(config)],
            cwd=kiosk_dir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = Fleet(hq, kiosk, config, log)
    try:
        yield running
    finally:
        running.stop_kiosk()
        hq.stop()


def test_a_real_kiosk_reports_to_a_real_hq(fleet: Fleet) -> None:
    def kiosk_log() -> str:
        return fleet.kiosk_log.read_text(errors="replace")[-3000:]

    assert fleet.store()["status"] == "never"  # the token is minted, nothing heard yet

    # Heartbeats: at start, after the first pull, then every 6 s. The demo's feeds are fresh.
    def is_ok() -> dict[str, Any] | None:
        assert fleet.kiosk.poll() is None, kiosk_log()
        store = fleet.store()
        return store if store["status"] == "ok" else None

    store = wait_for("the store to turn ok", is_ok, 30)
    assert store["name"] == "Downtown" and store["region"] == "Central"
    assert store["app_version"] == "0.1.0" and store["display_off"] is False
    assert store["failing_feeds"] == 0 and store["outbox_pending"] == 0

    # The screen's thumbnail: a JPEG of at most 40 KB, as HQ serves it.
    thumbnail_url = wait_for("a thumbnail", lambda: fleet.store()["thumbnail_url"], 15)
    picture = fleet.get(thumbnail_url)
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/jpeg"
    assert picture.content[:3] == b"\xff\xd8\xff" and 2_000 < len(picture.content) < 40_000

    # A manager types today's training hours on the kiosk: HQ's export has them.
    kiosk_config = load_config(fleet.kiosk_config)
    today = kiosk_config.store.today()
    db = open_database(kiosk_config.database_path)
    try:
        with db.write.begin() as session:
            saved = save_entry(session, "S001", "training", today, "7.5", dt.datetime.now(dt.UTC))
        assert isinstance(saved, SavedEntry), saved
    finally:
        db.dispose()
    row = f"S001,{today.isoformat()},training,7.5"

    def exported() -> str | None:
        text = fleet.get("/export/entries.csv").text
        return text if row in text else None

    export = wait_for("the entry in HQ's export", exported, 20)
    assert export.splitlines()[0] == "store_id,date,metric,value"

    # The store page: the kiosk's clock, measured on HQ's previous answer (same machine: ~0),
    # and its disk and database.
    kiosk = fleet.get("/stores/S001.json").json()["kiosk"]
    assert kiosk["clock_offset_seconds"] is not None and abs(kiosk["clock_offset_seconds"]) < 1
    assert kiosk["database_bytes"] > 0 and kiosk["free_disk_bytes"] > 0

    # The kiosk stops (SIGTERM, as systemd does): HQ turns it offline.
    stopped_at = time.monotonic()
    assert fleet.stop_kiosk() == 0, kiosk_log()
    wait_for("the store to turn offline", lambda: fleet.store()["status"] == "offline", 30)
    assert time.monotonic() - stopped_at >= STALE_AFTER_MINUTES * 60 - HEARTBEAT_MINUTES * 60

    # `kiosk status` on the store's machine: the heartbeat's line, acknowledged.
    status = subprocess.run(
        [sys.executable, "-m", "kiosk", "status", "--json", "--config", str(fleet.kiosk_config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    heartbeat = json.loads(status.stdout)["heartbeat"]
    assert heartbeat["last_acknowledged"] is not None and heartbeat["last_error"] is None
