"""The kiosk wire protocol's bodies: JSON in, typed values out, or a refusal naming the field.

docs/hq.md ("The wire protocol") is the contract; this module is its one reader. Refusals:
400 when the request is not a JSON object at all (or its Idempotency-Key header disagrees with
the body), 422 when a field is missing or wrong; the message always names the field
(`feeds[2].status: must be one of ok, error, never`). Unknown fields are ignored.

Everything here is plain data checking, no I/O: the views read the body (size-limited), the
store layer applies the result.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 1
UPLOAD_KINDS = ("entry", "shoutout", "shoutout_deleted")
FEED_STATUSES = ("ok", "error", "never")
THUMBNAIL_TYPES = ("image/jpeg", "image/webp")
SHOUTOUT_MAX_CHARS = 200
# The kiosk's feed limits (docs/feeds.md): HQ exports entries back as a metrics feed, so it
# takes only values that feed can carry.
MAX_ABS_VALUE = 1e15
MIN_ABS_VALUE = 1e-9
MIN_DAY, MAX_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
MAX_COUNT = 2**62
# Diagnostic text a kiosk reports (a feed's error, why the display is off) is cut to this
# rather than refused: a long message must not cost HQ the heartbeat it came in.
DIAGNOSTIC_MAX_CHARS = 1000
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadBody(Exception):
    """A body HQ refuses: `status` 400 or 422, `message` names the field."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _shown(value: Any) -> str:
    """A short, safe rendering of a bad value for an error message."""
    text = json.dumps(value, ensure_ascii=True) if not isinstance(value, bytes) else "bytes"
    return text if len(text) <= 40 else text[:37] + "..."


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object (400 otherwise). NaN and Infinity are refused."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadBody(400, "body: is not UTF-8") from None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise BadBody(400, "body: JSON nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, NaN, an integer too long to read
        raise BadBody(400, f"body: not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(value, dict):
        raise BadBody(400, "body: must be a JSON object")
    return value


class _Fields:
    """Typed reads of one JSON object; every failure names the field with its path."""

    def __init__(self, data: Mapping[str, Any], prefix: str = "") -> None:
        self.data = data
        self.prefix = prefix

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def fail(self, key: str, message: str) -> BadBody:
        return BadBody(422, f"{self.name(key)}: {message}")

    def _present(self, key: str, nullable: bool) -> Any:
        if key not in self.data:
            raise self.fail(key, "is required")
        value = self.data[key]
        if value is None and not nullable:
            raise self.fail(key, "must not be null")
        return value

    def text(
        self,
        key: str,
        *,
        max_chars: int,
        nullable: bool = False,
        truncate: bool = False,
        optional: bool = False,
        blank_ok: bool = False,
    ) -> str | None:
        if optional and key not in self.data:
            return None
        value = self._present(key, nullable)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(key, f"must be a string (got {_shown(value)})")
        if "\x00" in value:
            raise self.fail(key, "must not contain a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate escape ("\ud800")
            raise self.fail(key, "is not valid Unicode text") from None
        if not blank_ok and not value.strip():
            raise self.fail(key, "must not be empty")
        if len(value) > max_chars:
            if not truncate:
                raise self.fail(key, f"must be at most {max_chars} characters")
            value = value[: max_chars - 1] + "…"
        return value

    def required_text(self, key: str, *, max_chars: int) -> str:
        value = self.text(key, max_chars=max_chars)
        assert value is not None
        return value

    def number(self, key: str, *, nullable: bool = False, optional: bool = False) -> float | None:
        if optional and key not in self.data:
            return None
        value = self._present(key, nullable)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(key, f"must be a number (got {_shown(value)})")
        try:
            number = float(value)
        except OverflowError:
            raise self.fail(key, "is too large") from None
        if not math.isfinite(number):
            raise self.fail(key, "must be a finite number")
        return number

    def metric_value(self, key: str, *, nullable: bool = False) -> float | None:
        number = self.number(key, nullable=nullable)
        if number and not MIN_ABS_VALUE <= abs(number) <= MAX_ABS_VALUE:
            raise self.fail(
                key,
                f"must be 0 or between {MIN_ABS_VALUE:g} and {MAX_ABS_VALUE:g} either way "
                "(what a metrics feed can carry)",
            )
        return number

    def count(self, key: str, *, nullable: bool = False, optional: bool = False) -> int | None:
        """A whole number >= 0 (JSON integer; 3.0 is accepted, 3.5 is not)."""
        if optional and key not in self.data:
            return None
        value = self._present(key, nullable)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be a whole number (got {_shown(value)})")
        if not 0 <= value <= MAX_COUNT:
            raise self.fail(key, f"must be between 0 and {MAX_COUNT}")
        return value

    def boolean(self, key: str, *, nullable: bool = False, optional: bool = False) -> bool | None:
        if optional and key not in self.data:
            return None
        value = self._present(key, nullable)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false (got {_shown(value)})")
        return value

    def day(self, key: str) -> dt.date:
        value = self._present(key, nullable=False)
        if not isinstance(value, str) or not _DAY.fullmatch(value):
            raise self.fail(key, f"must be a date YYYY-MM-DD (got {_shown(value)})")
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(key, f"is not a calendar date (got {_shown(value)})") from None
        if not MIN_DAY <= day <= MAX_DAY:
            raise self.fail(key, f"must be between {MIN_DAY} and {MAX_DAY}")
        return day

    def moment(
        self, key: str, *, nullable: bool = False, optional: bool = False
    ) -> dt.datetime | None:
        """An ISO-8601 time with a UTC offset, returned in UTC."""
        if optional and key not in self.data:
            return None
        value = self._present(key, nullable)
        if value is None:
            return None
        if not isinstance(value, str) or len(value) > 40:
            raise self.fail(key, f"must be an ISO-8601 time with offset (got {_shown(value)})")
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(
                key, f"must be an ISO-8601 time with offset (got {_shown(value)})"
            ) from None
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise self.fail(key, "must have a UTC offset (…+00:00)")
        if not 1970 <= moment.year <= 2999:
            raise self.fail(key, "must be between 1970 and 2999")
        return moment.astimezone(dt.UTC)

    def required_moment(self, key: str) -> dt.datetime:
        moment = self.moment(key)
        assert moment is not None
        return moment

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self._present(key, nullable=False)
        if value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)} (got {_shown(value)})")
        return str(value)

    def obj(self, key: str, *, nullable: bool = False, optional: bool = False) -> _Fields | None:
        if optional and key not in self.data:
            return None
        value = self._present(key, nullable)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(key, f"must be an object (got {_shown(value)})")
        return _Fields(value, f"{self.name(key)}.")

    def objects(self, key: str, *, max_items: int) -> list[_Fields]:
        value = self._present(key, nullable=False)
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list (got {_shown(value)})")
        if len(value) > max_items:
            raise self.fail(key, f"must have at most {max_items} items")
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise BadBody(422, f"{self.name(key)}[{index}]: must be an object")
            items.append(_Fields(item, f"{self.name(key)}[{index}]."))
        return items

    def sha256(self, key: str, *, nullable: bool = False, optional: bool = False) -> str | None:
        if optional and key not in self.data:
            return None
        value = self._present(key, nullable)
        if value is None:
            return None
        if not isinstance(value, str) or not _HEX64.fullmatch(value):
            raise self.fail(key, "must be 64 lowercase hex digits (a SHA-256)")
        return value


