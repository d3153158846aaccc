"""docs/feeds.md, "How a feed is applied", and docs/cli.md's `kiosk sync --once` and
`kiosk status --json`, run as another HQ would: its own store ids, regions and time zone,
feeds from files and from a local HTTP server."""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.contract.helpers import Store, config_text

ISO_WITH_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}")


class Hq:
    """An HQ web server: each feed has a body and an ETag; it answers If-None-Match with a 304
    and records the If-None-Match of every request."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.files: dict[str, tuple[str, str]] = {}
        self.seen: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()
        server.expect_request(re.compile("/.*")).respond_with_handler(self._answer)

    def publish(self, name: str, body: str, etag: str) -> None:
        self.files[name] = (body, f'"{etag}"')

    def url(self, name: str) -> str:
        return self.server.url_for(f"/{name}")

    def take(self) -> dict[str, str | None]:
        """name -> the If-None-Match of its request since the last take."""
        with self._lock:
            seen, self.seen = self.seen, []
        return dict(seen)

    def _answer(self, request: Request) -> Response:
        name = request.path.lstrip("/")
        sent = request.headers.get("If-None-Match")
        with self._lock:
            self.seen.append((name, sent))
        body, etag = self.files[name]
        if sent == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, headers={"ETag": etag}, content_type="text/csv")


def test_sync_once_exit_codes_order_and_one_line_per_feed(store: Store) -> None:
    store.feed("stores.csv", "store_id,name,region\nHNL-7,Ala Moana,Oahu\nHNL-8,Kahala,Oahu\n")
    store.feed("catalog.csv", "metric,label\nsales,Sales\n")
    store.feed(
        "metrics.csv",
        "store_id,date,metric,value\n"
        "HNL-7,2026-03-02,sales,100\n"
        "HNL-7,2026-03-03,sales,n/a\n"  # a bad row: reported, not failing
        "HNL-8,2026-03-02,sales,200\n",
    )
    # The config lists stores and catalog last; a sync applies them first.
    store.write_config(
        config_text(
            "HNL-7",
            "Pacific/Honolulu",
            [
                ("metrics", "metrics", "feeds/metrics.csv"),
                ("catalog", "catalog", "feeds/catalog.csv"),
                ("stores", "stores", "feeds/stores.csv"),
            ],
        )
    )
    first = store.sync()
    assert first.returncode == 0, first.stdout + first.stderr
    lines = first.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["stores", "catalog", "metrics"]
    assert lines[2].startswith("metrics: ok, applied 2 rows")  # HNL-8 is in the region
    assert "line 3, field value" in lines[2]

    # A feed whose header lacks a required field is rejected; the old data stays.
    store.feed("metrics.csv", "store_id,day,metric,value\nHNL-7,2026-03-02,sales,999\n")
    second = store.sync()
    assert second.returncode == 1
    lines = second.stdout.strip().splitlines()
    assert len(lines) == 3
    assert lines[2].startswith("metrics: error, rejected: the header lacks the required field date")
    board = store.scoreboard("2026-03-02")
    assert [(m["metric"], m["actual"]) for m in board["metrics"]] == [("sales", 100)]


def test_region_change_validators_and_a_rejected_pull_over_http(
    store: Store, httpserver: HTTPServer
) -> None:
    hq = Hq(httpserver)
    hq.publish("stores.csv", "store_id,name,region\nAKL-1,Ponsonby,North\nWLG-1,Cuba,South\n", "s1")
    hq.publish("catalog.csv", "metric\nsales\n", "c1")
    metrics = "store_id,date,metric,value\nAKL-1,2026-03-02,sales,10\nWLG-1,2026-03-02,sales,20\n"
    hq.publish("metrics.csv", metrics, "m1")
    store.write_config(
        config_text(
            "AKL-1",
            "Pacific/Auckland",
            [
                ("metrics", "metrics", hq.url("metrics.csv")),
                ("stores", "stores", hq.url("stores.csv")),
                ("catalog", "catalog", hq.url("catalog.csv")),
            ],
        )
    )
    assert store.sync().returncode == 0
    assert hq.take() == {"stores.csv": None, "catalog.csv": None, "metrics.csv": None}
    assert store.status()["metrics"]["rows_applied"] == 1  # WLG-1 is in another region

    again = store.sync()
    assert again.returncode == 0
    assert again.stdout.count("unchanged (HTTP 304)") == 3
    assert hq.take() == {"stores.csv": '"s1"', "catalog.csv": '"c1"', "metrics.csv": '"m1"'}

    # AKL-1 moves to the South: the next pull of every other feed is unconditional, and
    # brings WLG-1's rows, which the earlier pulls had dropped.
    hq.publish("stores.csv", "store_id,name,region\nAKL-1,Ponsonby,South\nWLG-1,Cuba,South\n", "s2")
    moved = store.sync()
    assert moved.returncode == 0, moved.stdout
    assert hq.take() == {"stores.csv": '"s1"', "catalog.csv": None, "metrics.csv": None}
    assert "metrics: ok, applied 2 rows" in moved.stdout

    # A rejected pull stores no validators: the next request still carries the last applied
    # ETag, so the new (still broken) file is fetched whole and rejected again.
    hq.publish("metrics.csv", "store_id,date,metric,value\nAKL-1,2026-03-02,sales,x\n", "m2")
    for _ in range(2):
        rejected = store.sync()
        assert rejected.returncode == 1
        assert "metrics: error, rejected: every one of the 1 data rows is bad" in rejected.stdout
        assert hq.take()["metrics.csv"] == '"m1"'
    status = store.status()["metrics"]
    assert status["status"] == "error" and status["rejects"] == [
        {"line": 2, "field": "value", "reason": "'x' is not a number"}
    ]
    board = store.scoreboard("2026-03-02")
    assert board["metrics"][0]["actual"] == 10  # the old data is kept


def test_a_local_file_with_the_same_size_and_time_is_unchanged(store: Store) -> None:
    path = store.feed("metrics.csv", "store_id,date,metric,value\nS1,2026-03-02,sales,10\n")
    store.write_config(config_text("S1", "UTC", [("metrics", "metrics", "feeds/metrics.csv")]))
    assert "applied 1 row" in store.sync().stdout
    assert "unchanged (same file size and time)" in store.sync().stdout

    # Other bytes of the same size, with the old modification time put back: unchanged.
    before = os.stat(path)
    path.write_text("store_id,date,metric,value\nS1,2026-03-02,sales,99\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "unchanged" in store.sync().stdout
    assert store.scoreboard("2026-03-02")["metrics"] == []  # no catalog, no entries

    # A new modification time: read again.
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert "metrics: ok, applied 1 row" in store.sync().stdout


def test_status_json_fields_types_and_the_cap_of_100_rejects(store: Store, tmp_path: Path) -> None:
    bad = [f"S1,2026-03-02,m{i},{i}.5.5" for i in range(150)]
    store.feed("metrics.csv", "\n".join(["store_id,date,metric,value", "S1,2026-03-02,a,1", *bad]))
    store.write_config(
        config_text(
            "S1",
            "Pacific/Honolulu",
            [
                ("metrics", "metrics", "feeds/metrics.csv"),
                ("missing", "comments", "feeds/nowhere.csv"),
                ("later", "messages", "http://127.0.0.1:9/never-pulled.csv"),
            ],
        )
    )
    before = store.status()
    assert before["later"] == {
        **before["later"],
        "status": "never",
        "last_attempt": None,
        "last_success": None,
        "rows_applied": 0,
        "rows_rejected": 0,
        "error": None,
        "rejects": [],
    }

    # Pull two of the three feeds only (the third would wait for a connection timeout).
    store.write_config(
        config_text(
            "S1",
            "Pacific/Honolulu",
            [
                ("metrics", "metrics", "feeds/metrics.csv"),
                ("missing", "comments", "feeds/nowhere.csv"),
            ],
        )
    )
    assert store.sync().returncode == 1
    feeds = store.status()
    metrics, missing = feeds["metrics"], feeds["missing"]
    for feed in (metrics, missing):
        assert set(feed) >= {
            "name",
            "kind",
            "url",
            "last_attempt",
            "last_success",
            "status",
            "rows_applied",
            "rows_rejected",
            "error",
            "rejects",
        }
        assert ISO_WITH_OFFSET.fullmatch(feed["last_attempt"])
        assert feed["last_attempt"].endswith("-10:00")  # the store's time zone
    assert metrics["kind"] == "metrics" and metrics["status"] == "ok"
    assert metrics["url"] == str(store.root / "feeds" / "metrics.csv")
    assert ISO_WITH_OFFSET.fullmatch(metrics["last_success"])
    attempt = dt.datetime.fromisoformat(metrics["last_attempt"])
    assert abs(dt.datetime.now(dt.UTC) - attempt) < dt.timedelta(minutes=5)
    assert (metrics["rows_applied"], metrics["rows_rejected"], metrics["error"]) == (1, 150, None)
    assert len(metrics["rejects"]) == 100
    first = metrics["rejects"][0]
    assert (first["line"], first["field"]) == (3, "value")
    assert first["reason"].startswith("'0.5.5' is not a number")
    assert metrics["rejects"][-1]["line"] == 102
    assert missing["status"] == "error" and missing["last_success"] is None
    assert isinstance(missing["error"], str) and "nowhere.csv" in missing["error"]
    assert (missing["rows_applied"], missing["rows_rejected"], missing["rejects"]) == (0, 0, [])
