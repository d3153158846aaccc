"""Every failure of a download in one line a store manager or HQ can act on.

No message here contains a secret: URLs lose their `user:password@` and query string
(`redact_url`), and header values are never quoted.
"""

from __future__ import annotations

import http
import http.client
import re
import socket
import ssl
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3

from sync.errors import FetchError
from sync.spec import FeedSpec, FetchOptions

MAX_REDIRECTS = 5  # requests follows 30 by default; a feed needs one or two


def status_text(status: int, reason: str | None) -> str:
    """`HTTP 503 Service Unavailable`; the server's own phrase only for a non-standard code."""
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = re.sub(r"[^\x20-\x7e]", "", reason or "")[:60].strip()
    return f"HTTP {status} {phrase}".rstrip()


def redact_url(url: str) -> str:
    """The URL as it may be shown, logged or stored: no `user:password@`, and every query value
    masked (`?store=***&token=***`): a value's name cannot say whether it is a secret
    (`?auth=`, `?session=`, `?x-sig=`...), so none is kept. A local path is returned as is."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(an invalid URL)"
    if parts.scheme.lower() not in ("http", "https"):
        return url
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    query = "&".join(
        f"{field.split('=', 1)[0]}=***" if "=" in field else "***"
        for field in parts.query.split("&")
        if field
    )
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


def host_of(url: str) -> str:
    """`host:port` (or `host`) of a URL, for messages."""
    try:
        parts = urlsplit(url)
        return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
    except ValueError:
        return "(an invalid URL)"


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and every exception it wraps, through causes, contexts, `.reason` and `args`.

    requests wraps urllib3 errors in `args[0]`, urllib3's `MaxRetryError` keeps its cause in
    `.reason`, and both chain the socket error as `__cause__` or `__context__`.
    """
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        linked += list(current.args)
        todo += [item for item in linked if isinstance(item, BaseException)]


def _find(exc: BaseException, kind: type[BaseException]) -> Any:
    return next((e for e in exception_chain(exc) if isinstance(e, kind)), None)


def describe_tls_error(exc: BaseException, url: str) -> str:
    """`TLS certificate check failed: ...`, or what else went wrong in the TLS handshake."""
    verify = _find(exc, ssl.SSLCertVerificationError)
    if verify is not None:
        why = verify.verify_message or verify.reason or "the certificate is not trusted"
        return f"TLS certificate check failed: {why} (for {host_of(url)})"
    err = _find(exc, ssl.SSLError)
    why = (err.reason or str(err)) if err is not None else type(exc).__name__
    why = str(why).replace("_", " ").lower()
    hint = " (is it really HTTPS?)" if "wrong version number" in why else ""
    return f"TLS connection to {host_of(url)} failed: {why}{hint}"


def describe_connection_error(exc: BaseException, url: str, timeouts: tuple[float, float]) -> str:
    """One line for a failure before any response arrived (no secrets: only host and reason)."""
    host = host_of(url)
    if _find(exc, socket.gaierror) is not None:
        return f"could not find the host {host} (DNS lookup failed)"
    if _find(exc, ConnectionRefusedError) is not None:
        return f"could not connect to {host}: connection refused"
    # requests' own test: urllib3's NewConnectionError subclasses ConnectTimeoutError.
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"could not connect to {host} within {timeouts[0]:g} s"
    if isinstance(exc, requests.exceptions.ReadTimeout) or _find(
        exc, urllib3.exceptions.ReadTimeoutError
    ):
        return f"{host} did not answer within {timeouts[1]:g} s"
    # RemoteDisconnected (a clean close) subclasses ConnectionResetError (a TCP reset).
    if _find(exc, http.client.RemoteDisconnected) is not None:
        return f"{host} closed the connection without answering"
    if _find(exc, ConnectionResetError) is not None:
        return f"the connection to {host} was reset before HQ answered"
    malformed = _find(exc, http.client.HTTPException)
    if malformed is not None:  # BadStatusLine, LineTooLong, too many headers...
        return f"{host} did not answer with valid HTTP ({type(malformed).__name__})"
    if isinstance(exc, requests.exceptions.ProxyError):
        return f"the proxy failed to reach {host}"
    os_error = _find(exc, OSError)
    if os_error is not None and os_error.strerror:
        return f"could not connect to {host}: {os_error.strerror.lower()}"
    return f"could not connect to {host} ({type(exc).__name__})"


