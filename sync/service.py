"""Pulling feeds: fetch, verify (signed feeds), parse, apply and record the outcome, one feed
at a time.

`SyncService.pull` is what the scheduler runs in a pool thread and `kiosk sync --once` runs in a
loop. The network part runs on the caller's thread; the apply and the bookkeeping run on the
single database writer. It never raises for a feed problem: every outcome is a PullReport.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from sync.errors import FeedRejected, FetchError, Reject
from sync.fetch.fetcher import Fetcher
from sync.fetch.result import Fetched, Validators
from sync.fetch.signature import SignatureError, check_feed
from sync.ingest import ApplyResult, apply_feed
from sync.parse.feed import ParsedFeed, parse_feed, read_feed
from sync.spec import FIRST_KINDS, MAX_REJECTS_KEPT, FeedFormat, FeedSpec
from sync.status import state_is_for, stored_url
from sync.store.db import Database
from sync.store.models import FeedState, SyncRun
from sync.store.recovery import describe_db_error
from sync.store.writer import Writer
from sync.vocabulary import FeedStatus

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What one pull did: applied a new body, found it unchanged, rejected it whole (old data
    kept), or failed to get it."""

    applied = "applied"
    unchanged = "unchanged"
    rejected = "rejected"
    failed = "failed"


RUN_HISTORY_DAYS = 30


@dataclass(frozen=True)
class PullReport:
    """The outcome of one pull of one feed (plain data, safe to hand to the GUI thread)."""

    name: str
    kind: str
    url: str
    outcome: Outcome
    started: dt.datetime
    finished: dt.datetime
    rows_applied: int = 0
    rows_rejected: int = 0
    rejects: tuple[Reject, ...] = ()
    error: str | None = None
    http_status: int | None = None
    region_changed: bool = False
    rows_other_stores: int = 0
    other_store_example: str | None = None  # one store id of those rows
    store_id: str | None = None  # the kiosk's own store, for the line below
    encoding: str | None = None  # how the body was read (a pull that had one)
    delimiter: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.applied, Outcome.unchanged)

    @property
    def changed(self) -> bool:
        """Whether the data the screens show may have changed."""
        return self.outcome == Outcome.applied

    def line(self) -> str:
        """One line for `kiosk sync --once`."""
        if self.outcome == Outcome.applied:
            text = f"{self.name}: ok, applied {_rows(self.rows_applied)}"
            if self.rows_rejected:
                text += f", skipped {_rows(self.rows_rejected, 'bad ')} (first: {self.rejects[0]})"
            if self.rows_other_stores:
                text += f"; {other_stores_text(self)}"
            return text
        if self.outcome == Outcome.unchanged:
            how = f"HTTP {self.http_status}" if self.http_status else "same file size and time"
            return f"{self.name}: ok, unchanged ({how})"
        what = str(self.outcome)  # rejected or failed
        return f"{self.name}: error, {what}: {self.error}; kept the previous data"


def other_stores_text(report: PullReport) -> str:
    """`1,418 rows for other stores (e.g. '1001.0': this store is '1001')`."""
    example = report.other_store_example
    text = f"{_rows(report.rows_other_stores)} for other stores"
    if example is not None:
        hint = store_id_hint(example, report.store_id)
        text += f" (e.g. {example!r}{'; ' + hint if hint else ''})"
    return text


def store_id_hint(other: str, own: str | None) -> str | None:
    """Why `other` may be meant as `own`: a spreadsheet wrote the id as a number (`1001.0`),
    dropped its leading zeros, or changed its case or spaces."""
    if own is None or other == own:
        return None

    def plain(store_id: str) -> str:
        text = store_id.strip().lower()
        for tail in (".0", ",0"):
            text = text.removesuffix(tail)
        return text.lstrip("0") or "0"

    if plain(other) == plain(own):
        return f"is it this store, {own!r}, as a spreadsheet wrote it?"
    return None


def _rows(count: int, adjective: str = "") -> str:
    """`1 row`, `2 rows`, `1,418 rows`, with an optional adjective before the noun."""
    return f"{count:,} {adjective}{'row' if count == 1 else 'rows'}"


