"""Manager entries and shout-outs: validation, saving with an audit and an outbox item, history.

Plain Python, no Qt. The write functions take the caller's session and run on the writer thread
inside ONE transaction, so the entry, its audit row and its outbox item commit together or not
at all:

    def save(text: str) -> SavedEntry | ValidationError:
        with db.write.begin() as session:
            return save_entry(session, store_id, metric, day, text, now)

    result = writer.call(save, "1234.50")   # from a worker thread; writer.submit() for a Future

User mistakes are returned as a `ValidationError` (a message for the keypad), never raised;
nothing is written then. Exceptions mean real faults (a full disk) and roll the transaction back.

A correction is just another entry: `manager_entries` holds the current value, `entry_audit`
keeps every change (old and new value, when) and is never updated or deleted here. HQ values
win over entries on the board (kiosk.board.scoreboard), so an entry shows with source `store` until
HQ publishes its own number for that day.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.board.model import EntryRow, Source
from kiosk.board.scoreboard import entry_rows_on, load_catalog, load_day_values, load_targets
from kiosk.board.wording import ENGLISH, QT_TRANSLATE_NOOP, Wording
from sync.store.models import CatalogMetric, EntryAudit, ManagerEntry, MetricValue, Outbox, ShoutOut
from sync.upload import KIND_ENTRY, KIND_SHOUTOUT, KIND_SHOUTOUT_DELETED, enqueue, iso

MAX_VALUE = 1e9  # no store metric of a single day comes near a billion
OUTLIER_FACTOR = 100  # "more than 100x the biggest day on record"
HISTORY_DAYS = 90  # the record the outlier check compares with, either side of the day
MAX_TEXT_LENGTH = 20  # keypad characters; longer is a stuck finger, not a number
SHOUTOUT_MAX_CHARS = 200


ENTRIES = "Entries"  # the translation context of the messages below


@dataclass(frozen=True)
class ValidationError:
    """Why a typed value or text was not accepted, worded for the manager at the pad.

    `text` is a template marked for translation ("Use at most {count} decimals") and
    `fields` its values; the pad shows `say(words)`, in the store's language with its
    numbers, and `message` is the English. `can_override` is true only for the outlier
    check: the number may be real (a record day), so the UI may offer "Save anyway" and call
    again with `allow_outlier=True`.
    """

    text: str
    can_override: bool = False
    fields: tuple[tuple[str, str | int | float], ...] = ()

    def say(self, words: Wording) -> str:
        """The message in `words`' language; numbers written as its locale writes them."""
        values = {
            name: words.formats.number(value) if isinstance(value, int | float) else value
            for name, value in self.fields
        }
        text = words.translate(ENTRIES, self.text)
        return text.format(**values) if values else text

    @property
    def message(self) -> str:
        """The message in English (logs, tests)."""
        return self.say(ENGLISH)


def _error(text: str, can_override: bool = False, **fields: str | int | float) -> ValidationError:
    return ValidationError(text, can_override, tuple(fields.items()))


@dataclass(frozen=True)
class SavedEntry:
    """A saved manager entry. `changed` is false when the value was already that (no writes)."""

    store_id: str
    metric: str
    day: dt.date
    value: float
    previous_value: float | None
    entered_at: dt.datetime
    changed: bool
    idempotency_key: str | None  # of the outbox item; None when nothing changed


@dataclass(frozen=True)
class HistoryRow:
    """One day of a metric as the board uses it: HQ's value, else the manager's, else none."""

    day: dt.date
    value: float | None
    source: Source | None


@dataclass(frozen=True)
class AuditRow:
    """One saved change of a manager entry."""

    metric: str
    day: dt.date
    old_value: float | None
    new_value: float
    at: dt.datetime


@dataclass(frozen=True)
class ShoutOutRow:
    """A manager's shout-out still showing (or about to), with its id for deleting it."""

    id: int
    text: str
    day: dt.date
    until: dt.date


# --- validation ---------------------------------------------------------------------------


def _decimals_error(decimals: int) -> ValidationError:
    if decimals <= 0:
        #: The number typed on the keypad has decimals; this metric takes whole numbers.
        return _error(QT_TRANSLATE_NOOP("Entries", "Use a whole number (no decimals)"))
    if decimals == 1:
        #: The number typed has too many decimals: this metric takes one.
        return _error(QT_TRANSLATE_NOOP("Entries", "Use at most 1 decimal"))
    #: The number typed has too many decimals: this metric takes {count} (2 or more).
    return _error(QT_TRANSLATE_NOOP("Entries", "Use at most {count} decimals"), count=decimals)


