"""A hard deadline for one HTTP download or upload, whatever phase the socket is stuck in.

Two things here work around limits of requests/urllib3 rather than add features:

- requests' timeouts are per socket operation, not per download (an overall timeout is not on
  offer upstream, psf/requests#3099): a server that sends one byte just inside
  every read timeout never times out, whether it drips the body, the response headers or the TLS
  handshake. A sync job that hangs stays hung, and with APScheduler's `max_instances=1` that feed
  never syncs again until a restart. `SocketDeadline` is the hard stop: when a download's deadline
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
import socket
import threading
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import PoolManager
from urllib3.poolmanager import pool_classes_by_scheme as _stock_pool_classes

_local = threading.local()


class SocketDeadline:
    """Hard stop for one download: at its deadline, shut down the connections it used.

    Active for the calling thread between `__enter__` and `__exit__`; connections made or used in
    that window register themselves (see `_DeadlineConnectionMixin`). `fired` tells the caller that
    an error it is looking at was caused by the deadline, not by the server.
    """

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._connections: list[_DeadlineConnectionMixin] = []
        self._fired = False
        self._previous: SocketDeadline | None = None
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.name = "socket deadline"

    @property
    def fired(self) -> bool:
        return self._fired

    def __enter__(self) -> SocketDeadline:
        self._previous = getattr(_local, "deadline", None)
        _local.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._connections.clear()
        _local.deadline = self._previous

    def watch(self, connection: _DeadlineConnectionMixin) -> None:
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


def _current_deadline() -> SocketDeadline | None:
    return getattr(_local, "deadline", None)


class _DeadlineConnectionMixin:
    """Lets the current thread's `SocketDeadline` interrupt this connection in any phase.

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
        """Wake any read blocked on this connection (called from the deadline's thread)."""
        with self._dup_lock:
            if self._dup is not None:
                with contextlib.suppress(OSError):
                    self._dup.shutdown(socket.SHUT_RDWR)

    def _register(self) -> None:
        deadline = _current_deadline()
        if deadline is not None:
            deadline.watch(self)


class _DeadlineHTTPConnection(_DeadlineConnectionMixin, HTTPConnection):
    pass


class _DeadlineHTTPSConnection(_DeadlineConnectionMixin, HTTPSConnection):
    pass


class _DeadlineHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _DeadlineHTTPConnection


class _DeadlineHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _DeadlineHTTPSConnection


_DEADLINE_POOLS: dict[str, type[HTTPConnectionPool]] = {
    "http": _DeadlineHTTPConnectionPool,
    "https": _DeadlineHTTPSConnectionPool,
}


class DeadlineAdapter(HTTPAdapter):
    """An `HTTPAdapter` whose connections (direct or via an HTTP proxy) a `SocketDeadline` can stop.

    Retries are left at requests' default (none): `sync.fetch` runs its own retry loop so that
    every wait respects the download's deadline, and so that a retried response is closed rather
    than drained (urllib3's `Retry` drains it with `drain_conn()`, which never ends on an endless
    body).
    """

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _DEADLINE_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        manager: PoolManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        # SOCKS proxies bring their own pool classes; only swap urllib3's stock ones.
        if manager.pool_classes_by_scheme is _stock_pool_classes:
            manager.pool_classes_by_scheme = _DEADLINE_POOLS
        return manager


def deadline_session() -> requests.Session:
    """A `requests.Session` whose http and https connections go through one `DeadlineAdapter`."""
    session = requests.Session()
    adapter = DeadlineAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def drop_redirect_body(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    """Response hook: close a redirect's body unread (requests would read it all into memory)."""
    if response.is_redirect:
        response.raw.close()
