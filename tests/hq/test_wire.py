"""The kiosk wire protocol, in-process: acknowledgements, idempotency, tokens, limits, refusals."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from hq.store.models import Entry, HeartbeatRecord, Shoutout, Store, UploadRecord
from hq.tokens import token_hash
from tests.hq import helpers as h
from tests.hq.conftest import Hq, make_hq


def count(hq: Hq, model: Any) -> int:
    with hq.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(
    "make_body", [h.entry, h.shoutout, lambda: h.shoutout_deleted(h.shoutout())]
)
def test_each_upload_kind_is_acknowledged_exactly_as_documented(hq: Hq, make_body: Any) -> None:
    token = hq.token("S001")
    body = make_body()
    response = hq.upload(body, token)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"ok": True, "idempotency_key": body["idempotency_key"]}
    assert h.is_ack(response, body)
    sent = email.utils.parsedate_to_datetime(response.headers["date"])
    assert sent == hq.clock().replace(microsecond=0)


def test_heartbeat_ack_adds_server_time(hq: Hq) -> None:
    token = hq.token("S001")
    body = h.heartbeat()
    response = hq.heartbeat(body, token)
    assert h.is_ack(response, body)
    answer = response.json()
    assert dt.datetime.fromisoformat(answer["server_time"]) == hq.clock()
    assert set(answer) == {"ok", "idempotency_key", "server_time"}


def test_same_key_twice_is_applied_once_and_acknowledged_both_times(hq: Hq) -> None:
    token = hq.token("S001")
    body = h.entry(value=10)
    first, second = hq.upload(body, token), hq.upload(body, token)
    assert h.is_ack(first, body) and h.is_ack(second, body)
    assert "duplicate" not in first.json()
    assert second.json()["duplicate"] is True
    assert count(hq, Entry) == 1
    assert count(hq, UploadRecord) == 1


def test_a_repeated_heartbeat_is_recorded_once(hq: Hq) -> None:
    token = hq.token("S001")
    body = h.heartbeat()
    assert h.is_ack(hq.heartbeat(body, token), body)
    assert hq.heartbeat(body, token).json()["duplicate"] is True
    assert count(hq, HeartbeatRecord) == 1


def test_a_key_reused_for_another_kind_is_refused_not_acknowledged(hq: Hq) -> None:
    token = hq.token("S001")
    entry = h.entry()
    hq.upload(entry, token)
    response = hq.upload(h.shoutout(idempotency_key=entry["idempotency_key"]), token)
    assert response.status_code == 422
    assert "idempotency_key" in response.json()["error"]
    assert count(hq, Shoutout) == 0


@pytest.mark.parametrize("path", ["/api/v1/uploads", "/api/v1/heartbeat"])
def test_a_token_speaks_only_for_its_store(hq: Hq, path: str) -> None:
    token = hq.token("S001")
    hq.token("S002")
    body = h.entry("S002") if path.endswith("uploads") else h.heartbeat("S002")
    response = hq.post(path, body, token)
    assert response.status_code == 403
    assert response.json()["ok"] is False
    assert "store_id" in response.json()["error"]
    assert count(hq, Entry) == 0 and count(hq, HeartbeatRecord) == 0


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer",
        "Bearer not a token",
        "Basic b3BzOm5pZ2h0LXNoaWZ0LTJhbQ==",
        "Bearer " + "A" * 43,  # the right shape, but no store has it
    ],
)
def test_missing_or_unknown_token_is_401(hq: Hq, authorization: str | None) -> None:
    hq.token("S001")
    body = h.entry()
    sent = h.headers("x", body)
    sent.pop("Authorization")
    if authorization is not None:
        sent["Authorization"] = authorization
    response = hq.client.post("/api/v1/uploads", content=h.encode(body), headers=sent)
    assert response.status_code == 401
    assert response.json()["ok"] is False
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert count(hq, Entry) == 0


def test_a_new_token_revokes_the_previous_one(hq: Hq) -> None:
    old = hq.token("S001")
    new = hq.token("S001")
    assert old != new
    assert hq.upload(h.entry(), old).status_code == 401
    assert hq.upload(h.entry(), new).status_code == 200


def test_tokens_are_stored_only_as_their_sha256(hq: Hq) -> None:
    token = hq.token("S001")
    with hq.db.read() as session:
        store = session.get(Store, "S001")
        assert store is not None
        assert store.token_hash == token_hash(token)
        row = session.execute(select(Store.__table__)).one()
    assert token not in json.dumps([str(value) for value in row])


def test_an_upload_over_64_kib_is_413_and_one_just_under_is_taken(hq: Hq) -> None:
    token = hq.token("S001")
    small = h.entry(padding="")
    small["padding"] = "x" * (64 * 1024 - len(h.encode(small)))
    assert len(h.encode(small)) == 64 * 1024
    assert hq.upload(small, token).status_code == 200  # unknown fields are ignored
    big = h.entry(padding="x" * (64 * 1024))
    response = hq.upload(big, token)
    assert response.status_code == 413
    assert response.json() == {"ok": False, "error": "body: larger than 65536 bytes"}


def test_a_heartbeat_may_be_256_kib_not_more(hq: Hq) -> None:
    token = hq.token("S001")
    picture = h.JPEG[:-2] + bytes(150_000) + b"\xff\xd9"  # ~200 KB base64 in the body
    body = h.heartbeat(thumbnail=h.thumbnail(picture))
    assert 64 * 1024 < len(h.encode(body)) < 256 * 1024
    assert hq.heartbeat(body, token).status_code == 200
    too_big = h.heartbeat(padding="x" * (256 * 1024))
    assert hq.heartbeat(too_big, token).status_code == 413


def test_a_chunked_body_over_the_limit_is_413(hq: Hq) -> None:
    """No Content-Length: counted as it streams (the real-server test shows it is refused
    before the client has finished sending)."""
    token = hq.token("S001")
    body = h.entry(padding="x" * 100_000)
    raw = h.encode(body)

    def chunks() -> Any:
        for start in range(0, len(raw), 8192):
            yield raw[start : start + 8192]

    response = hq.client.post("/api/v1/uploads", content=chunks(), headers=h.headers(token, body))
    assert response.status_code == 413
    assert count(hq, Entry) == 0


def test_the_per_store_rate_limit_answers_429_with_retry_after(
    tmp_path: Any, clock: h.FakeClock
) -> None:
    from hq.config import load_config

    config = load_config(h.write_config(tmp_path, "[limits]\nrequests_per_minute = 3\n"))
    for hq in make_hq(config, clock):
        token, other = hq.token("S001"), hq.token("S002")
        for _ in range(3):
            assert hq.upload(h.entry(), token).status_code == 200
        refused = hq.upload(h.entry(), token)
        assert refused.status_code == 429
        assert refused.json()["ok"] is False
        assert int(refused.headers["retry-after"]) == 20  # one request per 20 s refills
        assert hq.upload(h.entry("S002"), other).status_code == 200  # per store
        clock.advance(seconds=20)
        assert hq.upload(h.entry(), token).status_code == 200
        assert hq.upload(h.entry(), token).status_code == 429


def _mutated(make: Any, **changes: Any) -> dict[str, Any]:
    body = make()
    for name, value in changes.items():
        if value is _DROP:
            body.pop(name)
        else:
            body[name] = value
    return body


_DROP = object()

BAD_BODIES = [
    ("value-text", lambda: _mutated(h.entry, value="12"), "value"),
    ("value-bool", lambda: _mutated(h.entry, value=True), "value"),
    ("value-huge", lambda: _mutated(h.entry, value=1e300), "value"),
    ("previous-text", lambda: _mutated(h.entry, previous_value="x"), "previous_value"),
    ("date-month-13", lambda: _mutated(h.entry, date="2026-13-01"), "date"),
    ("date-us", lambda: _mutated(h.entry, date="11/24/2026"), "date"),
    ("entered-naive", lambda: _mutated(h.entry, entered_at="2026-11-24T21:00:00"), "entered_at"),
    ("metric-missing", lambda: _mutated(h.entry, metric=_DROP), "metric"),
    ("metric-nul", lambda: _mutated(h.entry, metric="sa\x00les"), "metric"),
    ("kind-unknown", lambda: _mutated(h.entry, kind="photo"), "kind"),
    ("schema-2", lambda: _mutated(h.entry, schema_version=2), "schema_version"),
    ("store-missing", lambda: _mutated(h.entry, store_id=_DROP), "store_id"),
    ("key-not-uuid", lambda: _mutated(h.entry, idempotency_key="42"), "idempotency_key"),
    ("text-empty", lambda: _mutated(h.shoutout, text="  "), "text"),
    ("text-201", lambda: _mutated(h.shoutout, text="x" * 201), "text"),
    ("text-surrogate", lambda: _mutated(h.shoutout, text="\ud800"), "text"),
    ("until-before-day", lambda: _mutated(h.shoutout, until="2026-11-01"), "until"),
    ("shoutout-id-negative", lambda: _mutated(h.shoutout, shoutout_id=-1), "shoutout_id"),
    (
        "deletion-key-bad",
        lambda: h.shoutout_deleted(h.shoutout(), shoutout_key="nope"),
        "shoutout_key",
    ),
]

BAD_HEARTBEATS = [
    (
        "feeds-status",
        lambda: h.heartbeat(feeds=[h.feed(), h.feed(status="bad")]),
        "feeds[1].status",
    ),
    ("feeds-not-list", lambda: h.heartbeat(feeds={}), "feeds"),
    ("stale-missing", lambda: h.heartbeat(freshness={"last_success": None}), "freshness.stale"),
    ("display-on-text", lambda: h.heartbeat(display={"on": "yes"}), "display.on"),
    (
        "outbox-pending",
        lambda: h.heartbeat(outbox={"pending": 1.5, "oldest": None}),
        "outbox.pending",
    ),
    ("sent-at", lambda: h.heartbeat(sent_at="yesterday"), "sent_at"),
    ("app-version", lambda: h.heartbeat(app_version=None), "app_version"),
    (
        "thumb-sha",
        lambda: h.heartbeat(thumbnail={**h.thumbnail(), "sha256": "0" * 64}),
        "thumbnail.sha256",
    ),
    (
        "thumb-not-jpeg",
        lambda: h.heartbeat(thumbnail=h.thumbnail(b"\x89PNG\r\n\x1a\n" + bytes(20))),
        "thumbnail.data",
    ),
    (
        "thumb-type",
        lambda: h.heartbeat(thumbnail={**h.thumbnail(), "media_type": "image/svg+xml"}),
        "thumbnail.media_type",
    ),
    ("thumb-sha-shown", lambda: h.heartbeat(thumbnail_sha256="ABC"), "thumbnail_sha256"),
]


@pytest.mark.parametrize(
    ("make_body", "field"),
    [pytest.param(make, field, id=name) for name, make, field in BAD_BODIES],
)
def test_a_bad_upload_is_422_naming_the_field(hq: Hq, make_body: Any, field: str) -> None:
    token = hq.token("S001")
    body = make_body()
    response = hq.upload(body, token)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["ok"] is False
    assert answer["error"].startswith(f"{field}: "), answer["error"]
    assert count(hq, UploadRecord) == 0


@pytest.mark.parametrize(
    ("make_body", "field"),
    [pytest.param(make, field, id=name) for name, make, field in BAD_HEARTBEATS],
)
def test_a_bad_heartbeat_is_422_naming_the_field(hq: Hq, make_body: Any, field: str) -> None:
    token = hq.token("S001")
    response = hq.heartbeat(make_body(), token)
    assert response.status_code == 422, response.text
    assert response.json()["error"].startswith(f"{field}: "), response.json()["error"]
    assert count(hq, HeartbeatRecord) == 0


@pytest.mark.parametrize(
    ("raw", "extra_headers", "named"),
    [
        (b"not json", {}, "body"),
        (b"[1, 2]", {}, "body"),
        (b'{"value": NaN}', {}, "body"),
        (b"\xff\xfe{}", {}, "body"),
        (b"[" * 5000 + b"]" * 5000, {}, "body"),
        (None, {"Content-Type": "text/plain"}, "Content-Type"),
        (None, {"Idempotency-Key": "0b7f3c1e-0000-4000-8000-000000000000"}, "Idempotency-Key"),
    ],
    ids=["text", "array", "nan", "not-utf8", "deep", "content-type", "key-header-differs"],
)
def test_a_body_that_is_not_one_json_object_is_400(
    hq: Hq, raw: bytes | None, extra_headers: dict[str, str], named: str
) -> None:
    token = hq.token("S001")
    body = h.entry()
    sent = {**h.headers(token, body), **extra_headers}
    response = hq.client.post("/api/v1/uploads", content=raw or h.encode(body), headers=sent)
    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith(f"{named}: ")


def test_the_idempotency_key_header_is_required(hq: Hq) -> None:
    token = hq.token("S001")
    body = h.entry()
    sent = h.headers(token, body)
    sent.pop("Idempotency-Key")
    response = hq.client.post("/api/v1/uploads", content=h.encode(body), headers=sent)
    assert response.status_code == 400
    assert response.json()["error"].startswith("Idempotency-Key: ")


def test_a_heartbeat_without_optional_parts_is_taken(hq: Hq) -> None:
    token = hq.token("S001")
    body = h.heartbeat()
    for optional in ("store_name", "region", "display", "outbox", "thumbnail", "uptime_seconds"):
        body.pop(optional)
    assert hq.heartbeat(body, token).status_code == 200


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["entry", "shoutout", "shoutout_deleted", "heartbeat"]),
    field=st.sampled_from(
        [
            "value",
            "date",
            "entered_at",
            "text",
            "day",
            "until",
            "shoutout_id",
            "shoutout_key",
            "feeds",
            "freshness",
            "display",
            "outbox",
            "thumbnail",
            "sent_at",
            "metric",
            "previous_value",
            "store_name",
            "region",
            "clock_offset_seconds",
            "database_bytes",
        ]
    ),
    value=JSON_VALUES,
)
def test_no_bad_input_gets_a_5xx(hq: Hq, kind: str, field: str, value: Any) -> None:
    token = hq.token("S001")
    makers = {
        "entry": h.entry,
        "shoutout": h.shoutout,
        "shoutout_deleted": lambda: h.shoutout_deleted(h.shoutout()),
        "heartbeat": h.heartbeat,
    }
    body = makers[kind]()
    body[field] = value
    path = "/api/v1/heartbeat" if kind == "heartbeat" else "/api/v1/uploads"
    response = hq.post(path, body, token)
    assert response.status_code in (200, 400, 422), response.text
    assert response.json()["ok"] is (response.status_code == 200)


def test_every_answer_carries_a_date_header(hq: Hq) -> None:
    token = hq.token("S001")
    answers = [
        hq.upload(h.entry(), token),
        hq.upload(h.entry(), "B" * 43),
        hq.upload(h.entry(value="x"), token),
        hq.upload(h.entry(padding="x" * 70_000), token),
        hq.client.get("/"),
        hq.get("/no/such/page"),
    ]
    assert [a.status_code for a in answers] == [200, 401, 422, 413, 401, 404]
    for answer in answers:
        assert email.utils.parsedate_to_datetime(answer.headers["date"]).tzinfo is not None


def test_a_refusal_repeated_within_a_minute_is_logged_once(
    hq: Hq, caplog: pytest.LogCaptureFixture
) -> None:
    token = hq.token("S001")
    with caplog.at_level("WARNING", logger="hq.api"):
        for _ in range(5):
            assert hq.upload(h.entry(value="x"), token).status_code == 422
        assert hq.upload(h.entry(), "C" * 43).status_code == 401
    lines = [r.getMessage() for r in caplog.records if r.name == "hq.api"]
    assert lines == [
        'upload from S001 (testclient) refused: 422 value: must be a number (got "x")',
        "upload from unknown token (testclient) refused: 401 Authorization: unknown token "
        "(or replaced by a newer one)",
    ]
