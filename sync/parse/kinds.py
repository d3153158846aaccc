"""The fields of each feed kind, as the HQ feed contract defines them, and their readers.

`KIND_SCHEMAS` is the one description of what each kind requires and allows; the parser, the
docs and `kiosk feeds check` all read it. Row keys are the ORM column names of `sync.store.models`
(the feed field `date` is the column `day`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from sync.parse.fields import (
    Decimal,
    DecimalWatch,
    FieldError,
    TextReader,
    ValueReader,
    bool_reader,
    choice_reader,
    date_reader,
    json_number_reader,
    json_reader,
    number_reader,
    text_reader,
)
from sync.spec import FeedKind
from sync.vocabulary import Aggregate, Direction, MessageKind, Period, Perspective, words

FieldType = Literal["text", "number", "date", "choice", "yes/no", "whole number"]
Row = dict[str, object]
# Checks across the fields of a row, run after every field was read; they may fill defaults
# that depend on another field, and raise FieldError(reason, field) for a bad row.
RowCheck = Callable[[Row], None]

PERSPECTIVES = words(Perspective)
PERSPECTIVE_ALIASES: Mapping[str, str] = {
    "internal_process": "process",
    "learning_and_growth": "learning",
    "learning_growth": "learning",
}
DIRECTIONS = words(Direction)
AGGREGATES = words(Aggregate)
PERIODS = words(Period)
MESSAGE_KINDS = words(MessageKind)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a feed kind. `name` is the normalized feed name, `column` the row key."""

    name: str
    type: FieldType
    required: bool = False
    column: str = ""  # defaults to `name`
    default: object = None  # stored when the field is absent or empty
    default_doc: str = ""  # the default as the contract words it
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    # A date after fields.MAX_DATE (a database's "forever", 9999-12-31) reads as the default.
    far_future_is_default: bool = False

    @property
    def key(self) -> str:
        """The row key (the model column)."""
        return self.column or self.name


@dataclass(frozen=True)
class KindSchema:
    """What one feed kind requires and allows, and the key of its rows."""

    kind: FeedKind
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...] = ()
    check: RowCheck | None = None
    # catalog: the scoreboard lists metrics in feed order, kept as `position`
    numbered: bool = False
    # A snapshot kind with a key (catalog, stores): the parser collects the keys of bad rows
    # (`ParsedFeed.bad_keys`) so that the rows they would have replaced are kept, since a bad
    # row never changes stored data. The key fields come first in `fields`, so a row that fails
    # on another field has its key read already.
    keep_bad_keys: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The row keys (model columns) of the key fields, in `key` order."""
        columns = {f.name: f.key for f in self.fields}
        return tuple(columns[name] for name in self.key)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if not f.required)


def _catalog_check(row: Row) -> None:
    if row["label"] is None:
        row["label"] = row["metric"]


def _targets_check(row: Row) -> None:
    start = row["start"]
    assert isinstance(start, dt.date)
    period = row["period"]
    if period == "week" and start.weekday() != 0:
        raise FieldError(
            f"{start.isoformat()} is a {_WEEKDAYS[start.weekday()]}; "
            "a week target must start on a Monday",
            "start",
        )
    if period == "month" and start.day != 1:
        raise FieldError(
            f"{start.isoformat()} is not the 1st of a month; a month target must start on the 1st",
            "start",
        )


def _messages_check(row: Row) -> None:
    start, end = row["start"], row["end"]
    if end is not None and end < start:  # type: ignore[operator]
        raise FieldError(f"end {end} is before start {start}", "end")


_STORE_ID = FieldSpec("store_id", "text", required=True)

KIND_SCHEMAS: dict[FeedKind, KindSchema] = {
    "catalog": KindSchema(
        "catalog",
        (
            FieldSpec("metric", "text", required=True),
            FieldSpec("label", "text", default_doc="the metric"),
            FieldSpec("unit", "text", default="", default_doc="none"),
            FieldSpec(
                "perspective",
                "choice",
                default="financial",
                default_doc="financial",
                choices=PERSPECTIVES,
                aliases=PERSPECTIVE_ALIASES,
            ),
            FieldSpec("direction", "choice", default="up", default_doc="up", choices=DIRECTIONS),
            FieldSpec("aggregate", "choice", default="sum", default_doc="sum", choices=AGGREGATES),
            FieldSpec("decimals", "whole number", default=0, default_doc="0", minimum=0, maximum=6),
            FieldSpec("entry", "yes/no", default=False, default_doc="no"),
        ),
        key=("metric",),
        check=_catalog_check,
        numbered=True,
        keep_bad_keys=True,
    ),
    "metrics": KindSchema(
        "metrics",
        (
            _STORE_ID,
            FieldSpec("date", "date", required=True, column="day"),
            FieldSpec("metric", "text", required=True),
            FieldSpec("value", "number", required=True),
        ),
        key=("store_id", "date", "metric"),
    ),
    "targets": KindSchema(
        "targets",
        (
            _STORE_ID,
            FieldSpec("metric", "text", required=True),
            FieldSpec("period", "choice", required=True, choices=PERIODS),
            FieldSpec("start", "date", required=True),
            FieldSpec("target", "number", required=True),
        ),
        key=("store_id", "metric", "period", "start"),
        check=_targets_check,
    ),
    "comments": KindSchema(
        "comments",
        (
            _STORE_ID,
            FieldSpec("date", "date", required=True, column="day"),
            FieldSpec("text", "text", required=True),
            FieldSpec("rating", "number", default_doc="none", minimum=1, maximum=5),
            FieldSpec("source", "text", default_doc="none"),
        ),
    ),
    "messages": KindSchema(
        "messages",
        (
            FieldSpec("store_id", "text", required=True),  # `*` means every store
            FieldSpec("start", "date", required=True),
            FieldSpec("end", "date", default_doc="open-ended", far_future_is_default=True),
            FieldSpec("title", "text", required=True),
            FieldSpec("kind", "choice", default="news", default_doc="news", choices=MESSAGE_KINDS),
            FieldSpec("body", "text", default="", default_doc="empty"),
        ),
        check=_messages_check,
    ),
    "stores": KindSchema(
        "stores",
        (
            _STORE_ID,
            FieldSpec("name", "text", required=True),
            FieldSpec("region", "text", required=True),
        ),
        key=("store_id",),
        keep_bad_keys=True,
    ),
}


@dataclass(frozen=True)
class FieldReader:
    """One field's readers, built for one parse: `text` for CSV cells, `value` for JSON."""

    spec: FieldSpec
    text: TextReader
    value: ValueReader
    watch: DecimalWatch | None = None  # number fields: which decimal mark the column uses


