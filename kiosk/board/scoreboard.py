"""The scoreboard model: each catalog metric's actual, target, percent, pace and status.

This is the one code path behind both the scoreboard screen and `kiosk scoreboard --json`, so
it follows docs/cli.md ("The scoreboard model") to the letter. It is split in two:

- pure maths (`compute_entry`): one metric over one period from plain values,
  unit-testable without a database;
- a query layer (`load_store_data`, `build_scoreboard`) that reads one store's catalog, targets
  and daily values in three statements of plain SQL (sync/store/reading.py: a sqlite3
  connection, or the one under a SQLAlchemy session). It reads only the current week/month
  window and lets the primary keys do the seeking.

Arithmetic is done in `decimal.Decimal` built from `repr(float)`: a manager who types 0.1 and
0.2 expects a week total of 0.3, and a percent of exactly 100.05 must round half-up to 100.1,
which binary floats get wrong.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kiosk.board.model import EntryRow, MetricEntry, Period, Scoreboard, Source, Status
from kiosk.board.periods import PERIODS, days_in_period, elapsed_days, period_end, period_start
from sync.store.reading import connection_of, iso, marks, to_date
from sync.vocabulary import Aggregate, Direction

# Enough digits that sums of typed values and the single division behind each percent are
# exact whenever the true result is a short decimal (100, 99.95, ...), so the half-up rounding
# and the `>= 100` test see the true value.
_CONTEXT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN)
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_ONE_DECIMAL = Decimal("0.1")


# --- plain data -------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogInfo:
    """One catalog row, detached from the ORM (safe to hand across threads)."""

    metric: str
    label: str
    perspective: str = "financial"
    unit: str = ""
    direction: Direction = Direction.up
    aggregate: Aggregate = Aggregate.sum
    decimals: int = 0
    entry: bool = False


@dataclass(frozen=True)
class DayValue:
    """The value the board uses for one metric on one day, and where it came from."""

    value: float
    source: Source


# Per metric: day -> the value used that day (HQ already merged over manager entries).
DayValues = Mapping[dt.date, DayValue]


@dataclass(frozen=True)
class StoreData:
    """Everything one store's scoreboard is computed from, read in one go."""

    store_id: str
    day: dt.date
    catalog: tuple[CatalogInfo, ...]
    # (metric, period) -> target of the period holding `day` (its start is the period's start).
    targets: Mapping[tuple[str, Period], float]
    values: Mapping[str, DayValues]


# --- pure maths -------------------------------------------------------------------------


def _dec(value: float) -> Decimal:
    # repr() is the shortest string that round-trips, i.e. the number as it was typed.
    return Decimal(repr(value))


def _product(*factors: Decimal) -> Decimal:
    # Always in _CONTEXT: the thread's default context would round at 28 digits.
    result = Decimal(1)
    for factor in factors:
        result = _CONTEXT.multiply(result, factor)
    return result


@dataclass(frozen=True)
class _Percent:
    """An unrounded percent; `None` with `zero_met` is the down-metric actual-of-0 case."""

    value: Decimal | None
    zero_met: bool = False

    @property
    def reached(self) -> bool:
        return self.zero_met or (self.value is not None and self.value >= _HUNDRED)


def _percent_of(
    direction: str, numerator: Decimal, denominator: Decimal, target: Decimal
) -> _Percent:
    """(numerator / denominator) as a percent of `target`, in one division.

    One division keeps the result exact when it is a short decimal; the caller passes the
    actual as numerator / 1, or a projection as actual x days / elapsed days.
    """
    if direction == Direction.down:
        if numerator == _ZERO:
            # Spending nothing against a budget beats any target: null, but counts as >= 100.
            return _Percent(None, zero_met=True)
        return _Percent(_CONTEXT.divide(_product(target, denominator, _HUNDRED), numerator))
    if target == _ZERO:
        return _Percent(None)
    return _Percent(_CONTEXT.divide(_product(numerator, _HUNDRED), _product(denominator, target)))


