"""Every feed kind and what real spreadsheets and real servers send, through a real pull."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select

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
    Target,
)
from tests.sync.servers import (
    RawServer,
    drip_body,
    endless_body,
    truncated_body,
)

FAST = FetchOptions(
    connect_timeout_s=1,
    read_timeout_s=1,
    deadline_s=2,
    retries=1,
    backoff_s=0.1,
    max_bytes=1_000_000,
)

# kind -> (CSV body, JSON records, what the table holds afterwards)
KINDS: dict[str, tuple[str, list[dict[str, object]]]] = {
    "stores": (
        "store_id,name,region\nS001,Downtown,Central\n",
        [{"store_id": "S001", "name": "Downtown", "region": "Central"}],
    ),
    "catalog": (
        "metric,label,unit,direction\nshrink,Shrink,$,down\n",
        [{"metric": "shrink", "label": "Shrink", "unit": "$", "direction": "down"}],
    ),
    "metrics": (
        "store_id,date,metric,value\nS001,2026-11-24,sales,12.5\n",
        [{"store_id": "S001", "date": "2026-11-24", "metric": "sales", "value": 12.5}],
    ),
    "targets": (
        "store_id,metric,period,start,target\nS001,sales,week,2026-11-23,100\n",
        [
            {
                "store_id": "S001",
                "metric": "sales",
                "period": "week",
                "start": "2026-11-23",
                "target": 100,
            }
        ],
    ),
    "comments": (
        "store_id,date,text,rating,source\nS001,2026-11-24,Lovely,5,Google\n",
        [
            {
                "store_id": "S001",
                "date": "2026-11-24",
                "text": "Lovely",
                "rating": 5,
                "source": "Google",
            }
        ],
    ),
    "messages": (
        "store_id,start,end,title,kind\n*,2026-11-20,2026-11-30,Hours,news\n",
        [
            {
                "store_id": "*",
                "start": "2026-11-20",
                "end": "2026-11-30",
                "title": "Hours",
                "kind": "news",
            }
        ],
    ),
}


def stored(db: Database, kind: str) -> list[tuple[object, ...]]:
    with db.read() as s:
        if kind == "stores":
            return [(r.store_id, r.name, r.region) for r in s.scalars(select(Store))]
        if kind == "catalog":
            return [
                (r.metric, r.label, r.unit, r.direction, r.aggregate)
                for r in s.scalars(select(CatalogMetric))
            ]
        if kind == "metrics":
            return [(r.store_id, r.day, r.metric, r.value) for r in s.scalars(select(MetricValue))]
        if kind == "targets":
            return [
                (r.store_id, r.metric, r.period, r.start, r.target)
                for r in s.scalars(select(Target))
            ]
        if kind == "comments":
            return [
                (r.store_id, r.day, r.text, r.rating, r.source) for r in s.scalars(select(Comment))
            ]
        return [(r.store_id, r.start, r.end, r.title, r.kind) for r in s.scalars(select(Message))]


EXPECTED = {
    "stores": [("S001", "Downtown", "Central")],
    "catalog": [("shrink", "Shrink", "$", "down", "sum")],
    "metrics": [("S001", dt.date(2026, 11, 24), "sales", 12.5)],
    "targets": [("S001", "sales", "week", dt.date(2026, 11, 23), 100.0)],
    "comments": [("S001", dt.date(2026, 11, 24), "Lovely", 5.0, "Google")],
    "messages": [("*", dt.date(2026, 11, 20), dt.date(2026, 11, 30), "Hours", "news")],
}


@pytest.fixture
def service(db: Database):
    svc = SyncService(db, "S001", [])
    yield svc
    svc.close()


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_in_csv_and_json(
    db: Database, httpserver: HTTPServer, service: SyncService, kind: str, fmt: str
) -> None:
    csv_body, records = KINDS[kind]
    if fmt == "csv":
        httpserver.expect_request("/feed").respond_with_data(csv_body, content_type="text/csv")
    else:
        httpserver.expect_request("/feed").respond_with_json({"records": records})
    spec = FeedSpec(name=kind, kind=kind, url=httpserver.url_for("/feed"), fetch=FAST)  # type: ignore[arg-type]
    report = service.pull(spec)
    assert report.outcome == "applied", report.line()
    assert stored(db, kind) == EXPECTED[kind]


def test_a_real_spreadsheet_export(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    """BOM, semicolons, CRLF, odd headers, extra columns, quoted newlines, money and percents."""
    body = (
        "\ufeff Store ID ;DATE;Metric ;  Value;Notes\r\n"
        'S001;2026-11-23;sales;"$12,345.50";"multi\r\nline note"\r\n'
        "S001;2026-11-23;mystery_shopper;87%;\r\n"
        "S001;2026-11-23;appearance; 4.5 ;\r\n"
        "TOTAL;;;12437;\r\n"
        ";;;;\r\n\r\n\r\n"
    ).encode("utf-8")
    httpserver.expect_request("/m.csv").respond_with_data(body, content_type="text/csv")
    spec = FeedSpec(name="metrics", kind="metrics", url=httpserver.url_for("/m.csv"), fetch=FAST)
    report = service.pull(spec)
    assert report.outcome == "applied"
    assert sorted((m, v) for _, _, m, v in stored(db, "metrics")) == [
        ("appearance", 4.5),
        ("mystery_shopper", 87.0),
        ("sales", 12345.5),
    ]
    # the totals line starts on physical line 6 (the quoted newline spans lines 2-3)
    assert [(r.line, r.field) for r in report.rejects] == [(6, "date")]


def test_windows_1252_comments(db: Database, httpserver: HTTPServer, service: SyncService) -> None:
    body = "store_id,date,text\r\nS001,2026-11-24,Caf\xe9 cr\xe8me \u2013 superb\r\n".encode(
        "cp1252"
    )
    httpserver.expect_request("/c.csv").respond_with_data(body, content_type="text/csv")
    spec = FeedSpec(name="comments", kind="comments", url=httpserver.url_for("/c.csv"), fetch=FAST)
    assert service.pull(spec).outcome == "applied"
    assert stored(db, "comments")[0][2] == "Café crème – superb"


def test_european_decimal_comma(db: Database, httpserver: HTTPServer, service: SyncService) -> None:
    body = "store_id;date;metric;value\nS001;2026-11-24;sales;1.234,5\nS001;2026-11-23;sales;4,5\n"
    httpserver.expect_request("/eu.csv").respond_with_data(body, content_type="text/csv")
    spec = FeedSpec(
        name="metrics", kind="metrics", url=httpserver.url_for("/eu.csv"), decimal=",", fetch=FAST
    )
    assert service.pull(spec).outcome == "applied"
    assert sorted(v for *_, v in stored(db, "metrics")) == [4.5, 1234.5]


# --- servers that misbehave: bounded time, old data kept, a status that says why --------


def seed(db: Database, service: SyncService, httpserver: HTTPServer) -> FeedSpec:
    httpserver.expect_request("/seed.csv").respond_with_data(
        KINDS["metrics"][0], content_type="text/csv"
    )
    spec = FeedSpec(name="metrics", kind="metrics", url=httpserver.url_for("/seed.csv"), fetch=FAST)
    assert service.pull(spec).outcome == "applied"
    return spec


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        (drip_body(0.05), "longer than"),
        (endless_body(), "larger than"),
        (truncated_body(declared=5000, sent=100), "closed the connection"),
    ],
    ids=["drip", "endless", "truncated"],
)
def test_misbehaving_server_keeps_old_data(
    db: Database, httpserver: HTTPServer, service: SyncService, handler, reason: str
) -> None:
    spec = seed(db, service, httpserver)
    with RawServer(handler) as bad:
        broken = FeedSpec(name=spec.name, kind=spec.kind, url=bad.url("/seed.csv"), fetch=FAST)
        started = time.monotonic()
        report = service.pull(broken)
        elapsed = time.monotonic() - started
    assert report.outcome == "failed" and reason in (report.error or ""), report.error
    assert elapsed < FAST.deadline_s + FAST.read_timeout_s + 1
    assert stored(db, "metrics") == EXPECTED["metrics"]
    with db.read() as s:
        state = s.get(FeedState, "metrics")
        assert state is not None and state.status == "error" and reason in (state.error or "")


def test_503_with_retry_after_then_ok(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    httpserver.expect_ordered_request("/m.csv").respond_with_data(
        "busy", status=503, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request("/m.csv").respond_with_data(
        KINDS["metrics"][0], content_type="text/csv"
    )
    spec = FeedSpec(
        name="metrics",
        kind="metrics",
        url=httpserver.url_for("/m.csv"),
        fetch=FetchOptions(deadline_s=5, retries=2, backoff_s=0.1),
    )
    started = time.monotonic()
    report = service.pull(spec)
    assert report.outcome == "applied"
    assert time.monotonic() - started >= 1.0  # Retry-After honoured


def test_503_with_long_retry_after_fails_fast(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    spec = seed(db, service, httpserver)
    httpserver.expect_request("/busy.csv").respond_with_data(
        "busy", status=503, headers={"Retry-After": "3600"}
    )
    busy = FeedSpec(name=spec.name, kind=spec.kind, url=httpserver.url_for("/busy.csv"), fetch=FAST)
    started = time.monotonic()
    report = service.pull(busy)
    assert time.monotonic() - started < 2
    assert report.outcome == "failed" and report.http_status == 503
    assert "3600" in (report.error or "")
    assert stored(db, "metrics") == EXPECTED["metrics"]


def test_json_that_is_not_records_is_rejected(
    db: Database, httpserver: HTTPServer, service: SyncService
) -> None:
    spec = seed(db, service, httpserver)
    httpserver.expect_request("/x.json").respond_with_data(
        json.dumps({"data": 5}), content_type="application/json"
    )
    report = service.pull(
        FeedSpec(name=spec.name, kind=spec.kind, url=httpserver.url_for("/x.json"), fetch=FAST)
    )
    assert report.outcome == "rejected"
    assert stored(db, "metrics") == EXPECTED["metrics"]
