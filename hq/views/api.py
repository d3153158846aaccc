"""The kiosk API: `POST /api/v1/uploads` and `POST /api/v1/heartbeat` (docs/hq.md, "The wire
protocol").

The checks run cheapest first, so a request HQ will refuse costs it as little as possible:
token (401), per-store rate (429), Content-Type (400), body size while reading (413), JSON
(400), envelope and Idempotency-Key (400/422), the token's store (403), the fields (422); then
the write, and the acknowledgement the kiosk marks the item delivered on:
`200 {"ok": true, "idempotency_key": "<key>"}` (a repeat adds `"duplicate": true`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from hq.limits import BadLength, BodyTooLarge, LogOnce, read_body
from hq.store import reads
from hq.store.writes import Applied, HistoryBound, ingest_heartbeat, ingest_upload
from hq.tokens import bearer_token
from hq.views.base import Context, HqJSON, View, client_address
from hq.wire import (
    UPLOAD_KINDS,
    BadBody,
    Envelope,
    envelope,
    parse_heartbeat,
    parse_json_object,
    parse_upload,
)

log = logging.getLogger("hq.api")


BEARER = {"WWW-Authenticate": 'Bearer realm="kiosk-hq"'}


@dataclass
class Refusal(Exception):
    status: int
    error: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Route:
    name: str
    kinds: tuple[str, ...]
    limit: Callable[[Any], int]


UPLOADS = _Route("upload", UPLOAD_KINDS, lambda limits: limits.upload_bytes)
HEARTBEATS = _Route("heartbeat", ("heartbeat",), lambda limits: limits.heartbeat_bytes)


def refusal_response(refusal: Refusal) -> Response:
    return HqJSON(
        {"ok": False, "error": refusal.error},
        status_code=refusal.status,
        headers=refusal.headers,
    )


class KioskApi(View):
    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        # The same refusal for the same store: one line a minute at most.
        self._log_once = LogOnce(60.0)

    def _log_refusal(self, route: _Route, who: str, request: Request, refusal: Refusal) -> None:
        if not self._log_once(who, refusal.status):
            return
        log.warning(
            "%s from %s (%s) refused: %d %s",
            route.name,
            who,
            client_address(request),
            refusal.status,
            refusal.error,
        )

    async def uploads(self, request: Request) -> Response:
        return await self._handle(request, UPLOADS)

    async def heartbeat(self, request: Request) -> Response:
        return await self._handle(request, HEARTBEATS)

    def _store_for(self, token: str) -> str | None:
        with self.ctx.db.lookup() as session:
            return reads.store_for_token(session, token)

    async def _handle(self, request: Request, route: _Route) -> Response:
        who = "unknown token"
        try:
            token = bearer_token(request.headers.get("authorization"))
            if token is None:
                raise Refusal(401, "Authorization: a 'Bearer <token>' header is required", BEARER)
            store_id = await run_in_threadpool(self._store_for, token)
            if store_id is None:
                raise Refusal(
                    401, "Authorization: unknown token (or replaced by a newer one)", BEARER
                )
            who = store_id
            wait = self.ctx.limiter.retry_after(store_id)
            if wait is not None:
                per_minute = self.ctx.config.limits.requests_per_minute
                raise Refusal(
                    429,
                    f"more than {per_minute} requests a minute from this store",
                    {"Retry-After": str(wait)},
                )
            content_type = request.headers.get("content-type", "")
            if content_type.split(";")[0].strip().lower() != "application/json":
                raise Refusal(400, "Content-Type: must be application/json")
            raw = await read_body(request, route.limit(self.ctx.config.limits))
            body = parse_json_object(raw)
            head = envelope(body, request.headers.get("idempotency-key"), route.kinds)
            if head.store_id != store_id:
                raise Refusal(
                    403, f"store_id: this token speaks for store {store_id}, not {head.store_id}"
                )
            return await self._apply(route, body, head)
        except BodyTooLarge as exc:
            refusal = Refusal(413, str(exc), {"Connection": "close"})
        except BadLength as exc:
            refusal = Refusal(400, str(exc), {"Connection": "close"})
        except BadBody as exc:
            refusal = Refusal(exc.status, exc.message)
        except Refusal as exc:
            refusal = exc
        self._log_refusal(route, who, request, refusal)
        return refusal_response(refusal)

    async def _apply(self, route: _Route, body: dict[str, Any], head: Envelope) -> Response:
        now = self.ctx.clock()
        ack: dict[str, Any] = {"ok": True, "idempotency_key": head.idempotency_key}
        if route is HEARTBEATS:
            heartbeat = parse_heartbeat(body, head)
            fleet = self.ctx.config.fleet
            bound = HistoryBound(
                window=dt.timedelta(hours=fleet.history_hours),
                max_rows=fleet.history_max_per_store,
            )
            applied: Applied = await run_in_threadpool(
                ingest_heartbeat, self.ctx.db, heartbeat, now, bound
            )
            ack["server_time"] = now.isoformat(timespec="microseconds")
            if applied.want_thumbnail:
                ack["send_thumbnail"] = True
        else:
            upload = parse_upload(body, head)
            applied = await run_in_threadpool(ingest_upload, self.ctx.db, upload, now)
        if applied.conflict is not None:
            raise BadBody(422, applied.conflict)
        if applied.duplicate:
            ack["duplicate"] = True
        return HqJSON(ack)