def _type_a_number() -> ValidationError:
    #: Nothing (or no digit) typed on the keypad.
    return _error(QT_TRANSLATE_NOOP("Entries", "Type a number"))


def _not_a_number() -> ValidationError:
    #: What was typed is not a number (only a hardware keyboard can type such things).
    return _error(QT_TRANSLATE_NOOP("Entries", "Type a number (digits and one decimal point)"))


def _parse_text(text: str) -> Decimal | ValidationError:
    """What the keypad typed (digits, one '.', maybe a leading '-') as an exact decimal."""
    typed = text.strip()
    if typed in ("", ".", "-", "-."):
        return _type_a_number()
    if len(typed) > MAX_TEXT_LENGTH:
        #: More digits typed than any real number has (a finger stuck on a key).
        return _error(QT_TRANSLATE_NOOP("Entries", "That number is too long"))
    body = typed.removeprefix("-")
    if not body.replace(".", "", 1).isdigit() or not body.isascii():
        return _not_a_number()
    try:
        return Decimal(typed)
    except InvalidOperation:
        return _not_a_number()


def _as_decimal(value: float | str) -> Decimal | ValidationError:
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, bool) or not math.isfinite(value):
        return _type_a_number()
    # repr() is the shortest text that gives back this float: the number as typed.
    return Decimal(repr(float(value)))


def check_value(
    number: Decimal,
    decimals: int,
    *,
    history_max: float | None = None,
    allow_outlier: bool = False,
) -> float | ValidationError:
    """The checks every entry passes, in the order a manager would want to hear them."""
    if number < 0:
        #: A number below zero typed on the keypad.
        return _error(QT_TRANSLATE_NOOP("Entries", "Must not be negative"))
    places = max(0, -int(number.normalize().as_tuple().exponent))
    if places > max(decimals, 0):
        return _decimals_error(decimals)
    if number > Decimal(repr(MAX_VALUE)):
        #: A number above the largest the kiosk stores ({limit}: a billion).
        too_large = QT_TRANSLATE_NOOP("Entries", "That is too large (at most {limit})")
        return _error(too_large, limit=int(MAX_VALUE))
    value = float(number)
    if (
        not allow_outlier
        and history_max is not None
        and history_max > 0
        and value > OUTLIER_FACTOR * history_max
    ):
        #: A number a hundred times the biggest day of the last months: a typo, most likely
        #: ("Save anyway" keeps it all the same).
        outlier = QT_TRANSLATE_NOOP(
            "Entries", "That is more than 100× the biggest day on record — check the number"
        )
        return _error(outlier, can_override=True)
    return value


def validate_entry_value(
    text: str,
    decimals: int,
    *,
    history_max: float | None = None,
    allow_outlier: bool = False,
) -> float | ValidationError:
    """Check what the keypad typed; the value to save, or a message for the pad.

    `decimals` is the catalog's; `history_max` the store's biggest value of the metric near
    that day (`history_max()`), for the outlier check; None skips it.
    """
    number = _parse_text(text)
    if isinstance(number, ValidationError):
        return number
    return check_value(number, decimals, history_max=history_max, allow_outlier=allow_outlier)


def history_max(session: Session, store_id: str, metric: str, day: dt.date) -> float | None:
    """The biggest value (HQ's or the manager's) of the metric within 90 days of `day`.

    The day itself is left out: when correcting a wrong number, the wrong number must not
    become the yardstick.
    """
    first, last = day - dt.timedelta(days=HISTORY_DAYS), day + dt.timedelta(days=HISTORY_DAYS)
    found: list[float] = []
    for model in (MetricValue, ManagerEntry):
        top = session.scalar(
            select(func.max(model.value)).where(
                model.store_id == store_id,
                model.metric == metric,
                model.day >= first,
                model.day <= last,
                model.day != day,
            )
        )
        if top is not None:
            found.append(float(top))
    return max(found, default=None)


# --- entries ------------------------------------------------------------------------------


