"""The outbox: what the store sends up to HQ (manager entries, shout-outs), delivered at least once.

A saved entry or shout-out is queued here with `enqueue`, in the same transaction as the entry
itself, so a number is never saved without being queued nor queued without being saved.
`OutboxUploader.deliver_due` later POSTs each due item as JSON with its `Idempotency-Key`:

- a 2xx (or 409, "I already have it") marks the item sent; nothing is marked sent before HQ
  answered, so a lost response means the same key is sent again and HQ de-duplicates on it
  (docs/feeds.md, "Uploads from the store");
- anything else (no connection, a timeout, a 4xx or 5xx) counts an attempt, keeps the reason in
  `last_error` (never a secret: the host and the status only) and schedules the next try with
  exponential backoff: `retry_seconds` x 2^(attempts - 1), capped at `max_retry_seconds`, with
  +/-10 % jitter so a fleet that lost HQ together does not come back in step;
- when HQ is unreachable, overloaded (429, 5xx) or refuses the credentials (401, 403), the run
  stops at once: the other items would fail the same way, so there is no point hammering it.
  Another 4xx is about that item alone (a body HQ cannot take): the run carries on with the
  next one, and the refused item stays queued, visible in `kiosk status`, never dropped.

All state is in the database, so a restart or days offline only delay delivery.

Bounds: each request gets `timeout` seconds (connect and read) under a hard `SocketDeadline`
deadline, and a run stops starting requests after `deadline` seconds. Redirects are not
followed (requests would turn a redirected POST into a GET and lose the body).

This module is plain Python (requests, SQLAlchemy); the kiosk schedules `deliver_due` on a pool
thread. Writes go through the single `Writer`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import requests
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sync.clock import utc_now
from sync.fetch.deadline import SocketDeadline, deadline_session
from sync.fetch.responses import unsafe_header_value
from sync.fetch.wording import (
    describe_connection_error,
    describe_tls_error,
    redact_url,
    status_text,
)
from sync.store.db import Database
from sync.store.models import Outbox
from sync.store.writer import Writer

log = logging.getLogger(__name__)

KIND_ENTRY = "entry"
KIND_SHOUTOUT = "shoutout"
KIND_SHOUTOUT_DELETED = "shoutout_deleted"
OUTBOX_KINDS = (KIND_ENTRY, KIND_SHOUTOUT, KIND_SHOUTOUT_DELETED)
SCHEMA_VERSION = 1
USER_AGENT = "store-scoreboard-kiosk/0.1 (outbox)"
BATCH_LIMIT = 200  # items per run; the rest go next run (keeps one run short after days offline)
JITTER = 0.1  # +/- 10 % on each backoff
# Statuses that say "HQ as a whole cannot take anything now": stop the run.
_STOP_STATUSES = frozenset({401, 403, 407, 408, 429})


def iso(moment: dt.datetime) -> str:
    """UTC ISO-8601 with microseconds and offset: `2026-11-24T15:04:05.123456+00:00`."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def enqueue(session: Session, kind: str, payload: Mapping[str, Any], now: dt.datetime) -> str:
    """Queue `payload` for HQ in the caller's transaction; returns its idempotency key.

    The body sent is `payload` plus `kind`, `schema_version` and `idempotency_key`.
    """
    if kind not in OUTBOX_KINDS:
        raise ValueError(f"unknown outbox kind {kind!r}")
    reserved = {"kind", "schema_version", "idempotency_key"} & payload.keys()
    if reserved:
        raise ValueError(f"the payload must not set {', '.join(sorted(reserved))}")
    key = str(uuid.uuid4())
    body = {"kind": kind, "schema_version": SCHEMA_VERSION, **payload, "idempotency_key": key}
    session.add(
        Outbox(
            idempotency_key=key,
            kind=kind,
            payload_json=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
            created_at=now,
            attempts=0,
            next_attempt_at=now,
            sent_at=None,
            last_error=None,
        )
    )
    session.flush()  # a duplicate key or a full disk fails here, inside the caller's transaction
    return key


# --- status -------------------------------------------------------------------------------


class OutboxStatus(NamedTuple):
    """What `kiosk status` shows: unsent items, the oldest one's time, the latest reason."""

    pending: int
    oldest: dt.datetime | None
    last_error: str | None


