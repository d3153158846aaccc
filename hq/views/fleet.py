"""The fleet index (`/`) and its JSON twin `/api/stores`: every store, its status, grouped by
region, filtered and sorted by query parameters (so it all works without JavaScript)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from hq.status import ACTION, MEANING, SEVERITY, Status, store_status
from hq.store import reads
from hq.store.reads import StoreSummary
from hq.views.base import AdminView, HqJSON, ago, duration

NO_REGION = "(no region)"
ATTENTION = (Status.OFFLINE.value, Status.ERROR.value)
ATTENTION_LISTED = 12
DISPLAY_OFF = "display_off"  # a filter value beside the statuses
SORTS = {
    "status": "worst first",
    "store": "store id",
    "name": "name",
    "last_contact": "oldest contact first",
}


def store_url(store_id: str) -> str:
    return f"/stores/{quote(store_id, safe='')}"


def problem_line(summary: StoreSummary, status: Status, now: dt.datetime) -> str | None:
    """What an ops person needs to read first: why the store is not `ok`."""
    if status is Status.NEVER:
        if summary.token_created_at is not None:
            return f"token minted {ago(summary.token_created_at, now)}; no heartbeat yet"
        return "no heartbeat yet"
    if status is Status.OFFLINE:
        assert summary.last_seen is not None
        return f"no heartbeat for {duration((now - summary.last_seen).total_seconds())}"
    if status is Status.ERROR:
        return summary.problem or "a feed is failing"
    if status is Status.STALE:
        if summary.data_last_success is None:
            return "data stale: the kiosk has no successful pull yet"
        return f"data stale: last successful pull {ago(summary.data_last_success, now)}"
    return None


def present(summary: StoreSummary, now: dt.datetime, stale_after: dt.timedelta) -> dict[str, Any]:
    """One store as the pages and the JSON show it."""
    status = store_status(
        summary.last_seen,
        summary.failing_feeds,
        summary.data_stale,
        now=now,
        stale_after=stale_after,
    )
    url = store_url(summary.store_id)
    thumbnail = summary.stored_thumbnail_sha256
    return {
        "store_id": summary.store_id,
        "name": summary.name,
        "region": summary.region,
        "status": status.value,
        "status_meaning": MEANING[status],
        "action": ACTION[status],
        "problem": problem_line(summary, status, now),
        "last_seen": summary.last_seen,
        "kiosk_sent_at": summary.sent_at,
        "app_version": summary.app_version,
        # A dark screen outside opening hours is on purpose: shown beside the status, and
        # only while the store is heard from (an offline store's last word may be stale).
        "display_off": summary.display_on is False and status is not Status.OFFLINE,
        "display": {"on": summary.display_on, "reason": summary.display_reason},
        "data_stale": summary.data_stale,
        "data_last_success": summary.data_last_success,
        "failing_feeds": summary.failing_feeds,
        "outbox_pending": summary.outbox_pending,
        "token_created_at": summary.token_created_at,
        "url": url,
        "thumbnail_url": f"{url}/thumbnail?v={thumbnail}" if thumbnail else None,
        "thumbnail_received_at": summary.thumbnail_received_at,
        # HQ has an older screen than the one the kiosk shows (the new one is on its way).
        "thumbnail_outdated": bool(thumbnail and summary.thumbnail_sha256 != thumbnail),
    }


def _sort_key(sort: str) -> Any:
    if sort == "store":
        return lambda s: s["store_id"]
    if sort == "name":
        return lambda s: ((s["name"] or s["store_id"]).casefold(), s["store_id"])
    if sort == "last_contact":
        # Never heard from first, then the longest silent.
        return lambda s: (
            s["last_seen"] is not None,
            s["last_seen"] or dt.datetime.min.replace(tzinfo=dt.UTC),
            s["store_id"],
        )
    return lambda s: (SEVERITY[Status(s["status"])], s["store_id"])


def _counts(stores: list[dict[str, Any]]) -> dict[str, int]:
    counted = Counter(s["status"] for s in stores)
    counts = {status.value: counted.get(status.value, 0) for status in Status}
    counts[DISPLAY_OFF] = sum(1 for s in stores if s["display_off"])
    return counts


class FleetPage(AdminView):
    template = "fleet.html"

    def _all(self) -> tuple[dt.datetime, list[dict[str, Any]]]:
        now = self.ctx.clock()
        stale_after = dt.timedelta(minutes=self.ctx.config.fleet.stale_after_minutes)
        with self.ctx.db.read() as session:
            summaries = reads.fleet(session)
        return now, [present(summary, now, stale_after) for summary in summaries]

    def data(self, request: Request) -> dict[str, Any]:
        now, stores = self._all()
        params = request.query_params
        status = params.get("status", "")
        region = params.get("region", "")
        query = params.get("q", "").strip()
        sort = params.get("sort", "status")
        sort = sort if sort in SORTS else "status"
        regions = sorted({s["region"] or NO_REGION for s in stores}, key=_region_order)
        shown = stores
        if status == DISPLAY_OFF:
            shown = [s for s in shown if s["display_off"]]
        elif status in {st.value for st in Status}:
            shown = [s for s in shown if s["status"] == status]
        else:
            status = ""
        if region:
            shown = [s for s in shown if (s["region"] or NO_REGION) == region]
        if query:
            folded = query.casefold()
            shown = [
                s
                for s in shown
                if folded in s["store_id"].casefold() or folded in (s["name"] or "").casefold()
            ]
        shown = sorted(shown, key=_sort_key(sort))
        groups: dict[str, list[dict[str, Any]]] = {}
        for store in shown:
            groups.setdefault(store["region"] or NO_REGION, []).append(store)
        fleet = self.ctx.config.fleet
        attention = sorted((s for s in stores if s["status"] in ATTENTION), key=_sort_key("status"))
        return {
            "now": now,
            "generated_at": now,
            "stale_after_minutes": fleet.stale_after_minutes,
            "refresh_seconds": fleet.refresh_seconds,
            "total": len(stores),
            "shown": len(shown),
            "counts": _counts(stores),
            "filters": {"status": status, "region": region, "q": query, "sort": sort},
            "sorts": SORTS,
            "statuses": [st.value for st in Status],
            "meanings": {st.value: MEANING[st] for st in Status},
            "regions": regions,
            # Offline and failing stores, whatever the filters: what to look at first.
            "attention": attention[:ATTENTION_LISTED],
            "attention_total": len(attention),
            "groups": [
                {"region": name, "stores": members, "counts": _counts(members)}
                for name, members in sorted(groups.items(), key=lambda g: _region_order(g[0]))
            ],
        }

    async def api_stores(self, request: Request) -> Response:
        """`GET /api/stores`: every store (same fields as the page), by store id."""
        refused = self.login_refused(request)
        if refused is not None:
            return refused
        now, stores = await run_in_threadpool(self._all)
        return HqJSON(
            {
                "generated_at": now,
                "stale_after_minutes": self.ctx.config.fleet.stale_after_minutes,
                "counts": _counts(stores),
                "stores": stores,
            }
        )


def _region_order(name: str) -> tuple[bool, str]:
    return (name == NO_REGION, name.casefold())