def save_entry(
    session: Session,
    store_id: str,
    metric: str,
    day: dt.date,
    value: float | str,
    now: dt.datetime,
    *,
    allow_outlier: bool = False,
) -> SavedEntry | ValidationError:
    """Validate and save the manager's value for `metric` on `day`, in the caller's transaction.

    The catalog row is read here, inside the write transaction, rather than trusted from the
    screen: a catalog pull between showing the pad and saving cannot slip a value past the
    checks. Writes the entry (insert or update), an audit row and an outbox item for HQ.
    """
    row = session.get(CatalogMetric, metric)
    if row is None:
        #: Not shown in normal use: the catalog lost the metric while its keypad was open.
        return _error(QT_TRANSLATE_NOOP("Entries", "Unknown metric '{metric}'"), metric=metric)
    if not row.entry:
        #: The catalog changed while the keypad was open: HQ now sends this metric.
        from_hq = QT_TRANSLATE_NOOP(
            "Entries", "{metric} comes from HQ; it is not typed in at the store"
        )
        return _error(from_hq, metric=row.label)
    # A store is at most 14 hours ahead of UTC: a day after tomorrow in UTC has not started
    # anywhere.
    if day > now.astimezone(dt.UTC).date() + dt.timedelta(days=1):
        #: A number typed for a day in the future (a wrong clock).
        return _error(QT_TRANSLATE_NOOP("Entries", "That day has not started yet"))

    number = _as_decimal(value)
    if isinstance(number, ValidationError):
        return number
    checked = check_value(
        number,
        row.decimals or 0,
        history_max=history_max(session, store_id, metric, day),
        allow_outlier=allow_outlier,
    )
    if isinstance(checked, ValidationError):
        return checked

    current = session.get(ManagerEntry, (store_id, metric, day))
    previous = None if current is None else current.value
    if previous is not None and previous == checked:
        return SavedEntry(store_id, metric, day, checked, previous, now, False, None)
    if current is None:
        session.add(
            ManagerEntry(store_id=store_id, metric=metric, day=day, value=checked, entered_at=now)
        )
    else:
        current.value = checked
        current.entered_at = now
    session.add(
        EntryAudit(
            store_id=store_id,
            metric=metric,
            day=day,
            old_value=previous,
            new_value=checked,
            at=now,
        )
    )
    session.flush()
    key = enqueue(
        session,
        KIND_ENTRY,
        {
            "store_id": store_id,
            "metric": metric,
            "date": day.isoformat(),
            "value": checked,
            "previous_value": previous,
            "entered_at": iso(now),
        },
        now,
    )
    return SavedEntry(store_id, metric, day, checked, previous, now, True, key)


def entry_rows_for_day(session: Session, store_id: str, day: dt.date) -> tuple[EntryRow, ...]:
    """The manager-entry metrics (catalog order) with the value the board uses on `day`."""
    catalog = [info for info in load_catalog(session) if info.entry]
    metrics = [info.metric for info in catalog]
    # From the day before: the keypad shows it beside the day's value, with the goal.
    values = load_day_values(session, [store_id], metrics, day - dt.timedelta(days=1), day)
    goals = load_targets(session, [store_id], metrics, day)
    return entry_rows_on(
        catalog,
        day,
        {metric: days for (_, metric), days in values.items()},
        {(metric, period): goal for (_, metric, period), goal in goals.items()},
    )


def entry_history(
    session: Session, store_id: str, metric: str, today: dt.date, days: int = 7
) -> list[HistoryRow]:
    """`days` days of the metric ending on `today`, newest first; days without a value too."""
    first = today - dt.timedelta(days=max(days, 1) - 1)
    per_day = load_day_values(session, [store_id], [metric], first, today).get(
        (store_id, metric), {}
    )
    rows = []
    for offset in range(max(days, 1)):
        day = today - dt.timedelta(days=offset)
        used = per_day.get(day)
        rows.append(
            HistoryRow(day, None, None)
            if used is None
            else HistoryRow(day, used.value, used.source)
        )
    return rows


def audit_trail(session: Session, store_id: str, metric: str, day: dt.date) -> list[AuditRow]:
    """Every saved change of the entry for `metric` on `day`, oldest first. Read-only."""
    rows = session.execute(
        select(
            EntryAudit.metric,
            EntryAudit.day,
            EntryAudit.old_value,
            EntryAudit.new_value,
            EntryAudit.at,
        )
        .where(EntryAudit.store_id == store_id, EntryAudit.metric == metric, EntryAudit.day == day)
        .order_by(EntryAudit.id)  # insertion order, even if the clock was set back
    )
    return [AuditRow(r.metric, r.day, r.old_value, r.new_value, r.at) for r in rows]