def outbox_status(session: Session) -> OutboxStatus:
    """Pending (unsent) count, the oldest pending item's creation time, and a recent error.

    `last_error` is that of the oldest pending item that has one: items go oldest first, so it
    is the one tried in every run while HQ refuses.
    """
    pending, oldest = session.execute(
        select(func.count(), func.min(Outbox.created_at)).where(Outbox.sent_at.is_(None))
    ).one()
    error = session.scalar(
        select(Outbox.last_error)
        .where(Outbox.sent_at.is_(None), Outbox.last_error.is_not(None))
        .order_by(Outbox.id)
        .limit(1)
    )
    # min() keeps the column's type, so `oldest` comes back as an aware UTC datetime.
    return OutboxStatus(int(pending), oldest, error)


# --- delivery -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    id: int
    key: str
    kind: str
    body: bytes
    attempts: int


@dataclass(frozen=True)
class _Outcome:
    delivered: bool
    error: str | None = None
    stop: bool = False  # HQ as a whole cannot take items now: end the run


@dataclass(frozen=True)
class UploadReport:
    """One `deliver_due` run: how many items went, failed, and what is left."""

    sent: int = 0
    failed: int = 0
    pending: int = 0  # unsent items after the run (due or not)
    stopped: str | None = None  # why the run ended early, if it did

    def line(self) -> str:
        text = f"outbox: sent {self.sent}, failed {self.failed}, pending {self.pending}"
        return text + (f" (stopped: {self.stopped})" if self.stopped else "")


