"""Pulling feeds end to end: a real HTTP server on 127.0.0.1, a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Request, Response

from sync.service import SyncService
from sync.spec import FeedSpec, FetchOptions
from sync.store.db import Database
from sync.store.models import (
    CatalogMetric,
    Comment,
    FeedState,
    Message,
    MetricValue,
    Store,
    SyncRun,
)

FAST = FetchOptions(connect_timeout_s=2, read_timeout_s=2, deadline_s=5, retries=0)

STORES = "store_id,name,region\nS001,Downtown,Central\nS002,Riverside,Central\nS101,Bayside,West\n"
CATALOG = (
    "metric,label,unit,perspective,direction,aggregate,decimals,entry\n"
    "sales,Sales,$,financial,up,sum,0,yes\n"
    "nps,Promoter score,,customer,up,mean,1,no\n"
)
METRICS = (
    "store_id,date,metric,value\n"
    "S001,2026-11-23,sales,100\n"
    "S001,2026-11-24,sales,200\n"
    "S002,2026-11-24,sales,300\n"
    "S101,2026-11-24,sales,400\n"
)


def spec(server: HTTPServer, name: str, kind: str, path: str | None = None) -> FeedSpec:
    return FeedSpec(
        name=name,
        kind=kind,
        url=server.url_for(path or f"/{name}.csv"),  # type: ignore[arg-type]
        fetch=FAST,
    )


def serve(
    server: HTTPServer,
    path: str,
    body: str,
    *,
    etag: str | None = None,
    content_type: str = "text/csv",
) -> None:
    headers = {"ETag": etag} if etag else {}
    server.expect_request(path).respond_with_data(body, content_type=content_type, headers=headers)


def values(db: Database) -> dict[tuple[str, str], float]:
    with db.read() as s:
        return {(r.store_id, r.day.isoformat()): r.value for r in s.scalars(select(MetricValue))}


def state(db: Database, name: str) -> FeedState:
    with db.read() as s:
        found = s.get(FeedState, name)
        assert found is not None
        return found


@pytest.fixture
def service(db: Database) -> SyncService:
    svc = SyncService(db, "S001", [])
    yield svc
    svc.close()


def test_region_is_kept_and_other_regions_dropped(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    serve(httpserver, "/stores.csv", STORES)
    serve(httpserver, "/metrics.csv", METRICS)
    assert service.pull(spec(httpserver, "stores", "stores")).outcome == "applied"
    report = service.pull(spec(httpserver, "metrics", "metrics"))
    assert report.outcome == "applied"
    assert report.rows_applied == 3 and report.rows_other_stores == 1
    assert values(db) == {
        ("S001", "2026-11-23"): 100,
        ("S001", "2026-11-24"): 200,
        ("S002", "2026-11-24"): 300,
    }
    with db.read() as s:
        assert sorted(s.scalars(select(Store.store_id))) == ["S001", "S002"]


def test_without_a_stores_row_only_own_store_is_kept(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    serve(httpserver, "/metrics.csv", METRICS)
    service.pull(spec(httpserver, "metrics", "metrics"))
    assert set(values(db)) == {("S001", "2026-11-23"), ("S001", "2026-11-24")}


def test_full_sync_applies_stores_and_catalog_first(db: Database, httpserver: HTTPServer) -> None:
    serve(httpserver, "/metrics.csv", METRICS)
    serve(httpserver, "/stores.csv", STORES)
    serve(httpserver, "/catalog.csv", CATALOG)
    feeds = [
        spec(httpserver, "metrics", "metrics"),
        spec(httpserver, "catalog", "catalog"),
        spec(httpserver, "stores", "stores"),
    ]
    svc = SyncService(db, "S001", feeds)
    try:
        reports = svc.pull_all()
    finally:
        svc.close()
    assert [r.name for r in reports] == ["stores", "catalog", "metrics"]
    assert ("S002", "2026-11-24") in values(db)  # region known before metrics arrived


def test_upsert_keeps_history_and_later_row_wins(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    serve(httpserver, "/metrics.csv", METRICS)
    service.pull(spec(httpserver, "metrics", "metrics"))
    httpserver.clear()
    serve(
        httpserver,
        "/metrics.csv",
        "store_id,date,metric,value\nS001,2026-11-24,sales,250\nS001,2026-11-24,sales,260\n",
    )
    report = service.pull(spec(httpserver, "metrics", "metrics"))
    assert report.outcome == "applied"
    assert values(db) == {("S001", "2026-11-23"): 100, ("S001", "2026-11-24"): 260}


def test_bad_row_never_overwrites_a_good_value(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    serve(httpserver, "/metrics.csv", METRICS)
    service.pull(spec(httpserver, "metrics", "metrics"))
    httpserver.clear()
    serve(
        httpserver,
        "/metrics.csv",
        "store_id,date,metric,value\nS001,2026-11-23,sales,n/a\nS001,2026-11-24,sales,210\n",
    )
    report = service.pull(spec(httpserver, "metrics", "metrics"))
    assert report.outcome == "applied" and report.rows_rejected == 1
    assert (report.rejects[0].line, report.rejects[0].field) == (2, "value")
    assert values(db)[("S001", "2026-11-23")] == 100
    assert values(db)[("S001", "2026-11-24")] == 210
    assert json.loads(state(db, "metrics").rejects_json)[0]["line"] == 2


def test_missing_column_rejects_feed_and_keeps_old_data(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    serve(httpserver, "/metrics.csv", METRICS, etag='"v1"')
    service.pull(spec(httpserver, "metrics", "metrics"))
    before = values(db)
    httpserver.clear()
    serve(httpserver, "/metrics.csv", "store_id,date,metric\nS001,2026-11-24,sales\n", etag='"v2"')
    report = service.pull(spec(httpserver, "metrics", "metrics"))
    assert report.outcome == "rejected"
    assert "value" in (report.error or "")
    assert values(db) == before
    st = state(db, "metrics")
    assert st.status == "error" and st.etag == '"v1"'  # the rejected feed's ETag not stored


def test_rejected_feed_is_fetched_whole_next_time(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    serve(httpserver, "/metrics.csv", "store_id,date,metric\nS001,2026-11-24,sales\n", etag='"bad"')
    assert service.pull(spec(httpserver, "metrics", "metrics")).outcome == "rejected"
    httpserver.clear()
    seen: list[str | None] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("If-None-Match"))
        return Response(METRICS, content_type="text/csv", headers={"ETag": '"good"'})

    httpserver.expect_request("/metrics.csv").respond_with_handler(handler)
    assert service.pull(spec(httpserver, "metrics", "metrics")).outcome == "applied"
    assert seen == [None]


def test_every_row_bad_rejects_feed(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    serve(httpserver, "/metrics.csv", METRICS)
    service.pull(spec(httpserver, "metrics", "metrics"))
    httpserver.clear()
    serve(
        httpserver,
        "/metrics.csv",
        "store_id,date,metric,value\nS001,11/24/2026,sales,5\nS001,2026-11-24,sales,x\n",
    )
    report = service.pull(spec(httpserver, "metrics", "metrics"))
    assert report.outcome == "rejected" and report.rows_rejected == 2
    assert "every one of the 2 data rows is bad" in (report.error or "")
    assert values(db)[("S001", "2026-11-24")] == 200


def test_not_modified_sends_validators_and_writes_no_data(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    requests_seen: list[str | None] = []

    def handler(request: Request) -> Response:
        requests_seen.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(METRICS, content_type="text/csv", headers={"ETag": '"v1"'})

    httpserver.expect_request("/metrics.csv").respond_with_handler(handler)
    feed = spec(httpserver, "metrics", "metrics")
    assert service.pull(feed).outcome == "applied"
    changed_at = state(db, "metrics").last_change
    report = service.pull(feed)
    assert report.outcome == "unchanged" and report.http_status == 304 and not report.changed
    assert requests_seen == [None, '"v1"']
    st = state(db, "metrics")
    assert st.last_change == changed_at and st.status == "ok"
    assert st.rows_applied == 2  # still describes the last pull that had a body


def test_snapshot_replaces_only_the_same_feeds_rows(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    header = "store_id,date,text,rating\n"
    serve(httpserver, "/c1.csv", header + "S001,2026-11-20,Old one,5\nS001,2026-11-21,Two,4\n")
    serve(httpserver, "/c2.csv", header + "S001,2026-11-22,Other feed,3\n")
    service.pull(spec(httpserver, "c1", "comments", "/c1.csv"))
    service.pull(spec(httpserver, "c2", "comments", "/c2.csv"))
    httpserver.clear()
    serve(httpserver, "/c1.csv", header + "S001,2026-11-23,New one,5\n")
    service.pull(spec(httpserver, "c1", "comments", "/c1.csv"))
    with db.read() as s:
        texts = sorted(s.scalars(select(Comment.text)))
    assert texts == ["New one", "Other feed"]


def test_header_only_comments_empty_the_snapshot_but_catalog_is_rejected(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    serve(httpserver, "/comments.csv", "store_id,date,text\nS001,2026-11-20,Hi\n")
    serve(httpserver, "/catalog.csv", CATALOG)
    service.pull(spec(httpserver, "comments", "comments"))
    service.pull(spec(httpserver, "catalog", "catalog"))
    httpserver.clear()
    serve(httpserver, "/comments.csv", "store_id,date,text\n")
    serve(httpserver, "/catalog.csv", "metric,label\n")
    assert service.pull(spec(httpserver, "comments", "comments")).outcome == "applied"
    report = service.pull(spec(httpserver, "catalog", "catalog"))
    assert report.outcome == "rejected"
    with db.read() as s:
        assert list(s.scalars(select(Comment))) == []
        assert sorted(s.scalars(select(CatalogMetric.metric))) == ["nps", "sales"]


def test_messages_for_every_store_are_kept(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    body = json.dumps(
        {
            "records": [
                {"store_id": "*", "start": "2026-11-01", "title": "For all"},
                {"store_id": "S001", "start": "2026-11-01", "title": "For us", "kind": "Story"},
                {"store_id": "S999", "start": "2026-11-01", "title": "Not for us"},
            ]
        }
    )
    serve(httpserver, "/messages.json", body, content_type="application/json")
    report = service.pull(spec(httpserver, "messages", "messages", "/messages.json"))
    assert report.outcome == "applied" and report.rows_applied == 2
    with db.read() as s:
        got = sorted((m.title, m.kind) for m in s.scalars(select(Message)))
    assert got == [("For all", "news"), ("For us", "story")]


def test_region_change_makes_next_pulls_unconditional(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    serve(httpserver, "/stores.csv", "store_id,name,region\nS001,Downtown,Central\n")
    serve(httpserver, "/metrics.csv", METRICS, etag='"m1"')
    service.pull(spec(httpserver, "stores", "stores"))
    service.pull(spec(httpserver, "metrics", "metrics"))
    assert state(db, "metrics").etag == '"m1"'
    httpserver.clear()
    serve(httpserver, "/stores.csv", STORES)
    report = service.pull(spec(httpserver, "stores", "stores"))
    assert report.region_changed
    assert state(db, "metrics").etag is None  # next metrics pull fetches everything


def test_html_page_is_an_error_and_keeps_data(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    serve(httpserver, "/metrics.csv", METRICS)
    service.pull(spec(httpserver, "metrics", "metrics"))
    httpserver.clear()
    serve(
        httpserver,
        "/metrics.csv",
        "<!DOCTYPE html><html><body>Please log in</body></html>",
        content_type="text/html",
    )
    report = service.pull(spec(httpserver, "metrics", "metrics"))
    assert not report.ok and "HTML" in (report.error or "")
    assert len(values(db)) == 2


def test_every_attempt_is_recorded(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    serve(httpserver, "/metrics.csv", METRICS)
    feed = spec(httpserver, "metrics", "metrics")
    service.pull(feed)
    httpserver.clear()
    httpserver.expect_request("/metrics.csv").respond_with_data("", status=500)
    report = service.pull(feed)
    assert report.outcome == "failed" and report.http_status == 500
    with db.read() as s:
        runs = [(r.outcome, r.http_status) for r in s.scalars(select(SyncRun).order_by(SyncRun.id))]
    assert runs == [("applied", 200), ("failed", 500)]
    st = state(db, "metrics")
    assert st.status == "error" and st.last_success is not None
    assert st.last_attempt is not None and st.last_attempt >= st.last_success


def test_local_file_unchanged_by_size_and_mtime(
    db: Database, tmp_path: Path, service: SyncService
) -> None:
    path = tmp_path / "metrics.csv"
    path.write_text(METRICS)
    feed = FeedSpec(name="metrics", kind="metrics", url=str(path))
    assert service.pull(feed).outcome == "applied"
    assert service.pull(feed).outcome == "unchanged"
    path.write_text(METRICS.replace("200", "201"))
    assert service.pull(feed).outcome == "applied"
    assert values(db)[("S001", "2026-11-24")] == 201


def test_report_lines(db: Database, httpserver: HTTPServer, service: SyncService) -> None:
    serve(httpserver, "/metrics.csv", METRICS + "S001,2026-11-25,sales,abc\n")
    line = service.pull(spec(httpserver, "metrics", "metrics")).line()
    assert line.startswith("metrics: ok, applied 2 rows, skipped 1 bad row (first: line 6")
