"""A throwaway PostgreSQL cluster for the tests and the bench (never for production).

Debian's `postgresql` package (scripts/install-system-deps installs it) puts the server
binaries in /usr/lib/postgresql/<version>/bin. `ThrowawayPostgres` runs initdb into a fresh
temporary folder and starts the server listening only on a Unix socket in that folder (no TCP
port, so nothing else on the machine can reach it), as the `postgres` user when we are root
(PostgreSQL refuses to run as root), then removes it all on `stop()`.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy.engine import URL

INSTALL_HINT = (
    "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): run "
    "scripts/install-system-deps (Debian package 'postgresql')"
)


def find_pg_bin() -> Path:
    """The newest installed server's bin folder; RuntimeError with the fix if there is none."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: (
            int(Path(path).parent.parent.name) if Path(path).parent.parent.name.isdigit() else 0
        ),
    )
    if not found:
        raise RuntimeError(INSTALL_HINT)
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThrowawayPostgres:
    """`start()` returns an SQLAlchemy URL to a fresh database; `stop()` removes everything.

    `durable=False` (tests) turns fsync off: faster, and a crash loses only a test's data.
    The bench keeps the defaults so its figures are a real server's.
    """

    def __init__(self, *, durable: bool = False, database: str = "hq") -> None:
        self.bin = find_pg_bin()
        self.durable = durable
        self.database = database
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-hq-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()  # names the socket file (.s.PGSQL.<port>); no TCP listener
        self._as_postgres = os.geteuid() == 0
        self.started = False

    def _run(self, *args: str) -> None:
        command = list(args)
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise RuntimeError(f"{Path(args[0]).name} failed: {' | '.join(tail)}")

    def start(self) -> URL:
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = [
            f"-k {self.root}",
            f"-p {self.port}",
            "-c listen_addresses=''",
            "-c max_connections=60",
        ]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            " ".join(options),
            "start",
        )
        self.started = True
        import psycopg

        with psycopg.connect(
            host=str(self.root), port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')
        return self.url()

    def url(self) -> URL:
        return URL.create(
            "postgresql+psycopg",
            username="postgres",
            database=self.database,
            query={"host": str(self.root), "port": str(self.port)},
        )

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().splitlines()[0])

    def stop(self) -> None:
        try:
            if self.started:
                self._run(
                    str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"
                )
                self.started = False
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
