"""`kiosk-hq` as installed: the CLI, and `kiosk-hq serve` (uvicorn) on 127.0.0.1 driven with
requests and raw sockets."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from hq.testing import ThrowawayPostgres
from tests.hq import helpers as h
from tests.hq.conftest import fresh_postgres_database
from tests.hq.servers import ServeProcess, free_port, kiosk_hq


@dataclass
class Served:
    server: ServeProcess
    port: int
    token: str
    folder: Path

    def post(
        self, path: str, body: dict[str, object], token: str | None = None
    ) -> requests.Response:
        return requests.post(
            self.server.base + path,
            data=h.encode(body),
            headers=h.headers(token or self.token, body),
            timeout=10,
        )


def mint(config: Path, store_id: str) -> str:
    result = kiosk_hq("token", store_id, "--config", str(config))
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert len(token) == 43 and "\n" not in token
    assert "previous token no longer works" in result.stderr
    return token


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("served")
    port = free_port()
    config = h.write_config(folder, f"[server]\nport = {port}\n")
    token = mint(config, "S001")
    server = ServeProcess(config, port)
    yield Served(server, port, token, folder)
    server.stop()


def test_a_kiosk_talks_to_the_real_server(served: Served) -> None:
    beat = h.heartbeat()
    answer = served.post("/api/v1/heartbeat", beat)
    assert h.is_ack(answer, beat)
    assert len(answer.raw.headers.getlist("Date")) == 1  # one Date, the app's, not two
    item = h.entry()
    assert h.is_ack(served.post("/api/v1/uploads", item), item)
    repeat = served.post("/api/v1/uploads", item)
    assert h.is_ack(repeat, item) and repeat.json()["duplicate"] is True
    stores = requests.get(served.server.base + "/api/stores", auth=h.ADMIN, timeout=10).json()
    [store] = [s for s in stores["stores"] if s["store_id"] == "S001"]
    assert store["status"] == "ok"
    assert requests.get(served.server.base + "/api/stores", timeout=10).status_code == 401
    assert "server" not in {k.lower() for k in answer.headers}


def test_a_token_minted_while_serving_replaces_the_old_one_at_once(served: Served) -> None:
    config = served.folder / "hq.toml"
    first = mint(config, "S002")
    assert served.post("/api/v1/uploads", h.entry("S002"), first).status_code == 200
    second = mint(config, "S002")
    assert served.post("/api/v1/uploads", h.entry("S002"), first).status_code == 401
    assert served.post("/api/v1/uploads", h.entry("S002"), second).status_code == 200


def _read_status_line(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n")[0]


def _head(served: Served, extra: str) -> bytes:
    return (
        "POST /api/v1/uploads HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{served.port}\r\n"
        f"Authorization: Bearer {served.token}\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        "Idempotency-Key: 3f2b8c1e-5d0a-4c7e-9a41-0b6f2e7d9c15\r\n"
        f"{extra}\r\n"
    ).encode()


def test_an_oversized_chunked_body_is_refused_while_it_is_still_coming(served: Served) -> None:
    """80 KiB sent of a body that never ends: the 413 must come anyway (HQ reads no further)."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(_head(served, "Transfer-Encoding: chunked\r\n"))
        piece = b"x" * 16384
        for _ in range(5):
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        # ...and no terminating "0\r\n\r\n": a server that waits for the end never answers.
        started = time.monotonic()
        assert _read_status_line(sock).startswith(b"HTTP/1.1 413")
        assert time.monotonic() - started < 5


def test_a_declared_oversized_body_is_refused_before_it_is_sent(served: Served) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(_head(served, "Content-Length: 10000000\r\n"))
        assert _read_status_line(sock).startswith(b"HTTP/1.1 413")


def test_the_log_has_one_line_per_problem_and_no_secret(served: Served) -> None:
    wrong_token = "W" * 43
    served.post("/api/v1/uploads", h.entry(), wrong_token)
    served.post("/api/v1/uploads", h.entry(value="twelve"))
    requests.get(served.server.base + "/", auth=("ops", "guess-the-password"), timeout=10)
    time.sleep(0.3)
    log = served.server.log.read_text()
    assert "upload from unknown token (127.0.0.1) refused: 401" in log
    assert "upload from S001 (127.0.0.1) refused: 422 value: must be a number" in log
    assert "admin login refused from 127.0.0.1" in log
    for secret in (served.token, wrong_token, h.ADMIN[1], "guess-the-password"):
        assert secret not in log


def test_a_bad_config_exits_2_with_one_line_per_problem(tmp_path: Path) -> None:
    config = tmp_path / "hq.toml"
    config.write_text(
        '[server]\nport = "eighty"\n\n[fleet]\nstale_after_minutes = -1\ncolour = "red"\n\n'
        '[admin]\nusername = "ops"\npassword_env = "HQ_TEST_UNSET_VARIABLE"\n'
        '[database]\nurl = "mysql://hq@db/hq"\n'
    )
    result = kiosk_hq("serve", "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "kiosk-hq: config: [server] port: must be a whole number (got 'eighty')",
        "kiosk-hq: config: [database] url: mysql is not supported (use sqlite or postgresql)",
        "kiosk-hq: config: [admin] password_env: the environment variable "
        "HQ_TEST_UNSET_VARIABLE is not set",
        "kiosk-hq: config: [fleet] stale_after_minutes: must be between 0.01 and 10080 (got -1)",
        "kiosk-hq: config: [fleet] colour: unknown key",
    ]


def test_no_config_and_a_bad_store_id_exit_2(tmp_path: Path) -> None:
    missing = kiosk_hq("serve", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.startswith("kiosk-hq: config: hq.toml: not found")
    h.write_config(tmp_path)
    bad = kiosk_hq("token", "S 001/x", cwd=tmp_path)
    assert bad.returncode == 2 and "store id" in bad.stderr
    assert kiosk_hq("token", "S001", cwd=tmp_path).returncode == 0  # ./hq.toml by default
    assert (tmp_path / "hq.db").exists()  # the embedded default, next to the config


def test_serve_on_postgresql(postgres: ThrowawayPostgres, tmp_path: Path) -> None:
    url = fresh_postgres_database(postgres)
    port = free_port()
    config = h.write_config(
        tmp_path,
        f'[server]\nport = {port}\n\n[database]\nurl = "{url.render_as_string(False)}"\n',
    )
    token = mint(config, "P001")
    server = ServeProcess(config, port)
    try:
        beat = h.heartbeat("P001")
        answer = requests.post(
            f"{server.base}/api/v1/heartbeat",
            data=h.encode(beat),
            headers=h.headers(token, beat),
            timeout=10,
        )
        assert h.is_ack(answer, beat)
        page = requests.get(f"{server.base}/stores/P001.json", auth=h.ADMIN, timeout=10).json()
        assert page["store"]["status"] == "ok" and page["heartbeats_kept"] == 1
    finally:
        server.stop()
    assert "database postgresql+psycopg://postgres@/" in server.log.read_text()
