"""The outbox: what the store sends up to HQ (manager entries, shout-outs, heartbeats), delivered
at least once, to kiosk-hq's two routes under `[hq] url` (docs/hq.md, "The wire protocol").

A saved entry or shout-out is queued here with `enqueue`, in the same transaction as the entry
itself, so a number is never saved without being queued nor queued without being saved. A
heartbeat is queued with `replace_heartbeat`: only the latest undelivered heartbeat is kept (a
kiosk cut off from HQ for a week must not pile up 2,000 of them), and once one is delivered only
it is kept, for `kiosk status`. `OutboxUploader.deliver_due` later POSTs each due item as JSON
with its `Idempotency-Key`, the heartbeat first (it says the kiosk is alive), then the others
oldest first:

- an item is delivered ONLY on HQ's acknowledgement: HTTP 200 or 201 with `Content-Type:
  application/json` and the body `{"ok": true, "idempotency_key": "<this item's key>"}`, or a
  409 ("I already have it"). A 2xx without it (a captive portal's page, a proxy, a wrong URL)
  is not a delivery: the item stays queued and the run stops. Nothing is marked sent before HQ
  answered, so a lost answer means the same key is sent again and HQ de-duplicates on it;
- anything else (no connection, a timeout, a 4xx or 5xx) counts an attempt, keeps the reason in
  `last_error` (never a secret: the host, the status and HQ's own error line) and schedules the
  next try with exponential backoff: `retry_seconds` x 2^(attempts - 1), capped at
  `max_retry_seconds`, with +/-10 % jitter so a fleet that lost HQ together does not come back
  in step;
- when HQ is unreachable, overloaded (429, 5xx), refuses the credentials (401, 403) or does not
  acknowledge a 2xx, the run stops at once: the other items would fail the same way, so there
  is no point hammering it. Another 4xx is about that item alone (a body HQ cannot take): the
  run carries on with the next one, and the refused item stays queued, visible in
  `kiosk status`, never dropped.

All state is in the database, so a restart or days offline only delay delivery.

Bounds: each request gets `timeout` seconds (connect and read) under a hard `SocketDeadline`
deadline, an answer is read up to 64 KiB, and a run stops starting requests after `deadline`
seconds. Redirects are not followed (requests would turn a redirected POST into a GET and lose
the body).

This module is plain Python (requests, SQLAlchemy); the kiosk schedules `deliver_due` on a pool
thread. Writes go through the single `Writer`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import requests
from sqlalchemy import case, delete, func, select, update
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
KIND_HEARTBEAT = "heartbeat"
OUTBOX_KINDS = (KIND_ENTRY, KIND_SHOUTOUT, KIND_SHOUTOUT_DELETED)
SCHEMA_VERSION = 1
# kiosk-hq's routes under `[hq] url`.
UPLOADS_PATH = "/api/v1/uploads"
HEARTBEAT_PATH = "/api/v1/heartbeat"
USER_AGENT = "store-scoreboard-kiosk/0.1 (outbox)"
BATCH_LIMIT = 200  # items per run; the rest go next run (keeps one run short after days offline)
JITTER = 0.1  # +/- 10 % on each backoff
MAX_ANSWER_BYTES = 64 * 1024  # an acknowledgement is ~100 bytes; never read an endless body
# Statuses that say "HQ as a whole cannot take anything now": stop the run.
_STOP_STATUSES = frozenset({401, 403, 407, 408, 429})
_UNPRINTABLE = re.compile(r"[^\x20-\x7e\u00a0-\uffff]")


def iso(moment: dt.datetime) -> str:
    """UTC ISO-8601 with microseconds and offset: `2026-11-24T15:04:05.123456+00:00`."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _add(
    session: Session,
    kind: str,
    payload: Mapping[str, Any],
    now: dt.datetime,
    *,
    attempts: int = 0,
    last_error: str | None = None,
) -> str:
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
            attempts=attempts,
            next_attempt_at=now,
            sent_at=None,
            last_error=last_error,
        )
    )
    session.flush()  # a duplicate key or a full disk fails here, inside the caller's transaction
    return key


def enqueue(session: Session, kind: str, payload: Mapping[str, Any], now: dt.datetime) -> str:
    """Queue `payload` for HQ in the caller's transaction; returns its idempotency key.

    The body sent is `payload` plus `kind`, `schema_version` and `idempotency_key`.
    """
    if kind not in OUTBOX_KINDS:
        raise ValueError(f"unknown outbox kind {kind!r}")
    return _add(session, kind, payload, now)


