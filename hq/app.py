"""The composition root: `build_app` makes the one of everything (database, templates, rate
limiter, views) and lists every route. Nothing else in hq/ builds these.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import jinja2
from sqlalchemy import text
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hq import __version__
from hq.config import HqConfig
from hq.limits import RateLimiter
from hq.status import Clock, utc_now
from hq.store.database import Database, open_database
from hq.views import base
from hq.views.api import KioskApi
from hq.views.export import EntriesExport
from hq.views.fleet import FleetPage
from hq.views.store import StorePage

log = logging.getLogger("hq")

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

# Every response. The CSP allows no inline script or style at all: the pages use only
# /static files, so even text that somehow escaped the template's escaping could not run.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class ResponseHeaders:
    """Adds the Date header (from the app's clock: kiosks measure their clock offset on it)
    and the security headers to every response; `Cache-Control: no-store` unless set."""

    def __init__(self, app: ASGIApp, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Date"] = email.utils.format_datetime(self.clock(), usegmt=True)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "public, max-age=3600" if static else "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def make_templates(config: HqConfig) -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # everything a store sends is shown as text, never as markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["ago"] = base.ago
    env.filters["when"] = base.absolute_time(config.fleet.tz)
    env.filters["when_s"] = base.absolute_time(config.fleet.tz, seconds=True)
    env.filters["size"] = base.size
    env.filters["duration"] = base.duration
    env.filters["num"] = base.number
    env.globals["version"] = __version__
    env.globals["timezone"] = config.fleet.timezone
    return Jinja2Templates(env=env)


def build_app(
    config: HqConfig,
    *,
    db: Database | None = None,
    clock: Clock = utc_now,
    monotonic: Callable[[], float] = time.monotonic,
) -> Starlette:
    """The ASGI app. `db` defaults to the config's database (opened and migrated here);
    `clock` (aware UTC) and `monotonic` are injectable so tests control time."""
    owns_db = db is None
    database = db if db is not None else open_database(config.database_url)
    ctx = base.Context(
        config=config,
        db=database,
        clock=clock,
        templates=make_templates(config),
        limiter=RateLimiter(config.limits.requests_per_minute, monotonic),
    )
    fleet = FleetPage(ctx)
    store = StorePage(ctx)
    api = KioskApi(ctx)
    export = EntriesExport(ctx)

    async def health(_request: Request) -> Response:
        """Unauthenticated liveness for monitoring: the process answers and the database too."""

        def ping() -> None:
            with database.read() as session:
                session.execute(text("SELECT 1"))

        await run_in_threadpool(ping)
        return base.HqJSON({"ok": True, "version": __version__})

    async def database_unavailable(_request: Request, exc: Exception) -> Response:
        # One line, not a traceback per request while PostgreSQL restarts; the kiosk retries.
        log.error("database unavailable: %s", str(exc).splitlines()[0][:200])
        return base.HqJSON(
            {"ok": False, "error": "database unavailable; try again later"},
            status_code=503,
            headers={"Retry-After": "30"},
        )

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        if owns_db:
            database.dispose()

    routes = [
        Route("/", fleet.get, methods=["GET"]),
        Route("/api/stores", fleet.api_stores, methods=["GET"]),
        # `.json` first: `{store_id}` alone would also match "S001.json".
        Route("/stores/{store_id}.json", store.get_json, methods=["GET"]),
        Route("/stores/{store_id}/thumbnail", store.thumbnail, methods=["GET"]),
        Route("/stores/{store_id}", store.get, methods=["GET"]),
        Route("/export/entries.csv", export.get, methods=["GET"]),
        Route("/api/v1/uploads", api.uploads, methods=["POST"]),
        Route("/api/v1/heartbeat", api.heartbeat, methods=["POST"]),
        Route("/healthz", health, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(ResponseHeaders, clock=clock)],
        exception_handlers={
            OperationalError: database_unavailable,
            InterfaceError: database_unavailable,
        },
        lifespan=lifespan,
    )
    app.state.hq = ctx
    return app