def _aggregate(aggregate: str, used: Sequence[tuple[dt.date, DayValue]]) -> tuple[Decimal, Source]:
    """The period's actual from its days with a value (in any order), and its source."""
    if aggregate == Aggregate.last:
        _, latest = max(used, key=_by_day)
        return _dec(latest.value), latest.source
    total = _ZERO
    from_store = False
    for _, item in used:
        total = _CONTEXT.add(total, _dec(item.value))
        from_store = from_store or item.source == Source.store
    source = Source.store if from_store else Source.hq
    if aggregate == Aggregate.mean:
        return _CONTEXT.divide(total, Decimal(len(used))), source
    return total, source


def _by_day(item: tuple[dt.date, DayValue]) -> dt.date:
    return item[0]


def _round1(value: Decimal | None) -> float | None:
    """Half-up to one decimal, as the contract asks (float rounding is half-even on binary)."""
    if value is None:
        return None
    try:
        return float(value.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP, context=_CONTEXT))
    except decimal.InvalidOperation:  # an absurdly large percent: nothing left to round
        return float(value)


def _is_open_budget(direction: str, aggregate: str, period: Period, day: dt.date) -> bool:
    """A down/sum week or month before its last day: the budget can still be blown."""
    return (
        direction == Direction.down
        and aggregate == Aggregate.sum
        and period != "day"
        and day < period_end(period, day)
    )


def _status(
    info: CatalogInfo, period: Period, day: dt.date, percent: _Percent, pace: _Percent | None
) -> Status:
    """met / on_track / behind, decided on unrounded values."""
    if percent.reached and not _is_open_budget(info.direction, info.aggregate, period, day):
        return Status.met
    if pace is not None and pace.reached:
        return Status.on_track
    return Status.behind


def _pace(
    info: CatalogInfo, period: Period, day: dt.date, actual: Decimal, target: Decimal
) -> _Percent | None:
    """The projected end-of-period value as a percent of target; None for a day."""
    if period == Period.day:
        return None
    if info.aggregate != "sum":
        # A mean or a latest value does not grow with the days: it is its own projection.
        return _percent_of(info.direction, actual, Decimal(1), target)
    projected_numerator = _product(actual, Decimal(days_in_period(period, day)))
    return _percent_of(
        info.direction, projected_numerator, Decimal(elapsed_days(period, day)), target
    )


def compute_entry(
    info: CatalogInfo,
    period: Period,
    day: dt.date,
    values: DayValues,
    target: float | None,
) -> MetricEntry:
    """One scoreboard entry: `info` over the `period` holding `day`, up to and including it.

    `values` may hold days outside the period (a whole month window, say); only the days from
    the period's start to `day` count.
    """
    start = period_start(period, day)
    used = [(d, v) for d, v in values.items() if start <= d <= day]
    actual: Decimal | None = None
    source: Source | None = None
    if used:
        actual, source = _aggregate(info.aggregate, used)

    percent_out: float | None = None
    pace_out: float | None = None
    status: Status | None = None
    if actual is not None and target is not None:
        target_dec = _dec(target)
        percent = _percent_of(info.direction, actual, Decimal(1), target_dec)
        pace = _pace(info, period, day, actual, target_dec)
        status = _status(info, period, day, percent, pace)
        percent_out = _round1(percent.value)
        pace_out = None if pace is None else _round1(pace.value)

    return MetricEntry(
        metric=info.metric,
        label=info.label,
        perspective=info.perspective,
        period=period,
        actual=None if actual is None else float(actual),
        target=target,
        percent=percent_out,
        pace=pace_out,
        status=status,
        source=source,
        unit=info.unit,
        decimals=info.decimals,
        direction=info.direction,
        aggregate=info.aggregate,
    )


def entries_for_metric(
    info: CatalogInfo,
    day: dt.date,
    values: DayValues,
    targets: Mapping[tuple[str, Period], float],
) -> list[MetricEntry]:
    """The metric's entries in day, week, month order; a goal-less day entry when none."""
    periods = [p for p in PERIODS if (info.metric, p) in targets]
    if not periods:
        return [compute_entry(info, "day", day, values, None)]
    return [compute_entry(info, p, day, values, targets[(info.metric, p)]) for p in periods]


