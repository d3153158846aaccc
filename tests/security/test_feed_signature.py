"""Feed authenticity: HMAC-SHA256 signatures in a header or a detached `.sig` (issue 7, item 5).

Through real pulls (`SyncService.pull`) against a real HTTP server on 127.0.0.1 and local
files: a right signature applies the feed; a missing, malformed or wrong one rejects it with a
status that says so, keeps the old data and stores no validators; a 304 needs none. The secret
comes from the config or the environment and never shows up in a log line, a status, a repr.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import hmac
import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Request, Response

from kiosk.config import ConfigError, load_config
from sync.fetch import signature as sig
from sync.service import SyncService
from sync.spec import FeedSignature, FeedSpec, FetchOptions
from sync.store.db import Database
from sync.store.models import FeedState, MetricValue, SyncRun

SECRET = "k3Y-for-tests-0nly-7f9a2c"  # distinctive, so a leak is easy to spot
OLD = b"store_id,date,metric,value\nS001,2026-11-24,sales,100\n"
NEW = b"store_id,date,metric,value\nS001,2026-11-24,sales,999\n"
FAST = FetchOptions(connect_timeout_s=1, read_timeout_s=2, deadline_s=4, retries=0)


def mac(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def spec_for(url: str, mode: str = "header", header: str = "X-Signature", **kw) -> FeedSpec:
    signature = FeedSignature(secret=SECRET.encode(), mode=mode, header=header)  # type: ignore[arg-type]
    return FeedSpec(name="metrics", kind="metrics", url=url, fetch=FAST, signature=signature, **kw)


def sales(db: Database) -> list[float]:
    with db.read() as session:
        return [v.value for v in session.scalars(select(MetricValue))]


def state(db: Database) -> FeedState:
    with db.read() as session:
        found = session.get(FeedState, "metrics")
        assert found is not None
        session.expunge(found)
        return found


@pytest.fixture
def service(db: Database):
    svc = SyncService(db, "S001", [])
    yield svc
    svc.close()


# --- the signature itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        f"sha256={mac(NEW)}",
        mac(NEW),
        mac(NEW).upper(),
        f"  sha256={mac(NEW)}\r\n",
        f"{mac(NEW)}\n",
    ],
)
def test_accepted_value_forms(value: str) -> None:
    assert sig.parse_value(value) == bytes.fromhex(mac(NEW))


@pytest.mark.parametrize(
    "value",
    [
        "",
        "sha256=",
        mac(NEW)[:-1],
        mac(NEW) + "0",
        "sha1=" + mac(NEW),
        "zz" * 32,
        "sha256:" + mac(NEW),
    ],
)
def test_malformed_values(value: str) -> None:
    assert sig.parse_value(value) is None


def test_signature_urls() -> None:
    assert sig.signature_url("https://hq/f/metrics.csv") == "https://hq/f/metrics.csv.sig"
    assert sig.signature_url("https://hq/f/m.csv?v=2&t=x") == "https://hq/f/m.csv.sig?v=2&t=x"
    assert sig.signature_url("/srv/feeds/m.csv") == "/srv/feeds/m.csv.sig"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_the_documented_openssl_command_makes_the_same_signature(tmp_path: Path) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_bytes(NEW)
    out = subprocess.run(
        ["openssl", "dgst", "-sha256", "-hmac", SECRET, "-hex", str(feed)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # "HMAC-SHA2-256(feed.csv)= <hex>" (OpenSSL 3) or "HMAC-SHA256(...)= <hex>" (1.1)
    assert out.strip().rsplit(" ", 1)[-1] == sig.sign(SECRET.encode(), NEW) == mac(NEW)


def test_the_comparison_is_constant_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db: Database, service: SyncService
) -> None:
    calls = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(sig.hmac, "compare_digest", spy)
    feed = tmp_path / "m.csv"
    feed.write_bytes(NEW)
    (tmp_path / "m.csv.sig").write_text(mac(NEW))
    assert service.pull(spec_for(str(feed), mode="file")).outcome == "applied"
    assert calls == [(32, 32)]


# --- header mode, over HTTP -----------------------------------------------------------------


def test_a_right_header_applies_the_feed(db: Database, httpserver: HTTPServer, service) -> None:
    httpserver.expect_request("/m.csv").respond_with_data(
        NEW, content_type="text/csv", headers={"X-Signature": f"sha256={mac(NEW)}"}
    )
    report = service.pull(spec_for(httpserver.url_for("/m.csv")))
    assert report.outcome == "applied", report.error
    assert sales(db) == [999]


def test_a_bare_hex_header_under_a_configured_name(
    db: Database, httpserver: HTTPServer, service
) -> None:
    # An object store's metadata header, as S3 serves x-amz-meta-* for an object.
    httpserver.expect_request("/m.csv").respond_with_data(
        NEW, content_type="text/csv", headers={"x-amz-meta-signature": mac(NEW)}
    )
    spec = spec_for(httpserver.url_for("/m.csv"), header="X-Amz-Meta-Signature")
    assert service.pull(spec).outcome == "applied"


def seed_old(db: Database, httpserver: HTTPServer, service: SyncService) -> None:
    """The feed as it was: applied with a right signature and ETag "v1"."""
    httpserver.expect_ordered_request("/m.csv").respond_with_data(
        OLD,
        content_type="text/csv",
        headers={"X-Signature": mac(OLD), "ETag": '"v1"'},
    )
    assert service.pull(spec_for(httpserver.url_for("/m.csv"))).outcome == "applied"
    assert sales(db) == [100] and state(db).etag == '"v1"'


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "signature missing: HQ sent no valid X-Signature header"),
        ({"X-Signature": ""}, "signature missing"),
        ({"X-Signature": "sha256=abc"}, "signature malformed"),
        ({"X-Signature": mac(NEW, "another-secret-of-hq-123")}, sig.MISMATCH),
        ({"X-Signature": mac(OLD)}, sig.MISMATCH),  # a replayed signature of the old file
    ],
    ids=["missing", "empty", "malformed", "other-secret", "replayed"],
)
def test_a_missing_or_wrong_header_rejects_the_feed_and_keeps_the_old_data(
    db: Database, httpserver: HTTPServer, service, headers: dict[str, str], reason: str
) -> None:
    seed_old(db, httpserver, service)
    httpserver.expect_ordered_request("/m.csv").respond_with_data(
        NEW, content_type="text/csv", headers={**headers, "ETag": '"v2"'}
    )
    report = service.pull(spec_for(httpserver.url_for("/m.csv")))
    assert report.outcome == "rejected"
    assert report.error is not None and report.error.startswith(reason), report.error
    assert "kept the previous data" in report.line()
    assert sales(db) == [100]  # the old data stays
    row = state(db)
    assert row.status == "error" and row.error == report.error
    assert row.etag == '"v1"'  # the new validators were not stored: fetched whole next time

    # HQ fixes the signature: the next pull is conditional on v1, so it brings v2 whole.
    httpserver.expect_ordered_request(
        "/m.csv", headers={"If-None-Match": '"v1"'}
    ).respond_with_data(
        NEW, content_type="text/csv", headers={"X-Signature": mac(NEW), "ETag": '"v2"'}
    )
    assert service.pull(spec_for(httpserver.url_for("/m.csv"))).outcome == "applied"
    assert sales(db) == [999] and state(db).etag == '"v2"'
    httpserver.check_assertions()


def test_a_304_needs_no_signature(db: Database, httpserver: HTTPServer, service) -> None:
    seed_old(db, httpserver, service)

    def not_modified(request: Request) -> Response:
        assert request.headers.get("If-None-Match") == '"v1"'
        return Response(status=304, headers={"ETag": '"v1"'})  # no X-Signature

    httpserver.expect_ordered_request("/m.csv").respond_with_handler(not_modified)
    report = service.pull(spec_for(httpserver.url_for("/m.csv")))
    assert report.outcome == "unchanged" and report.http_status == 304
    assert state(db).status == "ok"


def test_the_signature_covers_the_decoded_body(
    db: Database, httpserver: HTTPServer, service
) -> None:
    # A server or CDN that gzips on the wire: the file's bytes are what HQ signed.
    httpserver.expect_request("/m.csv").respond_with_data(
        gzip.compress(NEW),
        content_type="text/csv",
        headers={"Content-Encoding": "gzip", "X-Signature": mac(NEW)},
    )
    report = service.pull(spec_for(httpserver.url_for("/m.csv")))
    assert report.outcome == "applied", report.error


def test_a_feed_without_a_signature_setting_ignores_signatures(
    db: Database, httpserver: HTTPServer, service
) -> None:
    httpserver.expect_request("/m.csv").respond_with_data(
        NEW, content_type="text/csv", headers={"X-Signature": "garbage"}
    )
    spec = dataclasses.replace(spec_for(httpserver.url_for("/m.csv")), signature=None)
    assert service.pull(spec).outcome == "applied"


# --- file mode, over HTTP and on disk --------------------------------------------------------


def test_a_right_sig_file_applies_the_feed(db: Database, httpserver: HTTPServer, service) -> None:
    httpserver.expect_request("/feeds/m.csv", query_string="v=2").respond_with_data(
        NEW, content_type="text/csv"
    )
    httpserver.expect_request("/feeds/m.csv.sig", query_string="v=2").respond_with_data(
        f"sha256={mac(NEW)}\n", content_type="application/octet-stream"
    )
    report = service.pull(spec_for(httpserver.url_for("/feeds/m.csv") + "?v=2", mode="file"))
    assert report.outcome == "applied", report.error
    assert sales(db) == [999]


@pytest.mark.parametrize(
    ("status", "body", "outcome", "reason"),
    [
        (404, "not found", "rejected", "signature missing: no valid signature file at http"),
        (200, "<!doctype html><html><body>app</body></html>", "rejected", "signature missing"),
        (200, mac(NEW, "another-secret-of-hq-123"), "rejected", sig.MISMATCH),
        (200, "sha256=xyz", "rejected", "signature malformed"),
        # Past the 4 KB cap: not read at all (old data kept all the same).
        (200, "0" * 5000, "failed", "cannot download the signature file http"),
        (500, "oops", "failed", "cannot download the signature file http"),
    ],
    ids=["404", "html-fallback", "wrong", "malformed", "huge", "server-error"],
)
def test_a_missing_or_wrong_sig_file_rejects_the_feed(
    db: Database, httpserver: HTTPServer, service, status, body, outcome, reason
) -> None:
    seed_old(db, httpserver, service)  # in header mode; now HQ switches to .sig files
    httpserver.expect_request("/m.csv").respond_with_data(NEW, content_type="text/csv")
    content_type = "text/html" if body.startswith("<!") else "text/plain"
    httpserver.expect_request("/m.csv.sig").respond_with_data(
        body, status=status, content_type=content_type
    )
    report = service.pull(spec_for(httpserver.url_for("/m.csv"), mode="file"))
    assert report.outcome == outcome
    assert report.error is not None and report.error.startswith(reason), report.error
    assert sales(db) == [100]
    assert state(db).etag == '"v1"'


def test_local_files_with_sig_files(db: Database, tmp_path: Path, service) -> None:
    feed = tmp_path / "m.csv"
    feed.write_bytes(OLD)
    spec = spec_for(str(feed), mode="file")
    missing = service.pull(spec)
    assert missing.outcome == "rejected"
    assert missing.error == f"signature missing: no valid signature file at {feed}.sig"
    assert sales(db) == []

    (tmp_path / "m.csv.sig").write_text(f"sha256={mac(OLD)}\n")
    assert service.pull(spec).outcome == "applied"
    assert sales(db) == [100]
    assert service.pull(spec).outcome == "unchanged"  # same size and mtime: not even checked

    # Someone changes the file but cannot sign it.
    feed.write_bytes(NEW)
    wrong = service.pull(spec)
    assert wrong.outcome == "rejected" and wrong.error == sig.MISMATCH
    assert sales(db) == [100]
    assert state(db).source_size == len(OLD)  # validators of the applied version only
    # A file: URL works the same way.
    (tmp_path / "m.csv.sig").write_text(mac(NEW))
    assert service.pull(dataclasses.replace(spec, url=feed.as_uri())).outcome == "applied"
    assert sales(db) == [999]


# --- config: keys, secrets from the environment, never printed -------------------------------

CONFIG = """
[store]
id = "S001"
name = "Downtown"
timezone = "America/Chicago"