# --- the envelope every kiosk request shares -------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    kind: str
    store_id: str
    idempotency_key: str


def envelope(body: Mapping[str, Any], header_key: str | None, kinds: tuple[str, ...]) -> Envelope:
    """`kind`, `schema_version`, `store_id` and `idempotency_key`, checked against the header."""
    fields = _Fields(body)
    kind = fields.choice("kind", kinds)
    version = body.get("schema_version")
    if "schema_version" not in body:
        raise fields.fail("schema_version", "is required")
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        raise fields.fail(
            "schema_version", f"{_shown(version)} is not supported (this HQ speaks 1)"
        )
    store_id = fields.required_text("store_id", max_chars=64)
    key = fields.required_text("idempotency_key", max_chars=64)
    try:
        uuid.UUID(key)
    except ValueError:
        raise fields.fail("idempotency_key", "must be a UUID") from None
    if header_key is None:
        raise BadBody(400, "Idempotency-Key: header is required (the body's idempotency_key)")
    if header_key != key:
        raise BadBody(400, "Idempotency-Key: header differs from the body's idempotency_key")
    return Envelope(kind=kind, store_id=store_id, idempotency_key=key)


# --- uploads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryUpload:
    store_id: str
    idempotency_key: str
    metric: str
    day: dt.date
    value: float
    previous_value: float | None
    entered_at: dt.datetime


