"""Never a silently wrong number: the export mistakes HQ analysts make, at the parser.

Each case is a real mistake (an unquoted export, a European file read with decimal ".", a
metrics file served as the catalog, a comma in a column name of a semicolon export, a Polish
code page) and must end as a bad row or a rejected feed with a reason that says what fixes it,
or read correctly where the contract accepts it.
"""

from __future__ import annotations

import io

import pytest

from sync.errors import FeedRejected, ReadAgain
from sync.parse.feed import ParsedFeed, parse_feed, read_feed
from sync.parse.records import choose_delimiter


def read(data: bytes, kind: str = "metrics", **options: object) -> tuple[ParsedFeed, list]:
    """Parse as a pull does, reading again when a decimal mark is proved late."""
    stream = io.BytesIO(data)
    result: list = []

    def parse(proofs):
        return parse_feed(stream, kind, proofs=proofs, **options)

    def use(feed: ParsedFeed) -> ParsedFeed:
        result[:] = [row for batch in feed.batches() for row in batch]
        return feed

    return read_feed(parse, use), result


def bad(feed: ParsedFeed) -> list[tuple[int, str | None]]:
    return [(r.line, r.field) for r in feed.rejects]


# --- an unquoted export: more cells than the header ---------------------------------------------


def test_an_unquoted_comma_makes_a_bad_row_not_a_cut_number() -> None:
    feed, rows = read(
        b"store_id,date,metric,value\n"
        b"S001,2026-11-17,sales,$12,345.50\n"  # LibreOffice with the text delimiter cleared
        b"S001,2026-11-18,sales,1,234,567\n"
        b"S001,2026-11-19,sales,12\n"
    )
    assert [r["value"] for r in rows] == [12.0]
    assert bad(feed) == [(2, None), (3, None)]
    assert feed.rejects[0].reason.startswith("5 cells, the header has 4: an unquoted comma")
    assert "Quote the field" in feed.rejects[0].reason
    assert feed.rejects[1].reason.startswith("6 cells, the header has 4")


def test_a_comment_cut_at_its_comma_is_a_bad_row() -> None:
    feed, rows = read(
        b"store_id,date,text,rating\nS001,2026-11-17,Great staff, fast checkout,5\n", "comments"
    )
    assert rows == []
    assert bad(feed) == [(2, None)]


def test_semicolon_export_names_the_semicolon() -> None:
    feed, _ = read(b"store_id;date;metric;value\nS001;2026-11-17;sales;12;345\n")
    assert "an unquoted semicolon inside a value" in feed.rejects[0].reason


def test_empty_trailing_cells_are_fine() -> None:
    feed, rows = read(b"store_id,date,metric,value\nS001,2026-11-17,sales,12,,,\n")
    assert ([r["value"] for r in rows], feed.rejects) == ([12.0], [])


UNQUOTED_WITH_EMPTY_NOTES = (
    b"store_id,date,metric,value,note\n"
    b"S001,2026-11-17,sales,$1,500.00,\n"  # 2: reads as $1 and a note of 500.00
    b"S001,2026-11-17,units,12,\n"  # 3: plain, its note empty
    b"S001,2026-11-18,sales,$12,345.50,big day\n"  # 4: proves the file was split
)


def test_once_a_row_proves_values_were_split_rows_with_empty_extra_cells_are_bad_too() -> None:
    feed, rows = read(UNQUOTED_WITH_EMPTY_NOTES)
    # $1,500.00 is never stored as 1, though it came before the proof (read again); a row
    # with as many cells as the header is read as usual.
    assert [r["value"] for r in rows] == [12.0]
    assert bad(feed) == [(2, None), (4, None)]
    assert feed.rejects[0].reason.startswith(
        "6 cells, the header has 5, and line 4 shows values split at unquoted commas"
    )


def test_a_split_proof_after_padded_rows_reads_the_feed_again() -> None:
    feed = parse_feed(io.BytesIO(UNQUOTED_WITH_EMPTY_NOTES), "metrics")
    with pytest.raises(ReadAgain) as again:
        list(feed.batches())
    assert again.value.proofs == {"": ("", 4)}


