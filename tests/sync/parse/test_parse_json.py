"""JSON feeds: the two document shapes, JSON value types, rejections, and the streaming reader."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys

import pytest

from sync.errors import FeedRejected
from sync.parse.feed import ParsedFeed, parse_feed
from sync.parse.records import json_records
from sync.spec import FeedKind


def parse(data: bytes, kind: FeedKind, **options: object) -> tuple[ParsedFeed, list[dict]]:
    feed = parse_feed(io.BytesIO(data), kind, **options)  # type: ignore[arg-type]
    rows = [row for batch in feed.batches() for row in batch]
    return feed, rows


def bad(feed: ParsedFeed) -> list[tuple[int, str | None, str]]:
    return [(r.line, r.field, r.reason) for r in feed.rejects]


def rejected(data: bytes, kind: FeedKind, **options: object) -> str:
    with pytest.raises(FeedRejected) as err:
        parse(data, kind, **options)
    return err.value.reason


STORE = {"store_id": "S1", "name": "N", "region": "R"}


def test_records_object_with_other_members_and_an_odd_key() -> None:
    feed, rows = parse(
        b'{"generated": "2026-11-24", "meta": {"records": 5}, " Records ": ['
        b'{"Store ID": "S1", "NAME": "N", "region": "R"}], "count": 1}',
        "stores",
    )
    assert rows == [STORE]
    assert feed.fields == ("store_id", "name", "region")


@pytest.mark.parametrize(
    "body",
    [
        b'{"data": []}',
        b"{}",
        b'{"records": {"store_id": "S1"}}',
        b'{"records": 5}',
        b'"store_id"',
        b"42",
        b"null",
    ],
)
def test_documents_that_are_not_records_are_rejected(body: bytes) -> None:
    assert rejected(body, "stores", fmt="json") == (
        'a JSON document that is neither an array of records nor {"records": [...]}'
    )


def test_an_array_of_non_objects_is_rejected() -> None:
    reason = rejected(b'[["S1", "N", "R"], ["S2", "N", "R"]]', "stores")
    assert reason == (
        "the JSON records are not objects with fields; "
        'expected [{"store_id": ...}, ...] or {"records": [...]}'
    )


def test_two_records_members_are_rejected() -> None:
    reason = rejected(b'{"records": [], "RECORDS": []}', "stores")
    assert reason == 'the JSON object has more than one "records" member'


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            b'[{"store_id": "S1",}]',
            # Python's own words, which 3.13 made clearer.
            "not valid JSON: Illegal trailing comma before end of object"
            if sys.version_info >= (3, 13)
            else "not valid JSON: Expecting property name enclosed in double",
        ),
        (b'[{"store_id": "S1"} {"store_id": "S2"}]', "not valid JSON: Expecting ',' or ']'"),
        (b'[{"store_id": "S1"},]', "not valid JSON: Expecting value at line 1 column 21"),
        (b'[{"store_id": "S1"}', "not valid JSON: Expecting ',' or ']'"),
        (b'[{"store_id": "S1', "not valid JSON: Unterminated string"),
        (b'[{"a": 1}] [2]', "not valid JSON: Extra data after the end of the document at line 1"),
        (b'{"records": [] x', "not valid JSON: Expecting ',' or '}'"),
        (b"[\n\n  {'a': 1}]", "not valid JSON: Expecting property name enclosed in double quotes"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON: values nested too deeply"),
    ],
)
def test_invalid_json_is_rejected(body: bytes, reason: str) -> None:
    assert rejected(body, "stores").startswith(reason)


def test_invalid_json_names_the_line_of_the_error() -> None:
    body = (
        b"[\n" + b'{"store_id": "S1", "name": "N", "region": "R"},\n' * 3 + b'{"store_id" "S2"}\n]'
    )
    assert rejected(body, "stores") == (
        "not valid JSON: Expecting ':' delimiter at line 5 column 13"
    )


def test_every_record_lacking_a_required_field_rejects_the_feed() -> None:
    reason = rejected(
        b'[{"store_id": "S1", "name": "N"}, {"store_id": "S2", "name": "M", "area": "R"}]',
        "stores",
    )
    assert (
        reason == "every record lacks the required field region; fields found: store_id, name, area"
    )
    reason = rejected(b"[{}]", "stores")
    assert reason == (
        "every record lacks the required fields store_id, name, region; fields found: none"
    )


def test_some_records_lacking_a_required_field_are_bad_rows() -> None:
    feed, rows = parse(
        b'[{"store_id": "S1", "name": "N", "region": "R"},'
        b' {"store_id": "S2", "name": "M"},'
        b' {"store_id": "S3", "name": "O", "region": null},'
        b' {"store_id": "S4", "name": "P", "region": "  "}]',
        "stores",
    )
    assert rows == [STORE]
    assert bad(feed) == [
        (2, "region", "region is missing"),
        (3, "region", "region is empty"),
        (4, "region", "region is empty"),
    ]


def test_two_keys_for_one_field_in_a_record_reject_the_feed() -> None:
    reason = rejected(
        b'[{"store_id": "S1", "Store ID": "S2", "name": "N", "region": "R"}]', "stores"
    )
    assert (
        reason
        == "record 1 has both 'store_id' and 'Store ID', which both mean store_id: keep only one"
    )


def test_records_may_spell_keys_differently() -> None:
    _, rows = parse(
        b'[{"store_id": "S1", "name": "N", "region": "R"},'
        b' {"Store-ID": "S2", "Name": "M", "REGION": "R"}]',
        "stores",
    )
    assert [r["store_id"] for r in rows] == ["S1", "S2"]


def test_record_index_is_the_line_and_non_objects_are_bad_rows() -> None:
    feed, rows = parse(
        b'[{"store_id": "S1", "date": "2026-11-24", "metric": "m", "value": 1},'
        b' 5, "text", null, [1], true,'
        b' {"store_id": "S1", "date": "11/17/2026", "metric": "m", "value": 1},'
        b' {"store_id": "S1", "date": "2026-11-24", "metric": "m", "value": {"v": 1}},'
        b' {"store_id": "S1", "date": "2026-11-24", "metric": "m", "value": "1e309"},'
        b' {"store_id": "S1", "date": "2026-11-24", "metric": "m", "value": true},'
        b' {"store_id": "S1", "date": 20261124, "metric": "m", "value": 1},'
        b' {"store_id": "S1", "date": "2026-11-24", "metric": "m", "value": 1e3}]',
        "metrics",
    )
    assert [r["value"] for r in rows] == [1.0, 1000.0]
    assert bad(feed) == [
        (2, None, "record 2 is a number, not an object"),
        (3, None, "record 3 is text, not an object"),
        (4, None, "record 4 is null, not an object"),
        (5, None, "record 5 is a list, not an object"),
        (6, None, "record 6 is true/false, not an object"),
        (7, "date", "'11/17/2026' is not a date in YYYY-MM-DD form"),
        (8, "value", """'{"v": 1}' is a list or object, not a single value"""),
        (9, "value", "'1e309' is not a finite number"),
        (10, "value", "'true' is true/false, not a value for this field"),
        (11, "date", "'20261124' is not a date in YYYY-MM-DD form"),
    ]
    assert (feed.row_count, feed.reject_count) == (12, 10)


def test_json_non_finite_numbers_are_bad_rows() -> None:
    # Python's json module reads NaN, Infinity and overflowing literals; the contract does not.
    feed, rows = parse(
        b'[{"store_id": "S1", "date": "2026-11-24", "metric": "a", "value": NaN},'
        b' {"store_id": "S1", "date": "2026-11-24", "metric": "b", "value": 1e309},'
        b' {"store_id": "S1", "date": "2026-11-24", "metric": "c", "value": -Infinity},'
        b' {"store_id": "S1", "date": "2026-11-24", "metric": "d", "value": -0.0}]',
        "metrics",
    )
    assert [(r["metric"], str(r["value"])) for r in rows] == [("d", "0.0")]
    assert [(line, field) for line, field, _ in bad(feed)] == [
        (1, "value"),
        (2, "value"),
        (3, "value"),
    ]
    assert bad(feed)[0][2] == "'NaN' is not a finite number"


def test_json_strings_use_the_feeds_decimal_setting() -> None:
    _, rows = parse(
        b'[{"store_id": "S1", "date": "2026-11-24", "metric": "m", "value": "1.234,5"},'
        b' {"store_id": "S1", "date": "2026-11-24", "metric": "n", "value": 2.5}]',
        "metrics",
        decimal=",",
    )
    assert [r["value"] for r in rows] == [1234.5, 2.5]


def test_json_feed_order_is_kept_across_batches() -> None:
    records = [
        {"store_id": "S1", "date": "2026-11-24", "metric": f"m{i}", "value": i} for i in range(11)
    ]
    feed = parse_feed(io.BytesIO(json.dumps(records).encode()), "metrics")
    batches = list(feed.batches(4))
    assert [len(b) for b in batches] == [4, 4, 3]
    assert [r["metric"] for b in batches for r in b] == [f"m{i}" for i in range(11)]


def test_json_in_windows_1252() -> None:
    feed, rows = parse(b'[{"store_id": "S1", "date": "2026-11-24", "text": "caf\xe9"}]', "comments")
    assert rows == [
        {
            "store_id": "S1",
            "day": dt.date(2026, 11, 24),
            "text": "café",
            "rating": None,
            "source": None,
        }
    ]
    assert feed.encoding == "cp1252"


# --- the streaming reader -------------------------------------------------------------------------

DOCUMENT = (
    '  [ {"a": 1, "b": [1, 2.5e3, -0.125, true, false, null], "c": "x\\"y\\u00e9\\n"},\n'
    '    12345678, -9.75e-3, "a string with , and ] and }", true, false, null,\n'
    '    {"nested": {"deep": [{"k": "v"}]}, "empty": {}, "list": []},\n'
    '    [], {}, 0, -0, 1.5, ""  ]  \n'
)


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 16, 1 << 16])
def test_streaming_reads_the_same_values_whatever_the_chunk_size(chunk: int) -> None:
    got = [value for _, value in json_records(io.StringIO(DOCUMENT), chunk_chars=chunk)]
    assert got == json.loads(DOCUMENT)


@pytest.mark.parametrize("chunk", [1, 4, 9, 1 << 16])
def test_streaming_the_records_member(chunk: int) -> None:
    text = '{"x": [1, {"records": 2}], "records": [{"a": 1}, {"b": "]}"}], "y": "z"}'
    got = list(json_records(io.StringIO(text), chunk_chars=chunk))
    assert got == [(1, {"a": 1}), (2, {"b": "]}"})]


@pytest.mark.parametrize("chunk", [1, 3, 1 << 16])
def test_streaming_errors_are_still_errors_with_small_chunks(chunk: int) -> None:
    for text in ('[{"a": 1}, {"a": tru}]', "[1, 2", '[{"a": "b}]', "[1 2]", "[1,]"):
        with pytest.raises(FeedRejected):
            list(json_records(io.StringIO(text), chunk_chars=chunk))


def test_a_record_bigger_than_a_chunk() -> None:
    big = {"store_id": "S1", "name": "x" * 300_000, "region": "R"}
    _, rows = parse(json.dumps([big, STORE]).encode(), "stores")
    assert [len(str(r["name"])) for r in rows] == [300_000, 1]