[database]
path = "kiosk.db"

[logging]
dir = "log"

[[feeds]]
name = "metrics"
kind = "metrics"
url = "{url}"
"""


def write_config(tmp_path: Path, url: str, extra: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG.format(url=url) + extra, encoding="utf-8")
    return path


def test_the_secret_from_the_environment_signs_a_real_pull(
    db: Database,
    httpserver: HTTPServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("HQ_FEED_SECRET", SECRET)
    path = write_config(
        tmp_path,
        httpserver.url_for("/m.csv"),
        'signature = "header"\nsignature_header = "X-HQ-Signature"\n'
        'signature_secret_env = "HQ_FEED_SECRET"\n',
    )
    config = load_config(path)
    (spec,) = config.feeds
    assert spec.signature == FeedSignature(SECRET.encode(), "header", "X-HQ-Signature")
    httpserver.expect_ordered_request("/m.csv").respond_with_data(
        NEW, content_type="text/csv", headers={"X-HQ-Signature": f"sha256={mac(NEW)}"}
    )
    httpserver.expect_ordered_request("/m.csv").respond_with_data(
        NEW + b"S001,2026-11-23,sales,1\n",
        content_type="text/csv",
        headers={"X-HQ-Signature": "0" * 64},
    )
    service = SyncService(db, "S001", config.feeds)
    try:
        assert service.pull(spec).outcome == "applied"
        assert service.pull(spec).outcome == "rejected"
    finally:
        service.close()

    # Nowhere: not in a repr, a log line, the status in the database, stdout or stderr.
    with db.read() as session:
        stored = [(s.error or "") for s in session.scalars(select(FeedState))] + [
            (r.error or "") for r in session.scalars(select(SyncRun))
        ]
    out = capsys.readouterr()
    for text in (repr(config), repr(spec), str(spec), caplog.text, *stored, out.out, out.err):
        assert SECRET not in text
    assert "X-HQ-Signature" in repr(spec.signature)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('signature = "header"\n', 'signature_secret: is required with signature = "header"'),
        (
            'signature = "detached"\nsignature_secret = "x"\n',
            "signature: must be one of header, file",
        ),
        (f'signature_secret = "{SECRET}"\n', "signature: is required with a signature_secret"),
        (
            'signature = "file"\nsignature_secret = "short"\n',
            "signature_secret: the secret must be at least 16",
        ),
        (
            f'signature = "file"\nsignature_secret = "{SECRET}"\nsignature_secret_env = "X"\n',
            "signature_secret: give either signature_secret or signature_secret_env, not both",
        ),
        (
            'signature = "file"\nsignature_secret_env = "KIOSK_TEST_UNSET_SECRET"\n',
            "signature_secret_env: environment variable KIOSK_TEST_UNSET_SECRET is not set",
        ),
        (
            f'signature = "header"\nsignature_secret = "{SECRET}"\nsignature_header = "X Sig"\n',
            "signature_header: 'X Sig' is not a valid HTTP header name",
        ),
        (
            f'signature = "file"\nsignature_secret = "{SECRET}"\nsignature_header = "X-Sig"\n',
            'signature_header: only goes with signature = "header"',
        ),
        ("signature_sekret = 1\n", "signature_sekret: unknown key"),
    ],
)
def test_each_signature_problem_names_its_key(tmp_path: Path, extra: str, expected: str) -> None:
    path = write_config(tmp_path, "https://hq.example.com/m.csv", extra)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    lines = [p.split(": ", 1)[1] for p in info.value.problems]
    assert any(line.startswith(f"[[feeds]] #1 ('metrics') {expected}") for line in lines), lines
    assert not any(SECRET in line for line in info.value.problems)


def test_header_mode_needs_http(tmp_path: Path) -> None:
    path = write_config(
        tmp_path, "feeds/m.csv", f'signature = "header"\nsignature_secret = "{SECRET}"\n'
    )
    with pytest.raises(ConfigError, match='signature: "header" needs an http'):
        load_config(path)
    path = write_config(
        tmp_path, "feeds/m.csv", f'signature = "file"\nsignature_secret = "{SECRET}"\n'
    )
    (spec,) = load_config(path).feeds
    assert spec.signature is not None and spec.signature.mode == "file"
    assert SECRET not in repr(spec)


def test_the_documented_python_snippet_makes_the_same_signature(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = (Path(__file__).parents[2] / "docs" / "feeds.md").read_text(encoding="utf-8")
    section = doc.split("### Signing feeds", 1)[1]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "metrics.csv").write_bytes(NEW)
    monkeypatch.chdir(tmp_path)
    exec(snippet, {"SECRET": SECRET})  # our own documentation
    written = (tmp_path / "metrics.csv.sig").read_text()
    assert written == f"sha256={mac(NEW)}\n"
    assert sig.parse_value(written) == bytes.fromhex(sig.sign(SECRET.encode(), NEW))
