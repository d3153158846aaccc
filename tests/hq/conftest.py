"""Fixtures for the hq tests: the app in-process on SQLite, and a real PostgreSQL server.

No Qt here: these tests import nothing from kiosk/ or sync/, except the end-to-end test
(test_kiosk_end_to_end.py), whose kiosk runs in its own process.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import URL
from starlette.testclient import TestClient

from hq.app import build_app
from hq.config import HqConfig, load_config
from hq.store.database import Database, open_database
from hq.store.writes import mint_token
from hq.testing import ThrowawayPostgres
from tests.hq.helpers import ADMIN, FakeClock, encode, headers, write_config

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres]:
    """One throwaway PostgreSQL cluster for the whole run (a fresh database per test)."""
    try:
        server = ThrowawayPostgres()
        server.start()
    except RuntimeError as exc:
        # Not a skip: CI installs the server (scripts/install-system-deps), so a missing one
        # is a broken machine, and a skipped test would hide it.
        pytest.fail(f"PostgreSQL tests cannot run: {exc}", pytrace=False)
    yield server
    server.stop()


def fresh_postgres_database(server: ThrowawayPostgres) -> URL:
    name = f"test_{next(_database_numbers)}"
    url = server.url()
    with psycopg.connect(
        host=url.query["host"],
        port=url.query["port"],
        user="postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> URL:
    """The same test on the embedded default and on PostgreSQL."""
    if request.param == "sqlite":
        return URL.create("sqlite", database=str(tmp_path / "hq.db"))
    return fresh_postgres_database(request.getfixturevalue("postgres"))


@pytest.fixture
def db(database_url: URL) -> Iterator[Database]:
    database = open_database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def config(tmp_path: Path) -> HqConfig:
    return load_config(write_config(tmp_path, "[limits]\nrequests_per_minute = 1000\n"))


@dataclass
class Hq:
    """The app in-process (Starlette's TestClient) with its clock and database at hand."""

    client: TestClient
    db: Database
    clock: FakeClock
    config: HqConfig

    def token(self, store_id: str = "S001") -> str:
        return mint_token(self.db, store_id, self.clock())

    def post(self, path: str, body: dict[str, Any], token: str, **extra: str) -> Any:
        return self.client.post(
            path, content=encode(body), headers={**headers(token, body), **extra}
        )

    def upload(self, body: dict[str, Any], token: str) -> Any:
        return self.post("/api/v1/uploads", body, token)

    def heartbeat(self, body: dict[str, Any], token: str) -> Any:
        return self.post("/api/v1/heartbeat", body, token)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, auth=ADMIN, **kwargs)


def make_hq(config: HqConfig, clock: FakeClock) -> Iterator[Hq]:
    app = build_app(config, clock=clock, monotonic=clock.monotonic)
    with TestClient(app) as client:
        yield Hq(client=client, db=app.state.hq.db, clock=clock, config=config)


@pytest.fixture
def hq(config: HqConfig, clock: FakeClock) -> Iterator[Hq]:
    yield from make_hq(config, clock)
