"""The fast paths of a big feed read exactly what the plain ones do.

Lines are cut out of the text a block at a time, and a batch whose cells are all good is read a
column at a time; both must agree with the plain reading (`readline`; row by row) on every
line number, bad row, reason and decimal-mark proof, for any text.
"""

from __future__ import annotations

import gc
import io
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.errors import FeedRejected
from sync.parse import feed as feed_module
from sync.parse import records
from sync.parse.feed import ParsedFeed, parse_feed, read_feed
from sync.parse.records import _capped_lines

# --- lines cut a block at a time -----------------------------------------------------------------


def _readline_lines(text: str, limit: int) -> tuple[list[str], int | None]:
    """The lines `readline(limit + 1)` gives, up to the first longer than `limit` (its number)."""
    stream = io.StringIO(text, newline="")
    lines: list[str] = []
    while line := stream.readline(limit + 1):
        if len(line) > limit:
            return lines, len(lines) + 1
        lines.append(line)
    return lines, None


def _block_lines(text: str, limit: int, block: int) -> tuple[list[str], int | None]:
    lines: list[str] = []
    try:
        for line in _capped_lines(io.StringIO(text, newline=""), limit, block):
            lines.append(line)
    except FeedRejected as err:
        number = int(err.reason.split()[1])
        assert err.reason == (
            f"line {number} is longer than {limit:,} characters "
            "(not a CSV export, or an unclosed quote?)"
        )
        return lines, number
    return lines, None


# Line breaks of every kind, and characters str.splitlines also cuts at but a CSV does not.
_TEXT = st.text(alphabet='ab,"\r\n\x0b\x0c\x1c\x85\u2028', max_size=60)


@settings(max_examples=400, deadline=None)
@given(text=_TEXT, limit=st.integers(1, 8), block=st.integers(1, 9))
def test_block_lines_are_the_lines_readline_gives(text: str, limit: int, block: int) -> None:
    assert _block_lines(text, limit, block) == _readline_lines(text, limit)


def test_a_cr_lf_cut_between_two_blocks_is_one_line_break() -> None:
    text = "ab\r\ncd\r\nef"
    for block in range(1, len(text) + 1):
        assert _block_lines(text, 10, block) == (["ab\r\n", "cd\r\n", "ef"], None)


def test_a_long_line_is_refused_after_the_lines_before_it_in_its_block() -> None:
    assert _block_lines("a\nbb\nccc\nd\n", 2, 100) == (["a\n"], 2)  # "bb\n" is 3 long
    assert _block_lines("a\nb\n" + "c" * 50, 10, 4) == (["a\n", "b\n"], 3)


# --- a batch read a column at a time -------------------------------------------------------------

_HEADERS = {
    "metrics": "store_id,date,metric,value",
    "stores": "store_id,name,region",
    "comments": "store_id,date,text,rating,source",
    "targets": "store_id,metric,period,start,target",
}
# Cells good and bad for each column: empty and spaced ones, impossible dates, numbers whose
# meaning depends on the decimal mark (`1.500`), that prove the other mark (`4,5`), junk.
_STORES = ["S1", "S2", " S3 ", "", "  "]
_DATES = ["2026-11-23", "2026-11-24", "2026-02-30", "", "x", " 2026-11-30 "]
_NUMBERS = ["12", "12.5", "1.500", "4,5", "", "1e3", "$5", "1,234.50", "(3)", "0", "4", "x"]
_WORDS = ["sales", "nps", "", "a b", '"quoted, with a comma"', '"two\nlines"']
_CELLS = {
    "store_id": _STORES,
    "date": _DATES,
    "start": _DATES,
    "metric": _WORDS,
    "name": _WORDS,
    "region": ["R1", "R2", ""],
    "text": _WORDS,
    "source": _WORDS,
    "value": _NUMBERS,
    "target": _NUMBERS,
    "rating": ["", "1", "5", "6", "2.5"],
    "period": ["day", "week", "month", "year", ""],
}


@st.composite
def _feeds(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(sorted(_HEADERS)))
    header = _HEADERS[kind].split(",")
    # Mostly good-looking rows, so that many batches are clean and take the column path.
    clean = {name: cells[:2] for name, cells in _CELLS.items()}
    lines = [",".join(header)]
    for _ in range(draw(st.integers(0, 14))):
        shape = draw(st.sampled_from(["clean"] * 6 + ["any", "extra", "short", "blank"]))
        if shape == "blank":
            lines.append(draw(st.sampled_from(["", ",,,", "  ,  "])))
            continue
        pool = clean if shape in ("clean", "extra") else _CELLS
        cells = [draw(st.sampled_from(pool[name])) for name in header]
        if shape == "extra":
            cells.append(draw(st.sampled_from(["", "x"])))
        if shape == "short":
            cells = cells[: draw(st.integers(1, len(cells) - 1))]
        lines.append(",".join(cells))
    return kind, ("\n".join(lines) + "\n").encode()


def _read_all(
    data: bytes, kind: str, decimal: str, size: int, columns: tuple[str, ...] | None
) -> tuple[object, ...]:
    """Everything a pull sees of a feed: rows, bad rows, counts, proofs (or its rejection)."""
    stream = io.BytesIO(data)

    def parse(proofs):
        return parse_feed(stream, kind, decimal=decimal, proofs=proofs)  # type: ignore[arg-type]

    def use(feed: ParsedFeed) -> list[object]:
        if columns is None:
            return [row for batch in feed.batches(size) for row in batch]
        return [list(zip(*batch, strict=True)) for batch in feed.column_batches(columns, size)]

    try:
        got: list[ParsedFeed] = []
        rows = read_feed(lambda proofs: got.append(parse(proofs)) or got[-1], use)
    except FeedRejected as err:
        return ("rejected", err.reason)
    feed = got[-1]
    watches = {k: (w.evidence, bool(w.ambiguous_read)) for k, w in feed.decimal_watches.items()}
    return (
        rows,
        [(r.line, r.field, r.reason) for r in feed.rejects],
        feed.reject_count,
        feed.row_count,
        feed.bad_keys,
        feed.split_proof,
        watches,
    )


