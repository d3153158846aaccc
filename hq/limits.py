"""Request limits: the body size, enforced while reading, and the per-store rate limit."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"body: larger than {limit} bytes")
        self.limit = limit


class BadLength(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes as soon as that is known.

    A Content-Length above the limit is refused before reading anything; a chunked body is
    counted as it streams in and refused at the first chunk past the limit, so a client cannot
    make HQ buffer more than `limit` (plus one chunk) by lying or by not saying.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise BadLength("Content-Length: is not a number")
        if int(declared) > limit:
            raise BodyTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per store: `per_minute` requests a minute, bursts of up to that many.

    In memory, per process (one `kiosk-hq serve` is one process). Called from the event loop
    only, so it needs no lock. `clock` gives monotonic seconds; tests inject their own.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def retry_after(self, key: str) -> int | None:
        """Take one request for `key`: None if allowed, else whole seconds to wait."""
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return max(1, math.ceil((1 - bucket.tokens) / self.rate))


class LogOnce:
    """Says whether to log a repeated problem: once per `seconds` per key.

    A kiosk stuck in a loop, or someone guessing the admin password, must not flood the log:
    the first line says what is happening, the rest would say nothing new.
    """

    def __init__(self, seconds: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._last: dict[tuple[object, ...], float] = {}

    def __call__(self, *key: object) -> bool:
        now = self.clock()
        last = self._last.get(key)
        if last is not None and now - last < self.seconds:
            return False
        if len(self._last) > 10_000:  # many distinct keys (addresses): start over
            self._last.clear()
        self._last[key] = now
        return True