def replace_heartbeat(session: Session, payload: Mapping[str, Any], now: dt.datetime) -> str:
    """Queue a heartbeat in the caller's transaction, in place of any undelivered one.

    Heartbeats do not pile up while HQ is away: the undelivered one is deleted (its attempt
    count and last error carry over to the new one, for `kiosk status`), and of the delivered
    ones only the latest stays. The new one is due at once, whatever backoff the old one had:
    the heartbeat interval is its pace. Returns the new idempotency key.
    """
    previous = session.execute(
        select(Outbox.attempts, Outbox.last_error)
        .where(Outbox.kind == KIND_HEARTBEAT, Outbox.sent_at.is_(None))
        .order_by(Outbox.id.desc())
        .limit(1)
    ).first()
    session.execute(delete(Outbox).where(Outbox.kind == KIND_HEARTBEAT, Outbox.sent_at.is_(None)))
    attempts, error = (previous.attempts, previous.last_error) if previous else (0, None)
    return _add(session, KIND_HEARTBEAT, payload, now, attempts=attempts, last_error=error)


# --- status -------------------------------------------------------------------------------


class OutboxStatus(NamedTuple):
    """What `kiosk status` shows: unsent items, the oldest one's time, the latest reason.

    Entries and shout-outs only: the heartbeat has its own line (`heartbeat_status`)."""

    pending: int
    oldest: dt.datetime | None
    last_error: str | None


def outbox_status(session: Session) -> OutboxStatus:
    """Pending (unsent) count, the oldest pending item's creation time, and a recent error.

    `last_error` is that of the oldest pending item that has one: items go oldest first, so it
    is the one tried in every run while HQ refuses.
    """
    unsent = (Outbox.sent_at.is_(None), Outbox.kind != KIND_HEARTBEAT)
    pending, oldest = session.execute(
        select(func.count(), func.min(Outbox.created_at)).where(*unsent)
    ).one()
    error = session.scalar(
        select(Outbox.last_error)
        .where(*unsent, Outbox.last_error.is_not(None))
        .order_by(Outbox.id)
        .limit(1)
    )
    # min() keeps the column's type, so `oldest` comes back as an aware UTC datetime.
    return OutboxStatus(int(pending), oldest, error)


class HeartbeatStatus(NamedTuple):
    """The heartbeat's line in `kiosk status`: the latest HQ acknowledged, and the one waiting."""

    last_acknowledged: dt.datetime | None  # when the kiosk got HQ's acknowledgement
    waiting_since: dt.datetime | None  # the undelivered heartbeat's creation time
    attempts: int  # failed attempts of the undelivered heartbeat (and those it replaced)
    last_error: str | None


def heartbeat_status(session: Session) -> HeartbeatStatus:
    last_ack = session.scalar(
        select(func.max(Outbox.sent_at)).where(
            Outbox.kind == KIND_HEARTBEAT, Outbox.sent_at.is_not(None)
        )
    )
    waiting = session.execute(
        select(Outbox.created_at, Outbox.attempts, Outbox.last_error)
        .where(Outbox.kind == KIND_HEARTBEAT, Outbox.sent_at.is_(None))
        .order_by(Outbox.id.desc())
        .limit(1)
    ).first()
    if waiting is None:
        return HeartbeatStatus(last_ack, None, 0, None)
    return HeartbeatStatus(last_ack, waiting.created_at, waiting.attempts, waiting.last_error)


# --- the acknowledgement ------------------------------------------------------------------


def read_acknowledgement(
    status: int, content_type: str | None, body: bytes, key: str
) -> tuple[bool, dict[str, Any], str | None]:
    """(delivered, HQ's answer as a dict, why not) for one answer to the item with `key`.

    Delivered ONLY on 409, or on 200/201 + application/json + `{"ok": true,
    "idempotency_key": key}` (docs/hq.md, "The answer").
    """
    if status == 409:
        return True, {}, None
    if 200 <= status < 300 and status not in (200, 201):
        return (
            False,
            {},
            "not HQ's acknowledgement (kiosk-hq answers 200 with JSON): is [hq] url the "
            "address of kiosk-hq?",
        )
    if status not in (200, 201):
        return False, {}, None
    media = (content_type or "").split(";")[0].strip().lower()
    if media != "application/json":
        shown = media or "no Content-Type"
        return (
            False,
            {},
            f"not HQ's acknowledgement ({shown}, not JSON): is [hq] url the address of "
            "kiosk-hq, or is a captive portal or proxy answering in its place?",
        )
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        answer = None
    if not isinstance(answer, dict) or answer.get("ok") is not True:
        return (
            False,
            {},
            'not HQ\'s acknowledgement (no {"ok": true} in the JSON): is [hq] url the '
            "address of kiosk-hq?",
        )
    if answer.get("idempotency_key") != key:
        return (
            False,
            answer,
            "HQ's acknowledgement names another item (its idempotency_key differs): is a "
            "proxy or cache between the kiosk and HQ?",
        )
    return True, answer, None


