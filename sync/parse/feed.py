"""Feed bytes to validated rows, streaming, exactly as the HQ feed contract says.

`parse_feed` does the checks that reject a feed whole up front (not CSV or JSON, a header that
lacks a required field) and returns a `ParsedFeed`; its `batches()` then reads the rows lazily,
collecting the bad ones as it goes. Used by the ingest and by `kiosk feeds check`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Literal, TypeVar

from sync.errors import FeedRejected, ReadAgain, Reject
from sync.parse.decode import DecodedFeed, decode_feed, sniff_format
from sync.parse.fields import (
    Decimal,
    DecimalWatch,
    FieldError,
    OtherMarkError,
    ValueReader,
    normalize_name,
    quote,
)
from sync.parse.kinds import (
    KIND_SCHEMAS,
    FieldReader,
    KindSchema,
    Row,
    build_readers,
    mixup_reason,
)
from sync.parse.records import (
    DELIMITER_NAMES,
    CsvBatch,
    CsvTable,
    csv_batches,
    json_records,
    open_csv,
)
from sync.spec import FeedFormat, FeedKind

# A reject list that names every column found is useless past a point (an HTML page read as
# CSV has hundreds of "columns").
_MAX_COLUMNS_LISTED = 20
# JSON records usually share one key order, so the plan for a record is cached by its keys.
_MAX_JSON_PLANS = 1000
_NOT_RECORDS_HINT = 'expected [{"store_id": ...}, ...] or {"records": [...]}'
# Bounds on bad rows, so that a feed of garbage cannot keep the database writer busy (the rows
# are read inside the write transaction): 50 MB of two-byte records is 26 million bad rows,
# about a minute of work here and far more on a small kiosk. A feed whose first
# EARLY_ALL_BAD_ROWS records are all bad is rejected at once (it would be rejected at the end
# anyway unless a good row came later), and any feed with more than MAX_BAD_ROWS bad rows is
# rejected as a broken export. Both keep the old data, like every rejection.
EARLY_ALL_BAD_ROWS = 100_000
MAX_BAD_ROWS = 1_000_000
# The keys of bad rows a catalog or stores feed remembers (see `ParsedFeed.bad_keys`); such a
# feed is one row per metric or store, so more bad rows than this is a broken export, rejected.
MAX_BAD_KEYS = 100_000

T = TypeVar("T")
# The `proofs` key of "this file's values were split at unquoted commas" (not a field name).
SPLIT_ROWS = ""
Batches = Iterator[list[dict[str, object]]]
# One list per column asked for, the rows aligned across them.
Columns = list[list[object]]
# A format's row reader: the good rows in feed order, `size` records at most at a time, as row
# dicts (columns None) or as Columns of the row keys named; it reports the bad rows to the feed.
RowSource = Callable[["ParsedFeed", int, "tuple[str, ...] | None"], Iterator]


@dataclass(eq=False)
class ParsedFeed:
    """A feed that passed the whole-feed checks; `batches()` yields its valid rows.

    `reject_count` and `rejects` fill in while `batches()` is consumed ("so far"); they and
    `row_count` are final once it is exhausted. `batches()` can be called only once.
    """

    kind: FeedKind
    format: Literal["csv", "json"]
    fields: tuple[str, ...]  # normalized header names present (CSV) / union of keys (JSON)
    rejects: list[Reject] = field(default_factory=list)  # in order, capped at keep_rejects
    reject_count: int = 0  # all bad rows seen, not capped
    row_count: int = 0  # data records seen, good and bad (blank lines not counted)
    # The codec the text was read with: "utf-8", "utf-8-sig" (with a BOM), "cp1252" (not
    # valid UTF-8), or the one the feed names ("cp1250").
    encoding: str = "utf-8"
    delimiter: str | None = None  # CSV only
    keep_rejects: int = 10_000
    # Kinds with `KindSchema.keep_bad_keys` (catalog, stores): the key of each bad row whose key
    # could be read -> how many good rows came before it (its place among the good rows). The
    # ingest keeps the stored row such a bad row would have replaced.
    bad_keys: dict[tuple[str, ...], int] = field(default_factory=dict)
    # Number fields -> which decimal mark their column turned out to use (`DecimalWatch`).
    decimal_watches: dict[str, DecimalWatch] = field(default_factory=dict, repr=False)
    # CSV: the first line whose extra cells prove values were split at unquoted commas, and
    # how many rows with empty extra cells were read before any such proof.
    split_proof: int | None = None
    padded_rows_read: int = 0
    _source: RowSource | None = field(default=None, repr=False)

    @property
    def unit(self) -> str:
        """How a bad row's place is counted: a CSV line, or a JSON record's index."""
        return "record" if self.format == "json" else "line"

    def batches(self, size: int = 5000) -> Batches:
        """The valid rows in feed order, in lists of at most `size`. Raises FeedRejected while
        iterating when the rest of the feed cannot be read (a broken CSV quote, bad JSON)."""
        return self._take_source(size)(self, size, None)  # type: ignore[no-any-return]

    def column_batches(self, columns: tuple[str, ...], size: int = 5000) -> Iterator[Columns]:
        """The same rows as `batches`, each batch as one list per row key of `columns` (in that
        order): what a bulk upsert needs, without a dict per row."""
        return self._take_source(size)(self, size, columns)  # type: ignore[no-any-return]

    def _take_source(self, size: int) -> RowSource:
        if size < 1:
            raise ValueError("batch size must be at least 1")
        source, self._source = self._source, None
        if source is None:
            raise RuntimeError("the rows of a parsed feed can be read only once")
        return source

    def _in_batches(self, rows: Iterator[Row], size: int) -> Batches:
        """`rows` in lists of at most `size`, keeping `row_count` up to date at each list: every
        record read is either a good row or a reject. Closing the batches closes `rows`."""
        batch: list[Row] = []
        yielded = 0
        try:
            for row in rows:
                batch.append(row)
                if len(batch) >= size:
                    full, batch = batch, []
                    yielded += len(full)
                    self.row_count = yielded + self.reject_count
                    yield full
            if batch:
                full, batch = batch, []
                yielded += len(full)
                self.row_count = yielded + self.reject_count
                yield full
        finally:
            self.row_count = yielded + len(batch) + self.reject_count
            close = getattr(rows, "close", None)
            if close is not None:
                close()

    def _reject(self, line: int, field: str | None, reason: str, *, good: int) -> None:
        """Count a bad row; FeedRejected once there are too many (see MAX_BAD_ROWS)."""
        self.reject_count += 1
        if len(self.rejects) < self.keep_rejects:
            self.rejects.append(Reject(line, field, reason, self.unit))
        count = self.reject_count
        if count == EARLY_ALL_BAD_ROWS and good == 0:
            first = f" (first: {self.rejects[0]})" if self.rejects else ""
            raise FeedRejected(
                f"the first {count:,} data rows are all bad{first}; not reading the rest"
            )
        if count > MAX_BAD_ROWS:
            first = f" (first: {self.rejects[0]})" if self.rejects else ""
            raise FeedRejected(f"more than {MAX_BAD_ROWS:,} bad rows: a broken export?{first}")

    def _bad_field(
        self, line: int, field: str, err: FieldError, row: Row, keys: tuple[str, ...], *, good: int
    ) -> None:
        """A row whose `field` failed to read: reported, and its key remembered when the kind
        keeps bad keys (`keys` non-empty)."""
        self._reject(line, err.field or field, err.reason, good=good)
        if keys:
            self._bad_key(row, keys, good=good)
        if type(err) is OtherMarkError:
            self._proved_other_mark(field, err.shown, line)

    def _extra_cells(
        self, line: int, cells: list[str], header_width: int, too_many: Callable[[list[str]], str]
    ) -> str | None:
        """Why a row with more cells than the header is bad, or None while its extra cells are
        empty and no row has shown the file split at unquoted commas. The first row that does
        (non-empty extra cells) is the proof; rows with empty extras accepted before it make
        the feed read again from the start (ReadAgain)."""
        if any(cells[header_width:]):
            if self.split_proof is None:
                self.split_proof = line
                if self.padded_rows_read:
                    raise ReadAgain({SPLIT_ROWS: ("", line)})
            return too_many(cells)
        if self.split_proof is None:
            self.padded_rows_read += 1
            return None
        return (
            f"{len(cells)} cells, the header has {header_width}, and line {self.split_proof} "
            "shows values split at "
            "unquoted commas: this row's may be split too. Quote the fields, or export with \" "
            "as the text delimiter"
        )

    def _proved_other_mark(self, field: str, shown: str, line: int) -> None:
        """`shown` (at `line`) reads only with the other decimal mark: from now on its column's
        values whose meaning depends on the mark are bad rows. If some were read already, the
        feed is read again from the start knowing it (ReadAgain)."""
        watch = self.decimal_watches.get(field)
        if watch is None or watch.evidence is not None:
            return
        watch.evidence = (shown, line)
        if watch.ambiguous_read:
            raise ReadAgain({field: watch.evidence})

    def _bad_key(self, row: Row, columns: tuple[str, ...], *, good: int) -> None:
        """Remember the key of a bad row (when its key fields were read) and its place."""
        try:
            key = tuple(str(row[column]) for column in columns)
        except KeyError:
            return  # the key itself is what is bad: nothing to match
        self.bad_keys.setdefault(key, good)
        if len(self.bad_keys) > MAX_BAD_KEYS:
            raise FeedRejected(
                f"more than {MAX_BAD_KEYS:,} bad rows in a {self.kind} feed: a broken export?"
            )


def parse_feed(
    stream: BinaryIO,
    kind: FeedKind,
    *,
    fmt: FeedFormat | None = None,
    decimal: Decimal = ".",
    encoding: str | None = None,
    keep_rejects: int = 10_000,
    proofs: Mapping[str, tuple[str, int]] | None = None,
) -> ParsedFeed:
    """Check a feed body and prepare its rows; see the module docstring.

    Reads `stream` from position 0; it must stay open until `batches()` is exhausted (it is
    never closed here). `fmt` None sniffs JSON from a leading `[` or `{`, else CSV. `encoding`
    is the codec for a body that is not UTF-8 (default Windows-1252). `proofs` carries what a
    previous read learnt about number columns (see `ReadAgain` and `read_feed`). Raises
    FeedRejected when the feed is refused whole, ValueError for an unknown kind or decimal.
    """
    schema = KIND_SCHEMAS.get(kind)
    if schema is None:
        raise ValueError(f"unknown feed kind {kind!r}")
    if decimal not in (".", ","):
        raise ValueError(f"decimal must be '.' or ',', not {decimal!r}")
    decoded = decode_feed(stream, encoding)
    chosen = sniff_format(decoded.head, fmt)
    readers = build_readers(schema, decimal, proofs)
    if chosen == "csv":
        parsed = _parse_csv(decoded, schema, readers, keep_rejects)
    else:
        parsed = _parse_json(decoded, schema, readers, keep_rejects)
    parsed.decimal_watches = {r.spec.name: r.watch for r in readers if r.watch is not None}
    split = (proofs or {}).get(SPLIT_ROWS)
    parsed.split_proof = split[1] if split else None
    return parsed


def read_feed(
    parse: Callable[[Mapping[str, tuple[str, int]]], ParsedFeed], use: Callable[[ParsedFeed], T]
) -> T:
    """`use(parse(proofs))`, again with what was learnt when a number column turns out to use
    the other decimal mark after values whose meaning depends on it were read (`ReadAgain`):
    `use` must undo its work when it raises (the ingest's transaction rolls back).

    Each read learns at least one more column, so this ends after a few reads at most.
    """
    proofs: dict[str, tuple[str, int]] = {}
    while True:
        parsed = parse(proofs)
        try:
            return use(parsed)
        except ReadAgain as again:
            learnt = {k: v for k, v in again.proofs.items() if k not in proofs}
            if not learnt:
                raise RuntimeError("read again without learning anything new") from again
            proofs.update(learnt)


# --- CSV --------------------------------------------------------------------------------------


def _listing(names: Sequence[str], show: Callable[[str], str]) -> str:
    """`a, b and 3 more` for a reason: at most _MAX_COLUMNS_LISTED names, each through `show`;
    `none` when there are none."""
    listed = ", ".join(show(name) for name in names[:_MAX_COLUMNS_LISTED])
    if len(names) > _MAX_COLUMNS_LISTED:
        listed += f" and {len(names) - _MAX_COLUMNS_LISTED} more"
    return listed or "none"


def _columns(header: Sequence[str], schema: KindSchema) -> tuple[dict[str, int], tuple[str, ...]]:
    """The column index of each schema field in `header`, and the normalized names present in
    header order (blank ones left out, each once); FeedRejected when a required field is
    missing, two columns mean the same field, or the header is another kind's."""
    positions: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        name = normalize_name(cell)
        if name:
            positions.setdefault(name, []).append(index)
    columns: dict[str, int] = {}
    for spec in schema.fields:
        found = positions.get(spec.name, [])
        if len(found) > 1:
            names = " and ".join(quote(header[i].strip()) for i in found)
            raise FeedRejected(f"the columns {names} both mean {spec.name}: keep only one")
        if found:
            columns[spec.name] = found[0]
    missing = [name for name in schema.required if name not in columns]
    if missing:
        cells = [cell.strip() for cell in header if cell.strip()]
        plural = "s" if len(missing) > 1 else ""
        hint = mixup_reason(schema.kind, positions, explains_own=False)
        raise FeedRejected(
            f"the header lacks the required field{plural} {', '.join(missing)}; "
            f"columns found: {_listing(cells, quote)}" + (f"; {hint}" if hint else "")
        )
    mixup = mixup_reason(schema.kind, positions)
    if mixup is not None:
        raise FeedRejected(mixup)
    return columns, tuple(positions)


def _parse_csv(
    decoded: DecodedFeed, schema: KindSchema, readers: tuple[FieldReader, ...], keep: int
) -> ParsedFeed:
    text = decoded.open_text()
    try:
        table = open_csv(text, schema.required)
        columns, fields = _columns(table.header, schema)
    except BaseException:
        text.close()
        raise
    return ParsedFeed(
        kind=schema.kind,
        format="csv",
        fields=fields,
        encoding=decoded.name,
        delimiter=table.delimiter,
        keep_rejects=keep,
        _source=_csv_source(table, schema, readers, columns, text.close),
    )


def _csv_source(
    table: CsvTable,
    schema: KindSchema,
    readers: tuple[FieldReader, ...],
    columns: dict[str, int],
    close: Callable[[], None],
) -> RowSource:
    plan = tuple(
        (r.spec.name, r.spec.key, columns[r.spec.name], r.text)
        for r in readers
        if r.spec.name in columns
    )
    # Optional fields without a column: their default, copied into every row.
    defaults = {r.spec.key: r.spec.default for r in readers if r.spec.name not in columns}
    width = max(columns.values()) + 1
    header_width = len(table.header)
    too_many = _too_many_cells(header_width, table.delimiter)
    check, numbered = schema.check, schema.numbered
    key_columns = schema.key_columns if schema.keep_bad_keys else ()

    # A batch whose records all have the header's cells and no bad field is read a column at
    # a time (`_read_columns`); any other batch row by row, with every check below.
    by_columns = check is None and not numbered
    # A reader without a decimal watch (text, date, choice, yes/no) is a pure function of its
    # cell, so a column of few distinct values reads each once (`_read_column`).
    column_plan = tuple(
        (columns[r.spec.name], r.text, r.watch is None) for r in readers if r.spec.name in columns
    )
    watches = tuple(r.watch for r in readers if r.watch is not None)
    default_keys, plan_keys = tuple(defaults), tuple(key for _, key, _, _ in plan)
    row_keys = default_keys + plan_keys

    def read_rows(feed: ParsedFeed, chunk: CsvBatch, good: int, rows: list[Row]) -> int:
        """The good rows of `chunk` appended to `rows`, every rule applied and every bad row
        reported; returns the good-row count so far. The hot loop of a batch read row by row:
        locals only, no per-row attribute writes."""
        name = ""
        for line, cells in chunk.numbered():
            if len(cells) > header_width:
                # An unquoted comma split a value: its parts would land in the wrong columns
                # ($12,345.50 read as 12), so the row is refused whole. Extra cells that are
                # all empty are fine, until some row proves the file was split: then
                # `$1,500.00,` with an empty note is refused too.
                reason = feed._extra_cells(line, cells, header_width, too_many)
                if reason is not None:
                    feed._reject(line, None, reason, good=good)
                    continue
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            row: Row = defaults.copy()
            try:
                # `name` outlives the loop: the except clause reports the field that failed.
                for name, key, index, read_cell in plan:  # noqa: B007
                    row[key] = read_cell(cells[index])
                if check is not None:
                    check(row)
            except FieldError as err:
                if not "".join(cells).strip():
                    continue  # only whitespace: a blank line, not a record
                feed._bad_field(line, name, err, row, key_columns, good=good)
                continue
            if numbered:
                row["position"] = good
            good += 1
            rows.append(row)
        return good

    def batches(feed: ParsedFeed, size: int, columns: tuple[str, ...] | None) -> Iterator:
        good = 0
        yielded = 0
        rows: list[Row] = []  # the batch being read row by row (counted if reading stops)
        try:
            for chunk in csv_batches(table, size):
                read = None
                if by_columns:
                    read = _read_columns(chunk.records, header_width, column_plan, watches)
                if read is not None:
                    count = len(chunk.records)
                    good += count
                    fixed = [[defaults[key]] * count for key in default_keys]
                    if columns is None:
                        values = zip(*fixed, *read, strict=True)
                        out: object = [dict(zip(row_keys, row, strict=True)) for row in values]
                    else:
                        by_key = dict(zip(row_keys, [*fixed, *read], strict=True))
                        out = [by_key[key] for key in columns]
                else:
                    rows = []
                    good = read_rows(feed, chunk, good, rows)
                    count = len(rows)
                    out = rows if columns is None else [[r[k] for r in rows] for k in columns]
                    rows = []
                if count:
                    yielded += count
                    feed.row_count = yielded + feed.reject_count
                    yield out
        finally:
            feed.row_count = yielded + len(rows) + feed.reject_count
            close()

    return batches


def _read_columns(
    records: list[list[str]],
    header_width: int,
    plan: tuple[tuple[int, Callable[[str], object], bool], ...],
    watches: tuple[DecimalWatch, ...],
) -> Columns | None:
    """Each planned cell of `records` read a column at a time, or None when the batch must be
    read row by row, which applies and reports every rule: a record without exactly the
    header's cells (extra cells, short rows), or a bad cell. A blank record is always such a
    batch: every kind has a required field, whose reader refuses an empty cell. What the
    readers counted on the decimal watches is put back first, so the second read counts each
    value once."""
    try:
        cells = list(zip(*records, strict=True))
    except ValueError:  # records of different widths
        return None
    if len(cells) != header_width:
        return None
    counted = [watch.ambiguous_read for watch in watches]
    try:
        return [_read_column(cells[index], read, pure) for index, read, pure in plan]
    except FieldError:
        for watch, count in zip(watches, counted, strict=True):
            watch.ambiguous_read = count
        return None


def _read_column(cells: Sequence[str], read: Callable[[str], object], pure: bool) -> list[object]:
    """`read` of each cell; a pure reader once per distinct cell when they repeat (a metrics
    feed has a few dozen store ids, metrics and dates per thousand rows)."""
    if pure:
        distinct = dict.fromkeys(cells)
        if len(distinct) * 2 <= len(cells):
            values = {cell: read(cell) for cell in distinct}
            return list(map(values.__getitem__, cells))
    return list(map(read, cells))


def _too_many_cells(header_width: int, delimiter: str) -> Callable[[list[str]], str]:
    """The reason for a row with more non-empty cells than the header has columns."""
    name = DELIMITER_NAMES.get(delimiter, repr(delimiter))

    def reason(cells: list[str]) -> str:
        used = max(i for i, cell in enumerate(cells) if cell) + 1
        return (
            f"{used} cells, the header has {header_width}: an unquoted {name} inside a value? "
            'Quote the field, or export with " as the text delimiter'
        )

    return reason


# --- JSON -------------------------------------------------------------------------------------


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list"


def _scan_json(decoded: DecodedFeed, schema: KindSchema) -> tuple[str, ...]:
    """First pass over a JSON feed: the union of its keys, after checking it is valid JSON of
    records, that no record has two keys for one field, and that some record has each required
    field. Nothing is kept but the keys, so a big feed streams."""
    used = {spec.name for spec in schema.fields}
    required = frozenset(schema.required)
    names: dict[str, None] = {}
    normalized: dict[str, str] = {}
    # Key sets already checked, and whether records with them have every required field.
    seen: dict[tuple[str, ...], bool] = {}
    records = objects = bad = 0
    text = decoded.open_text()
    try:
        for index, record in json_records(text):
            records += 1
            if records == EARLY_ALL_BAD_ROWS:
                # Every one of these records is bad if they are not objects or lack a required
                # field: reject now instead of scanning the rest (see EARLY_ALL_BAD_ROWS).
                _check_records(records, objects, names, schema, early=True)
            if type(record) is not dict:
                bad += 1
                if bad > MAX_BAD_ROWS:
                    raise _too_many_bad_records()
                continue
            objects += 1
            keys = tuple(record)
            complete = seen.get(keys)
            if complete is None:
                mine: dict[str, str] = {}
                for key in keys:
                    name = normalized.get(key)
                    if name is None:
                        name = normalized[key] = normalize_name(key)
                    if name in mine and name in used:
                        raise FeedRejected(
                            f"record {index} has both {quote(mine[name])} and {quote(key)}, "
                            f"which both mean {name}: keep only one"
                        )
                    mine[name] = key
                    if name:
                        names[name] = None
                complete = required <= mine.keys()
                if len(seen) < _MAX_JSON_PLANS:
                    seen[keys] = complete
            if not complete:
                bad += 1  # a bad row for sure: a required field is missing
                if bad > MAX_BAD_ROWS:
                    raise _too_many_bad_records()
    finally:
        text.close()
    _check_records(records, objects, names, schema, early=False)
    return tuple(names)


def _too_many_bad_records() -> FeedRejected:
    return FeedRejected(
        f"more than {MAX_BAD_ROWS:,} records are not objects or lack a required field: "
        "a broken export?"
    )


def _check_records(
    records: int, objects: int, names: dict[str, None], schema: KindSchema, *, early: bool
) -> None:
    """FeedRejected when no record is an object, or none has some required field."""
    which = f"the first {records:,} records" if early else "the JSON records"
    if records and not objects:
        raise FeedRejected(f"{which} are not objects with fields; {_NOT_RECORDS_HINT}")
    missing = [name for name in schema.required if name not in names]
    if objects and missing:
        plural = "s" if len(missing) > 1 else ""
        # Names cut short and escaped like quoted values (a key can be a megabyte of junk).
        listed = _listing(list(names), lambda n: quote(n)[1:-1])
        every = f"each of {which}" if early else "every record"
        hint = mixup_reason(schema.kind, names, explains_own=False)
        raise FeedRejected(
            f"{every} lacks the required field{plural} {', '.join(missing)}; fields found: "
            f"{listed}" + (f"; {hint}" if hint else "")
        )
    mixup = mixup_reason(schema.kind, names) if objects and not early else None
    if mixup is not None:
        raise FeedRejected(mixup)


JsonPlan = tuple[tuple[tuple[str, str, str | None, ValueReader], ...], Row]


def _json_plan(keys: tuple[str, ...], readers: tuple[FieldReader, ...]) -> JsonPlan:
    """For records with these keys: (name, row key, record key or None, reader) per field
    read, and the defaults of the optional fields they lack."""
    by_name = {normalize_name(key): key for key in keys}
    plan = []
    defaults: Row = {}
    for r in readers:
        key = by_name.get(r.spec.name)
        if key is not None:
            plan.append((r.spec.name, r.spec.key, key, r.value))
        elif r.spec.required:
            plan.append((r.spec.name, r.spec.key, None, _missing(r.spec.name)))
        else:
            defaults[r.spec.key] = r.spec.default
    return tuple(plan), defaults


def _missing(name: str) -> ValueReader:
    def read(_value: object) -> object:
        raise FieldError(f"{name} is missing")

    return read


def _parse_json(
    decoded: DecodedFeed, schema: KindSchema, readers: tuple[FieldReader, ...], keep: int
) -> ParsedFeed:
    fields = _scan_json(decoded, schema)
    return ParsedFeed(
        kind=schema.kind,
        format="json",
        fields=fields,
        encoding=decoded.name,
        keep_rejects=keep,
        _source=_json_source(decoded, schema, readers),
    )


def _json_source(
    decoded: DecodedFeed, schema: KindSchema, readers: tuple[FieldReader, ...]
) -> RowSource:
    check, numbered = schema.check, schema.numbered
    key_columns = schema.key_columns if schema.keep_bad_keys else ()

    def rows(feed: ParsedFeed) -> Iterator[Row]:
        plans: dict[tuple[str, ...], JsonPlan] = {}
        good = 0
        name = ""
        text = decoded.open_text()
        try:
            for index, record in json_records(text):
                if type(record) is not dict:
                    feed._reject(
                        index,
                        None,
                        f"record {index} is {_describe(record)}, not an object",
                        good=good,
                    )
                    continue
                keys = tuple(record)
                plan_defaults = plans.get(keys)
                if plan_defaults is None:
                    plan_defaults = _json_plan(keys, readers)
                    if len(plans) < _MAX_JSON_PLANS:
                        plans[keys] = plan_defaults
                plan, defaults = plan_defaults
                row: Row = defaults.copy()
                try:
                    for name, column, key, read in plan:  # noqa: B007 (see the CSV loop)
                        row[column] = read(record.get(key) if key is not None else None)
                    if check is not None:
                        check(row)
                except FieldError as err:
                    feed._bad_field(index, name, err, row, key_columns, good=good)
                    continue
                if numbered:
                    row["position"] = good
                good += 1
                yield row
        finally:
            text.close()

    def batches(feed: ParsedFeed, size: int, columns: tuple[str, ...] | None) -> Iterator:
        in_batches = feed._in_batches(rows(feed), size)
        if columns is None:
            return in_batches
        return _as_columns(in_batches, columns)

    return batches


def _as_columns(batches: Batches, columns: tuple[str, ...]) -> Iterator[Columns]:
    try:
        for batch in batches:
            yield [[row[key] for row in batch] for key in columns]
    finally:
        batches.close()  # type: ignore[attr-defined]
