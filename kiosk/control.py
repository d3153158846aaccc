"""One writer per database across processes: a running kiosk answers on a local control socket.

`kiosk run` (and the headless `kiosk sync`) hold the database's single writer. An admin's
`kiosk sync --once` beside it would be a second writer: a 1.5-million-row feed holds the write
lock for seconds, long enough at Pi speed to make a manager's save fail after its lock wait.
So the running kiosk serves a Unix socket next to its database (`<database>.sock`, mode 0600),
and the one-shot commands ask it instead of writing themselves:

    {"do": "ping"}  -> {"ok": true, "pid": 1234}
    {"do": "sync"}  -> {"line": "metrics: ok, applied 1,418 rows"} per feed, then {"ok": true}

One JSON object per line, UTF-8. Plain Python and threads: no Qt here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SOCKET_SUFFIX = ".sock"
CONNECT_TIMEOUT_S = 2.0
# A sync of every feed can take a while (a big feed, a slow HQ): each feed has its own deadline.
REPLY_TIMEOUT_S = 15 * 60
MAX_REQUEST_BYTES = 4096


def socket_path(database_path: Path) -> Path:
    return database_path.with_name(database_path.name + SOCKET_SUFFIX)


@contextlib.contextmanager
def _short_path(path: Path) -> Iterator[str]:
    """A name for `path` that fits a Unix socket address (at most 107 bytes): through
    /proc/self/fd when the real path is longer (a store folder deep in a file system)."""
    if len(os.fsencode(path)) < 100 or not Path("/proc/self/fd").is_dir():
        yield str(path)
        return
    fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}/{path.name}"
    finally:
        os.close(fd)


@dataclass(frozen=True)
class SyncReply:
    lines: tuple[str, ...]
    ok: bool


def _connect(path: Path) -> socket.socket | None:
    """A connection to the kiosk serving `path`, or None when none answers there."""
    if not path.exists():
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(CONNECT_TIMEOUT_S)
    try:
        with _short_path(path) as address:
            conn.connect(address)
    except OSError:  # a socket file left by a kiosk that died: nobody listens
        conn.close()
        return None
    return conn


def _ask(conn: socket.socket, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
    conn.settimeout(REPLY_TIMEOUT_S)
    conn.sendall(json.dumps(request).encode("utf-8") + b"\n")
    with conn.makefile("r", encoding="utf-8") as replies:
        for line in replies:
            yield json.loads(line)


def running_kiosk(database_path: Path) -> int | None:
    """The process id of a kiosk serving this database, or None."""
    conn = _connect(socket_path(database_path))
    if conn is None:
        return None
    with conn:
        try:
            for reply in _ask(conn, {"do": "ping"}):
                return int(reply.get("pid", 0)) or None
        except (OSError, ValueError):
            return None
    return None


def ask_to_sync(database_path: Path) -> SyncReply | None:
    """Have the kiosk serving this database pull every feed now; None when no kiosk runs.

    Raises OSError when a kiosk answered but the conversation broke off.
    """
    conn = _connect(socket_path(database_path))
    if conn is None:
        return None
    lines: list[str] = []
    with conn:
        for reply in _ask(conn, {"do": "sync"}):
            if "line" in reply:
                lines.append(str(reply["line"]))
            elif "ok" in reply:
                return SyncReply(tuple(lines), bool(reply["ok"]))
    raise OSError("the running kiosk stopped answering before the sync ended")


SyncAll = Callable[[], Sequence[tuple[str, bool]]]


class ControlServer:
    """Serves the control socket of one database on a daemon thread; `close()` ends it.

    `sync_all` pulls every feed and returns (line, ok) per feed; it runs on this thread (the
    pulls' writes still go through the process's single writer). Requests are answered one at
    a time: a second `kiosk sync --once` waits for the first.
    """

    def __init__(self, database_path: Path, sync_all: SyncAll) -> None:
        self.path = socket_path(database_path)
        self._sync_all = sync_all
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if self.path.exists() or self.path.is_symlink():
            self.path.unlink()  # left by a kiosk that died (a live one was checked first)
        old_umask = os.umask(0o177)  # the socket is born 0600: only this user talks to it
        try:
            with _short_path(self.path) as address:
                self._server.bind(address)
        finally:
            os.umask(old_umask)
        self._server.listen(4)
        self._thread = threading.Thread(target=self._serve, name="control", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return  # closed
            with conn:
                try:
                    self._answer(conn)
                except Exception:
                    log.exception("control request failed")

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(CONNECT_TIMEOUT_S)
        with conn.makefile("rb") as requests:
            raw = requests.readline(MAX_REQUEST_BYTES)
        try:
            request = json.loads(raw)
            action = request.get("do") if isinstance(request, dict) else None
        except ValueError:
            action = None
        conn.settimeout(REPLY_TIMEOUT_S)
        if action == "ping":
            self._send(conn, {"ok": True, "pid": os.getpid()})
        elif action == "sync":
            log.info("sync requested on the control socket")
            results = self._sync_all()
            for line, _ in results:
                self._send(conn, {"line": line})
            self._send(conn, {"ok": all(ok for _, ok in results)})
        else:
            self._send(conn, {"ok": False, "error": "unknown request"})

    @staticmethod
    def _send(conn: socket.socket, message: dict[str, Any]) -> None:
        conn.sendall(json.dumps(message).encode("utf-8") + b"\n")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()
        with contextlib.suppress(OSError):
            self.path.unlink()


class NoControl:
    """What serves nothing: a disk that cannot hold the socket (full, read-only) cannot take a
    second writer's writes either, so the one-shot commands need no kiosk to ask."""

    def close(self) -> None:
        pass


def serve_control(database_path: Path, sync_all: SyncAll) -> ControlServer | NoControl:
    """Start serving; raises RuntimeError when another kiosk already serves this database."""
    other = running_kiosk(database_path)
    if other is not None:
        raise RuntimeError(
            f"another kiosk (process {other}) is already running on {database_path}; "
            "stop it first (systemctl stop kiosk)"
        )
    try:
        return ControlServer(database_path, sync_all)
    except OSError as exc:
        log.warning("no control socket at %s: %s", socket_path(database_path), exc.strerror)
        return NoControl()