def _hq_error(content_type: str | None, body: bytes) -> str | None:
    """HQ's own one-line reason from an error answer (`{"ok": false, "error": "..."}`), as
    plain printable text of at most 200 characters; None for anything else."""
    if not (content_type or "").lower().startswith("application/json"):
        return None
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    error = answer.get("error") if isinstance(answer, dict) else None
    if not isinstance(error, str) or not error.strip():
        return None
    text = _UNPRINTABLE.sub(" ", error).strip()
    return text if len(text) <= 200 else text[:199] + "…"


@dataclass(frozen=True)
class Acknowledgement:
    """An item HQ acknowledged, for whoever keeps state about it (the heartbeat's thumbnail
    and clock offset: `sync.heartbeat.HeartbeatLink`)."""

    kind: str
    key: str
    body: bytes  # what was sent
    answer: Mapping[str, Any]  # HQ's JSON acknowledgement ({} for a 409)
    date_header: str | None  # HQ's `Date`
    midpoint: dt.datetime  # the kiosk's wall clock half-way through the request


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
    acknowledgement: Acknowledgement | None = None


@dataclass(frozen=True)
class UploadReport:
    """One `deliver_due` run: how many items went, failed, and what is left."""

    sent: int = 0
    failed: int = 0
    pending: int = 0  # unsent entries and shout-outs after the run (due or not)
    stopped: str | None = None  # why the run ended early, if it did

    def line(self) -> str:
        text = f"outbox: sent {self.sent}, failed {self.failed}, pending {self.pending}"
        return text + (f" (stopped: {self.stopped})" if self.stopped else "")


