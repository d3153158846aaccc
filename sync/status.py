"""Per-feed sync status as plain dicts, for `kiosk status` and the screen header."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.fetch.wording import redact_url
from sync.spec import FeedSpec
from sync.store.models import FeedState
from sync.vocabulary import FeedStatus


def stored_url(spec: FeedSpec) -> str:
    """The feed's URL as the database keeps it: never its credentials (`redact_url`)."""
    return redact_url(spec.url)


def state_is_for(state: FeedState, spec: FeedSpec) -> bool:
    """Whether the stored `state` is about `spec`'s source: same URL (as stored: without
    credentials or query values) and kind. When the config changed either, the old record
    (validators, status) is about another source."""
    return state.url == stored_url(spec) and state.kind == spec.kind


def _iso(moment: dt.datetime | None, tz: ZoneInfo) -> str | None:
    return None if moment is None else moment.astimezone(tz).isoformat(timespec="seconds")


def feed_statuses(
    session: Session, feeds: Sequence[FeedSpec], tz: ZoneInfo
) -> list[dict[str, object]]:
    """One dict per configured feed, in config order, with the contract's status fields."""
    states = {s.name: s for s in session.scalars(select(FeedState))}
    out: list[dict[str, object]] = []
    for spec in feeds:
        state = states.get(spec.name)
        if state is not None and not state_is_for(state, spec):
            state = None  # the config changed: the old record is about another source
        out.append(
            {
                "name": spec.name,
                "kind": spec.kind,
                "url": redact_url(spec.url),
                "last_attempt": _iso(state.last_attempt, tz) if state else None,
                "last_success": _iso(state.last_success, tz) if state else None,
                "status": state.status if state else FeedStatus.never,
                "rows_applied": state.rows_applied if state else 0,
                "rows_rejected": state.rows_rejected if state else 0,
                "error": state.error if state else None,
                "rejects": json.loads(state.rejects_json) if state else [],
                "outcome": state.outcome if state else None,
                "http_status": state.http_status if state else None,
                "last_change": _iso(state.last_change, tz) if state else None,
                "every_minutes": spec.every_minutes,
                "encoding": state.encoding if state else None,
                "delimiter": state.delimiter if state else None,
                "rows_other_stores": state.rows_other_stores if state else 0,
                "other_store_example": state.other_store_example if state else None,
            }
        )
    return out