def _show(value: float) -> str:
    """A number as a person would write it in a reason: 6, 2.5."""
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def _number_check(spec: FieldSpec) -> Callable[[float], object] | None:
    """The range (and whole-number) check of a numeric field, or None when it has none."""
    low, high = spec.minimum, spec.maximum
    whole = spec.type == "whole number"
    if low is None and high is None and not whole:
        return None
    span = f"from {_show(low)} to {_show(high)}" if low is not None and high is not None else ""
    what = f"a whole number {span}".rstrip() if whole else span

    def check(value: float) -> object:
        if (
            (whole and not value.is_integer())
            or (low is not None and value < low)
            or (high is not None and value > high)
        ):
            raise FieldError(f"{spec.name} must be {what}, not {_show(value)}")
        return int(value) if whole else value

    return check


def build_readers(
    schema: KindSchema,
    decimal: Decimal = ".",
    proofs: Mapping[str, tuple[str, int]] | None = None,
) -> tuple[FieldReader, ...]:
    """Fresh readers for every field of `schema` (fresh, so caches live for one parse only).

    Number fields get a `DecimalWatch`; `proofs` (field -> value, line) starts a watch knowing
    its column uses the other decimal mark (a feed read again, see `ReadAgain`).
    """
    readers = []
    for spec in schema.fields:
        name, required, default = spec.name, spec.required, spec.default
        watch = None
        if spec.type in ("number", "whole number"):
            check = _number_check(spec)
            watch = DecimalWatch(decimal, evidence=(proofs or {}).get(name))
            text = number_reader(
                name, decimal=decimal, required=required, default=default, check=check, watch=watch
            )
            value = json_reader(text, number=json_number_reader(check))
        elif spec.type == "date":
            text = date_reader(
                name,
                required=required,
                default=default,
                far_future_is_default=spec.far_future_is_default,
            )
            value = json_reader(text)
        elif spec.type == "choice":
            text = choice_reader(
                name, spec.choices, required=required, default=default, aliases=spec.aliases
            )
            value = json_reader(text)
        elif spec.type == "yes/no":
            text = bool_reader(name, required=required, default=default)
            value = json_reader(text, boolean=True)
        else:
            text = text_reader(name, required=required, default=default)
            value = json_reader(text)
        readers.append(FieldReader(spec, text, value, watch))
    return tuple(readers)


# What marks a kind's file: its key fields (or, without a key, its required ones).
def _signature(schema: KindSchema) -> tuple[str, ...]:
    return schema.key or schema.required


def looks_like(
    kind: FeedKind, names: Iterable[str], *, explains_own: bool = False
) -> tuple[FeedKind, tuple[str, ...]] | None:
    """The other kind a feed with these field names looks like, with the fields that give it
    away (those of its key that `kind` does not have), or None. The kind whose key matches most
    fields wins.

    With `explains_own`, only a kind whose fields also account for `kind`'s own key: a metrics
    file served at a catalog URL has the catalog's `metric` too, and would be applied with every
    other catalog field at its default; that is the mix-up to refuse. A metrics feed with two
    extra columns named like a target's is not one (it has its own `date`).
    """
    present = set(names)
    own = {spec.name for spec in KIND_SCHEMAS[kind].fields}
    own_signature = set(_signature(KIND_SCHEMAS[kind]))
    best: tuple[FeedKind, tuple[str, ...]] | None = None
    best_size = 0
    for other, schema in KIND_SCHEMAS.items():
        signature = _signature(schema)
        if other == kind or not set(signature) <= present:
            continue
        if explains_own and not own_signature <= {spec.name for spec in schema.fields}:
            continue
        telling = tuple(name for name in signature if name not in own)
        if telling and len(signature) > best_size:
            best, best_size = (other, telling), len(signature)
    return best


def _and(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def mixup_reason(kind: FeedKind, names: Iterable[str], *, explains_own: bool = True) -> str | None:
    """ "this looks like a metrics feed ..." when `names` give another kind away, else None
    (see `looks_like`)."""
    found = looks_like(kind, names, explains_own=explains_own)
    if found is None:
        return None
    other, telling = found
    plural = "s" if len(telling) > 1 else ""
    return (
        f"this looks like a {other} feed (it has {_and(telling)} column{plural}), not a {kind} "
        "feed: check the feed's url and kind"
    )
