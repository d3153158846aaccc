"""Reading and validating `hq.toml`.

Like the kiosk's config: every problem is collected, not just the first, one line each naming
the key (`[admin] password_env: ...`), and relative paths resolve against the config file's
folder. The admin password is read from the environment only when the caller needs it
(`kiosk-hq serve`): minting a token from a shell without the service's environment works.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_CONFIG = Path("hq.toml")
DEFAULT_DATABASE_FILE = "hq.db"
MIN_PASSWORD_CHARS = 8
SUPPORTED_DIALECTS = ("sqlite", "postgresql")


class ConfigError(Exception):
    """The config cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8750
    # Behind nginx: trust X-Forwarded-For/-Proto from these addresses (uvicorn's settings).
    proxy_headers: bool = False
    forwarded_allow_ips: str = "127.0.0.1"
    # One line per request; off by default because nginx keeps the access log (docs/hq.md).
    access_log: bool = False


@dataclass(frozen=True)
class AdminConfig:
    username: str
    # None when the caller did not need it resolved (see load_config's `need_password`).
    password: str | None = field(repr=False)


@dataclass(frozen=True)
class FleetConfig:
    stale_after_minutes: float = 10
    refresh_seconds: int = 30  # the fleet page reloads itself this often
    timezone: str = "UTC"  # absolute times on the pages are shown in this zone
    history_hours: float = 24  # heartbeats kept per store (the latest is kept apart, always)
    history_max_per_store: int = 2000  # ...and at most this many, whatever a kiosk sends

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class LimitsConfig:
    requests_per_minute: int = 120  # per store, uploads and heartbeats together
    upload_bytes: int = 64 * 1024
    heartbeat_bytes: int = 256 * 1024


@dataclass(frozen=True)
class HqConfig:
    path: Path
    database_url: URL
    admin: AdminConfig
    server: ServerConfig = ServerConfig()
    fleet: FleetConfig = FleetConfig()
    limits: LimitsConfig = LimitsConfig()


class _Section:
    """Typed access to one TOML table that records problems instead of raising."""

    def __init__(self, data: object, name: str, problems: list[str]) -> None:
        self.name = name
        self.problems = problems
        self.used: set[str] = set()
        if isinstance(data, Mapping):
            self.data: Mapping[str, Any] = data
        else:
            self.data = {}
            problems.append(f"{name}: must be a table (a [section]), not a single value")

    def bad(self, key: str, message: str) -> None:
        self.problems.append(f"{self.name} {key}: {message}")

    def _get(self, key: str) -> Any:
        self.used.add(key)
        return self.data.get(key)

    def string(self, key: str, default: str | None) -> str | None:
        value = self._get(key)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            self.bad(key, f"must be a non-empty string (got {value!r})")
            return default
        return value

    def number(
        self,
        key: str,
        default: float,
        *,
        minimum: float,
        maximum: float,
        integer: bool = False,
    ) -> float:
        value = self._get(key)
        if value is None:
            return default
        kind = "a whole number" if integer else "a number"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.bad(key, f"must be {kind} (got {value!r})")
            return default
        if integer and not isinstance(value, int):
            self.bad(key, f"must be {kind} (got {value!r})")
            return default
        if not minimum <= value <= maximum:
            self.bad(key, f"must be between {minimum:g} and {maximum:g} (got {value!r})")
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.bad(key, f"must be true or false (got {value!r})")
            return default
        return value

    def finish(self) -> None:
        for key in self.data:
            if key not in self.used:
                self.bad(key, "unknown key")


def _database_url(section: _Section, config_dir: Path) -> URL:
    default = URL.create("sqlite", database=str(config_dir / DEFAULT_DATABASE_FILE))
    text = section.string("url", None)
    if text is None:
        return default
    try:
        url = make_url(text)
    except ArgumentError:
        # SQLAlchemy's message quotes the whole URL, password included: say it without it.
        section.bad("url", "is not a database URL (e.g. postgresql+psycopg://hq@/kiosk_hq)")
        return default
    dialect = url.get_backend_name()
    if dialect not in SUPPORTED_DIALECTS:
        section.bad("url", f"{dialect} is not supported (use sqlite or postgresql)")
        return default
    if dialect == "postgresql":
        driver = url.get_driver_name()
        if url.drivername == "postgresql":
            # SQLAlchemy's default PostgreSQL driver is psycopg2; this package ships psycopg 3.
            return url.set(drivername="postgresql+psycopg")
        if driver != "psycopg":
            section.bad("url", f"use the psycopg driver (postgresql+psycopg://), not {driver}")
        return url
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        section.bad("url", "an SQLite database must be a file path (sqlite:///var/hq.db)")
        return default
    return url.set(database=str((config_dir / database).resolve()))


