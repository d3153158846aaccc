"""Feed bytes to rows: every kind in CSV and JSON, spreadsheet quirks, bad rows, rejections."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from sync.errors import FeedRejected, Reject
from sync.parse.feed import ParsedFeed, parse_feed
from sync.spec import FeedKind

D = dt.date


def parse(data: bytes, kind: FeedKind, **options: object) -> tuple[ParsedFeed, list[dict]]:
    """Parse `data` as a feed of `kind` and read all its valid rows."""
    feed = parse_feed(io.BytesIO(data), kind, **options)  # type: ignore[arg-type]
    rows = [row for batch in feed.batches() for row in batch]
    return feed, rows


def bad(feed: ParsedFeed) -> list[tuple[int, str | None, str]]:
    return [(r.line, r.field, r.reason) for r in feed.rejects]


def rejected(data: bytes, kind: FeedKind, **options: object) -> str:
    """The reason `data` is rejected whole (up front or while reading its rows)."""
    with pytest.raises(FeedRejected) as err:
        parse(data, kind, **options)
    return err.value.reason


# --- every kind, CSV and JSON -----------------------------------------------------------------


def test_metrics_csv() -> None:
    feed, rows = parse(
        b"store_id,date,metric,value\nS001,2026-11-23,sales,1234.5\nS002,2026-11-24,nps,-3\n",
        "metrics",
    )
    assert rows == [
        {"store_id": "S001", "day": D(2026, 11, 23), "metric": "sales", "value": 1234.5},
        {"store_id": "S002", "day": D(2026, 11, 24), "metric": "nps", "value": -3.0},
    ]
    assert (feed.kind, feed.format, feed.delimiter, feed.encoding) == (
        "metrics",
        "csv",
        ",",
        "utf-8",
    )
    assert feed.fields == ("store_id", "date", "metric", "value")
    assert (feed.row_count, feed.reject_count, feed.rejects) == (2, 0, [])


def test_metrics_json() -> None:
    feed, rows = parse(
        b'[{"store_id": "S001", "date": "2026-11-23", "metric": "sales", "value": 1234.5},'
        b' {"store_id": 7, "date": "2026-11-24", "metric": "nps", "value": "$1,000"}]',
        "metrics",
    )
    assert rows == [
        {"store_id": "S001", "day": D(2026, 11, 23), "metric": "sales", "value": 1234.5},
        {"store_id": "7", "day": D(2026, 11, 24), "metric": "nps", "value": 1000.0},
    ]
    assert (feed.format, feed.delimiter, feed.row_count, feed.reject_count) == ("json", None, 2, 0)
    assert feed.fields == ("store_id", "date", "metric", "value")


CATALOG_CSV = (
    b"metric,label,unit,perspective,direction,aggregate,decimals,entry\n"
    b"sales,Store sales,$,Financial,up,sum,0,no\n"
    b"nps,,,Customer,DOWN,Mean,1,yes\n"
    b"shrink,Shrink,%,Internal Process,down,last,2,Y\n"
    b"training,Training hours,h,learning and growth,,,,\n"
    b"audit,Audit,,learning_growth,up,sum,0,0\n"
    b"ops,Ops,,internal_process,up,sum,0,TRUE\n"
)
CATALOG_ROWS = [
    {
        "metric": "sales",
        "label": "Store sales",
        "unit": "$",
        "perspective": "financial",
        "direction": "up",
        "aggregate": "sum",
        "decimals": 0,
        "entry": False,
        "position": 0,
    },
    {
        "metric": "nps",
        "label": "nps",
        "unit": "",
        "perspective": "customer",
        "direction": "down",
        "aggregate": "mean",
        "decimals": 1,
        "entry": True,
        "position": 1,
    },
    {
        "metric": "shrink",
        "label": "Shrink",
        "unit": "%",
        "perspective": "process",
        "direction": "down",
        "aggregate": "last",
        "decimals": 2,
        "entry": True,
        "position": 2,
    },
    {
        "metric": "training",
        "label": "Training hours",
        "unit": "h",
        "perspective": "learning",
        "direction": "up",
        "aggregate": "sum",
        "decimals": 0,
        "entry": False,
        "position": 3,
    },
    {
        "metric": "audit",
        "label": "Audit",
        "unit": "",
        "perspective": "learning",
        "direction": "up",
        "aggregate": "sum",
        "decimals": 0,
        "entry": False,
        "position": 4,
    },
    {
        "metric": "ops",
        "label": "Ops",
        "unit": "",
        "perspective": "process",
        "direction": "up",
        "aggregate": "sum",
        "decimals": 0,
        "entry": True,
        "position": 5,
    },
]


def test_catalog_csv_with_defaults_and_aliases() -> None:
    feed, rows = parse(CATALOG_CSV, "catalog")
    assert rows == CATALOG_ROWS
    assert feed.reject_count == 0


def test_catalog_with_only_the_metric_column_gets_every_default() -> None:
    _, rows = parse(b"Metric\nsales\n", "catalog")
    assert rows == [
        {
            "metric": "sales",
            "label": "sales",
            "unit": "",
            "perspective": "financial",
            "direction": "up",
            "aggregate": "sum",
            "decimals": 0,
            "entry": False,
            "position": 0,
        }
    ]


def test_catalog_position_counts_good_rows_only() -> None:
    feed, rows = parse(b"metric,direction\na,up\nb,sideways\nc,down\n", "catalog")
    assert [(r["metric"], r["position"]) for r in rows] == [("a", 0), ("c", 1)]
    assert bad(feed) == [
        (3, "direction", "'sideways' is not a valid direction; use one of: up, down")
    ]


def test_catalog_json() -> None:
    feed, rows = parse(
        b'[{"metric": "sales", "label": "Store sales", "unit": "$", "decimals": 0},'
        b' {"Metric": "nps", "perspective": "Internal Process", "entry": true, "decimals": 1.0,'
        b'  "label": null}]',
        "catalog",
    )
    assert rows == [
        {
            "metric": "sales",
            "label": "Store sales",
            "unit": "$",
            "perspective": "financial",
            "direction": "up",
            "aggregate": "sum",
            "decimals": 0,
            "entry": False,
            "position": 0,
        },
        {
            "metric": "nps",
            "label": "nps",
            "unit": "",
            "perspective": "process",
            "direction": "up",
            "aggregate": "sum",
            "decimals": 1,
            "entry": True,
            "position": 1,
        },
    ]
    assert feed.fields == ("metric", "label", "unit", "decimals", "perspective", "entry")


TARGETS_CSV = (
    b"store_id,metric,period,start,target\n"
    b"S001,sales,day,2026-11-18,5000\n"
    b"S001,sales,Week,2026-11-23,35000\n"
    b"S001,sales,MONTH,2026-11-01,150000\n"
)
TARGETS_ROWS = [
    {
        "store_id": "S001",
        "metric": "sales",
        "period": "day",
        "start": D(2026, 11, 18),
        "target": 5000.0,
    },
    {
        "store_id": "S001",
        "metric": "sales",
        "period": "week",
        "start": D(2026, 11, 23),
        "target": 35000.0,
    },
    {
        "store_id": "S001",
        "metric": "sales",
        "period": "month",
        "start": D(2026, 11, 1),
        "target": 150000.0,
    },
]


def test_targets_csv() -> None:
    feed, rows = parse(TARGETS_CSV, "targets")
    assert rows == TARGETS_ROWS
    assert feed.reject_count == 0


def test_targets_json() -> None:
    _, rows = parse(
        b'{"records": ['
        b'{"store_id": "S001", "metric": "sales", "period": "day", "start": "2026-11-18",'
        b' "target": 5000},'
        b'{"store_id": "S001", "metric": "sales", "period": "Week", "start": "2026-11-23",'
        b' "target": "35,000"},'
        b'{"store_id": "S001", "metric": "sales", "period": "month", "start": "2026-11-01",'
        b' "target": 1.5e5}'
        b"]}",
        "targets",
    )
    assert rows == TARGETS_ROWS


def test_comments_csv_and_json() -> None:
    csv_feed, csv_rows = parse(
        b"store_id,date,text,rating,source\n"
        b'S001,2026-11-24,"Great service, thanks!",5,survey\n'
        b"S001,2026-11-24,Slow checkout,,\n"
        b"S001,2026-11-23,ok,4.5, \n",
        "comments",
    )
    expected = [
        {
            "store_id": "S001",
            "day": D(2026, 11, 24),
            "text": "Great service, thanks!",
            "rating": 5.0,
            "source": "survey",
        },
        {
            "store_id": "S001",
            "day": D(2026, 11, 24),
            "text": "Slow checkout",
            "rating": None,
            "source": None,
        },
        {"store_id": "S001", "day": D(2026, 11, 23), "text": "ok", "rating": 4.5, "source": None},
    ]
    assert csv_rows == expected
    assert csv_feed.reject_count == 0
    _, json_rows = parse(
        b'[{"store_id": "S001", "date": "2026-11-24", "text": "Great service, thanks!",'
        b'  "rating": 5, "source": "survey"},'
        b' {"store_id": "S001", "date": "2026-11-24", "text": "Slow checkout", "rating": null},'
        b' {"store_id": "S001", "date": "2026-11-23", "text": "ok", "rating": "4.5",'
        b'  "source": ""}]',
        "comments",
    )
    assert json_rows == expected


MESSAGES_ROWS = [
    {
        "store_id": "*",
        "start": D(2026, 11, 1),
        "end": None,
        "title": "Welcome",
        "kind": "news",
        "body": "",
    },
    {
        "store_id": "S001",
        "start": D(2026, 11, 20),
        "end": D(2026, 11, 30),
        "title": "Thank you, Ana",
        "kind": "recognition",
        "body": "For the spotless floor.",
    },
]


def test_messages_csv() -> None:
    feed, rows = parse(
        b"store_id,start,end,title,kind,body\n"
        b"*,2026-11-01,,Welcome,,\n"
        b'S001,2026-11-20,2026-11-30,"Thank you, Ana",Recognition,For the spotless floor.\n',
        "messages",
    )
    assert rows == MESSAGES_ROWS
    assert feed.reject_count == 0


def test_messages_json() -> None:
    _, rows = parse(
        b'[{"store_id": "*", "start": "2026-11-01", "title": "Welcome"},'
        b' {"store_id": "S001", "start": "2026-11-20", "end": "2026-11-30",'
        b'  "title": "Thank you, Ana", "kind": "recognition", "body": "For the spotless floor."}]',
        "messages",
    )
    assert rows == MESSAGES_ROWS


def test_stores_csv_and_json() -> None:
    expected = [
        {"store_id": "S001", "name": "Downtown", "region": "North"},
        {"store_id": "S002", "name": "Mall", "region": "North"},
    ]
    _, csv_rows = parse(b"store_id,name,region\nS001,Downtown,North\nS002, Mall ,North\n", "stores")
    assert csv_rows == expected
    _, json_rows = parse(
        b'[{"store_id": "S001", "name": "Downtown", "region": "North"},'
        b' {"store_id": "S002", "name": "Mall", "region": "North"}]',
        "stores",
    )
    assert json_rows == expected


# --- spreadsheet exports ----------------------------------------------------------------------


def test_utf8_bom() -> None:
    feed, rows = parse(b"\xef\xbb\xbfstore_id,name,region\nS001,Caf\xc3\xa9,North\n", "stores")
    assert rows == [{"store_id": "S001", "name": "Café", "region": "North"}]
    assert (feed.fields[0], feed.encoding) == ("store_id", "utf-8-sig")  # status names the BOM


def test_utf8_bom_before_json() -> None:
    _, rows = parse(b'\xef\xbb\xbf[{"store_id": "S1", "name": "N", "region": "R"}]', "stores")
    assert rows == [{"store_id": "S1", "name": "N", "region": "R"}]


def test_windows_1252_when_not_utf8() -> None:
    feed, rows = parse(b"store_id,date,text\nS001,2026-11-24,caf\xe9 \x93great\x94\n", "comments")
    assert rows[0]["text"] == "café “great”"
    assert feed.encoding == "cp1252"


def test_windows_1252_euro_sign_in_a_number() -> None:
    _, rows = parse(b"store_id,date,metric,value\nS1,2026-11-24,sales,\x8012.50\n", "metrics")
    assert rows[0]["value"] == 12.5


def test_windows_1252_decided_by_the_whole_file() -> None:
    # The only non-UTF-8 byte is past the first megabyte: the first rows must not be read as
    # UTF-8 and the rest as something else.
    filler = b"".join(b"S%05d,2026-11-24,plain\n" % i for i in range(60_000))
    data = (
        b"store_id,date,text\nS000,2026-11-24,na\xefve\n" + filler + b"S999,2026-11-24,\xe9t\xe9\n"
    )
    assert len(data) > 1_100_000
    feed, rows = parse(data, "comments")
    assert feed.encoding == "cp1252"
    assert (rows[0]["text"], rows[-1]["text"]) == ("naïve", "été")
    assert len(rows) == 60_002


def test_utf8_multibyte_characters_across_read_boundaries() -> None:
    # 'é' (2 bytes) and '€' (3 bytes) on rows past the 8 KB sniff and the 1 MB chunk sizes, so
    # some character is cut by a chunk boundary.
    row = b"S1,2026-11-24," + ("é€" * 33).encode() + b"\n"
    feed, rows = parse(b"store_id,date,text\n" + row * 10_000, "comments")
    assert feed.encoding == "utf-8"
    assert len(rows) == 10_000
    assert {r["text"] for r in rows} == {"é€" * 33}


def test_semicolon_with_decimal_comma() -> None:
    feed, rows = parse(
        b"store_id;date;metric;value\nS1;2026-11-24;sales;1.234,5\nS1;2026-11-24;nps;4,5\n",
        "metrics",
        decimal=",",
    )
    assert [r["value"] for r in rows] == [1234.5, 4.5]
    assert feed.delimiter == ";"


def test_semicolon_with_quoted_comma_in_the_header() -> None:
    feed, rows = parse(
        b'store_id;"name, long";region;name\nS1;x;North;Downtown\n',
        "stores",
    )
    assert feed.delimiter == ";"
    assert rows == [{"store_id": "S1", "name": "Downtown", "region": "North"}]


def test_tab_delimiter() -> None:
    feed, rows = parse(b"store_id\tname\tregion\nS1\tDown, town\tNorth\n", "stores")
    assert feed.delimiter == "\t"
    assert rows == [{"store_id": "S1", "name": "Down, town", "region": "North"}]


@pytest.mark.parametrize("newline", [b"\r\n", b"\n", b"\r"])
def test_line_endings(newline: bytes) -> None:
    data = newline.join(
        [b"store_id,name,region", b"S1,A,North", b"", b"S2,,North", b"S3,C,North", b""]
    )
    feed, rows = parse(data, "stores")
    assert [r["store_id"] for r in rows] == ["S1", "S3"]
    assert [r["region"] for r in rows] == ["North", "North"]
    assert bad(feed) == [(4, "name", "name is empty")]


def test_quoted_fields_with_newlines_and_quotes_keep_physical_line_numbers() -> None:
    data = (
        b"store_id,date,text\r\n"  # line 1
        b'S1,2026-11-24,"She said ""wow""\r\nand left\r\nhappy"\r\n'  # lines 2-4
        b"S1,11/17/2026,late\r\n"  # line 5
        b'S1,2026-11-24,"two\nlines"\r\n'  # lines 6-7
        b"S1,,empty date\r\n"  # line 8
    )
    feed, rows = parse(data, "comments")
    assert [r["text"] for r in rows] == ['She said "wow"\r\nand left\r\nhappy', "two\nlines"]
    assert bad(feed) == [
        (5, "date", "'11/17/2026' is not a date in YYYY-MM-DD form"),
        (8, "date", "date is empty"),
    ]


def test_blank_lines_and_delimiter_only_rows_are_skipped_silently() -> None:
    data = (
        b"\n"  # 1
        b",,,\n"  # 2
        b"store_id,date,metric,value\n"  # 3: the header, after blank lines
        b"\n"  # 4
        b"S1,2026-11-24,sales,1\n"  # 5
        b",,,,\n"  # 6
        b"   \n"  # 7
        b" , , , \n"  # 8
        b"S1,2026-11-24,nps,x\n"  # 9
        b"S1,2026-11-24,units,2\n"  # 10
        b",,,\n,,,\n\n\n"
    )
    feed, rows = parse(data, "metrics")
    assert [r["metric"] for r in rows] == ["sales", "units"]
    assert (feed.row_count, feed.reject_count) == (3, 1)
    assert bad(feed) == [(9, "value", "'x' is not a number")]


def test_odd_header_names_and_extra_columns() -> None:
    feed, rows = parse(
        b"Notes, Store ID ,DATE,,Metric-Name,metric,VALUE,Store--Region\n"
        b"hello,S1,2026-11-24,,x,sales,5,North\n",
        "metrics",
    )
    assert rows == [{"store_id": "S1", "day": D(2026, 11, 24), "metric": "sales", "value": 5.0}]
    assert feed.fields == (
        "notes",
        "store_id",
        "date",
        "metric_name",
        "metric",
        "value",
        "store_region",
    )


def test_two_columns_for_one_field_reject_the_feed() -> None:
    reason = rejected(b"store_id,Store ID,name,region\nS1,S2,N,R\n", "stores")
    assert reason == "the columns 'store_id' and 'Store ID' both mean store_id: keep only one"


def test_two_columns_for_an_unused_name_are_fine() -> None:
    _, rows = parse(b"store_id,name,region,note,Note\nS1,N,R,a,b\n", "stores")
    assert rows == [{"store_id": "S1", "name": "N", "region": "R"}]


def test_short_rows_have_empty_cells_and_long_rows_are_bad_rows() -> None:
    feed, rows = parse(
        b"store_id,date,text,rating,source\n"
        b"S1,2026-11-24,short\n"
        b"S1,2026-11-24,long,3,app,extra,cells\n"
        b"S1,2026-11-24\n",
        "comments",
    )
    assert [(r["text"], r["rating"], r["source"]) for r in rows] == [("short", None, None)]
    assert bad(feed) == [
        (
            3,
            None,
            "7 cells, the header has 5: an unquoted comma inside a value? Quote the field, "
            'or export with " as the text delimiter',
        ),
        (4, "text", "text is empty"),
    ]


def test_number_formats_in_cells() -> None:
    _, rows = parse(
        b"store_id,date,metric,value\n"
        b'S1,2026-11-24,sales,"$12,345.50"\n'
        b"S1,2026-11-24,shop,87%\n"
        b"S1,2026-11-24,nps, 4.5 \n"
        b"S1,2026-11-24,delta,-$5\n"
        b"S1,2026-11-24,zero,-0\n",
        "metrics",
    )
    assert [r["value"] for r in rows] == [12345.5, 87.0, 4.5, -5.0, 0.0]
    assert str(rows[-1]["value"]) == "0.0"


def test_strings_are_stripped() -> None:
    _, rows = parse(b"store_id,name,region\n  S1  ,\t Downtown ,' North'\n", "stores")
    assert rows == [{"store_id": "S1", "name": "Downtown", "region": "' North'"}]


def test_header_only_csv_is_an_empty_feed() -> None:
    feed, rows = parse(b"store_id,date,text\r\n", "comments")
    assert (rows, feed.row_count, feed.reject_count) == ([], 0, 0)


def test_empty_json_array_is_an_empty_feed() -> None:
    feed, rows = parse(b"[ ]", "messages")
    assert (rows, feed.row_count, feed.fields) == ([], 0, ())


# --- bad rows ---------------------------------------------------------------------------------


def test_metric_bad_rows_report_line_field_and_reason() -> None:
    data = (
        b"store_id,date,metric,value\n"  # 1
        b"S1,11/17/2026,sales,1\n"  # 2
        b"S1,2026-02-30,sales,1\n"  # 3
        b"S1,2026-1-5,sales,1\n"  # 4
        b"S1,2026-11-24,sales,\n"  # 5
        b"S1,2026-11-24,sales,n/a\n"  # 6
        b'S1,2026-11-24,sales,"4,5"\n'  # 7
        b"S1,2026-11-24,sales,1e309\n"  # 8
        b"S1,2026-11-24,sales,NaN\n"  # 9
        b",2026-11-24,sales,1\n"  # 10
        b"S1,2026-11-24, ,1\n"  # 11
        b"TOTAL,,,123456\n"  # 12
        b"S1,2026-11-24,sales,7\n"  # 13
    )
    feed, rows = parse(data, "metrics")
    assert rows == [{"store_id": "S1", "day": D(2026, 11, 24), "metric": "sales", "value": 7.0}]
    assert bad(feed) == [
        (2, "date", "'11/17/2026' is not a date in YYYY-MM-DD form"),
        (3, "date", "'2026-02-30' is not a date: there is no such day"),
        (4, "date", "'2026-1-5' is not a date in YYYY-MM-DD form"),
        (5, "value", "value is empty"),
        (6, "value", "'n/a' is not a number"),
        (
            7,
            "value",
            "'4,5' only reads as a number with decimal ',' (as 4.5): set decimal = \",\" for "
            "this feed if it writes numbers that way",
        ),
        (8, "value", "'1e309' is not a finite number"),
        (9, "value", "'NaN' is not a number"),
        (10, "store_id", "store_id is empty"),
        (11, "metric", "metric is empty"),
        (12, "date", "date is empty"),
    ]
    assert (feed.row_count, feed.reject_count) == (12, 11)
    assert all(isinstance(r, Reject) for r in feed.rejects)


def test_decimal_comma_refuses_a_point() -> None:
    feed, rows = parse(
        b"store_id;date;metric;value\nS1;2026-11-24;a;4,5\nS1;2026-11-24;b;4.5\n",
        "metrics",
        decimal=",",
    )
    assert [r["value"] for r in rows] == [4.5]
    assert bad(feed) == [
        (
            3,
            "value",
            "'4.5' only reads as a number with decimal '.' (as 4.5): set decimal = \".\" for "
            "this feed if it writes numbers that way",
        )
    ]


def test_target_bad_rows() -> None:
    data = (
        b"store_id,metric,period,start,target\n"
        b"S1,sales,quarter,2026-10-01,5\n"  # 2
        b"S1,sales,week,2026-11-18,5\n"  # 3
        b"S1,sales,month,2026-11-18,5\n"  # 4
        b"S1,sales,week,2026-11-23,n/a\n"  # 5
        b"S1,sales,,2026-11-23,5\n"  # 6
        b"S1,sales,day,2026-11-18,5\n"  # 7
    )
    feed, rows = parse(data, "targets")
    assert [(r["period"], r["start"]) for r in rows] == [("day", D(2026, 11, 18))]
    assert bad(feed) == [
        (2, "period", "'quarter' is not a valid period; use one of: day, week, month"),
        (3, "start", "2026-11-18 is a Wednesday; a week target must start on a Monday"),
        (
            4,
            "start",
            "2026-11-18 is not the 1st of a month; a month target must start on the 1st",
        ),
        (5, "target", "'n/a' is not a number"),
        (6, "period", "period is empty"),
    ]


def test_comment_ratings_must_be_one_to_five() -> None:
    feed, rows = parse(
        b"store_id,date,text,rating\n"
        b"S1,2026-11-24,a,0\n"
        b"S1,2026-11-24,b,6\n"
        b"S1,2026-11-24,c,1\n"
        b"S1,2026-11-24,d,5\n"
        b"S1,2026-11-24,e,great\n",
        "comments",
    )
    assert [(r["text"], r["rating"]) for r in rows] == [("c", 1.0), ("d", 5.0)]
    assert bad(feed) == [
        (2, "rating", "rating must be from 1 to 5, not 0"),
        (3, "rating", "rating must be from 1 to 5, not 6"),
        (6, "rating", "'great' is not a number"),
    ]


def test_message_bad_rows() -> None:
    feed, rows = parse(
        b"store_id,start,end,title,kind\n"
        b"S1,2026-11-20,2026-11-19,Backwards,news\n"
        b"S1,2026-11-20,2026-11-20,One day,Story\n"
        b"S1,2026-11-20,,Rumour,gossip\n"
        b"S1,2026-11-20,soon,Vague,news\n"
        b"S1,2026-11-20,,,news\n",
        "messages",
    )
    assert [(r["title"], r["kind"], r["end"]) for r in rows] == [
        ("One day", "story", D(2026, 11, 20))
    ]
    assert bad(feed) == [
        (2, "end", "end 2026-11-19 is before start 2026-11-20"),
        (
            4,
            "kind",
            "'gossip' is not a valid kind; "
            "use one of: news, story, lesson, expectation, recognition",
        ),
        (5, "end", "'soon' is not a date in YYYY-MM-DD form"),
        (6, "title", "title is empty"),
    ]


def test_catalog_bad_rows() -> None:
    feed, rows = parse(
        b"metric,perspective,aggregate,decimals,entry\n"
        b"a,people,sum,0,no\n"
        b"b,customer,median,0,no\n"
        b"c,customer,sum,7,no\n"
        b"d,customer,sum,1.5,no\n"
        b"e,customer,sum,0,sometimes\n"
        b"f,customer,sum,0,no\n",
        "catalog",
    )
    assert [(r["metric"], r["position"]) for r in rows] == [("f", 0)]
    assert bad(feed) == [
        (
            2,
            "perspective",
            "'people' is not a valid perspective; "
            "use one of: financial, customer, process, learning",
        ),
        (3, "aggregate", "'median' is not a valid aggregate; use one of: sum, mean, last"),
        (4, "decimals", "decimals must be a whole number from 0 to 6, not 7"),
        (5, "decimals", "decimals must be a whole number from 0 to 6, not 1.5"),
        (6, "entry", "'sometimes' is not yes or no"),
    ]


def test_long_bad_values_are_cut_in_the_reason() -> None:
    feed, _ = parse(b"store_id,date,metric,value\nS1," + b"9" * 100 + b",m,1\n", "metrics")
    [(line, field, reason)] = bad(feed)
    assert (line, field) == (2, "date")
    assert reason == "'" + "9" * 59 + "…' is not a date in YYYY-MM-DD form"


def test_rejects_are_capped_but_counted() -> None:
    data = b"store_id,date,metric,value\n" + b"S1,2026-11-24,m,x\n" * 25 + b"S1,2026-11-24,m,1\n"
    feed, rows = parse(data, "metrics", keep_rejects=10)
    assert len(rows) == 1
    assert (feed.row_count, feed.reject_count, len(feed.rejects)) == (26, 25, 10)
    assert [r.line for r in feed.rejects] == list(range(2, 12))


# --- rejected feeds ---------------------------------------------------------------------------


def test_missing_required_column_rejects_the_feed() -> None:
    reason = rejected(b"Store ID,Date,Metric,Amount\nS1,2026-11-24,sales,5\n", "metrics")
    assert reason == (
        "the header lacks the required field value; "
        "columns found: 'Store ID', 'Date', 'Metric', 'Amount'"
    )


def test_missing_required_columns_are_all_named() -> None:
    reason = rejected(b"store,when\nS1,2026-11-24\n", "comments")
    assert reason == (
        "the header lacks the required fields store_id, date, text; columns found: 'store', 'when'"
    )


def test_empty_body_is_rejected() -> None:
    assert rejected(b"", "metrics") == "the feed is empty: no header row"
    assert rejected(b"\r\n\r\n", "metrics") == "the feed is empty: no header row"
    assert rejected(b"", "metrics", fmt="json") == "not valid JSON: the feed is empty"


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><body>Sign in</body></html>",
        b"\n  <html lang=en><head></head></html>",
        b'<?xml version="1.0"?><error/>',
        b"\xef\xbb\xbf<HTML>",
        b"<p>Not found</p>",
    ],
)
def test_html_page_is_rejected(body: bytes) -> None:
    assert rejected(body, "metrics") == "looks like an HTML page, not CSV or JSON"
    assert rejected(body, "metrics", fmt="json") == "looks like an HTML page, not CSV or JSON"


@pytest.mark.parametrize(
    "body",
    [b"<!doctype html>\n<title>x</title>", b"<HEAD>", b"<body>", b"  <Html>"],
)
def test_html_page_is_rejected_even_when_the_config_says_csv(body: bytes) -> None:
    assert rejected(body, "metrics", fmt="csv") == "looks like an HTML page, not CSV or JSON"


def test_binary_data_is_rejected() -> None:
    reason = rejected(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "metrics")
    assert reason == "binary data, not a CSV or JSON feed"
    reason = rejected(b"PK\x03\x04\x14\x00\x06\x00", "metrics", fmt="csv")
    assert reason == "binary data, not a CSV or JSON feed"


def test_utf16_is_rejected_with_a_hint() -> None:
    reason = rejected("store_id,name,region\n".encode("utf-16"), "stores")
    assert reason == "UTF-16 text: save the feed as UTF-8 (or Windows-1252) CSV or JSON"


def test_a_field_over_the_csv_limit_rejects_with_its_line() -> None:
    data = (
        b"store_id,date,text\n"
        b"S1,2026-11-24,fine\n"
        b'S1,2026-11-24,"never closed\n' + b"x" * 200_000 + b"\n"
    )
    reason = rejected(data, "comments")
    assert reason.startswith("the CSV cannot be read from line 3: field larger than field limit")


# --- the API ----------------------------------------------------------------------------------


def test_batches_keep_feed_order_and_size() -> None:
    data = b"store_id,date,metric,value\n" + b"".join(
        b"S1,2026-11-24,m%d,%d\n" % (i, i) for i in range(7)
    )
    feed = parse_feed(io.BytesIO(data), "metrics")
    sizes = []
    values = []
    for batch in feed.batches(3):
        sizes.append(len(batch))
        values.extend(r["value"] for r in batch)
    assert sizes == [3, 3, 1]
    assert values == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert feed.row_count == 7


def test_counts_fill_in_while_reading() -> None:
    data = b"store_id,date,metric,value\n" + b"S1,2026-11-24,m,1\n" * 4 + b"S1,x,m,1\n"
    feed = parse_feed(io.BytesIO(data), "metrics")
    assert (feed.row_count, feed.reject_count) == (0, 0)
    batches = feed.batches(2)
    next(batches)
    assert feed.row_count == 2
    list(batches)
    assert (feed.row_count, feed.reject_count) == (5, 1)


def test_batches_are_single_use() -> None:
    feed = parse_feed(io.BytesIO(b"store_id,name,region\nS1,N,R\n"), "stores")
    list(feed.batches())
    with pytest.raises(RuntimeError):
        feed.batches()


def test_the_callers_stream_stays_open() -> None:
    stream = io.BytesIO(b"store_id,name,region\nS1,N,R\n")
    feed = parse_feed(stream, "stores")
    del feed
    assert not stream.closed
    feed = parse_feed(stream, "stores")
    assert [r for b in feed.batches() for r in b] == [
        {"store_id": "S1", "name": "N", "region": "R"}
    ]
    assert not stream.closed


def test_reads_from_the_start_of_the_stream() -> None:
    stream = io.BytesIO(b"store_id,name,region\nS1,N,R\n")
    stream.seek(0, io.SEEK_END)
    _, rows = (feed := parse_feed(stream, "stores")), [r for b in feed.batches() for r in b]
    assert rows == [{"store_id": "S1", "name": "N", "region": "R"}]


class _Unseekable(io.RawIOBase):
    """A body that can only be read forward, like a raw HTTP response."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self._data.read(min(len(buffer), 5))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_stream_that_cannot_seek_is_spooled() -> None:
    body = b'[{"store_id": "S1", "name": "N", "region": "R"}]'
    feed = parse_feed(_Unseekable(body), "stores")  # type: ignore[arg-type]
    assert [r for b in feed.batches() for r in b] == [
        {"store_id": "S1", "name": "N", "region": "R"}
    ]


