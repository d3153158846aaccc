"""HTTP plumbing for `sync.fetch`: a hard per-download deadline, and errors people can act on.

Two things here work around limits of requests/urllib3 rather than add features:

- requests' timeouts are per socket operation, not per download (STYLE.md, "Pitfalls"; an overall
  timeout is not on offer upstream, psf/requests#3099): a server that sends one byte just inside
  every read timeout never times out, whether it drips the body, the response headers or the TLS
  handshake. A sync job that hangs stays hung, and with APScheduler's `max_instances=1` that feed
  never syncs again until a restart. `Watchdog` is the hard stop: when a download's deadline
  passes, it shuts down the socket of every connection the download used, which wakes a read
  blocked in any phase.
- requests reads the whole body of every redirect response into memory before following it
  (`resp.content` in `SessionRedirectMixin.resolve_redirects`, still so in requests 2.34; kept on
  purpose, psf/requests#5529), so a 302 with an endless body would fill the memory.
  `drop_redirect_body`, a response hook, closes such a body unread: the connection is dropped
  rather than reused, which costs one reconnect.

Nothing here logs or formats request headers, so no secret can leak through it.
"""

from __future__ import annotations

import contextlib
import email.utils
import http
import http.client
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import PoolManager
from urllib3.poolmanager import pool_classes_by_scheme as _stock_pool_classes

# --- The hard deadline ---------------------------------------------------------------------------

_local = threading.local()


class Watchdog:
    """Hard stop for one download: at its deadline, shut down the connections it used.

    Active for the calling thread between `__enter__` and `__exit__`; connections made or used in
    that window register themselves (see `_WatchedConnectionMixin`). `fired` tells the caller that
    an error it is looking at was caused by the deadline, not by the server.
    """

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._connections: list[_WatchedConnectionMixin] = []
        self._fired = False
        self._previous: Watchdog | None = None
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.name = "sync.fetch.fetcher deadline"

    @property
    def fired(self) -> bool:
        return self._fired

    def __enter__(self) -> Watchdog:
        self._previous = getattr(_local, "watchdog", None)
        _local.watchdog = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._connections.clear()
        _local.watchdog = self._previous

    def watch(self, connection: _WatchedConnectionMixin) -> None:
        with self._lock:
            if self._fired:
                connection.abort()
            elif connection not in self._connections:
                self._connections.append(connection)

    def _fire(self) -> None:
        with self._lock:
            self._fired = True
            for connection in self._connections:
                connection.abort()


def _current_watchdog() -> Watchdog | None:
    return getattr(_local, "watchdog", None)


class _WatchedConnectionMixin:
    """Lets the current thread's `Watchdog` interrupt this connection in any phase.

    `abort()` shuts down a duplicate descriptor of the TCP socket. A duplicate, because during the
    TLS handshake urllib3 has detached the plain socket and not yet stored the wrapped one
    (`HTTPSConnection.connect`), so nothing else reaches it; shutdown acts on the socket, not the
    descriptor, so a read blocked on the original wakes up with end-of-file. Owning the duplicate
    also means a closed-and-reused descriptor number can never be shut down by mistake.
    """

    _dup: socket.socket | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._dup_lock = threading.Lock()

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        with self._dup_lock:
            if self._dup is not None:
                self._dup.close()
            self._dup = sock.dup()
        self._register()
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        # Every request, so that a connection reused from the pool is watched by this download.
        self._register()
        super().request(*args, **kwargs)  # type: ignore[misc]

    def close(self) -> None:
        try:
            super().close()  # type: ignore[misc]
        finally:
            with self._dup_lock:
                if self._dup is not None:
                    self._dup.close()
                    self._dup = None

    def abort(self) -> None:
        """Wake any read blocked on this connection (called from the watchdog's thread)."""
        with self._dup_lock:
            if self._dup is not None:
                with contextlib.suppress(OSError):
                    self._dup.shutdown(socket.SHUT_RDWR)

    def _register(self) -> None:
        watchdog = _current_watchdog()
        if watchdog is not None:
            watchdog.watch(self)


class _WatchedHTTPConnection(_WatchedConnectionMixin, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedConnectionMixin, HTTPSConnection):
    pass


class _WatchedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS: dict[str, type[HTTPConnectionPool]] = {
    "http": _WatchedHTTPConnectionPool,
    "https": _WatchedHTTPSConnectionPool,
}


class WatchedAdapter(HTTPAdapter):
    """An `HTTPAdapter` whose connections (direct or through an HTTP proxy) a `Watchdog` can stop.

    Retries are left at requests' default (none): `sync.fetch` runs its own retry loop so that
    every wait respects the download's deadline, and so that a retried response is closed rather
    than drained (urllib3's `Retry` drains it with `drain_conn()`, which never ends on an endless
    body).
    """

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        manager: PoolManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        # SOCKS proxies bring their own pool classes; only swap urllib3's stock ones.
        if manager.pool_classes_by_scheme is _stock_pool_classes:
            manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager


def watched_session() -> requests.Session:
    """A `requests.Session` whose http and https connections go through one `WatchedAdapter`."""
    session = requests.Session()
    adapter = WatchedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def unsafe_header_value(value: str) -> bool:
    """Whether `value` cannot go in an HTTP header as is (non-ASCII, a control character or a
    space); requests would refuse it with an error that quotes it."""
    return not value.isascii() or not value.isprintable() or " " in value


def drop_redirect_body(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    """Response hook: close a redirect's body unread (requests would read it all into memory)."""
    if response.is_redirect:
        response.raw.close()


# --- Reading responses ---------------------------------------------------------------------------

HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|title|meta|script|iframe)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)


def media_type(content_type: str | None) -> str | None:
    """`Text/CSV; charset=UTF-8` -> `text/csv`; None when absent or empty."""
    if not content_type:
        return None
    value = content_type.split(";", 1)[0].strip().lower()
    return value or None


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes of a body look like an HTML document (a login or error page)."""
    return bool(_HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")))


def content_length(headers: Any) -> int | None:
    value = headers.get("Content-Length")
    try:
        length = int(value) if value is not None else None
    except ValueError:
        return None
    return length if length is not None and length >= 0 else None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None.

    An HTTP-date is compared with the wall clock (`time.time()`), as the server meant it.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" parses as naive; HTTP-dates are always GMT
        return None
    return max(0.0, when.timestamp() - time.time())


def is_retryable_status(status: int) -> bool:
    """429 and the 5xx a later try can cure.

    Not 501 Not Implemented or 505 HTTP Version Not Supported (they will not change), nor 511
    Network Authentication Required (a captive portal waits for a person, not for time).
    """
    return status == 429 or (500 <= status <= 599 and status not in (501, 505, 511))


def status_text(status: int, reason: str | None) -> str:
    """`HTTP 503 Service Unavailable`; the server's own phrase only for a non-standard code."""
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = re.sub(r"[^\x20-\x7e]", "", reason or "")[:60].strip()
    return f"HTTP {status} {phrase}".rstrip()


# --- Describing failures -------------------------------------------------------------------------


def redact_url(url: str) -> str:
    """The URL for messages and logs: no user:password@, and no query (it may carry a signature)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(an invalid URL)"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    return f"{parts.scheme}://{netloc}{parts.path}" + ("?…" if parts.query else "")


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
