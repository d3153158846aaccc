"""Tiny raw-socket HTTP servers that misbehave on purpose, for `sync.fetch`'s hostile tests.

pytest-httpserver (werkzeug) answers correctly by design; these send exactly the bytes a broken
server, proxy or CDN would: a body that drips or never ends, headers that drip, a TLS handshake
that never completes, a connection cut short or reset.

Each `RawServer` listens on 127.0.0.1 and runs `handler(server, conn, index)` in its own thread for
each connection (`index` counts from 0). Handlers loop until the client goes away or the server
stops; leaving the `with` block stops the server and joins every thread.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from sync.spec import FeedSpec, FetchOptions, HttpAuth

Handler = Callable[["RawServer", socket.socket, int], None]


class RawServer:
    """A TCP listener on 127.0.0.1 that hands every connection to a misbehaving handler."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self.stopping = threading.Event()
        self.connections = 0
        self.requests: list[bytes] = []  # the request heads that arrived, in order
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept_loop, name="raw-server", daemon=True)

    def url(self, path: str = "/feed.csv", *, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Self:
        self._acceptor.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stopping.set()
        self._acceptor.join(5)
        self._listener.close()
        for thread in self._threads:
            thread.join(5)

    def pause(self, seconds: float) -> bool:
        """Sleep, unless the server is stopping; True when it is."""
        return self.stopping.wait(seconds)

    def read_request(self, conn: socket.socket) -> bytes:
        """Read one request head (up to the blank line) and record it."""
        conn.settimeout(5)
        data = b""
        with contextlib.suppress(OSError):
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
        with self._lock:
            self.requests.append(data)
        return data

    def _accept_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                index = self.connections
                self.connections += 1
            thread = threading.Thread(
                target=self._serve, args=(conn, index), name=f"raw-conn-{index}", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket, index: int) -> None:
        with conn, contextlib.suppress(OSError):
            self._handler(self, conn, index)


def head(status: str = "200 OK", **headers: str | int) -> bytes:
    """A response head; keyword names use `_` for `-` (`content_length=5`)."""
    lines = [f"HTTP/1.1 {status}"]
    lines += [f"{name.replace('_', '-').title()}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def drip_body(interval: float, declared: int = 1_000_000) -> Handler:
    """A 200 that promises `declared` bytes and sends one byte every `interval` seconds."""

    def handler(server: RawServer, conn: socket.socket, index: int) -> None:
        server.read_request(conn)
        conn.sendall(head(content_type="text/csv", content_length=declared))
        conn.sendall(b"store_id,date,metric,value\n")
        while not server.pause(interval):
            conn.sendall(b"1")

    return handler


def drip_headers(interval: float) -> Handler:
    """A status line, then one byte of an endless header every `interval` seconds."""

    def handler(server: RawServer, conn: socket.socket, index: int) -> None:
        server.read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Drip: ")
        while not server.pause(interval):
            conn.sendall(b"a")

    return handler


def drip_tls_handshake(interval: float) -> Handler:
    """Answer a TLS ClientHello with the start of a 16 KB handshake record, one byte at a time.

    OpenSSL waits for a whole record before it looks at it, so every read gets a byte in time and
    the handshake never ends: only an overall deadline stops it.
    """

    def handler(server: RawServer, conn: socket.socket, index: int) -> None:
        conn.settimeout(5)
        conn.recv(4096)  # the ClientHello
        conn.sendall(b"\x16\x03\x03" + struct.pack("!H", 16384))
        while not server.pause(interval):
            conn.sendall(b"\x00")

    return handler


def endless_body(*, status: str = "200 OK", **headers: str | int) -> Handler:
    """A response whose body (delimited by the connection closing) never ends."""
    block = b"S001,2024-05-01,sales,123.45\n" * 2000

    def handler(server: RawServer, conn: socket.socket, index: int) -> None:
        server.read_request(conn)
        conn.sendall(head(status, content_type="text/csv", connection="close", **headers))
        while not server.stopping.is_set():
            conn.sendall(block)

    return handler


def truncated_body(declared: int, sent: int) -> Handler:
    """Promise `declared` bytes, send `sent` of them, then close."""

    def handler(server: RawServer, conn: socket.socket, index: int) -> None:
        server.read_request(conn)
        conn.sendall(head(content_type="text/csv", content_length=declared))
        conn.sendall(b"x" * sent)

    return handler


def reset_connection(server: RawServer, conn: socket.socket, index: int) -> None:
    """Read the request, then reset the connection (RST, not a clean close)."""
    server.read_request(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def then(first: Handler, rest: Handler) -> Handler:
    """`first` for the first connection, `rest` for every later one."""

    def handler(server: RawServer, conn: socket.socket, index: int) -> None:
        (first if index == 0 else rest)(server, conn, index)

    return handler


def ok(body: bytes, content_type: str = "text/csv", **headers: str | int) -> Handler:
    """A 200 with `body` as it is (even if the headers lie about it); closes the connection."""

    def handler(server: RawServer, conn: socket.socket, index: int) -> None:
        server.read_request(conn)
        response = head(
            content_type=content_type, content_length=len(body), connection="close", **headers
        )
        conn.sendall(response + body)

    return handler


def keep_alive_then(rest: Handler, body: bytes = b"a,b\n1,2\n") -> Handler:
    """Answer the first request properly on a kept-alive connection, then `rest` on the same one."""

    def handler(server: RawServer, conn: socket.socket, index: int) -> None:
        server.read_request(conn)
        conn.sendall(head(content_type="text/csv", content_length=len(body)) + body)
        rest(server, conn, index)

    return handler


def not_http(server: RawServer, conn: socket.socket, index: int) -> None:
    """Answer with something that is not HTTP at all (another service on the port)."""
    server.read_request(conn)
    conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused)."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port: int = sock.getsockname()[1]
    return port  # free again now that the socket is closed, and not in TIME_WAIT: never connected


class FakeClock:
    """A monotonic clock that only moves when `sleep` is called; records every sleep."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_spec(url: str, *, auth: HttpAuth | None = None, **fetch: Any) -> FeedSpec:
    """A `metrics` feed at `url`; keyword arguments go to `FetchOptions`."""
    return FeedSpec(name="metrics", kind="metrics", url=url, auth=auth, fetch=FetchOptions(**fetch))