def test_unknown_kind_or_decimal_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_feed(io.BytesIO(b"a\n"), "sales")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        parse_feed(io.BytesIO(b"a\n"), "stores", decimal=" ")  # type: ignore[arg-type]


def test_a_quoted_header_cell_may_span_lines() -> None:
    feed, rows = parse(
        b'"Store\nID",name,region\n'  # lines 1-2
        b"S1,N,R\n"  # line 3
        b"S2,,R\n",  # line 4
        "stores",
    )
    assert rows == [{"store_id": "S1", "name": "N", "region": "R"}]
    assert feed.fields == ("store_id", "name", "region")
    assert bad(feed) == [(4, "name", "name is empty")]


def test_semicolon_rows_of_only_delimiters_are_skipped() -> None:
    feed, rows = parse(
        b"store_id;name;region\r\nS1;N;R\r\n;;\r\n;;;;\r\n\r\nS2;M;R\r\n;;\r\n", "stores"
    )
    assert [r["store_id"] for r in rows] == ["S1", "S2"]
    assert (feed.row_count, feed.reject_count) == (2, 0)


def test_a_bom_on_a_windows_1252_file_is_dropped() -> None:
    feed, rows = parse(b"\xef\xbb\xbfstore_id,name,region\nS1,Caf\xe9,R\n", "stores")
    assert feed.encoding == "cp1252"
    assert rows == [{"store_id": "S1", "name": "Café", "region": "R"}]