@dataclass(frozen=True)
class ShoutoutUpload:
    store_id: str
    idempotency_key: str
    shoutout_id: int
    text: str
    day: dt.date
    until: dt.date
    created_at: dt.datetime


@dataclass(frozen=True)
class ShoutoutDeletedUpload:
    store_id: str
    idempotency_key: str
    shoutout_id: int
    # None: a kiosk that no longer had the shout-out's upload; matched by shoutout_id instead.
    shoutout_key: str | None
    deleted_at: dt.datetime


Upload = EntryUpload | ShoutoutUpload | ShoutoutDeletedUpload


def parse_upload(body: Mapping[str, Any], head: Envelope) -> Upload:
    """One outbox item, already past `envelope`."""
    fields = _Fields(body)
    if head.kind == "entry":
        value = fields.metric_value("value")
        assert value is not None
        return EntryUpload(
            store_id=head.store_id,
            idempotency_key=head.idempotency_key,
            metric=fields.required_text("metric", max_chars=64),
            day=fields.day("date"),
            value=value,
            previous_value=fields.metric_value("previous_value", nullable=True),
            entered_at=fields.required_moment("entered_at"),
        )
    if head.kind == "shoutout":
        day, until = fields.day("day"), fields.day("until")
        if until < day:
            raise fields.fail("until", "must not be before day")
        shoutout_id = fields.count("shoutout_id")
        assert shoutout_id is not None
        return ShoutoutUpload(
            store_id=head.store_id,
            idempotency_key=head.idempotency_key,
            shoutout_id=shoutout_id,
            text=fields.required_text("text", max_chars=SHOUTOUT_MAX_CHARS),
            day=day,
            until=until,
            created_at=fields.required_moment("created_at"),
        )
    shoutout_key = fields.text("shoutout_key", max_chars=64, nullable=True)
    if shoutout_key is not None:
        try:
            uuid.UUID(shoutout_key)
        except ValueError:
            raise fields.fail("shoutout_key", "must be a UUID (or null)") from None
    shoutout_id = fields.count("shoutout_id")
    assert shoutout_id is not None
    return ShoutoutDeletedUpload(
        store_id=head.store_id,
        idempotency_key=head.idempotency_key,
        shoutout_id=shoutout_id,
        shoutout_key=shoutout_key,
        deleted_at=fields.required_moment("deleted_at"),
    )


# --- heartbeats --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedState:
    name: str
    kind: str
    status: str  # ok, error or never
    last_success: dt.datetime | None
    last_attempt: dt.datetime | None
    error: str | None


@dataclass(frozen=True)
class Thumbnail:
    sha256: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Heartbeat:
    store_id: str
    idempotency_key: str
    sent_at: dt.datetime
    app_version: str
    store_name: str | None
    region: str | None
    uptime_seconds: float | None
    feeds: tuple[FeedState, ...]
    data_last_success: dt.datetime | None
    data_stale: bool
    display_on: bool | None  # None: the kiosk did not say
    display_reason: str | None
    outbox_pending: int | None
    outbox_oldest: dt.datetime | None
    database_bytes: int | None
    free_disk_bytes: int | None
    clock_offset_seconds: float | None
    thumbnail: Thumbnail | None
    thumbnail_sha256: str | None  # the screen shown now

    @property
    def failing_feeds(self) -> tuple[FeedState, ...]:
        return tuple(feed for feed in self.feeds if feed.status == "error")