def _one_line(exc: BaseException) -> str:
    """`ValueError('x')` for an exception; for a wrapped DB-API error, only the driver's own
    message (SQLAlchemy's text adds the SQL and up to ten rows of parameters)."""
    inner = getattr(exc, "orig", None)
    if isinstance(inner, BaseException):
        exc = inner
    first = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}({first[:300]!r})"


def parse_fetched(
    spec: FeedSpec, fetched: Fetched, proofs: Mapping[str, tuple[str, int]], keep_rejects: int
) -> ParsedFeed:
    """`parse_feed` on a downloaded body with the feed's own settings (format, decimal mark,
    encoding), as a pull and `kiosk feeds check` both read it."""
    assert fetched.body is not None
    return parse_feed(
        fetched.body,
        spec.kind,
        fmt=resolve_format(spec, fetched),
        decimal=spec.decimal,
        encoding=spec.encoding,
        keep_rejects=keep_rejects,
        proofs=proofs,
    )


def resolve_format(spec: FeedSpec, fetched: Fetched) -> FeedFormat | None:
    """The configured format, else the URL's extension, else the Content-Type; None: sniff."""
    if spec.format:
        return spec.format
    path = urlsplit(fetched.url).path if spec.is_http else fetched.url
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix == ".json":
        return "json"
    ctype = (fetched.content_type or "").lower()
    if ctype in ("text/csv", "application/csv", "text/tab-separated-values"):
        return "csv"
    if ctype in ("application/json", "text/json") or ctype.endswith("+json"):
        return "json"
    return None