@settings(max_examples=300, deadline=None)
@given(feed=_feeds(), decimal=st.sampled_from([".", ","]), size=st.integers(1, 6))
def test_reading_by_columns_is_reading_row_by_row(
    feed: tuple[str, bytes], decimal: str, size: int
) -> None:
    kind, data = feed
    fast = _read_all(data, kind, decimal, size, None)
    with mock.patch.object(feed_module, "_read_columns", return_value=None):
        plain = _read_all(data, kind, decimal, size, None)
    assert fast == plain


@settings(max_examples=150, deadline=None)
@given(feed=_feeds(), decimal=st.sampled_from([".", ","]), size=st.integers(1, 6))
def test_column_batches_hold_the_rows_of_batches(
    feed: tuple[str, bytes], decimal: str, size: int
) -> None:
    kind, data = feed
    columns = tuple(reversed(_HEADERS[kind].replace("date", "day").split(",")))
    as_rows = _read_all(data, kind, decimal, size, None)
    as_columns = _read_all(data, kind, decimal, size, columns)
    if as_rows[0] == "rejected":
        assert as_columns == as_rows
        return
    rows = [tuple(row[c] for c in columns) for row in as_rows[0]]  # type: ignore[union-attr]
    assert [t for batch in as_columns[0] for t in batch] == rows  # type: ignore[union-attr]
    assert as_columns[1:] == as_rows[1:]


def test_json_column_batches_follow_the_columns_asked_for() -> None:
    data = b'[{"store_id": "S1", "date": "2026-11-24", "metric": "m", "value": 2}]'
    feed = parse_feed(io.BytesIO(data), "metrics")
    assert list(feed.column_batches(("value", "store_id"))) == [[[2.0], ["S1"]]]


def test_a_pure_reader_reads_a_repeated_cell_once() -> None:
    seen: list[str] = []

    def read(cell: str) -> str:
        seen.append(cell)
        return cell.lower()

    cells = ["A", "B", "A", "A"]
    assert feed_module._read_column(cells, read, pure=True) == ["a", "b", "a", "a"]
    assert seen == ["A", "B"]
    seen.clear()
    # A number reader counts each value on its decimal watch: it reads every cell.
    assert feed_module._read_column(cells, read, pure=False) == ["a", "b", "a", "a"]
    assert seen == cells
    seen.clear()
    # Mostly distinct cells: no table of them, each read in turn.
    assert feed_module._read_column(["A", "B", "C", "A"], read, pure=True) == ["a", "b", "c", "a"]
    assert seen == ["A", "B", "C", "A"]


def test_clean_batches_take_the_column_path() -> None:
    data = b"store_id,date,metric,value\n" + b"S1,2026-11-24,m,1.500\n" * 4 + b"S1,x,m,1\n"
    calls: list[bool] = []
    real = feed_module._read_columns

    def spy(*args: object) -> object:
        result = real(*args)  # type: ignore[arg-type]
        calls.append(result is not None)
        return result

    with mock.patch.object(feed_module, "_read_columns", spy):
        feed = parse_feed(io.BytesIO(data), "metrics")
        rows = [row for batch in feed.batches(2) for row in batch]
    assert calls == [True, True, False]  # the batch with the bad date is read row by row
    assert len(rows) == 4 and feed.reject_count == 1
    # Each `1.500` counted once on the value column's watch, the bad batch's row included.
    assert feed.decimal_watches["value"].ambiguous_read == 4


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_as_it_was_after_an_ingest(enabled: bool, tmp_path) -> None:
    from sync.ingest import _collector_paused

    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        with pytest.raises(RuntimeError), _collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("a feed rejected half way")
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()


def test_a_batch_read_again_row_by_row_counts_each_value_once() -> None:
    # The value column counts `1.500` before it meets `x`; the row-by-row read counts it again.
    data = b"store_id,date,metric,value\nS1,2026-11-24,m,1.500\nS1,2026-11-24,m,x\n"
    feed = parse_feed(io.BytesIO(data), "metrics")
    assert [len(batch) for batch in feed.batches(2)] == [1]
    assert feed.decimal_watches["value"].ambiguous_read == 1


@pytest.mark.parametrize("size", [1, 2, 5000])
def test_too_many_blank_lines_in_a_row_reject_the_feed_after_the_rows_before(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "MAX_BLANK_LINES_IN_A_ROW", 3)
    row = b"S1,2026-11-24,m,1\n"
    header = b"store_id,date,metric,value\n"
    # Three blank lines (one of bare commas) in a row are fine, and the count starts again.
    feed = parse_feed(io.BytesIO(header + row + b"\n,,,\n\n" + row + b"\n" + row), "metrics")
    assert sum(len(batch) for batch in feed.batches(size)) == 3
    feed = parse_feed(io.BytesIO(header + row + b"\n,,,\n\n\n" + row), "metrics")
    read: list[dict] = []
    with pytest.raises(FeedRejected) as err:
        for batch in feed.batches(size):
            read.extend(batch)
    assert err.value.reason == (
        "more than 3 blank lines in a row after line 2: not a spreadsheet export"
    )
    assert [r["value"] for r in read] == [1.0]