def _admin(section: _Section, need_password: bool) -> AdminConfig:
    username = section.string("username", None)
    if username is None and "username" not in section.data:
        section.bad("username", "is required")
    password = section.string("password", None)
    password_env = section.string("password_env", None)
    if password is not None and password_env is not None:
        section.bad("password", "set password or password_env, not both")
    elif password is None and password_env is None:
        section.bad("password_env", "is required (or password): the fleet page needs a login")
    elif password_env is not None and need_password:
        password = os.environ.get(password_env)
        if not password:
            section.bad("password_env", f"the environment variable {password_env} is not set")
    if password is not None and len(password) < MIN_PASSWORD_CHARS:
        section.bad("password", f"must be at least {MIN_PASSWORD_CHARS} characters")
        password = None
    return AdminConfig(username=username or "", password=password)


def _fleet(section: _Section) -> FleetConfig:
    timezone = section.string("timezone", "UTC") or "UTC"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        section.bad("timezone", f"{timezone!r} is not a known time zone (e.g. Europe/Paris)")
        timezone = "UTC"
    return FleetConfig(
        stale_after_minutes=section.number(
            "stale_after_minutes", 10, minimum=0.01, maximum=7 * 24 * 60
        ),
        refresh_seconds=int(
            section.number("refresh_seconds", 30, minimum=1, maximum=3600, integer=True)
        ),
        timezone=timezone,
        history_hours=section.number("history_hours", 24, minimum=0.1, maximum=24 * 31),
        history_max_per_store=int(
            section.number(
                "history_max_per_store", 2000, minimum=1, maximum=1_000_000, integer=True
            )
        ),
    )


def _limits(section: _Section) -> LimitsConfig:
    return LimitsConfig(
        requests_per_minute=int(
            section.number("requests_per_minute", 120, minimum=1, maximum=100_000, integer=True)
        ),
        upload_bytes=int(
            section.number("upload_bytes", 64 * 1024, minimum=1024, maximum=2**24, integer=True)
        ),
        heartbeat_bytes=int(
            section.number("heartbeat_bytes", 256 * 1024, minimum=1024, maximum=2**24, integer=True)
        ),
    )


def _server(section: _Section) -> ServerConfig:
    return ServerConfig(
        host=section.string("host", "127.0.0.1") or "127.0.0.1",
        port=int(section.number("port", 8750, minimum=0, maximum=65535, integer=True)),
        proxy_headers=section.boolean("proxy_headers", False),
        forwarded_allow_ips=section.string("forwarded_allow_ips", "127.0.0.1") or "127.0.0.1",
        access_log=section.boolean("access_log", False),
    )


SECTIONS = ("server", "database", "admin", "fleet", "limits")


def parse_config(data: Mapping[str, Any], path: Path, *, need_password: bool = True) -> HqConfig:
    """Validate a parsed TOML document; raise ConfigError listing every problem."""
    problems: list[str] = []
    config_dir = path.resolve().parent
    for key in data:
        if key not in SECTIONS:
            problems.append(f"[{key}]: unknown section (known: {', '.join(SECTIONS)})")
    sections = {name: _Section(data.get(name, {}), f"[{name}]", problems) for name in SECTIONS}
    if "admin" not in data:
        problems.append("[admin]: section is required (username, and password_env or password)")
    server = _server(sections["server"])
    database_url = _database_url(sections["database"], config_dir)
    admin = _admin(sections["admin"], need_password) if "admin" in data else None
    fleet = _fleet(sections["fleet"])
    limits = _limits(sections["limits"])
    for section in sections.values():
        section.finish()
    if problems or admin is None:
        raise ConfigError(problems)
    return HqConfig(
        path=path,
        database_url=database_url,
        admin=admin,
        server=server,
        fleet=fleet,
        limits=limits,
    )


def load_config(path: Path, *, need_password: bool = True) -> HqConfig:
    """Read and validate the config at `path`; raise ConfigError (one line per problem)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: not found (write one: docs/hq.md, 'Run it'; or pass --config PATH)"]
        ) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot be read: {exc.strerror}"]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: is not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    return parse_config(data, path, need_password=need_password)
