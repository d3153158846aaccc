"""A store's page (`/stores/{id}`, `.json`): its latest state, feeds, recent heartbeats,
manager entries and shout-outs; and its screen thumbnail (`/stores/{id}/thumbnail`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from hq.store import reads
from hq.views.base import AdminView, not_found
from hq.views.fleet import present


class StorePage(AdminView):
    template = "store.html"

    def data(self, request: Request) -> dict[str, Any]:
        store_id = request.path_params["store_id"]
        now = self.ctx.clock()
        fleet = self.ctx.config.fleet
        with self.ctx.db.read() as session:
            detail = reads.store_detail(session, store_id)
        if detail is None:
            raise not_found(f"store {store_id!r}")
        return {
            "now": now,
            "generated_at": now,
            "refresh_seconds": fleet.refresh_seconds,
            "stale_after_minutes": fleet.stale_after_minutes,
            "store": present(detail.summary, now, dt.timedelta(minutes=fleet.stale_after_minutes)),
            "kiosk": {
                "uptime_seconds": detail.uptime_seconds,
                "outbox_oldest": detail.outbox_oldest,
                "database_bytes": detail.database_bytes,
                "free_disk_bytes": detail.free_disk_bytes,
                "clock_offset_seconds": detail.clock_offset_seconds,
            },
            "feeds": detail.feeds,
            "heartbeats": detail.heartbeats,
            "heartbeats_kept": detail.heartbeat_count,
            "history_hours": fleet.history_hours,
            "entries": detail.entries,
            "shoutouts": detail.shoutouts,
        }

    async def thumbnail(self, request: Request) -> Response:
        refused = self.login_refused(request)
        if refused is not None:
            return refused
        store_id = request.path_params["store_id"]

        def load() -> reads.StoredThumbnail | None:
            with self.ctx.db.read() as session:
                return reads.thumbnail(session, store_id)

        found = await run_in_threadpool(load)
        if found is None:
            raise not_found(f"thumbnail of store {store_id!r}")
        return Response(
            found.data,
            media_type=found.media_type,
            headers={
                "X-Content-Type-Options": "nosniff",
                "ETag": f'"{found.sha256}"',
                # Behind the login: private. The page asks with ?v=<sha256>, so a new screen is
                # a new URL and a cached copy is never wrong for long.
                "Cache-Control": "private, max-age=300",
            },
        )