# --- one decimal mark per column -----------------------------------------------------------------

GERMAN = (
    b"store_id,date,metric,value\n"
    b'S001,2026-11-16,sales,"4,125"\n'  # 2: 4125 or 4.125? depends on the mark
    b"S001,2026-11-17,sales,7\n"  # 3: the same either way
    b'S001,2026-11-18,sales,"4,5"\n'  # 4: only reads with decimal ","
    b"S001,2026-11-19,sales,1.500\n"  # 5: 1.5 or 1500? depends on the mark
    b"S001,2026-11-20,sales,2.75\n"  # 6: only reads with decimal "."
)


def test_a_column_proved_to_use_commas_refuses_every_value_whose_meaning_depends_on_it() -> None:
    feed, rows = read(GERMAN)
    # 4,125 is never stored as 4125 (the x1000 of the issue), though it came before the proof.
    assert [r["value"] for r in rows] == [7.0, 2.75]
    assert bad(feed) == [(2, "value"), (4, "value"), (5, "value")]
    reasons = [r.reason for r in feed.rejects]
    assert reasons[0] == (
        "'4,125' would read as 4125, but '4,5' (line 4) in this column only reads with "
        "decimal ',': set decimal = \",\" for this feed"
    )
    assert reasons[1].startswith("'4,5' only reads as a number with decimal ','")
    assert reasons[2].startswith("'1.500' would read as 1.5, but '4,5' (line 4)")


def test_the_same_file_with_the_right_setting_reads_every_value() -> None:
    feed, rows = read(GERMAN.replace(b"2.75", b'"2,75"'), decimal=",")
    assert [r["value"] for r in rows] == [4.125, 7.0, 4.5, 1500.0, 2.75]
    assert feed.rejects == []


def test_a_proof_after_an_ambiguous_value_reads_the_feed_again() -> None:
    stream = io.BytesIO(GERMAN)
    feed = parse_feed(stream, "metrics")
    with pytest.raises(ReadAgain) as again:
        list(feed.batches())
    assert again.value.proofs == {"value": ("4,5", 4)}


def test_a_comma_feed_proved_to_use_points_says_so() -> None:
    feed, rows = read(
        b"store_id;date;metric;value\nS001;2026-11-16;m;1.500\nS001;2026-11-17;m;4.5\n",
        decimal=",",
    )
    assert rows == []
    assert feed.rejects[0].reason == (
        "'1.500' would read as 1500, but '4.5' (line 3) in this column only reads with "
        "decimal '.': set decimal = \".\" for this feed"
    )


def test_grouped_us_numbers_without_proof_read_as_grouped() -> None:
    # A US export: 12,345 is twelve thousand; no value of the column says otherwise.
    feed, rows = read(b'store_id,date,metric,value\nS001,2026-11-16,m,"12,345"\n')
    assert ([r["value"] for r in rows], feed.rejects) == ([12345.0], [])


def test_columns_are_judged_apart() -> None:
    # A rating column proved to use commas says nothing about another feed's numbers.
    feed, rows = read(
        b'store_id,date,text,rating\nS001,2026-11-16,ok,"4,5"\nS001,2026-11-16,fine,4\n',
        "comments",
    )
    assert [r["rating"] for r in rows] == [4.0]
    assert bad(feed) == [(2, "rating")]


# --- spreadsheet number forms --------------------------------------------------------------------


def test_spreadsheet_number_forms_read_right() -> None:
    _, rows = read(
        "store_id;date;metric;value\n"
        "S001;2026-11-16;a;(1.234,50)\n"
        "S001;2026-11-16;b;1,2E+06\n"
        "S001;2026-11-16;c;1.234,50 €\n"
        "S001;2026-11-16;d;1\u00a0234,50\n"
        "S001;2026-11-16;e;12\u202f345\n".encode(),
        decimal=",",
    )
    assert [r["value"] for r in rows] == [-1234.5, 1200000.0, 1234.5, 1234.5, 12345.0]


