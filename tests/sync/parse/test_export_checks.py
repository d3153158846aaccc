"""The export checks' edges that mutation testing found unpinned (docs/mutation.md): split
rows, the first proof of a column's decimal mark, reading again, which kind a file looks
like, and the delimiter chosen by the required fields."""

from __future__ import annotations

import io

import pytest

from sync.errors import FeedRejected, ReadAgain
from sync.parse.feed import ParsedFeed, parse_feed, read_feed
from sync.parse.kinds import looks_like, mixup_reason
from sync.parse.records import choose_delimiter


def read(data: bytes, kind: str = "metrics", **options: object) -> tuple[ParsedFeed, list]:
    """Parse as a pull does, reading again when something is proved late."""
    stream = io.BytesIO(data)
    result: list = []

    def parse(proofs):
        return parse_feed(stream, kind, proofs=proofs, **options)  # type: ignore[arg-type]

    def use(feed: ParsedFeed) -> ParsedFeed:
        result[:] = [row for batch in feed.batches() for row in batch]
        return feed

    return read_feed(parse, use), result


def rejects(feed: ParsedFeed) -> list[tuple[int, str | None, str]]:
    return [(r.line, r.field, r.reason) for r in feed.rejects]


# --- rows split at unquoted commas ----------------------------------------------------------


def test_extra_cells_with_any_text_prove_a_split() -> None:
    # The note's comma split it; one of the extra cells is empty, one is not.
    feed, rows = read(
        b"store_id,date,metric,value\n"
        b"S001,2026-11-17,sales,12,great day,,\n"
        b"S001,2026-11-18,sales,13\n"
    )
    assert [r["value"] for r in rows] == [13.0]
    assert [(line, reason[:26]) for line, _, reason in rejects(feed)] == [
        (2, "5 cells, the header has 4:")
    ]


def test_a_row_after_the_proof_with_empty_extra_cells_is_bad() -> None:
    feed, rows = read(
        b"store_id,date,metric,value,note\n"
        b"S001,2026-11-18,sales,$12,345.50,big day\n"  # 2: proves the file was split
        b"S001,2026-11-17,sales,$1,500.00,\n"  # 3: $1 and 500.00, its note empty
        b"S001,2026-11-17,units,12,\n"  # 4: as many cells as the header
    )
    assert [r["value"] for r in rows] == [12.0]
    assert [(line, field) for line, field, _ in rejects(feed)] == [(2, None), (3, None)]
    assert feed.rejects[1].reason.startswith(
        "6 cells, the header has 5, and line 2 shows values split at unquoted commas"
    )


# --- the first value that proves a column's decimal mark ------------------------------------


def test_the_first_proof_of_the_other_mark_is_the_one_named() -> None:
    feed, rows = read(
        b"store_id,date,metric,value\n"
        b'S001,2026-11-16,sales,"4,5"\n'  # 2: proves decimal ","
        b'S001,2026-11-17,sales,"7,5"\n'  # 3: proves it again
        b"S001,2026-11-18,sales,1.500\n"  # 4: 1.5 or 1500? refused, naming line 2
    )
    assert rows == []
    assert rejects(feed)[2] == (
        4,
        "value",
        "'1.500' would read as 1.5, but '4,5' (line 2) in this column only reads with "
        "decimal ',': set decimal = \",\" for this feed",
    )


def test_reading_again_without_learning_anything_stops() -> None:
    parsed: list[dict] = []

    def parse(proofs):
        parsed.append(dict(proofs))
        return proofs

    def use(_feed):
        if len(parsed) > 2:
            raise AssertionError("read the feed again and again")
        raise ReadAgain({"value": ("4,5", 4)})

    with pytest.raises(RuntimeError, match="read again without learning anything new"):
        read_feed(parse, use)
    assert parsed == [{}, {"value": ("4,5", 4)}]


# --- which kind a file looks like -----------------------------------------------------------

METRICS_WITH_TARGET_NAMES = ["store_id", "date", "metric", "value", "period", "start"]


def test_looks_like_counts_any_other_kind_unless_asked_to_explain_its_own_key() -> None:
    # Two extra columns named like a target's: a targets file, by the names alone, but it has
    # the metrics key's `date`, which a targets file never has.
    assert looks_like("metrics", METRICS_WITH_TARGET_NAMES) == ("targets", ("period", "start"))
    assert looks_like("metrics", METRICS_WITH_TARGET_NAMES, explains_own=True) is None


def test_a_kind_skipped_for_not_explaining_the_key_does_not_end_the_search() -> None:
    # A metrics file with the stores fields too: the catalog's key (metric) is there but the
    # catalog has no store_id, so it is skipped; the metrics kind explains everything.
    names = ["store_id", "name", "region", "date", "metric", "value"]
    assert looks_like("stores", names, explains_own=True) == ("metrics", ("date", "metric"))


def test_the_kind_with_the_longest_key_wins_and_the_first_of_a_tie() -> None:
    # metrics (3 key fields) over stores (1), found after it.
    names = ["store_id", "date", "metric", "value"]
    assert looks_like("catalog", names) == ("metrics", ("store_id", "date"))
    # metrics and comments both have three key fields: metrics comes first.
    names = ["store_id", "date", "metric", "text"]
    assert looks_like("targets", names) == ("metrics", ("date",))


def test_a_key_of_one_field_is_enough() -> None:
    assert looks_like("stores", ["metric"]) == ("catalog", ("metric",))
    assert looks_like("stores", ["metric", "label", "unit"]) == ("catalog", ("metric",))


def test_the_mixup_reason_names_the_telling_columns() -> None:
    assert mixup_reason("stores", ["metric", "label"], explains_own=False) == (
        "this looks like a catalog feed (it has metric column), not a stores feed: check the "
        "feed's url and kind"
    )
    assert mixup_reason("catalog", ["store_id", "date", "metric", "value"]) == (
        "this looks like a metrics feed (it has store_id and date columns), not a catalog "
        "feed: check the feed's url and kind"
    )
    assert mixup_reason("catalog", ["metric", "label"]) is None


def test_a_catalog_file_at_the_stores_url_is_named_in_the_missing_fields_reason() -> None:
    with pytest.raises(FeedRejected) as err:
        read(b"metric,label\nsales,Sales\n", "stores")
    assert err.value.reason.endswith(
        "this looks like a catalog feed (it has metric column), not a stores feed: check the "
        "feed's url and kind"
    )


# --- the delimiter ----------------------------------------------------------------------------


def test_the_delimiter_that_holds_the_required_fields_wins_over_the_most_common() -> None:
    # More commas than semicolons, all inside one column name of a semicolon export.
    header = "store_id;metric;value;Notes (store, region, day, week, month)\n"
    assert choose_delimiter(header, ("store_id", "metric", "value")) == ";"
    assert choose_delimiter(header) == ","  # nothing required: the most common
    feed, rows = read((header.replace("metric;", "date;metric;")).encode() + b"S1;2026-11-16;m;4\n")
    assert ([r["value"] for r in rows], feed.delimiter) == ([4.0], ";")