def scoreboard_from_data(data: StoreData) -> Scoreboard:
    """The scoreboard of `data.store_id` on `data.day`, in catalog order."""
    entries: list[MetricEntry] = []
    for info in data.catalog:
        values = data.values.get(info.metric, {})
        entries.extend(entries_for_metric(info, data.day, values, data.targets))
    return Scoreboard(store_id=data.store_id, date=data.day, metrics=tuple(entries))


def entry_rows(data: StoreData) -> tuple[EntryRow, ...]:
    """The manager-entry metrics (catalog `entry = yes`) with the value the board uses today."""
    return entry_rows_on(data.catalog, data.day, data.values, data.targets)


def entry_rows_on(
    catalog: Sequence[CatalogInfo],
    day: dt.date,
    values: Mapping[str, DayValues],
    targets: Mapping[tuple[str, Period], float] | None = None,
) -> tuple[EntryRow, ...]:
    """The metrics of `catalog` with `entry = yes`, in order, with the value the board uses on
    `day`; `values` maps a metric to its days (the day before too, for the keypad), `targets`
    (metric, period) to the goals in force on `day`."""
    rows = []
    for info in catalog:
        if not info.entry:
            continue
        days = values.get(info.metric, {})
        used = days.get(day)
        before = days.get(day - dt.timedelta(days=1))
        goal_period = next((p for p in PERIODS if (info.metric, p) in (targets or {})), None)
        rows.append(
            EntryRow(
                metric=info.metric,
                label=info.label,
                unit=info.unit,
                decimals=info.decimals,
                day=day,
                value=None if used is None else used.value,
                source=None if used is None else used.source,
                goal=None if goal_period is None else (targets or {})[(info.metric, goal_period)],
                goal_period=goal_period,
                previous=None if before is None else before.value,
                direction=info.direction,
                aggregate=info.aggregate,
            )
        )
    return tuple(rows)


# --- queries ----------------------------------------------------------------------------
# Plain SQL on the sqlite3 connection (`connection_of`: a session's, or a connection as is),
# the statements SQLAlchemy built from the mapped tables before; `source` is whatever holds
# the read transaction. Dates are bound and read as ISO text.

_CATALOG = (
    "SELECT metric, label, perspective, unit, direction, aggregate, decimals, entry "
    "FROM catalog ORDER BY position, metric"
)


def _targets_sql(stores: int, metrics: int, periods: int, starts: int) -> str:
    # Every column of the primary key (store_id, metric, period, start) is constrained by
    # equality or IN, so SQLite seeks straight to the few rows instead of scanning years of
    # daily targets.
    return (
        "SELECT store_id, metric, period, start, target FROM targets "
        f"WHERE store_id IN ({marks(stores)}) AND metric IN ({marks(metrics)}) "
        f"AND period IN ({marks(periods)}) AND start IN ({marks(starts)})"
    )


def _day_values_sql(stores: int, metrics: int) -> str:
    """Day values of HQ and of the manager's entries; seeks (store_id, metric, day) per pair.

    HQ wins over a manager's entry in the statement itself: the entries half leaves out every
    day HQ has a value for, so each (store, metric, day) comes back once, in whatever order
    SQLite returns the halves. The NOT EXISTS seeks metric_values' primary key per entry.
    """
    stores_in, metrics_in = marks(stores), marks(metrics)
    return (
        "SELECT store_id, metric, day, value, ? AS source FROM metric_values "
        f"WHERE store_id IN ({stores_in}) AND metric IN ({metrics_in}) "
        "AND day >= ? AND day <= ? "
        "UNION ALL "
        "SELECT e.store_id, e.metric, e.day, e.value, ? AS source FROM manager_entries AS e "
        f"WHERE e.store_id IN ({stores_in}) AND e.metric IN ({metrics_in}) "
        "AND e.day >= ? AND e.day <= ? "
        "AND NOT EXISTS (SELECT 1 FROM metric_values AS v "
        "WHERE v.store_id = e.store_id AND v.metric = e.metric AND v.day = e.day)"
    )