class OutboxUploader:
    """Delivers due outbox items to kiosk-hq at `hq_url`; see the module docstring for the rules.

    `now` gives the aware wall-clock time (what `next_attempt_at` is compared with), `clock`
    monotonic seconds for the run's deadline, `rng` a float in [0, 1) for the jitter; tests
    inject all three. `on_acknowledged` is called (on the delivering thread) with each item HQ
    acknowledged. One run at a time per uploader.
    """

    def __init__(
        self,
        db: Database,
        writer: Writer,
        hq_url: str,
        token: str | None = None,
        *,
        on_acknowledged: Callable[[Acknowledgement], None] | None = None,
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
        base = hq_url.rstrip("/")
        self._urls = {KIND_HEARTBEAT: base + HEARTBEAT_PATH}
        self._uploads_url = base + UPLOADS_PATH
        self._shown_url = redact_url(base)
        self._token = token
        self._on_acknowledged = on_acknowledged
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
        return f"OutboxUploader(hq_url={self._shown_url!r})"

    def url_for(self, kind: str) -> str:
        """Where an item of `kind` is POSTed: the heartbeat route, or the uploads route."""
        return self._urls.get(kind, self._uploads_url)

    def deliver_due(self) -> UploadReport:
        """POST every due item, the heartbeat first and then oldest first, until done, stopped,
        or out of time."""
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
                self._writer.call(self._mark_sent, item, self._now())
                if outcome.acknowledgement is not None and self._on_acknowledged is not None:
                    self._on_acknowledged(outcome.acknowledgement)
                if item.kind != KIND_HEARTBEAT:
                    sent += 1
                log.log(
                    logging.DEBUG if item.kind == KIND_HEARTBEAT else logging.INFO,
                    "outbox: delivered %s %s",
                    item.kind,
                    item.key,
                )
                continue
            assert outcome.error is not None
            if item.kind != KIND_HEARTBEAT:
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
        if sent or failed:
            log.info("%s", report.line())
        return report

    # --- database -------------------------------------------------------------------------

    def _due(self, now: dt.datetime) -> list[_Item]:
        heartbeat_first = case((Outbox.kind == KIND_HEARTBEAT, 0), else_=1)
        latest = now + dt.timedelta(seconds=self._max_retry_seconds * (1 + JITTER) + 60)
        with self._db.read() as session:
            rows = session.execute(
                select(
                    Outbox.id,
                    Outbox.idempotency_key,
                    Outbox.kind,
                    Outbox.payload_json,
                    Outbox.attempts,
                )
                .where(
                    Outbox.sent_at.is_(None),
                    # Due now, or due further away than any backoff can put it: its time was
                    # reckoned by a clock that has been set back since (a day's correction
                    # would otherwise hold every item for a day after HQ is back).
                    (Outbox.next_attempt_at <= now) | (Outbox.next_attempt_at > latest),
                )
                .order_by(heartbeat_first, Outbox.created_at, Outbox.id)
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

    def _mark_sent(self, item: _Item, now: dt.datetime) -> None:
        with self._db.write.begin() as session:
            marked = session.execute(
                update(Outbox)
                .where(Outbox.id == item.id, Outbox.sent_at.is_(None))
                .values(sent_at=now, last_error=None)
            ).rowcount
            # Keep the latest delivered heartbeat only. (A heartbeat replaced while it was on
            # its way is gone already: then the one delivered before it stays.)
            if item.kind == KIND_HEARTBEAT and marked:
                session.execute(
                    delete(Outbox).where(
                        Outbox.kind == KIND_HEARTBEAT,
                        Outbox.sent_at.is_not(None),
                        Outbox.id != item.id,
                    )
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
                "the HQ token has characters that cannot go in an HTTP header "
                "(a stray space or line break?)"
            )
        return None

    def _headers(self, item: _Item) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            "Idempotency-Key": item.key,
        }
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def _post(self, item: _Item, seconds: float) -> _Outcome:
        url = self.url_for(item.kind)
        timeouts = (seconds, seconds)
        sent_at, sent_clock = self._now(), time.monotonic()
        with SocketDeadline(seconds + 1.0) as socket_deadline:
            try:
                response = self._session.post(
                    url,
                    data=item.body,
                    headers=self._headers(item),
                    timeout=timeouts,
                    allow_redirects=False,
                    stream=True,  # read the answer up to MAX_ANSWER_BYTES, never an endless one
                )
                try:
                    answer = _read_capped(response, MAX_ANSWER_BYTES)
                    status, reason = response.status_code, response.reason
                    content_type = response.headers.get("Content-Type")
                    date_header = response.headers.get("Date")
                finally:
                    response.close()
            except requests.exceptions.SSLError as exc:
                return _Outcome(False, describe_tls_error(exc, url), stop=True)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if socket_deadline.fired:
                    reason = f"HQ did not answer within {seconds:g} s"
                else:
                    reason = describe_connection_error(exc, url, timeouts)
                return _Outcome(False, reason, stop=True)
            except requests.exceptions.RequestException as exc:
                # Its text may quote a header value (the token): only the kind of error.
                return _Outcome(
                    False, f"cannot POST to {redact_url(url)}: {type(exc).__name__}", stop=True
                )
        round_trip = time.monotonic() - sent_clock
        delivered, ack, why_not = read_acknowledgement(status, content_type, answer, item.key)
        if delivered:
            midpoint = sent_at + dt.timedelta(seconds=round_trip / 2)
            return _Outcome(
                True,
                acknowledgement=Acknowledgement(
                    item.kind, item.key, item.body, ack, date_header, midpoint
                ),
            )
        text = status_text(status, reason)
        if why_not is not None:
            return _Outcome(False, f"{text}, {why_not}", stop=True)
        return self._judge(status, text, _hq_error(content_type, answer))

    def _judge(self, status: int, text: str, hq_error: str | None) -> _Outcome:
        if 300 <= status < 400:
            return _Outcome(
                False,
                f"{text}: HQ redirects the upload; set [hq] url to the final address "
                "(https, if HQ redirects http to https)",
                stop=True,
            )
        if status in (401, 403):
            why = f": {hq_error}" if hq_error else ""
            return _Outcome(False, f"{text}: HQ refused the token{why}", stop=True)
        stop = status in _STOP_STATUSES or status >= 500
        return _Outcome(False, f"{text}: {hq_error}" if hq_error else text, stop=stop)


def _read_capped(response: requests.Response, limit: int) -> bytes:
    """The answer's body, at most `limit` bytes (the rest is left unread)."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(8192):
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]