# --- shout-outs ---------------------------------------------------------------------------

# Categories that are not plain text: control characters, lone surrogates, private use.
_NOT_PLAIN = frozenset({"Cc", "Cs", "Co"})


def validate_shoutout_text(text: str) -> str | ValidationError:
    """The text as it will be stored (blank runs made one space), or why it cannot be."""
    cleaned = " ".join(text.split())
    if not cleaned:
        #: Save tapped on an empty shout-out.
        return _error(QT_TRANSLATE_NOOP("Entries", "Type a shout-out"))
    if any(unicodedata.category(ch) in _NOT_PLAIN for ch in cleaned):
        #: A shout-out with control characters (only a hardware keyboard types them).
        return _error(QT_TRANSLATE_NOOP("Entries", "Use plain text only"))
    if len(cleaned) > SHOUTOUT_MAX_CHARS:
        #: A shout-out too long: {limit} characters at most, {count} typed (always more).
        too_long = QT_TRANSLATE_NOOP(
            "Entries", "Keep it to {limit} characters (this one has {count})"
        )
        return _error(too_long, limit=SHOUTOUT_MAX_CHARS, count=len(cleaned))
    return cleaned


def add_shoutout(
    session: Session,
    store_id: str,
    text: str,
    *,
    day: dt.date,
    now: dt.datetime,
    days: int,
) -> int | ValidationError:
    """Save a shout-out shown from `day` (the store's date) for `days` days; returns its id.

    Also queues it for HQ (kind "shoutout") in the same transaction.
    """
    cleaned = validate_shoutout_text(text)
    if isinstance(cleaned, ValidationError):
        return cleaned
    until = day + dt.timedelta(days=max(days, 1) - 1)
    shoutout = ShoutOut(
        store_id=store_id, text=cleaned, created_at=now, day=day, until=until, deleted=False
    )
    session.add(shoutout)
    session.flush()  # for its id
    enqueue(
        session,
        KIND_SHOUTOUT,
        {
            "store_id": store_id,
            "shoutout_id": shoutout.id,
            "text": cleaned,
            "day": day.isoformat(),
            "until": until.isoformat(),
            "created_at": iso(now),
        },
        now,
    )
    return shoutout.id


def delete_shoutout(session: Session, shoutout_id: int, now: dt.datetime) -> bool:
    """Hide a shout-out (it is kept, marked deleted) and tell HQ; False if none to delete."""
    shoutout = session.get(ShoutOut, shoutout_id)
    if shoutout is None or shoutout.deleted:
        return False
    shoutout.deleted = True
    enqueue(
        session,
        KIND_SHOUTOUT_DELETED,
        {
            "store_id": shoutout.store_id,
            "shoutout_id": shoutout.id,
            "shoutout_key": _shoutout_key(session, shoutout.store_id, shoutout.id),
            "deleted_at": iso(now),
        },
        now,
    )
    return True


def _shoutout_key(session: Session, store_id: str, shoutout_id: int) -> str | None:
    """The idempotency key its creation was sent with: how HQ knows which one is deleted."""
    return session.scalar(
        select(Outbox.idempotency_key)
        .where(
            Outbox.kind == KIND_SHOUTOUT,
            func.json_extract(Outbox.payload_json, "$.shoutout_id") == shoutout_id,
            func.json_extract(Outbox.payload_json, "$.store_id") == store_id,
        )
        .order_by(Outbox.id)
        .limit(1)
    )


def active_shoutouts(session: Session, store_id: str, day: dt.date) -> list[ShoutOutRow]:
    """Shout-outs not deleted and not yet over on `day` (including future ones), newest first."""
    rows = session.execute(
        select(ShoutOut.id, ShoutOut.text, ShoutOut.day, ShoutOut.until)
        .where(
            ShoutOut.store_id == store_id,
            ShoutOut.deleted.is_(False),
            ShoutOut.until >= day,
        )
        .order_by(ShoutOut.day.desc(), ShoutOut.created_at.desc(), ShoutOut.id.desc())
    )
    return [ShoutOutRow(r.id, r.text, r.day, r.until) for r in rows]
