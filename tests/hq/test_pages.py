"""The pages behind the login, in-process: fleet index, store page, JSON twins, thumbnail,
CSV export (checked by the kiosk's own feed checker), escaping."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hq import helpers as h
from tests.hq.conftest import Hq

SCRIPT = "<script>alert('name')</script>"
IMG = '<img src=x onerror="alert(1)">'


def populate(hq: Hq) -> dict[str, str]:
    """Five stores in two regions (and one without), in every status."""
    tokens = {s: hq.token(s) for s in ("N1", "N2", "S1", "S2", "X1")}
    hq.heartbeat(h.heartbeat("N1", store_name="North One", region="North"), tokens["N1"])
    hq.heartbeat(
        h.heartbeat(
            "N2",
            store_name=f"Bad {SCRIPT}",
            region="North",
            feeds=[h.feed("metrics", "error", f"HTTP 503 {IMG}")],
        ),
        tokens["N2"],
    )
    hq.heartbeat(
        h.heartbeat(
            "S1",
            store_name="South One",
            region="South",
            display={"on": False, "reason": "outside opening hours"},
            thumbnail=h.thumbnail(),
            thumbnail_sha256=h.thumbnail()["sha256"],
        ),
        tokens["S1"],
    )
    hq.heartbeat(h.heartbeat("S2", store_name="South Two", region="South"), tokens["S2"])
    hq.clock.advance(minutes=30)
    for store in ("N1", "N2", "S1"):  # S2 falls silent: offline
        hq.heartbeat(h.heartbeat(store, **_same(store)), tokens[store])
    return tokens


def _same(store: str) -> dict[str, object]:
    return {
        "N1": {"store_name": "North One", "region": "North"},
        "N2": {
            "store_name": f"Bad {SCRIPT}",
            "region": "North",
            "feeds": [h.feed("metrics", "error", f"HTTP 503 {IMG}")],
        },
        "S1": {
            "store_name": "South One",
            "region": "South",
            "display": {"on": False, "reason": "outside opening hours"},
            "thumbnail_sha256": h.thumbnail()["sha256"],
        },
    }[store]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/api/stores",
        "/stores/N1",
        "/stores/N1.json",
        "/stores/S1/thumbnail",
        "/export/entries.csv",
    ],
)
def test_every_page_needs_the_admin_login(hq: Hq, path: str) -> None:
    populate(hq)
    anonymous = hq.client.get(path)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Basic ")
    assert hq.client.get(path, auth=("ops", "wrong-password")).status_code == 401
    assert hq.client.get(path, auth=("root", h.ADMIN[1])).status_code == 401
    assert hq.get(path).status_code == 200


def test_the_fleet_page_groups_by_region_with_status_and_refreshes_itself(hq: Hq) -> None:
    populate(hq)
    page = hq.get("/")
    html = page.text
    assert page.headers["content-type"].startswith("text/html")
    assert '<meta http-equiv="refresh" content="30">' in html
    north, south, nowhere = (html.index(f"<h2>{r} ") for r in ("North", "South", "(no region)"))
    assert north < south < nowhere
    for store, status in [
        ("N1", "ok"),
        ("N2", "error"),
        ("S1", "ok"),
        ("S2", "offline"),
        ("X1", "never"),
    ]:
        assert f'<tr class="row s-{status}" data-store="{store}">' in html
    assert "display off" in html and "outside opening hours" in html
    s1 = html[html.index('data-store="S1"') : html.index("</tr>", html.index('data-store="S1"'))]
    assert all(text in s1 for text in ("S1", "South One", "South", "ok"))  # id, name, region
    assert "no heartbeat for 30 min" in html
    assert 'href="/stores/S2"' in html
    attention = html[
        html.index('<section class="attention"') : html.index(
            "</section>", html.index('<section class="attention"')
        )
    ]
    assert "2 offline or failing" in attention
    assert attention.index('href="/stores/S2"') < attention.index('href="/stores/N2"')
    assert "N1" not in attention and "X1" not in attention
    offline_page = hq.get("/stores/S2").text
    assert "Is the kiosk powered on and on the network?" in offline_page


def test_filters_and_sorts_work_as_plain_query_parameters(hq: Hq) -> None:
    populate(hq)

    def shown(query: str) -> list[str]:
        data = hq.get(f"/?format=json&{query}").json()
        return [s["store_id"] for g in data["groups"] for s in g["stores"]]

    assert shown("") == ["N2", "N1", "S2", "S1", "X1"]  # by region, worst first
    assert shown("status=offline") == ["S2"]
    assert shown("status=display_off") == ["S1"]
    assert shown("region=South") == ["S2", "S1"]
    assert shown("region=South&sort=store") == ["S1", "S2"]
    assert shown("q=south+two") == ["S2"]
    data = hq.get("/?format=json").json()
    assert data["counts"] == {
        "offline": 1,
        "error": 1,
        "stale": 0,
        "never": 1,
        "ok": 2,
        "display_off": 1,
    }
    html = hq.get("/?status=offline").text
    assert '<option value="offline" selected>' in html
    assert "1 of 5 stores shown" in html


def test_sort_by_last_contact_puts_the_longest_silent_first(hq: Hq) -> None:
    populate(hq)
    data = hq.get("/?format=json&sort=last_contact").json()
    order = [s["store_id"] for g in data["groups"] for s in g["stores"]]
    assert order == ["N1", "N2", "S2", "S1", "X1"]  # N1 and N2 spoke at the same time: by id
    south = next(g for g in data["groups"] if g["region"] == "South")
    assert [s["store_id"] for s in south["stores"]] == ["S2", "S1"]


def test_what_a_store_sends_is_shown_as_text_never_markup(hq: Hq) -> None:
    tokens = populate(hq)
    hq.upload(h.shoutout("N2", text=f"{SCRIPT} {IMG}"), tokens["N2"])
    hq.upload(h.entry("N2", metric="<b>sales</b>"), tokens["N2"])
    for path in ("/", "/stores/N2"):
        html = hq.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>sales" not in html
        assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in html
    store_page = hq.get("/stores/N2").text
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in store_page
    assert "&lt;b&gt;sales&lt;/b&gt;" in store_page
    csp = hq.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_every_page_has_a_json_twin(hq: Hq) -> None:
    tokens = populate(hq)
    hq.upload(h.entry("N1", value=42), tokens["N1"])
    hq.upload(h.shoutout("N1"), tokens["N1"])
    by_extension = hq.get("/stores/N1.json").json()
    assert hq.get("/stores/N1?format=json").json() == by_extension
    assert by_extension["store"]["status"] == "ok"
    assert by_extension["entries"][0]["value"] == 42
    assert by_extension["shoutouts"][0]["text"] == "Maria: five-star review"
    assert by_extension["heartbeats"][0]["status"] == "ok"
    assert by_extension["heartbeats_kept"] == 2
    assert [f["name"] for f in by_extension["feeds"]] == ["metrics", "comments"]
    api = hq.get("/api/stores").json()
    assert {"store_id", "status", "last_seen"} <= set(api["stores"][0])
    assert hq.get("/stores/NOPE").status_code == 404
    assert hq.get("/stores/NOPE.json").status_code == 404


def test_the_store_page_shows_feeds_history_entries_and_shoutouts(hq: Hq) -> None:
    tokens = populate(hq)
    hq.upload(h.entry("N2", metric="training", value=3.5), tokens["N2"])
    shout = h.shoutout("N2", text="Great close-out, team")
    hq.upload(shout, tokens["N2"])
    hq.upload(h.shoutout_deleted(shout), tokens["N2"])
    html = hq.get("/stores/N2").text
    assert "feed metrics failing: HTTP 503" in html
    assert "training" in html and "3.5" in html
    assert '<tr class="deleted"><td class="shout">Great close-out, team</td>' in html
    assert "2 latest of 2 kept" in html


def test_the_thumbnail_is_served_with_its_type_and_nosniff(hq: Hq) -> None:
    populate(hq)
    response = hq.get("/stores/S1/thumbnail")
    assert response.status_code == 200
    assert response.content == h.JPEG
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert hq.get("/stores/N1/thumbnail").status_code == 404
    assert 'src="/stores/S1/thumbnail?v=' in hq.get("/").text


def test_the_health_check_needs_no_login(hq: Hq) -> None:
    assert hq.client.get("/healthz").json()["ok"] is True


def test_entries_export_round_trips_as_a_kiosk_metrics_feed(hq: Hq, tmp_path: Path) -> None:
    tokens = {s: hq.token(s) for s in ("S001", "S002")}
    sends = [
        h.entry("S002", metric="sales", value=12.0),
        h.entry("S001", metric="sales", value=100, entered_at=h.iso(h.T0)),
        h.entry("S001", metric="sales", value=18250.5, entered_at=h.iso(h.T0.replace(hour=22))),
        h.entry("S001", metric="tiny", value=0.00001),
        h.entry("S001", metric="huge", value=1e15),
        h.entry("S001", metric="sales", date="2026-11-23", value=0),
        h.entry("S001", metric='Customer, "NPS"', value=-3.25),
    ]
    for body in sends:
        assert hq.upload(body, tokens[body["store_id"]]).status_code == 200
    response = hq.get("/export/entries.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    text = response.text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["store_id", "date", "metric", "value"],
        ["S001", "2026-11-23", "sales", "0"],
        ["S001", "2026-11-24", 'Customer, "NPS"', "-3.25"],
        ["S001", "2026-11-24", "huge", "1000000000000000"],
        ["S001", "2026-11-24", "sales", "18250.5"],
        ["S001", "2026-11-24", "tiny", "0.00001"],
        ["S002", "2026-11-24", "sales", "12"],
    ]
    feed = tmp_path / "entries.csv"
    feed.write_bytes(response.content)
    kiosk = shutil.which("kiosk", path=str(Path(sys.executable).parent))
    assert kiosk, "the kiosk command is installed with the package"
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_CONFIG"}
    checked = subprocess.run(
        [kiosk, "feeds", "check", str(feed), "--kind", "metrics"],
        cwd=tmp_path,  # no config.toml here: the checker's defaults
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "6 data rows, 6 good, 0 bad: valid" in checked.stdout
