"""`kiosk sync --once`, `kiosk status` and `kiosk feeds check` as a user runs them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests import configs

STORES = "store_id,name,region\nS001,Downtown,Central\nS002,Riverside,Central\n"
METRICS = "store_id,date,metric,value\nS001,2026-11-24,sales,100\nS001,2026-11-23,sales,oops\n"


def kiosk(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return configs.run_kiosk(*args, cwd=cwd, timeout=120)


def config(tmp_path: Path, server: HTTPServer, *feeds: tuple[str, str, str]) -> Path:
    text = configs.config_text(
        [(name, kind, server.url_for(path)) for name, kind, path in feeds],
        database="var/kiosk.db",
        log_dir=None,
        sync="retries = 0\ndeadline_seconds = 5\n",
    )
    return configs.write_config(tmp_path, text)


def test_sync_once_ok_then_status_json(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/stores.csv").respond_with_data(STORES, content_type="text/csv")
    httpserver.expect_request("/metrics.csv").respond_with_data(METRICS, content_type="text/csv")
    cfg = config(
        tmp_path,
        httpserver,
        ("metrics", "metrics", "/metrics.csv"),
        ("stores", "stores", "/stores.csv"),
    )
    result = kiosk("sync", "--once", "--config", str(cfg), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "stores: ok, applied 2 rows"
    assert lines[1].startswith(
        "metrics: ok, applied 1 row, skipped 1 bad row (first: line 3, field value:"
    )
    assert (tmp_path / "var" / "kiosk.db").exists()  # relative to the config's folder

    status = kiosk("status", "--json", "--config", str(cfg), cwd=tmp_path)
    assert status.returncode == 0
    feeds = {f["name"]: f for f in json.loads(status.stdout)["feeds"]}
    metrics = feeds["metrics"]
    assert metrics["status"] == "ok" and metrics["kind"] == "metrics"
    assert metrics["rows_applied"] == 1 and metrics["rows_rejected"] == 1
    assert metrics["rejects"][0]["line"] == 3 and metrics["rejects"][0]["field"] == "value"
    assert metrics["last_success"].endswith(("-06:00", "-05:00"))  # store time, with offset
    assert metrics["error"] is None


def test_sync_once_exits_1_when_a_feed_fails(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/stores.csv").respond_with_data(STORES, content_type="text/csv")
    httpserver.expect_request("/metrics.csv").respond_with_data("nope", status=404)
    cfg = config(
        tmp_path,
        httpserver,
        ("stores", "stores", "/stores.csv"),
        ("metrics", "metrics", "/metrics.csv"),
    )
    result = kiosk("sync", "--once", "--config", str(cfg), cwd=tmp_path)
    assert result.returncode == 1
    assert "metrics: error, failed:" in result.stdout and "kept the previous data" in result.stdout
    status = json.loads(kiosk("status", "--json", "--config", str(cfg), cwd=tmp_path).stdout)
    by_name = {f["name"]: f for f in status["feeds"]}
    assert by_name["metrics"]["status"] == "error" and "404" in by_name["metrics"]["error"]
    assert by_name["stores"]["status"] == "ok"


def test_status_before_any_sync_says_never(tmp_path: Path, httpserver: HTTPServer) -> None:
    cfg = config(tmp_path, httpserver, ("metrics", "metrics", "/metrics.csv"))
    status = json.loads(kiosk("status", "--json", "--config", str(cfg), cwd=tmp_path).stdout)
    assert status["feeds"][0]["status"] == "never"
    assert status["feeds"][0]["last_success"] is None


@pytest.mark.parametrize(
    ("body", "code", "expect"),
    [
        (METRICS, 1, "line 3, field value:"),
        ("store_id,date,metric,value\nS001,2026-11-24,sales,100\n", 0, "valid"),
        ("store_id,date,metric\nS001,2026-11-24,sales\n", 1, "rejected:"),
    ],
)
def test_feeds_check(tmp_path: Path, body: str, code: int, expect: str) -> None:
    feed = tmp_path / "m.csv"
    feed.write_text(body)
    result = kiosk("feeds", "check", str(feed), "--kind", "metrics", cwd=tmp_path)
    assert result.returncode == code, result.stdout + result.stderr
    assert expect in result.stdout


def test_feeds_check_over_http(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/t.csv").respond_with_data(
        "store_id,metric,period,start,target\nS001,sales,week,2026-11-18,5\n",
        content_type="text/csv",
    )
    result = kiosk(
        "feeds", "check", httpserver.url_for("/t.csv"), "--kind", "targets", cwd=tmp_path
    )
    assert result.returncode == 1
    assert "line 2, field start:" in result.stdout and "Monday" in result.stdout


@pytest.mark.parametrize(
    ("kind", "body", "reason"),
    [
        (
            "catalog",
            "metric,label\n",
            "the catalog feed has no data rows; refusing to replace the catalog with nothing",
        ),
        ("metrics", "store_id,date,metric,value\nS001,11/24/2026,sales,5\n", "every one of"),
    ],
)
def test_feeds_check_rejects_a_whole_feed_as_the_kiosk_would(
    tmp_path: Path, httpserver: HTTPServer, kind: str, body: str, reason: str
) -> None:
    """HQ checking a file reads the same verdict a kiosk's sync gives it."""
    feed = tmp_path / "feed.csv"
    feed.write_text(body)
    checked = kiosk("feeds", "check", str(feed), "--kind", kind, cwd=tmp_path)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert f"feed.csv: rejected: {reason}" in checked.stdout
    httpserver.expect_request("/feed.csv").respond_with_data(body, content_type="text/csv")
    cfg = config(tmp_path, httpserver, (kind, kind, "/feed.csv"))
    synced = kiosk("sync", "--once", "--config", str(cfg), cwd=tmp_path)
    assert synced.returncode == 1, synced.stdout + synced.stderr
    assert f"{kind}: error, rejected: {reason}" in synced.stdout