# --- a feed served at another kind's URL ---------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "kind", "looks_like"),
    [
        (b"store_id,date,metric,value\nS001,2026-11-16,sales,12\n", "catalog", "metrics"),
        (
            b"store_id,metric,period,start,target\nS001,sales,day,2026-11-16,5\n",
            "catalog",
            "targets",
        ),
        (b"store_id,date,metric,value\nS001,2026-11-16,sales,12\n", "stores", "metrics"),
        (
            b'[{"store_id": "S001", "date": "2026-11-16", "metric": "m", "value": 1}]',
            "catalog",
            "metrics",
        ),
    ],
)
def test_another_kinds_file_is_rejected_whole_naming_that_kind(
    body: bytes, kind: str, looks_like: str
) -> None:
    with pytest.raises(FeedRejected) as err:
        read(body, kind)
    assert f"this looks like a {looks_like} feed" in err.value.reason
    assert f"not a {kind} feed" in err.value.reason


def test_a_missing_field_names_the_kind_the_file_looks_like() -> None:
    with pytest.raises(FeedRejected) as err:
        read(b"store_id,metric,period,start,target\nS001,sales,day,2026-11-16,5\n", "metrics")
    assert "lacks the required fields date, value" in err.value.reason
    assert "this looks like a targets feed" in err.value.reason


def test_a_metrics_feed_with_extra_columns_is_not_a_mixup() -> None:
    feed, rows = read(b"store_id,date,metric,value,period,start\nS001,2026-11-16,m,1,day,x\n")
    assert len(rows) == 1 and feed.rejects == []


# --- the delimiter is the one under which the header holds the required fields -------------------


def test_commas_inside_a_column_name_do_not_pick_the_comma() -> None:
    header = "store_id;date;metric;value;Notes (store, region, day, week)\n"
    assert choose_delimiter(header, ("store_id", "date", "metric", "value")) == ";"
    feed, rows = read((header + "S001;2026-11-16;m;4,5;a, b\n").encode(), decimal=",")
    assert ([r["value"] for r in rows], feed.delimiter) == ([4.5], ";")


def test_without_a_header_that_fits_the_most_common_delimiter_is_kept() -> None:
    assert choose_delimiter("a;b;c,d\n", ("x",)) == ";"
    assert choose_delimiter("a,b;c\n", ("x",)) == ","  # a tie: comma first


# --- encodings -----------------------------------------------------------------------------------

POLISH = "store_id,date,text\nS001,2026-11-16,Zażółć gęślą jaźń\n".encode("cp1250")


def test_a_named_code_page_reads_polish_right() -> None:
    feed, rows = read(POLISH, "comments", encoding="cp1250")
    assert (rows[0]["text"], feed.encoding) == ("Zażółć gęślą jaźń", "cp1250")


def test_without_the_setting_the_encoding_used_is_named() -> None:
    feed, rows = read(POLISH, "comments")
    assert feed.encoding == "cp1252"  # what status and feeds check show
    assert rows[0]["text"] != "Zażółć gęślą jaźń"


def test_utf8_wins_over_a_named_code_page() -> None:
    feed, rows = read(
        "store_id,date,text\nS001,2026-11-16,Zażółć\n".encode(), "comments", encoding="cp1250"
    )
    assert (rows[0]["text"], feed.encoding) == ("Zażółć", "utf-8")


# --- where a bad JSON record is ------------------------------------------------------------------


def test_json_bad_rows_say_record_not_line() -> None:
    feed, _ = read(
        b'[{"store_id": "S1", "date": "2026-11-16", "metric": "m", "value": 1},\n'
        b' {"store_id": "S1", "date": "x", "metric": "m", "value": 1}]'
    )
    assert str(feed.rejects[0]).startswith("record 2, field date:")
    assert feed.rejects[0].as_dict()["unit"] == "record"
