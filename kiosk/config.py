"""Reading and validating `config.toml`.

Every problem is collected, not just the first, so an ops person fixing a config for 300 stores
sees them all at once: one line each, naming the key (`[store] timezone: ...`). Relative paths
resolve against the config file's folder.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.locales import DEFAULT_LOCALE, SUPPORTED_LOCALES
from sync.spec import (
    DEFAULT_SIGNATURE_HEADER,
    FEED_KINDS,
    FeedSignature,
    FeedSpec,
    FetchOptions,
    HttpAuth,
)

ROTATING_SCREENS: tuple[str, ...] = (
    "scoreboard",
    "comments",
    "celebration",
    "messages",
    "leaderboard",
)
# `entry` is opened by touch, never rotated; `kiosk screenshot` still renders it.
ALL_SCREENS: tuple[str, ...] = (*ROTATING_SCREENS, "entry")
DEFAULT_SCREEN_SECONDS: dict[str, float] = {
    "scoreboard": 20,
    "comments": 15,
    "celebration": 12,
    "messages": 15,
    "leaderboard": 12,
}
CONFIG_ENV = "KIOSK_CONFIG"
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class ConfigError(Exception):
    """The config cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class StoreConfig:
    id: str
    name: str
    timezone: str
    # The language of every word the kiosk writes on screen, and how it writes numbers,
    # money, dates and times (kiosk/locales.py). Logs and command output stay English.
    locale: str = DEFAULT_LOCALE

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """The store's calendar date at `now` (default: the current time); `now` must be aware:
        a naive time would silently be read in the machine's zone."""
        moment = now if now is not None else dt.datetime.now(dt.UTC)
        if moment.tzinfo is None:
            raise ValueError("StoreConfig.today needs an aware datetime")
        return moment.astimezone(self.tz).date()


@dataclass(frozen=True)
class ScreenSlot:
    name: str
    seconds: float


@dataclass(frozen=True)
class DisplayConfig:
    stale_after_minutes: float = 120
    transition_ms: int = 400
    cursor_hide_seconds: float = 3
    # Fraction of the rotation a page change may take is not configurable: pages split the
    # screen's seconds evenly.
    # Opening hours in store time; both None: always on. close <= open crosses midnight.
    open_at: dt.time | None = None
    close_at: dt.time | None = None
    # Outside opening hours: "black", a dim "clock", or "cec": the TV itself off and on again
    # over HDMI-CEC (kiosk/screen_power.py), with `cec_tool` "cec-ctl", "cec-client" or "auto".
    off_mode: str = "black"
    cec_tool: str = "auto"
    # Burn-in protection: everything moves by up to this many pixels (at 1080p, scaled),
    # one step every `shift_minutes`. 0 turns it off.
    shift_pixels: int = 4
    shift_minutes: float = 10


# The bundled celebration chime (a short synthesized WAV; see assets/sounds/README.md).
DEFAULT_SOUND_FILE = Path(__file__).resolve().parents[1] / "assets" / "sounds" / "celebration.wav"


@dataclass(frozen=True)
class CelebrationConfig:
    """The goal-met moment: confetti, and an optional short sound outside a quiet window."""

    confetti: bool = True
    sound: bool = False
    sound_file: Path = DEFAULT_SOUND_FILE
    volume: float = 0.6  # 0 to 1
    # No sound from quiet_start (inclusive) to quiet_end, store time; may cross midnight.
    quiet_start: dt.time | None = None
    quiet_end: dt.time | None = None


@dataclass(frozen=True)
class LeaderboardConfig:
    metric: str | None = None  # None: the first financial metric of the catalog
    period: str = "month"


@dataclass(frozen=True)
class SyncConfig:
    start_delay_seconds: float = 5  # first pull shortly after start
    jitter_seconds: float = 60  # spread a fleet's polls so HQ is not hit at once


@dataclass(frozen=True)
class LoggingConfig:
    dir: Path
    level: str = "INFO"
    max_megabytes: float = 5
    backups: int = 3


@dataclass(frozen=True)
class ManagerConfig:
    """The manager area: PIN storage and policy, idle timeout, shout-outs."""

    pin_file: Path  # the salted hash (never the PIN), outside the database
    key_file: Path  # a random key mixed into the hash, kept apart from both
    min_pin_length: int = 4
    max_attempts: int = 5
    lockout_minutes: float = 5
    idle_seconds: float = 60
    shoutout_days: int = 7


