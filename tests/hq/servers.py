"""The app under its real uvicorn server on 127.0.0.1: in a thread (the tests' own clock) or
as the `kiosk-hq serve` command in a subprocess."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

import requests
import uvicorn
from starlette.applications import Starlette

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThreadedServer:
    """uvicorn serving `app` in a daemon thread, for as long as the `with` block lasts."""

    def __init__(self, app: Starlette) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(
                app,
                host="127.0.0.1",
                port=self.port,
                log_config=None,
                access_log=False,
                date_header=False,
                server_header=False,
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def kiosk_hq(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `kiosk-hq` command to completion."""
    return subprocess.run(
        [str(BIN / "kiosk-hq"), *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


class ServeProcess:
    """`kiosk-hq serve --config PATH` in a subprocess; stderr goes to a file the test reads."""

    def __init__(self, config: Path, port: int) -> None:
        self.config = config
        self.base = f"http://127.0.0.1:{port}"
        self.log = config.parent / "serve.log"
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [str(BIN / "kiosk-hq"), "serve", "--config", str(config)],
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            cwd=config.parent,
        )
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"kiosk-hq serve exited: {self.log.read_text()[-500:]}")
            try:
                if requests.get(f"{self.base}/healthz", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"kiosk-hq serve did not answer: {self.log.read_text()[-500:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()
