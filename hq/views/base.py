"""What every view shares: the context built once in hq/app.py, the admin login, answering
HTML or JSON (Datasette-style: the same data, `.json` or `?format=json`), and how times and
sizes are written for people."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from hq.config import HqConfig
from hq.limits import LogOnce, RateLimiter
from hq.status import Clock
from hq.store.database import Database

log = logging.getLogger("hq.views")


@dataclass(frozen=True)
class Context:
    """Everything the views need, made once by the composition root (hq/app.py)."""

    config: HqConfig
    db: Database
    clock: Clock
    templates: Jinja2Templates
    limiter: RateLimiter


class HqJSON(JSONResponse):
    """JSON with datetimes and dates as ISO-8601 text, and non-ASCII text as it is."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, default=_jsonable, ensure_ascii=False).encode("utf-8")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"


class View:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx


class AdminView(View):
    """A page behind the [admin] login, as HTML (its `template`) or as JSON.

    Subclasses implement `data(request)`: plain values (datetimes allowed), run in a worker
    thread because it reads the database. Raise HTTPException(404) for a missing thing.
    """

    template: ClassVar[str] = ""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        # Refused logins, one line a minute per address: a password guesser does not fill
        # the log.
        self._log_login_once = LogOnce(60.0)

    def login_refused(self, request: Request) -> Response | None:
        """None when the request carries the [admin] login, else the 401 to answer."""
        header = request.headers.get("authorization", "")
        admin = self.ctx.config.admin
        if header[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                decoded = ""
            user, _, password = decoded.partition(":")
            # Both compared, always: no early exit that times the username.
            user_ok = hmac.compare_digest(user.encode(), admin.username.encode())
            password_ok = hmac.compare_digest(password.encode(), (admin.password or "").encode())
            if user_ok and password_ok and admin.password:
                return None
            address = client_address(request)
            if self._log_login_once(address):
                log.warning("admin login refused from %s", address)
        return Response(
            "Log in with the [admin] username and password of hq.toml.\n",
            status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="kiosk-hq", charset="UTF-8"'},
            media_type="text/plain",
        )

    def data(self, request: Request) -> dict[str, Any]:
        raise NotImplementedError

    async def page(self, request: Request, *, as_json: bool = False) -> Response:
        refused = self.login_refused(request)
        if refused is not None:
            return refused
        data = await run_in_threadpool(self.data, request)
        if as_json or request.query_params.get("format") == "json":
            return HqJSON(data)
        return self.ctx.templates.TemplateResponse(request, self.template, data)

    async def get(self, request: Request) -> Response:
        return await self.page(request)

    async def get_json(self, request: Request) -> Response:
        return await self.page(request, as_json=True)


def not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"{what} not found")


# --- how times and sizes read on the pages (Jinja filters, see hq/app.py) --------------------


def duration(seconds: float) -> str:
    """A short human duration: "45 s", "12 min", "3 h 5 min", "4 days"."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} days"


def ago(moment: dt.datetime | None, now: dt.datetime) -> str:
    if moment is None:
        return "never"
    delta = (now - moment).total_seconds()
    if delta < -5:
        return f"in {duration(-delta)}"
    if delta < 5:
        return "just now"
    return f"{duration(delta)} ago"


def absolute_time(tz: dt.tzinfo, *, seconds: bool = False) -> Callable[[dt.datetime | None], str]:
    """`2026-11-24 15:04 CST` in the [fleet] timezone (with `seconds`: `15:04:05`)."""
    pattern = "%Y-%m-%d %H:%M:%S " if seconds else "%Y-%m-%d %H:%M "

    def when(moment: dt.datetime | None) -> str:
        if moment is None:
            return "-"
        local = moment.astimezone(tz)
        return local.strftime(pattern) + (local.tzname() or "")

    return when


def size(count: int | None) -> str:
    if count is None:
        return "-"
    if count < 1024:
        return f"{count} bytes"
    value = count / 1024
    for unit in ("KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


def number(value: float) -> str:
    """18250.5 -> "18,250.5", 12.0 -> "12"."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