@dataclass(frozen=True)
class HqConfig:
    """The HQ service (kiosk-hq, docs/hq.md) the kiosk reports to; None url: HQ is off.

    Manager entries and shout-outs go to `<url>/api/v1/uploads`, heartbeats to
    `<url>/api/v1/heartbeat`.
    """

    url: str | None = None  # the service's base URL, e.g. "https://hq.example.com"
    token: str | None = None
    heartbeat_minutes: float = 5
    retry_seconds: float = 60  # first retry; doubles up to max_retry_seconds
    max_retry_seconds: float = 3600
    timeout_seconds: float = 20

    def __repr__(self) -> str:  # never print the token
        return f"HqConfig(url={self.url!r})"


@dataclass(frozen=True)
class Config:
    path: Path
    store: StoreConfig
    database_path: Path
    feeds: tuple[FeedSpec, ...]
    screens: tuple[ScreenSlot, ...]
    display: DisplayConfig
    leaderboard: LeaderboardConfig
    sync: SyncConfig
    logging: LoggingConfig
    manager: ManagerConfig
    hq: HqConfig = field(default_factory=HqConfig)
    celebration: CelebrationConfig = field(default_factory=CelebrationConfig)
    demo_feeds_dir: Path | None = None


def default_of(cls: type, name: str) -> Any:
    """The default of dataclass `cls`'s field `name`: each default is written once, on the class."""
    value = cls.__dataclass_fields__[name].default
    if value is MISSING:
        raise ValueError(f"{cls.__name__}.{name} has no default")
    return value