class SyncService:
    """Pulls configured feeds into the database for one store."""

    def __init__(
        self,
        db: Database,
        store_id: str,
        feeds: Sequence[FeedSpec],
        *,
        writer: Writer | None = None,
        now: Callable[[], dt.datetime] | None = None,
        fetcher_factory: Callable[[], Fetcher] = Fetcher,
    ) -> None:
        self.db = db
        self.store_id = store_id
        self.feeds = tuple(feeds)
        self._own_writer = writer is None
        self.writer = writer or Writer()
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._fetcher_factory = fetcher_factory
        self._fetchers: dict[str, Fetcher] = {}
        self._lock = threading.Lock()
        # Never two pulls of one feed at once (the scheduler also has max_instances=1).
        self._feed_locks: dict[str, threading.Lock] = {}

    # --- public ---------------------------------------------------------------------------

    def ordered_feeds(self) -> list[FeedSpec]:
        """stores, then catalog, then the rest in config order."""
        first = [f for kind in FIRST_KINDS for f in self.feeds if f.kind == kind]
        return first + [f for f in self.feeds if f.kind not in FIRST_KINDS]

    def pull_all(self) -> list[PullReport]:
        return [self.pull(spec) for spec in self.ordered_feeds()]

    def pull(self, spec: FeedSpec) -> PullReport:
        with self._feed_lock(spec.name):
            return self._pull(spec)

    def close(self) -> None:
        for fetcher in self._fetchers.values():
            fetcher.close()
        self._fetchers.clear()
        if self._own_writer:
            self.writer.shutdown()

    # --- one pull -------------------------------------------------------------------------

    def _pull(self, spec: FeedSpec) -> PullReport:
        started = self._now()
        try:
            previous = self._previous_validators(spec)
            try:
                fetched = self._fetcher(spec.name).fetch(spec, previous)
            except FetchError as exc:
                return self._finish(
                    spec, started, Outcome.failed, error=exc.reason, http_status=exc.http_status
                )
            with fetched:
                if fetched.unchanged:
                    # Nothing new arrived, so there is nothing to authenticate either.
                    return self._finish(
                        spec, started, Outcome.unchanged, http_status=fetched.http_status
                    )
                rejected = self._check_signature(spec, started, fetched)
                if rejected is not None:
                    return rejected
                return self._parse_and_apply(spec, started, fetched)
        except Exception as exc:  # a bug or a broken disk must not kill the scheduler
            # A full disk or a damaged database gets words a technician can act on; anything
            # else is a bug, shown as such (never SQLAlchemy's message: it quotes rows of data).
            known = describe_db_error(exc, self.db.path)
            if known is None:
                log.exception("pull of feed %s failed unexpectedly", spec.name)
            error = known or f"internal error: {_one_line(exc)}"
            return self._finish(spec, started, Outcome.failed, error=error)

    def _check_signature(
        self, spec: FeedSpec, started: dt.datetime, fetched: Fetched
    ) -> PullReport | None:
        """None when the feed needs no signature or carries the right one; else the report of
        the refused pull (old data kept, validators not stored: fetched whole next time)."""
        if spec.signature is None:
            return None
        try:
            check_feed(spec, fetched, self._fetcher(spec.name))
        except SignatureError as exc:
            return self._finish(
                spec, started, Outcome.rejected, error=exc.reason, http_status=fetched.http_status
            )
        except FetchError as exc:
            return self._finish(
                spec, started, Outcome.failed, error=exc.reason, http_status=fetched.http_status
            )
        return None

    def _parse_and_apply(
        self, spec: FeedSpec, started: dt.datetime, fetched: Fetched
    ) -> PullReport:
        parsed: ParsedFeed | None = None

        def parse(proofs: Mapping[str, tuple[str, int]]) -> ParsedFeed:
            nonlocal parsed
            parsed = parse_fetched(spec, fetched, proofs, MAX_REJECTS_KEPT)
            return parsed

        def apply(feed: ParsedFeed) -> PullReport:
            # Raising out of the writer's transaction (ReadAgain too) rolls the apply back.
            return self.writer.call(self._apply_and_record, spec, started, feed, fetched)

        try:
            result = read_feed(parse, apply)
        except FeedRejected as exc:
            return self._finish(
                spec,
                started,
                Outcome.rejected,
                error=exc.reason,
                http_status=fetched.http_status,
                rows_rejected=parsed.reject_count if parsed else 0,
                rejects=tuple(parsed.rejects) if parsed else (),
                body_seen=True,
                encoding=parsed.encoding if parsed else None,
                delimiter=parsed.delimiter if parsed else None,
            )
        if result.region_changed:
            log.info("feed %s changed this store's region; next pulls are unconditional", spec.name)
        return result

    def _apply_and_record(
        self, spec: FeedSpec, started: dt.datetime, parsed: ParsedFeed, fetched: Fetched
    ) -> PullReport:
        """On the writer thread: the data and its bookkeeping in one transaction."""
        with self.db.write.begin() as session:
            applied: ApplyResult = apply_feed(session, spec.name, spec.kind, parsed, self.store_id)
            report = PullReport(
                name=spec.name,
                kind=spec.kind,
                url=spec.url,
                outcome=Outcome.applied,
                started=started,
                finished=self._now(),
                rows_applied=applied.rows_applied,
                rows_rejected=parsed.reject_count,
                rejects=tuple(parsed.rejects),
                http_status=fetched.http_status,
                region_changed=applied.region_changed,
                rows_other_stores=applied.rows_other_stores,
                other_store_example=applied.other_store_example,
                store_id=self.store_id,
                encoding=parsed.encoding,
                delimiter=parsed.delimiter,
            )
            self._record(session, spec, report, fetched.validators, body_seen=True)
        log.info("%s", report.line())
        return report

    def _finish(
        self,
        spec: FeedSpec,
        started: dt.datetime,
        outcome: Outcome,
        *,
        error: str | None = None,
        http_status: int | None = None,
        rows_rejected: int = 0,
        rejects: tuple[Reject, ...] = (),
        body_seen: bool = False,
        encoding: str | None = None,
        delimiter: str | None = None,
    ) -> PullReport:
        report = PullReport(
            name=spec.name,
            kind=spec.kind,
            url=spec.url,
            outcome=outcome,
            started=started,
            finished=self._now(),
            rows_rejected=rows_rejected,
            rejects=rejects,
            error=error,
            http_status=http_status,
            store_id=self.store_id,
            encoding=encoding,
            delimiter=delimiter,
        )

        def write() -> None:
            with self.db.write.begin() as session:
                self._record(session, spec, report, None, body_seen=body_seen)

        try:
            self.writer.call(write)
        except Exception as exc:  # e.g. a full disk: the report still reaches the caller
            known = describe_db_error(exc, self.db.path)
            if known is None:
                log.exception("could not record the outcome of feed %s", spec.name)
            else:
                log.error("could not record the outcome of feed %s: %s", spec.name, known)
            self._record_status_only(spec, report)
        # An unchanged poll every minute would be 1,440 log lines a day per feed.
        if report.outcome == Outcome.unchanged:
            level = logging.DEBUG
        else:
            level = logging.INFO if report.ok else logging.WARNING
        log.log(level, "%s", report.line())
        return report

    # --- bookkeeping ----------------------------------------------------------------------

    def _record_status_only(self, spec: FeedSpec, report: PullReport) -> None:
        """Second try after the full record failed (a full disk, typically): update only the
        feed's existing state row in place, which needs no new page, so `kiosk status` shows
        this error rather than the last success."""

        def write() -> None:
            with self.db.write.begin() as session:
                session.execute(
                    update(FeedState)
                    .where(FeedState.name == spec.name)
                    .values(
                        last_attempt=report.finished,
                        status=FeedStatus.ok if report.ok else FeedStatus.error,
                        outcome=report.outcome,
                        http_status=report.http_status,
                        error=(report.error or "")[:500] or None,
                    )
                )

        try:
            self.writer.call(write)
        except Exception:
            log.warning("could not record the status of feed %s either", spec.name)

    def _record(
        self,
        session: Session,
        spec: FeedSpec,
        report: PullReport,
        validators: Validators | None,
        *,
        body_seen: bool,
    ) -> None:
        """Update the feed's state row and add a run row (in the caller's transaction)."""
        state = session.get(FeedState, spec.name)
        if state is None:
            state = FeedState(name=spec.name, kind=spec.kind, url=stored_url(spec))
            session.add(state)
        if not state_is_for(state, spec):
            # The config now points elsewhere: the old validators mean nothing there.
            state.etag = state.last_modified = None
            state.source_size = state.source_mtime_ns = None
        state.kind, state.url = spec.kind, stored_url(spec)
        state.last_attempt = report.finished
        state.outcome = report.outcome
        state.http_status = report.http_status
        state.status = FeedStatus.ok if report.ok else FeedStatus.error
        state.error = report.error
        if report.ok:
            state.last_success = report.finished
        if report.outcome == Outcome.applied:
            state.last_change = report.finished
            # Stored only now, with the data, so a rejected feed is fetched whole next time.
            if validators is not None:
                state.etag = validators.etag
                state.last_modified = validators.last_modified
                state.source_size = validators.size
                state.source_mtime_ns = validators.mtime_ns
        rejects_json = json.dumps([r.as_dict() for r in report.rejects]) if body_seen else "[]"
        if body_seen:
            # Counts and bad rows describe the last pull that brought a body.
            state.rows_applied = report.rows_applied
            state.rows_rejected = report.rows_rejected
            state.rejects_json = rejects_json
            state.rows_other_stores = report.rows_other_stores
            state.other_store_example = report.other_store_example
            if report.encoding is not None:
                state.encoding, state.delimiter = report.encoding, report.delimiter
        session.add(
            SyncRun(
                feed=spec.name,
                started=report.started,
                finished=report.finished,
                outcome=report.outcome,
                http_status=report.http_status,
                rows_applied=report.rows_applied,
                rows_rejected=report.rows_rejected,
                error=report.error,
                rejects_json=rejects_json,
            )
        )
        cutoff = report.finished - dt.timedelta(days=RUN_HISTORY_DAYS)
        session.execute(delete(SyncRun).where(SyncRun.feed == spec.name, SyncRun.started < cutoff))

    def _previous_validators(self, spec: FeedSpec) -> Validators | None:
        with self.db.read() as session:
            state = session.get(FeedState, spec.name)
            if state is None or not state_is_for(state, spec):
                return None
            if not (state.etag or state.last_modified or state.source_size is not None):
                return None
            return Validators(
                etag=state.etag,
                last_modified=state.last_modified,
                size=state.source_size,
                mtime_ns=state.source_mtime_ns,
            )

    def _fetcher(self, name: str) -> Fetcher:
        with self._lock:
            fetcher = self._fetchers.get(name)
            if fetcher is None:
                fetcher = self._fetchers[name] = self._fetcher_factory()
            return fetcher

    def _feed_lock(self, name: str) -> threading.Lock:
        with self._lock:
            return self._feed_locks.setdefault(name, threading.Lock())
