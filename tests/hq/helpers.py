"""Shared by the hq tests: wire bodies as a kiosk sends them, a settable clock, a config."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

ADMIN = ("ops", "night-shift-2am")
T0 = dt.datetime(2026, 11, 24, 21, 0, tzinfo=dt.UTC)
# The smallest files that pass HQ's magic-number check (HQ does not decode images).
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF\x00" + bytes(range(64)) + b"\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32)


class FakeClock:
    """An aware UTC wall clock and a monotonic clock that move only when told."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start
        self._start = start

    def __call__(self) -> dt.datetime:
        return self.now

    def monotonic(self) -> float:
        return (self.now - self._start).total_seconds()

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def write_config(folder: Path, extra: str = "") -> Path:
    path = folder / "hq.toml"
    path.write_text(
        f'[admin]\nusername = "{ADMIN[0]}"\npassword = "{ADMIN[1]}"\n\n{extra}\n', encoding="utf-8"
    )
    return path


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def key() -> str:
    return str(uuid.uuid4())


def entry(store_id: str = "S001", **fields: Any) -> dict[str, Any]:
    body = {
        "kind": "entry",
        "schema_version": 1,
        "store_id": store_id,
        "metric": "sales",
        "date": "2026-11-24",
        "value": 18250.5,
        "previous_value": None,
        "entered_at": iso(T0),
        "idempotency_key": key(),
    }
    body.update(fields)
    return body


def shoutout(store_id: str = "S001", **fields: Any) -> dict[str, Any]:
    body = {
        "kind": "shoutout",
        "schema_version": 1,
        "store_id": store_id,
        "shoutout_id": 17,
        "text": "Maria: five-star review",
        "day": "2026-11-24",
        "until": "2026-11-30",
        "created_at": iso(T0),
        "idempotency_key": key(),
    }
    body.update(fields)
    return body


def shoutout_deleted(shout: dict[str, Any], **fields: Any) -> dict[str, Any]:
    body = {
        "kind": "shoutout_deleted",
        "schema_version": 1,
        "store_id": shout["store_id"],
        "shoutout_id": shout["shoutout_id"],
        "shoutout_key": shout["idempotency_key"],
        "deleted_at": iso(T0 + dt.timedelta(hours=1)),
        "idempotency_key": key(),
    }
    body.update(fields)
    return body


def thumbnail(data: bytes = JPEG, media_type: str = "image/jpeg") -> dict[str, Any]:
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "media_type": media_type,
        "data": base64.b64encode(data).decode("ascii"),
    }


def feed(name: str = "metrics", status: str = "ok", error: str | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "kind": name,
        "status": status,
        "last_success": iso(T0),
        "last_attempt": iso(T0),
        "error": error,
    }


def heartbeat(store_id: str = "S001", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "heartbeat",
        "schema_version": 1,
        "store_id": store_id,
        "idempotency_key": key(),
        "sent_at": iso(T0),
        "app_version": "0.1.0",
        "store_name": f"Store {store_id}",
        "region": "North",
        "uptime_seconds": 3600,
        "feeds": [feed("metrics"), feed("comments")],
        "freshness": {"last_success": iso(T0), "stale": False},
        "display": {"on": True, "reason": None},
        "outbox": {"pending": 0, "oldest": None},
        "database_bytes": 5_000_000,
        "free_disk_bytes": 20_000_000_000,
        "clock_offset_seconds": 0.4,
        "thumbnail": None,
        "thumbnail_sha256": None,
    }
    body.update(fields)
    return body


def headers(token: str, body: dict[str, Any] | None = None) -> dict[str, str]:
    result = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json; charset=utf-8",
    }
    if body is not None and "idempotency_key" in body:
        result["Idempotency-Key"] = str(body["idempotency_key"])
    return result


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode("utf-8")


def is_ack(response: Any, body: dict[str, Any]) -> bool:
    """The kiosk's delivery check, as docs/hq.md words it."""
    if response.status_code == 409:
        return True
    if response.status_code not in (200, 201):
        return False
    if not response.headers.get("content-type", "").startswith("application/json"):
        return False
    answer = response.json()
    return answer.get("ok") is True and answer.get("idempotency_key") == body["idempotency_key"]