def default_config_path(explicit: str | None) -> Path:
    """`--config`, then `$KIOSK_CONFIG`, then `./config.toml`."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    return Path("config.toml")


def parse_hhmm(text: str) -> dt.time:
    """ "07:30" -> time(7, 30); ValueError for anything else (24-hour clock, two digits)."""
    match = _HHMM.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{text!r} is not a time of day as HH:MM (e.g. 07:00 or 22:30)")
    return dt.time(int(match.group(1)), int(match.group(2)))


# --- the validator ------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{where}: {message}")


_MISSING = object()


class _Section:
    """Typed access to one TOML table that records problems instead of raising."""

    def __init__(self, data: Any, where: str, problems: _Problems) -> None:
        self.where = where
        self.problems = problems
        if not isinstance(data, dict):
            problems.add(where, f"must be a table, not {_type_name(data)}")
            data = {}
        self.data: dict[str, Any] = data
        self.used: set[str] = set()

    def _get(self, key: str) -> Any:
        self.used.add(key)
        return self.data.get(key, _MISSING)

    def _bad(self, key: str, message: str) -> None:
        self.problems.add(f"{self.where} {key}", message)

    def string(self, key: str, default: Any = _MISSING) -> Any:
        value = self._get(key)
        if value is _MISSING:
            if default is _MISSING:
                self._bad(key, "is required")
                return None
            return default
        if not isinstance(value, str):
            self._bad(key, f"must be a string, not {_type_name(value)}")
            return None if default is _MISSING else default
        if not value.strip():
            self._bad(key, "must not be empty")
            return None if default is _MISSING else default
        return value

    def number(
        self,
        key: str,
        default: float,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        integer: bool = False,
    ) -> Any:
        value = self._get(key)
        if value is _MISSING:
            return default
        ok_type = isinstance(value, int) if integer else isinstance(value, int | float)
        if isinstance(value, bool) or not ok_type:
            kind = "an integer" if integer else "a number"
            self._bad(key, f"must be {kind}, not {_type_name(value)}")
            return default
        if minimum is not None and value < minimum:
            self._bad(key, f"must be at least {minimum:g}, not {value}")
            return default
        if maximum is not None and value > maximum:
            self._bad(key, f"must be at most {maximum:g}, not {value}")
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self._bad(key, f"must be true or false, not {_type_name(value)}")
            return default
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: Any = _MISSING) -> Any:
        value = self.string(key, default)
        if value is None or value is default:
            return value
        if value not in choices:
            self._bad(key, f"must be one of {', '.join(choices)}, not {value!r}")
            return None if default is _MISSING else default
        return value

    def time_of_day(self, key: str) -> dt.time | None:
        """An optional "HH:MM" (24-hour) time of day."""
        value = self.string(key, None)
        if value is None:
            return None
        try:
            return parse_hhmm(value)
        except ValueError:
            self._bad(key, f"{value!r} is not a time of day as HH:MM (e.g. 07:00 or 22:30)")
            return None

    def time_window(self, start_key: str, end_key: str) -> tuple[dt.time | None, dt.time | None]:
        """Two times that come together or not at all, and differ."""
        start, end = self.time_of_day(start_key), self.time_of_day(end_key)
        given = {start_key: self.data.get(start_key), end_key: self.data.get(end_key)}
        if (given[start_key] is None) != (given[end_key] is None):
            missing = end_key if given[end_key] is None else start_key
            other = start_key if missing == end_key else end_key
            self._bad(missing, f"is required when {other} is given")
            return None, None
        if start is not None and start == end:
            self._bad(end_key, f"must differ from {start_key}")
            return None, None
        if start is None or end is None:
            return None, None
        return start, end

    def finish(self) -> None:
        for key in self.data:
            if key not in self.used:
                self.problems.add(f"{self.where} {key}", "unknown key")


def _type_name(value: object) -> str:
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _resolve_path(base: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def _resolve_feed_url(base: Path, raw: str, where: str, problems: _Problems) -> str | None:
    """A local path (made absolute), or a checked http(s) / file URL."""
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.hostname:
            problems.add(where, f"{raw!r} is not a valid URL: it has no host")
            return None
        try:
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            problems.add(where, f"{raw!r} is not a valid URL: bad port")
            return None
        return raw
    if scheme == "file":
        local = unquote(parts.path)
        if parts.netloc and parts.netloc != "localhost":
            problems.add(where, f"{raw!r}: file URLs must be local (file:///path)")
            return None
        return str(_resolve_path(base, local))
    if len(scheme) > 1:  # a one-letter "scheme" is a Windows drive
        problems.add(
            where,
            f"{raw!r}: unsupported URL scheme {scheme!r} (use a path, file:, http: or https:)",
        )
        return None
    return str(_resolve_path(base, raw))


def _secret(section: _Section, key: str, problems: _Problems) -> str | None:
    """`key` from the config, or from the environment variable named by `key_env`."""
    direct = section.string(key, None)
    env_name = section.string(f"{key}_env", None)
    if direct is not None and env_name is not None:
        section._bad(key, f"give either {key} or {key}_env, not both")
        return None
    if env_name is not None:
        value = os.environ.get(env_name)
        if not value:
            # Name the variable, never a value.
            section._bad(f"{key}_env", f"environment variable {env_name} is not set")
            return None
        return value
    return direct


# kiosk-hq's routes under `[hq] url` (docs/hq.md, "The wire protocol"); sync/upload.py posts
# to the same two.
HQ_UPLOADS_PATH = "/api/v1/uploads"
HQ_HEARTBEAT_PATH = "/api/v1/heartbeat"


def _hq_url(section: _Section) -> str | None:
    """`[hq] url`: the HQ service's base URL. The old `upload_url` (a full URL the outbox was
    POSTed to) is refused with the line to write instead: an endpoint that is not kiosk-hq
    never acknowledges an item, so keeping it would leave the outbox filling up silently."""
    raw = section.string("url", None)
    old = section.string("upload_url", None)
    if old is not None:
        stripped = old.strip().rstrip("/")
        parts = urlsplit(stripped)
        base = ""
        if stripped.endswith(HQ_UPLOADS_PATH):  # it already pointed at kiosk-hq
            base = stripped[: -len(HQ_UPLOADS_PATH)]
        elif parts.scheme.lower() in ("http", "https") and parts.hostname:
            try:
                port = f":{parts.port}" if parts.port else ""
            except ValueError:
                port = ""
            base = f"{parts.scheme}://{parts.hostname}{port}"
        suggestion = f'url = "{base}"' if base else 'url = "https://<your HQ host>"'
        section._bad(
            "upload_url",
            "was replaced by url, the base URL of the HQ service (kiosk-hq): write "
            f"{suggestion} instead (uploads go to <url>{HQ_UPLOADS_PATH}, heartbeats to "
            f"<url>{HQ_HEARTBEAT_PATH}; see docs/hq.md)",
        )
    if raw is None:
        return None
    parts = urlsplit(raw)
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        section._bad("url", f"{raw!r} is not a valid URL: bad port")
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        section._bad("url", f"{raw!r} is not an http(s) URL with a host")
        return None
    if parts.query or parts.fragment or parts.username or parts.password:
        section._bad(
            "url",
            f"{raw!r}: give the service's base URL only (no user, query or fragment; the "
            "token goes in token or token_env)",
        )
        return None
    if parts.path.rstrip("/").endswith((HQ_UPLOADS_PATH, HQ_HEARTBEAT_PATH)):
        base = raw[: raw.rindex("/api/v1/")]
        section._bad(
            "url",
            f'{raw!r} is an API route: give the service\'s base URL (url = "{base}")',
        )
        return None
    return raw.rstrip("/")


def _fetch_options(section: _Section, base: FetchOptions, config_dir: Path) -> FetchOptions:
    ca = section.string("ca_bundle", None)
    ca_path = None
    if ca is not None:
        resolved = _resolve_path(config_dir, ca)
        if not resolved.is_file():
            section._bad("ca_bundle", f"file {str(resolved)!r} does not exist")
        ca_path = str(resolved)
    return FetchOptions(
        connect_timeout_s=section.number(
            "connect_timeout_seconds", base.connect_timeout_s, minimum=0.1, maximum=600
        ),
        read_timeout_s=section.number(
            "read_timeout_seconds", base.read_timeout_s, minimum=0.1, maximum=600
        ),
        deadline_s=section.number("deadline_seconds", base.deadline_s, minimum=0.5, maximum=3600),
        max_bytes=int(
            section.number("max_megabytes", base.max_bytes / 2**20, minimum=0.001, maximum=4096)
            * 2**20
        ),
        retries=section.number("retries", base.retries, minimum=0, maximum=20, integer=True),
        backoff_s=section.number("backoff_seconds", base.backoff_s, minimum=0, maximum=600),
        retry_after_max_s=section.number(
            "retry_after_max_seconds", base.retry_after_max_s, minimum=0, maximum=3600
        ),
        ca_bundle=ca_path or base.ca_bundle,
    )


def parse_config(data: Mapping[str, Any], path: Path) -> Config:
    """Validate a parsed TOML document; raise ConfigError listing every problem."""
    problems = _Problems()
    config_dir = path.resolve().parent
    known = {
        "store",
        "database",
        "display",
        "leaderboard",
        "sync",
        "logging",
        "feeds",
        "screens",
        "demo",
        "manager",
        "hq",
        "celebration",
    }
    for key in data:
        if key not in known:
            problems.add(f"[{key}]", "unknown section")

    # [store]
    if "store" not in data:
        problems.add("[store]", "section is required (with id, name and timezone)")
    store_s = _Section(data.get("store", {}), "[store]", problems)
    store_id = store_s.string("id")
    store_name = store_s.string("name", store_id or "")
    timezone = store_s.string("timezone")
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            store_s._bad(
                "timezone", f"{timezone!r} is not a known time zone (e.g. America/Chicago)"
            )
            timezone = None
    locale = store_s.choice("locale", SUPPORTED_LOCALES, DEFAULT_LOCALE)
    store_s.finish()

    # [database]
    db_s = _Section(data.get("database", {}), "[database]", problems)
    db_path = _resolve_path(config_dir, db_s.string("path", "var/kiosk.db"))
    db_s.finish()

    # [display]
    disp_s = _Section(data.get("display", {}), "[display]", problems)
    open_at, close_at = disp_s.time_window("open", "close")
    display = DisplayConfig(
        stale_after_minutes=disp_s.number(
            "stale_after_minutes", default_of(DisplayConfig, "stale_after_minutes"), minimum=1
        ),
        transition_ms=disp_s.number(
            "transition_ms",
            default_of(DisplayConfig, "transition_ms"),
            minimum=0,
            maximum=5000,
            integer=True,
        ),
        cursor_hide_seconds=disp_s.number(
            "cursor_hide_seconds", default_of(DisplayConfig, "cursor_hide_seconds"), minimum=0
        ),
        open_at=open_at,
        close_at=close_at,
        off_mode=disp_s.choice(
            "off_mode", ("black", "clock", "cec"), default_of(DisplayConfig, "off_mode")
        ),
        cec_tool=disp_s.choice(
            "cec_tool", ("auto", "cec-ctl", "cec-client"), default_of(DisplayConfig, "cec_tool")
        ),
        shift_pixels=disp_s.number(
            "shift_pixels",
            default_of(DisplayConfig, "shift_pixels"),
            minimum=0,
            maximum=20,
            integer=True,
        ),
        shift_minutes=disp_s.number(
            "shift_minutes", default_of(DisplayConfig, "shift_minutes"), minimum=1, maximum=24 * 60
        ),
    )
    disp_s.finish()

    # [celebration]
    cel_s = _Section(data.get("celebration", {}), "[celebration]", problems)
    sound_on = cel_s.boolean("sound", default_of(CelebrationConfig, "sound"))
    raw_sound = cel_s.string("sound_file", None)
    sound_file = DEFAULT_SOUND_FILE
    if raw_sound is not None:
        sound_file = _resolve_path(config_dir, raw_sound)
        if sound_on and not sound_file.is_file():
            cel_s._bad("sound_file", f"file {str(sound_file)!r} does not exist")
    quiet_start, quiet_end = cel_s.time_window("quiet_start", "quiet_end")
    celebration = CelebrationConfig(
        confetti=cel_s.boolean("confetti", default_of(CelebrationConfig, "confetti")),
        sound=sound_on,
        sound_file=sound_file,
        volume=cel_s.number(
            "volume", default_of(CelebrationConfig, "volume"), minimum=0, maximum=1
        ),
        quiet_start=quiet_start,
        quiet_end=quiet_end,
    )
    cel_s.finish()

    # [leaderboard]
    lb_s = _Section(data.get("leaderboard", {}), "[leaderboard]", problems)
    leaderboard = LeaderboardConfig(
        metric=lb_s.string("metric", None),
        period=lb_s.choice(
            "period", ("day", "week", "month"), default_of(LeaderboardConfig, "period")
        ),
    )
    lb_s.finish()

    # [sync]
    sync_s = _Section(data.get("sync", {}), "[sync]", problems)
    sync = SyncConfig(
        start_delay_seconds=sync_s.number(
            "start_delay_seconds",
            default_of(SyncConfig, "start_delay_seconds"),
            minimum=0,
            maximum=3600,
        ),
        jitter_seconds=sync_s.number(
            "jitter_seconds", default_of(SyncConfig, "jitter_seconds"), minimum=0, maximum=3600
        ),
    )
    fetch_defaults = _fetch_options(sync_s, FetchOptions(), config_dir)
    sync_s.finish()

    # [logging]
    log_s = _Section(data.get("logging", {}), "[logging]", problems)
    logging_cfg = LoggingConfig(
        dir=_resolve_path(config_dir, log_s.string("dir", "var/log")),
        level=log_s.choice(
            "level", ("DEBUG", "INFO", "WARNING", "ERROR"), default_of(LoggingConfig, "level")
        ),
        max_megabytes=log_s.number(
            "max_megabytes", default_of(LoggingConfig, "max_megabytes"), minimum=0.1, maximum=1024
        ),
        backups=log_s.number(
            "backups", default_of(LoggingConfig, "backups"), minimum=0, maximum=100, integer=True
        ),
    )
    log_s.finish()

    # [manager]
    man_s = _Section(data.get("manager", {}), "[manager]", problems)
    manager = ManagerConfig(
        pin_file=_resolve_path(config_dir, man_s.string("pin_file", "var/manager-pin.json")),
        key_file=_resolve_path(config_dir, man_s.string("key_file", "var/manager-pin.key")),
        min_pin_length=man_s.number(
            "min_pin_length",
            default_of(ManagerConfig, "min_pin_length"),
            minimum=4,
            maximum=12,
            integer=True,
        ),
        max_attempts=man_s.number(
            "max_attempts",
            default_of(ManagerConfig, "max_attempts"),
            minimum=1,
            maximum=20,
            integer=True,
        ),
        lockout_minutes=man_s.number(
            "lockout_minutes",
            default_of(ManagerConfig, "lockout_minutes"),
            minimum=1,
            maximum=24 * 60,
        ),
        idle_seconds=man_s.number(
            "idle_seconds", default_of(ManagerConfig, "idle_seconds"), minimum=10, maximum=3600
        ),
        shoutout_days=man_s.number(
            "shoutout_days",
            default_of(ManagerConfig, "shoutout_days"),
            minimum=1,
            maximum=90,
            integer=True,
        ),
    )
    man_s.finish()

    # [hq]
    hq_s = _Section(data.get("hq", {}), "[hq]", problems)
    hq = HqConfig(
        url=_hq_url(hq_s),
        token=_secret(hq_s, "token", problems),
        heartbeat_minutes=hq_s.number(
            "heartbeat_minutes",
            default_of(HqConfig, "heartbeat_minutes"),
            minimum=0.1,
            maximum=24 * 60,
        ),
        retry_seconds=hq_s.number(
            "retry_seconds", default_of(HqConfig, "retry_seconds"), minimum=1, maximum=86400
        ),
        max_retry_seconds=hq_s.number(
            "max_retry_seconds",
            default_of(HqConfig, "max_retry_seconds"),
            minimum=1,
            maximum=7 * 86400,
        ),
        timeout_seconds=hq_s.number(
            "timeout_seconds", default_of(HqConfig, "timeout_seconds"), minimum=1, maximum=600
        ),
    )
    hq_s.finish()

    # [demo]
    demo_dir = None
    if "demo" in data:
        demo_s = _Section(data["demo"], "[demo]", problems)
        raw = demo_s.string("feeds_dir", None)
        demo_dir = _resolve_path(config_dir, raw) if raw else None
        demo_s.finish()

    feeds = _parse_feeds(data.get("feeds", []), config_dir, fetch_defaults, problems)
    screens = _parse_screens(data.get("screens", _MISSING), problems)

    if problems.lines:
        raise ConfigError(problems.lines)
    return Config(
        path=path.resolve(),
        store=StoreConfig(id=store_id, name=store_name, timezone=timezone, locale=locale),
        database_path=db_path,
        feeds=tuple(feeds),
        screens=tuple(screens),
        display=display,
        leaderboard=leaderboard,
        sync=sync,
        logging=logging_cfg,
        manager=manager,
        hq=hq,
        celebration=celebration,
        demo_feeds_dir=demo_dir,
    )


def _parse_feeds(
    raw: Any, config_dir: Path, fetch_defaults: FetchOptions, problems: _Problems
) -> list[FeedSpec]:
    if not isinstance(raw, list):
        problems.add("[[feeds]]", f"must be an array of tables, not {_type_name(raw)}")
        return []
    feeds: list[FeedSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        label = item.get("name") if isinstance(item, dict) else None
        where = f"[[feeds]] #{index}" + (f" ({label!r})" if isinstance(label, str) else "")
        s = _Section(item, where, problems)
        name = s.string("name")
        if name is not None:
            if name in seen:
                s._bad("name", f"{name!r} is used by another feed; feed names must be unique")
            seen.add(name)
        kind = s.choice("kind", FEED_KINDS)
        raw_url = s.string("url")
        url = _resolve_feed_url(config_dir, raw_url, f"{where} url", problems) if raw_url else None
        fmt = s.choice("format", ("csv", "json"), None)
        decimal = s.choice("decimal", (".", ","), default_of(FeedSpec, "decimal"))
        encoding = _encoding(s)
        every = s.number(
            "every_minutes", default_of(FeedSpec, "every_minutes"), minimum=0.1, maximum=7 * 24 * 60
        )
        token = _secret(s, "token", problems)
        username = s.string("username", None)
        password = _secret(s, "password", problems)
        if password is not None and username is None:
            s._bad("password", "needs a username")
        if token is not None and username is not None:
            s._bad("token", "give either a bearer token or a username and password, not both")
        fetch = _fetch_options(s, fetch_defaults, config_dir)
        signature = _signature(s, url, problems)
        s.finish()
        if None in (name, kind, url):
            continue
        auth = None
        if token or username:
            auth = HttpAuth(bearer_token=token, username=username, password=password)
        feeds.append(
            FeedSpec(
                name=name,
                kind=kind,
                url=url,
                format=fmt,
                decimal=decimal,
                encoding=encoding,
                every_minutes=float(every),
                auth=auth,
                fetch=fetch,
                signature=signature,
            )
        )
    return feeds


def _encoding(section: _Section) -> str | None:
    """`encoding`: a text codec Python knows ("cp1250", "iso-8859-2"), by its canonical name."""
    name = section.string("encoding", None)
    if name is None:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        section._bad("encoding", f"{name!r} is not a known text encoding (e.g. cp1250, cp1251)")
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.startswith("utf-16"):
        section._bad("encoding", f"{name!r} cannot read a CSV or JSON feed (use e.g. cp1250)")
        return None
    return info.name


# A secret shorter than this is guessable offline from one signed feed.
MIN_SIGNATURE_SECRET_BYTES = 16
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token


def _signature(section: _Section, url: str | None, problems: _Problems) -> FeedSignature | None:
    """`signature`, `signature_header`, `signature_secret` / `signature_secret_env`."""
    mode = section.choice("signature", ("header", "file"), None)
    header = section.string("signature_header", None)
    secret_given = "signature_secret" in section.data or "signature_secret_env" in section.data
    secret = _secret(section, "signature_secret", problems)
    if header is not None and mode != "header":
        section._bad("signature_header", 'only goes with signature = "header"')
    if mode is None:
        if secret_given and "signature" not in section.data:
            section._bad(
                "signature",
                'is required with a signature_secret: "header" (an HTTP response header) or '
                '"file" (a detached <url>.sig)',
            )
        return None
    if secret is None:
        if not secret_given:
            section._bad(
                "signature_secret",
                f'is required with signature = "{mode}" (or signature_secret_env, the name of '
                "an environment variable holding it)",
            )
        return None
    key = "signature_secret_env" if "signature_secret_env" in section.data else "signature_secret"
    if len(secret.encode("utf-8")) < MIN_SIGNATURE_SECRET_BYTES:
        # Never the value itself, not even its first characters.
        section._bad(
            key,
            f"the secret must be at least {MIN_SIGNATURE_SECRET_BYTES} characters long "
            "(make one with: openssl rand -hex 32)",
        )
        return None
    if mode == "header":
        if url is not None and not url.lower().startswith(("http://", "https://")):
            section._bad(
                "signature",
                '"header" needs an http(s) url; a local feed is signed with "file" '
                "(a <path>.sig next to it)",
            )
            return None
        if header is not None and not _HEADER_NAME.fullmatch(header):
            section._bad("signature_header", f"{header!r} is not a valid HTTP header name")
            return None
    return FeedSignature(
        secret=secret.encode("utf-8"),
        mode=mode,
        header=header or DEFAULT_SIGNATURE_HEADER,
    )


def _parse_screens(raw: Any, problems: _Problems) -> list[ScreenSlot]:
    if raw is _MISSING:
        return [ScreenSlot(name, seconds) for name, seconds in DEFAULT_SCREEN_SECONDS.items()]
    if not isinstance(raw, list) or not raw:
        problems.add("[[screens]]", "must be a non-empty array of tables")
        return []
    screens: list[ScreenSlot] = []
    for index, item in enumerate(raw, start=1):
        s = _Section(item, f"[[screens]] #{index}", problems)
        name = s.string("name")
        if name == "entry":
            s._bad("name", "'entry' opens by touch and cannot be in the rotation")
            name = None
        elif name is not None and name not in ROTATING_SCREENS:
            s._bad("name", f"unknown screen {name!r} (one of {', '.join(ROTATING_SCREENS)})")
            name = None
        seconds = s.number(
            "seconds", DEFAULT_SCREEN_SECONDS.get(name or "", 15), minimum=1, maximum=3600
        )
        s.finish()
        if name is not None:
            screens.append(ScreenSlot(name, float(seconds)))
    return screens


def load_config(path: Path) -> Config:
    """Read and validate the config file at `path`."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError([f"{path}: config file not found"]) from None
    except IsADirectoryError:
        raise ConfigError([f"{path}: is a folder, not a config file"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read: {exc.strerror}"]) from None
    try:
        return parse_config(data, path)
    except ConfigError as exc:
        raise ConfigError([f"{path}: {line}" for line in exc.problems]) from None