def load_catalog(source: object) -> tuple[CatalogInfo, ...]:
    """The catalog in display order: by feed position, then metric (several feeds may share it)."""
    return tuple(
        CatalogInfo(
            metric=metric,
            label=label,
            perspective=perspective,
            unit=unit or "",
            direction=Direction(direction),
            aggregate=Aggregate(aggregate),
            decimals=decimals or 0,
            entry=bool(entry),
        )
        for metric, label, perspective, unit, direction, aggregate, decimals, entry in (
            connection_of(source).execute(_CATALOG).fetchall()
        )
    )


def load_targets(
    source: object,
    store_ids: Sequence[str],
    metrics: Sequence[str],
    day: dt.date,
    periods: Sequence[Period] = PERIODS,
) -> dict[tuple[str, str, Period], float]:
    """(store, metric, period) -> the target in force on `day` (start = the period's start)."""
    if not metrics or not store_ids:
        return {}
    starts = {p: period_start(p, day) for p in periods}
    start_days = sorted(set(starts.values()))
    sql = _targets_sql(len(store_ids), len(metrics), len(periods), len(start_days))
    params = [*store_ids, *metrics, *periods, *(iso(d) for d in start_days)]
    found: dict[tuple[str, str, Period], float] = {}
    for store_id, metric, period, start, value in connection_of(source).execute(sql, params):
        # IN on start also matches e.g. a day target starting on the month's 1st when `day`
        # is later in the month: keep only the start of each row's own period.
        if starts.get(period) == to_date(start):
            found[(store_id, metric, period)] = value
    return found


def load_day_values(
    source: object,
    store_ids: Sequence[str],
    metrics: Sequence[str],
    first: dt.date,
    last: dt.date,
) -> dict[tuple[str, str], dict[dt.date, DayValue]]:
    """(store, metric) -> day -> value, for days in [first, last], HQ winning over entries.

    One UNION ALL statement over HQ values and the manager entries of days without one.
    """
    if not metrics or not store_ids:
        return {}
    sql = _day_values_sql(len(store_ids), len(metrics))
    window = [*store_ids, *metrics, iso(first), iso(last)]
    params = [Source.hq.value, *window, Source.store.value, *window]
    found: dict[tuple[str, str], dict[dt.date, DayValue]] = {}
    days: dict[str, dt.date] = {}  # the same few dates come back for every metric
    for store_id, metric, day, value, source_name in connection_of(source).execute(sql, params):
        when = days.get(day)
        if when is None:
            when = days[day] = to_date(day)
        found.setdefault((store_id, metric), {})[when] = DayValue(value, Source(source_name))
    return found


def load_store_data(source: object, store_id: str, day: dt.date) -> StoreData:
    """Read one store's catalog, targets in force on `day` and values of the needed window."""
    catalog = load_catalog(source)
    metrics = [info.metric for info in catalog]
    targets = {
        (metric, period): target
        for (_, metric, period), target in load_targets(source, [store_id], metrics, day).items()
    }
    # Only as far back as the longest period that has a goal, and the day before (the
    # manager's keypad shows it beside today's).
    first = min((period_start(period, day) for _, period in targets), default=day)
    first = min(first, day - dt.timedelta(days=1))
    values = load_day_values(source, [store_id], metrics, first, day)
    return StoreData(
        store_id=store_id,
        day=day,
        catalog=catalog,
        targets=targets,
        values={metric: per_day for (_, metric), per_day in values.items()},
    )


def build_scoreboard(source: object, store_id: str, day: dt.date) -> Scoreboard:
    """The scoreboard of `store_id` on the store's date `day` (see docs/cli.md); `source` is a
    sqlite3 connection or a SQLAlchemy session (`sync.store.reading.connection_of`)."""
    return scoreboard_from_data(load_store_data(source, store_id, day))