def describe_body_error(exc: BaseException, received: int, expected: int | None) -> str:
    """One line for a failure while the body was streaming."""
    if _find(exc, http.client.IncompleteRead) is not None or (
        _find(exc, urllib3.exceptions.ProtocolError) is not None
        and "prematurely" in str(_find(exc, urllib3.exceptions.ProtocolError))
    ):
        of = f" of {expected}" if expected is not None else ""
        return (
            f"the server closed the connection before sending the whole body ({received}{of} bytes)"
        )
    if _find(exc, urllib3.exceptions.InvalidChunkLength) is not None:
        return f"the server sent a broken chunked body (after {received} bytes)"
    if isinstance(exc, requests.exceptions.ContentDecodingError) or _find(
        exc, urllib3.exceptions.DecodeError
    ):
        return "the server sent a compressed body that could not be decompressed"
    if _find(exc, urllib3.exceptions.ReadTimeoutError) is not None:
        return f"the server stopped sending (after {received} bytes)"
    if _find(exc, ConnectionResetError) is not None:
        return f"the connection was reset while downloading (after {received} bytes)"
    if _find(exc, ssl.SSLError) is not None:
        return f"the TLS connection failed while downloading (after {received} bytes)"
    return f"the download failed after {received} bytes ({type(exc).__name__})"


def status_error(spec: FeedSpec, response: requests.Response) -> str:
    status = response.status_code
    text = status_text(status, response.reason)
    where = redact_url(response.url)
    if status in (401, 403):
        if spec.auth is None:
            return f"{text}: HQ wants credentials for this feed, and none are configured"
        return f"{text}: HQ refused them; check the feed's token or credentials"
    if status == 407:
        return f"{text}: check the proxy settings"
    if status == 511:
        return f"{text}: the store's network wants a sign-in first (a captive portal?)"
    if status in (404, 410):
        return f"{text}: the feed was not found at {where}"
    if 300 <= status < 400:
        return f"{text}: a redirect without a usable Location"
    return text


def redirect_error(exc: requests.exceptions.TooManyRedirects) -> str:
    response = exc.response
    hops = [*(r.url for r in response.history), response.url] if response is not None else []
    if response is not None:
        response.close()
    if len(hops) != len(set(hops)):
        loop = " -> ".join(redact_url(url) for url in hops[:4])
        return f"HQ redirects in a loop ({loop} ...)"
    return f"HQ redirected more than {MAX_REDIRECTS} times"


def deadline_error(
    opts: FetchOptions,
    failure: FetchError | None,
    received: int | None = None,
    status: int | None = None,
) -> FetchError:
    """The deadline error, with what was going on when it struck."""
    text = f"download took longer than {opts.deadline_s:g} s"
    if received is not None:
        text += f"; stopped after {size_text(received)} (a slow or stalled server?)"
    elif failure is not None:
        text += f"; last error: {failure.reason}"
        status = failure.http_status
    else:
        text += "; HQ did not answer in time"
    return FetchError(text, status)


def too_big_text(opts: FetchOptions, size: int | None) -> str:
    actual = f" ({size_text(size)})" if size is not None else ""
    return (
        f"the feed is larger than the {size_text(opts.max_bytes)} limit{actual}; "
        "raise max_bytes if it is meant to be"
    )


def size_text(n: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.3g} {unit}"
    return f"{n} bytes"


def attempts_text(n: int) -> str:
    return "1 attempt" if n == 1 else f"{n} attempts"


def seconds_text(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.3g}"


def strerror(exc: OSError, default: str | None = None) -> str:
    """The OS's reason for `exc`, lowercased; when it has none, `default`, else the exception's
    type name."""
    if exc.strerror:
        return exc.strerror.lower()
    return (type(exc).__name__ if default is None else default).lower()