def _image_matches(media_type: str, data: bytes) -> bool:
    """The bytes are what the media type says (served with nosniff, so they must be)."""
    if media_type == "image/jpeg":
        return data[:3] == b"\xff\xd8\xff"
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _thumbnail(fields: _Fields | None) -> Thumbnail | None:
    if fields is None:
        return None
    sha = fields.sha256("sha256")
    assert sha is not None
    media_type = fields.choice("media_type", THUMBNAIL_TYPES)
    encoded = fields.required_text("data", max_chars=1 << 24)
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise fields.fail("data", "must be base64") from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise fields.fail("sha256", "does not match the data")
    if not _image_matches(media_type, data):
        raise fields.fail("data", f"is not a {media_type} image")
    return Thumbnail(sha256=sha, media_type=media_type, data=data)


def _feed(fields: _Fields) -> FeedState:
    return FeedState(
        name=fields.required_text("name", max_chars=100),
        kind=fields.required_text("kind", max_chars=40),
        status=fields.choice("status", FEED_STATUSES),
        last_success=fields.moment("last_success", nullable=True, optional=True),
        last_attempt=fields.moment("last_attempt", nullable=True, optional=True),
        error=fields.text(
            "error",
            max_chars=DIAGNOSTIC_MAX_CHARS,
            nullable=True,
            truncate=True,
            blank_ok=True,
            optional=True,
        ),
    )


def _blank_is_none(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def parse_heartbeat(body: Mapping[str, Any], head: Envelope) -> Heartbeat:
    """A heartbeat, already past `envelope`.

    Required: sent_at, app_version, feeds, freshness. The rest may be absent (read as
    unknown), so a kiosk that cannot measure something still reports; when present, every
    field must have the documented type.
    """
    fields = _Fields(body)
    freshness = fields.obj("freshness")
    assert freshness is not None
    stale = freshness.boolean("stale")
    assert stale is not None
    display = fields.obj("display", nullable=True, optional=True)
    outbox = fields.obj("outbox", nullable=True, optional=True)
    return Heartbeat(
        store_id=head.store_id,
        idempotency_key=head.idempotency_key,
        sent_at=fields.required_moment("sent_at"),
        app_version=fields.required_text("app_version", max_chars=100),
        store_name=_blank_is_none(
            fields.text("store_name", max_chars=200, nullable=True, optional=True, blank_ok=True)
        ),
        region=_blank_is_none(
            fields.text("region", max_chars=200, nullable=True, optional=True, blank_ok=True)
        ),
        uptime_seconds=fields.number("uptime_seconds", nullable=True, optional=True),
        feeds=tuple(_feed(item) for item in fields.objects("feeds", max_items=100)),
        data_last_success=freshness.moment("last_success", nullable=True),
        data_stale=stale,
        display_on=None if display is None else display.boolean("on"),
        display_reason=None
        if display is None
        else display.text("reason", max_chars=200, nullable=True, truncate=True, optional=True),
        outbox_pending=None if outbox is None else outbox.count("pending"),
        outbox_oldest=None if outbox is None else outbox.moment("oldest", nullable=True),
        database_bytes=fields.count("database_bytes", nullable=True, optional=True),
        free_disk_bytes=fields.count("free_disk_bytes", nullable=True, optional=True),
        clock_offset_seconds=fields.number("clock_offset_seconds", nullable=True, optional=True),
        thumbnail=_thumbnail(fields.obj("thumbnail", nullable=True, optional=True)),
        thumbnail_sha256=fields.sha256("thumbnail_sha256", nullable=True, optional=True),
    )
