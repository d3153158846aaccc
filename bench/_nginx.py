"""nginx from the distribution's packages, started privately on 127.0.0.1 the way HQ would serve.

Nothing of the system's nginx is used but the binary: a private prefix folder holds the config,
pid file, logs and temp folders (`nginx -p PREFIX -c nginx.conf -e error.log`), and the server is
stopped by the pid of the process this module started. ETag and Last-Modified are nginx's
defaults for static files; gzip is on for CSV and JSON.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from bench._util import free_port, wait_for_port

INSTALL_HINT = "nginx not installed (apt-get install nginx)"
LOG_FORMAT = "$status $bytes_sent $body_bytes_sent $request_length $request_uri"


def find_nginx() -> str | None:
    """The nginx binary: $NGINX, then PATH, then the Debian location (not on a user's PATH)."""
    for candidate in (os.environ.get("NGINX"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _user_line() -> str:
    """Workers of a root master drop to an unprivileged user; a group must exist for it."""
    if os.geteuid() != 0:
        return ""
    for name in ("www-data", "nobody"):
        try:
            user = pwd.getpwnam(name)
            group = grp.getgrgid(user.pw_gid).gr_name
        except KeyError:
            continue
        return f"user {name} {group};"
    return ""


@dataclass(frozen=True)
class LogLine:
    status: int
    bytes_sent: int  # headers + body on the wire (after gzip)
    body_bytes: int
    request_bytes: int
    uri: str


class Nginx:
    """`with Nginx(prefix, docroot) as server:` serves `docroot` on `server.base_url`."""

    def __init__(self, prefix: Path, docroot: Path, *, workers: int = 1) -> None:
        binary = find_nginx()
        if binary is None:
            raise FileNotFoundError(INSTALL_HINT)
        self.binary = binary
        self.prefix = prefix
        self.docroot = docroot
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.access_log = prefix / "access.log"
        self._process: subprocess.Popen[bytes] | None = None

    def _config(self) -> str:
        p = self.prefix.as_posix()
        temps = "\n".join(
            f"    {kind}_temp_path {p}/temp/{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        return f"""\
{_user_line()}
worker_processes {self.workers};
pid {p}/nginx.pid;
error_log {p}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    types {{ text/csv csv; application/json json; text/plain txt; }}
    default_type application/octet-stream;
    log_format bench '{LOG_FORMAT}';
    access_log {self.access_log.as_posix()} bench;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 75s;
    keepalive_requests 1000000;
    etag on;
    gzip on;
    gzip_types text/csv application/json;
    gzip_min_length 256;
    gzip_vary on;
{temps}
    server {{
        listen 127.0.0.1:{self.port};
        server_name localhost;
        root {self.docroot.as_posix()};
        location / {{ }}
    }}
}}
"""

    def start(self) -> None:
        (self.prefix / "temp").mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(self._config(), encoding="utf-8")
        # Workers run as an unprivileged user: they must be able to read the feeds.
        for folder in [self.docroot, *self.docroot.parents]:
            if folder == Path("/"):
                break
            folder.chmod(folder.stat().st_mode | 0o005)
        self._process = subprocess.Popen(
            [
                self.binary,
                "-p",
                str(self.prefix),
                "-c",
                str(conf),
                "-e",
                str(self.prefix / "error.log"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(self.port)
        except RuntimeError:
            self.stop()
            errors = (self.prefix / "error.log").read_text(errors="replace").strip()
            raise RuntimeError(f"nginx did not start: {errors.splitlines()[-1:]}") from None

    def stop(self) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGQUIT)  # graceful: finish requests, then exit
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def log_size(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def log_lines(self, start: int = 0) -> list[LogLine]:
        """Access-log lines written after byte offset `start`."""
        with self.access_log.open("rb") as fh:
            fh.seek(start)
            data = fh.read().decode("utf-8", "replace")
        lines = []
        for raw in data.splitlines():
            status, sent, body, request, uri = raw.split(" ", 4)
            lines.append(LogLine(int(status), int(sent), int(body), int(request), uri))
        return lines

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