class OutboxUploader:
    """Delivers due outbox items to HQ's upload URL; see the module docstring for the rules.

    `now` gives the aware wall-clock time (what `next_attempt_at` is compared with), `clock`
    monotonic seconds for the run's deadline, `rng` a float in [0, 1) for the jitter; tests
    inject all three. One run at a time per uploader.
    """

    def __init__(
        self,
        db: Database,
        writer: Writer,
        url: str,
        token: str | None = None,
        *,
        now: Callable[[], dt.datetime] = utc_now,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
        timeout: float = 20.0,
        deadline: float = 120.0,
        retry_seconds: float = 60.0,
        max_retry_seconds: float = 3600.0,
        batch_limit: int = BATCH_LIMIT,
    ) -> None:
        self._db = db
        self._writer = writer
        self._url = url
        self._shown_url = redact_url(url)
        self._token = token
        self._now = now
        self._clock = clock
        self._rng = rng
        self._timeout = timeout
        self._deadline = deadline
        self._retry_seconds = retry_seconds
        self._max_retry_seconds = max_retry_seconds
        self._batch_limit = batch_limit
        self._run_lock = threading.Lock()
        self._session = deadline_session()

    def close(self) -> None:
        self._session.close()

    def __repr__(self) -> str:  # never show the token
        return f"OutboxUploader(url={self._shown_url!r})"

    def deliver_due(self) -> UploadReport:
        """POST every due item, oldest first, until done, stopped, or out of time."""
        with self._run_lock:
            return self._deliver_due()

    def _deliver_due(self) -> UploadReport:
        started = self._clock()
        items = self._due(self._now())
        sent = failed = 0
        stopped: str | None = None
        headers_problem = self._header_problem()
        for item in items:
            left = self._deadline - (self._clock() - started)
            if left <= 0:
                stopped = f"the run took longer than {self._deadline:g} s"
                break
            if headers_problem is not None:
                outcome = _Outcome(False, headers_problem, stop=True)
            else:
                outcome = self._post(item, min(self._timeout, left))
            if outcome.delivered:
                self._writer.call(self._mark_sent, item.id, self._now())
                sent += 1
                log.info("outbox: delivered %s %s", item.kind, item.key)
                continue
            assert outcome.error is not None
            failed += 1
            next_at = self._writer.call(self._mark_failed, item, outcome.error, self._now())
            log.warning(
                "outbox: %s %s not delivered (attempt %d): %s; next try %s",
                item.kind,
                item.key,
                item.attempts + 1,
                outcome.error,
                next_at.isoformat(timespec="seconds"),
            )
            if outcome.stop:
                stopped = outcome.error
                break
        with self._db.read() as session:
            pending = outbox_status(session).pending
        report = UploadReport(sent, failed, pending, stopped)
        if items:
            log.info("%s", report.line())
        return report

    # --- database -------------------------------------------------------------------------

    def _due(self, now: dt.datetime) -> list[_Item]:
        with self._db.read() as session:
            rows = session.execute(
                select(
                    Outbox.id,
                    Outbox.idempotency_key,
                    Outbox.kind,
                    Outbox.payload_json,
                    Outbox.attempts,
                )
                .where(Outbox.sent_at.is_(None), Outbox.next_attempt_at <= now)
                .order_by(Outbox.created_at, Outbox.id)
                .limit(self._batch_limit)
            ).all()
        return [
            _Item(
                row.id,
                row.idempotency_key,
                row.kind,
                row.payload_json.encode("utf-8"),
                row.attempts,
            )
            for row in rows
        ]

    def _mark_sent(self, item_id: int, now: dt.datetime) -> None:
        with self._db.write.begin() as session:
            session.execute(
                update(Outbox)
                .where(Outbox.id == item_id, Outbox.sent_at.is_(None))
                .values(sent_at=now, last_error=None)
            )

    def _mark_failed(self, item: _Item, error: str, now: dt.datetime) -> dt.datetime:
        attempts = item.attempts + 1
        next_at = now + dt.timedelta(seconds=self.backoff_seconds(attempts))
        with self._db.write.begin() as session:
            session.execute(
                update(Outbox)
                .where(Outbox.id == item.id, Outbox.sent_at.is_(None))
                .values(attempts=attempts, last_error=error[:500], next_attempt_at=next_at)
            )
        return next_at

    def backoff_seconds(self, attempts: int) -> float:
        """Seconds to wait after the `attempts`-th failure: doubling, capped, jittered."""
        base = self._retry_seconds * 2 ** min(max(attempts - 1, 0), 40)
        capped = min(base, self._max_retry_seconds)
        return capped * (1 - JITTER + 2 * JITTER * self._rng())

    # --- HTTP -----------------------------------------------------------------------------

    def _header_problem(self) -> str | None:
        token = self._token
        if token and unsafe_header_value(token):
            # requests' own error would quote the header value, i.e. the token.
            return (
                "the upload token has characters that cannot go in an HTTP header "
                "(a stray space or line break?)"
            )
        return None

    def _headers(self, item: _Item) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json, */*;q=0.5",
            "User-Agent": USER_AGENT,
            "Idempotency-Key": item.key,
        }
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def _post(self, item: _Item, seconds: float) -> _Outcome:
        timeouts = (seconds, seconds)
        with SocketDeadline(seconds + 1.0) as socket_deadline:
            try:
                response = self._session.post(
                    self._url,
                    data=item.body,
                    headers=self._headers(item),
                    timeout=timeouts,
                    allow_redirects=False,
                    stream=True,  # the answer's body is not needed: never read an endless one
                )
            except requests.exceptions.SSLError as exc:
                return _Outcome(False, describe_tls_error(exc, self._url), stop=True)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if socket_deadline.fired:
                    reason = f"HQ did not answer within {seconds:g} s"
                else:
                    reason = describe_connection_error(exc, self._url, timeouts)
                return _Outcome(False, reason, stop=True)
            except requests.exceptions.RequestException as exc:
                # Its text may quote a header value (the token): only the kind of error.
                return _Outcome(
                    False, f"cannot POST to {self._shown_url}: {type(exc).__name__}", stop=True
                )
            try:
                status = response.status_code
                reason = response.reason
            finally:
                response.close()
        return self._judge(status, reason)

    def _judge(self, status: int, reason: str | None) -> _Outcome:
        if 200 <= status < 300 or status == 409:
            return _Outcome(True)
        text = status_text(status, reason)
        if 300 <= status < 400:
            return _Outcome(
                False,
                f"{text}: HQ redirects the upload; set [hq] upload_url to the final address",
                stop=True,
            )
        if status in (401, 403):
            return _Outcome(False, f"{text}: HQ refused the upload token", stop=True)
        stop = status in _STOP_STATUSES or status >= 500
        return _Outcome(False, text, stop=stop)
