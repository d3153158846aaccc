"""The status rule: ok, stale, error, offline, never; "display off" beside them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hq.status import Status, store_status
from tests.hq import helpers as h
from tests.hq.conftest import Hq

TEN_MINUTES = dt.timedelta(minutes=10)


@pytest.mark.parametrize(
    ("last_seen_ago", "failing", "stale", "expected"),
    [
        (None, 0, False, Status.NEVER),
        (dt.timedelta(0), 0, False, Status.OK),
        (TEN_MINUTES, 0, False, Status.OK),  # exactly the threshold: not yet
        (TEN_MINUTES + dt.timedelta(seconds=1), 0, False, Status.OFFLINE),
        (TEN_MINUTES + dt.timedelta(seconds=1), 2, True, Status.OFFLINE),  # silence first
        (dt.timedelta(minutes=1), 1, False, Status.ERROR),
        (dt.timedelta(minutes=1), 1, True, Status.ERROR),  # a failing feed explains staleness
        (dt.timedelta(minutes=1), 0, True, Status.STALE),
    ],
)
def test_the_rule(
    last_seen_ago: dt.timedelta | None, failing: int, stale: bool, expected: Status
) -> None:
    now = h.T0
    last_seen = None if last_seen_ago is None else now - last_seen_ago
    assert store_status(last_seen, failing, stale, now=now, stale_after=TEN_MINUTES) is expected


def stores(hq: Hq) -> dict[str, Any]:
    response = hq.get("/api/stores")
    assert response.status_code == 200
    return {store["store_id"]: store for store in response.json()["stores"]}


def test_statuses_through_the_api_as_time_passes(hq: Hq) -> None:
    tokens = {store: hq.token(store) for store in ("S1", "S2", "S3", "S4", "S5")}
    hq.heartbeat(h.heartbeat("S1"), tokens["S1"])
    hq.heartbeat(h.heartbeat("S2", freshness={"last_success": None, "stale": True}), tokens["S2"])
    hq.heartbeat(h.heartbeat("S3", feeds=[h.feed("metrics", "error", "HTTP 503")]), tokens["S3"])
    hq.heartbeat(
        h.heartbeat("S4", display={"on": False, "reason": "outside opening hours"}), tokens["S4"]
    )
    now = stores(hq)
    assert {k: v["status"] for k, v in now.items()} == {
        "S1": "ok",
        "S2": "stale",
        "S3": "error",
        "S4": "ok",
        "S5": "never",
    }
    assert now["S3"]["problem"] == "feed metrics failing: HTTP 503"
    assert now["S4"]["display_off"] is True and now["S4"]["display"]["reason"] == (
        "outside opening hours"
    )
    assert now["S1"]["display_off"] is False
    assert now["S5"]["last_seen"] is None

    hq.clock.advance(minutes=11)
    hq.heartbeat(h.heartbeat("S1"), tokens["S1"])
    later = stores(hq)
    assert later["S1"]["status"] == "ok"
    assert {later[s]["status"] for s in ("S2", "S3", "S4")} == {"offline"}
    assert later["S2"]["problem"] == "no heartbeat for 11 min"
    # An offline store's last "display off" is not current news: offline is what shows.
    assert later["S4"]["display_off"] is False
