"""docs/feeds.md, "Never a silently wrong number": what a kiosk stores and says, and what
`kiosk feeds check` tells HQ, for the mistakes real exports make. Run as HQ and a store would:
`python -m kiosk` as a subprocess, feeds from files."""

from __future__ import annotations

import sqlite3

from tests.contract.helpers import Store, config_text, run_kiosk

HEADER = "store_id,date,metric,value\n"


def stored_values(store: Store) -> dict[str, float]:
    with sqlite3.connect(store.root / "var" / "kiosk.db") as conn:
        return dict(conn.execute("SELECT day, value FROM metric_values ORDER BY day"))


def test_a_store_id_written_as_a_number_is_counted_and_named(store: Store) -> None:
    # pandas writes a store-id column holding a NaN as floats: 1001 becomes 1001.0.
    store.feed("metrics.csv", HEADER + "1001.0,2026-03-02,sales,12\n1001.0,2026-03-03,sales,13\n")
    store.write_config(config_text("1001", "UTC", [("metrics", "metrics", "feeds/metrics.csv")]))
    result = store.sync()
    assert result.returncode == 0
    assert "applied 0 rows; 2 rows for other stores (e.g. '1001.0'" in result.stdout
    assert "is it this store, '1001', as a spreadsheet wrote it?" in result.stdout
    metrics = store.status()["metrics"]
    assert (metrics["rows_applied"], metrics["rows_other_stores"]) == (0, 2)
    assert metrics["other_store_example"] == "1001.0"
    text = store.kiosk("status").stdout
    assert "2 rows for other stores (e.g. '1001.0'" in text


def test_a_late_proof_of_decimal_commas_never_stores_a_number_a_thousand_times_too_big(
    store: Store,
) -> None:
    store.write_config(config_text("S1", "UTC", [("metrics", "metrics", "feeds/metrics.csv")]))
    store.feed("metrics.csv", HEADER + "S1,2026-03-02,sales,2675\n")
    assert store.sync().returncode == 0
    assert stored_values(store) == {"2026-03-02": 2675.0}
    # A German export read with decimal ".": 4,125 comes before the 4,5 that proves the column
    # uses decimal commas. The first read applied 4125; it is rolled back and read again.
    store.feed(
        "metrics.csv",
        HEADER + 'S1,2026-03-02,sales,"4,125"\nS1,2026-03-03,sales,"4,5"\nS1,2026-03-04,sales,3\n',
    )
    result = store.sync()
    assert result.returncode == 0, result.stdout
    assert stored_values(store) == {"2026-03-02": 2675.0, "2026-03-04": 3.0}
    rejects = store.status()["metrics"]["rejects"]
    assert [(r["line"], r["field"]) for r in rejects] == [(2, "value"), (3, "value")]
    assert 'set decimal = "," for this feed' in rejects[0]["reason"]


def test_status_names_the_encoding_and_delimiter(store: Store) -> None:
    store.feed("stores.csv", "\ufeffstore_id;name;region\nKRK-1;Kraków Rynek;Południe\n")
    store.feed(
        "comments.csv",
        "store_id;date;text\nKRK-1;2026-03-02;Zażółć gęślą jaźń\n".encode("cp1250"),
    )
    store.write_config(
        config_text(
            "KRK-1",
            "Europe/Warsaw",
            [
                ("stores", "stores", "feeds/stores.csv"),
                ("comments", "comments", "feeds/comments.csv"),
            ],
            feed_extra={"comments": 'encoding = "cp1250"\n'},
        )
    )
    assert store.sync().returncode == 0
    status = store.status()
    assert (status["stores"]["encoding"], status["stores"]["delimiter"]) == ("utf-8-sig", ";")
    assert status["comments"]["encoding"] == "cp1250"
    text = store.kiosk("status").stdout
    assert "read as UTF-8 with BOM, semicolon-separated" in text
    assert "read as Windows-1250 (cp1250), semicolon-separated" in text
    with sqlite3.connect(store.root / "var" / "kiosk.db") as conn:
        assert conn.execute("SELECT text FROM comments").fetchone() == ("Zażółć gęślą jaźń",)


def test_a_metrics_file_at_the_catalog_url_keeps_the_catalog(store: Store) -> None:
    store.feed("catalog.csv", "metric,direction,aggregate,entry\nshrink,down,sum,yes\n")
    store.write_config(config_text("S1", "UTC", [("catalog", "catalog", "feeds/catalog.csv")]))
    assert store.sync().returncode == 0
    store.feed("catalog.csv", HEADER + "S1,2026-03-02,shrink,12\n")
    result = store.sync()
    assert result.returncode == 1
    assert "this looks like a metrics feed (it has store_id and date columns)" in result.stdout
    with sqlite3.connect(store.root / "var" / "kiosk.db") as conn:
        assert conn.execute("SELECT metric, direction, entry FROM catalog").fetchall() == [
            ("shrink", "down", 1)
        ]


# --- kiosk feeds check ---------------------------------------------------------------------------


def check(store: Store, *args: str) -> tuple[int, str]:
    result = run_kiosk("feeds", "check", *args, cwd=store.root)
    return result.returncode, result.stdout


def test_feeds_check_shows_how_it_read_the_file_and_rows_per_store(store: Store) -> None:
    store.feed(
        "m.csv",
        "Store ID;Date;Metric;Value\r\n"
        "S1;2026-03-02;sales;1.234,50\r\nS1;2026-03-03;sales;10\r\n1001.0;2026-03-02;sales;5\r\n",
    )
    code, out = check(store, "feeds/m.csv", "--kind", "metrics", "--decimal", ",")
    assert code == 0, out
    assert "feeds/m.csv: read as CSV, UTF-8, semicolon-separated" in out
    assert "feeds/m.csv: rows per store: 'S1' 2, '1001.0' 1" in out
    assert out.strip().splitlines()[-1].endswith("3 data rows, 3 good, 0 bad: valid")


def test_feeds_check_warns_of_a_key_given_two_values_without_failing(store: Store) -> None:
    store.feed("m.csv", HEADER + "S1,2026-03-02,sales,10\nS1,2026-03-02,sales,12\n")
    code, out = check(store, "feeds/m.csv", "--kind", "metrics")
    assert code == 0
    assert "warning: S1 2026-03-02 sales is given two values in this file (10.0, then 12.0)" in out


def test_feeds_check_previews_what_one_store_keeps(store: Store) -> None:
    store.feed("stores.csv", "store_id,name,region\n1001,Main St,East\n1002,Park,East\n9,X,West\n")
    store.feed(
        "m.csv",
        HEADER
        + "1001,2026-03-02,s,1\n1002,2026-03-02,s,2\n9,2026-03-02,s,3\n1001.0,2026-03-03,s,4\n",
    )
    code, out = check(
        store, "feeds/m.csv", "--kind", "metrics", "--store", "1001", "--stores", "feeds/stores.csv"
    )
    assert code == 0, out
    assert "store 1001 would keep 2 rows: its own and its region (1002)" in out
    code, out = check(store, "feeds/m.csv", "--kind", "metrics", "--store", "42")
    assert "store 42 would keep 0 rows: its own" in out
    assert "warning: no row of this feed is for store '42'" in out
    code, out = check(store, "feeds/m.csv", "--kind", "metrics", "--store", "1001")
    assert "store 1001 would keep 1 rows: its own" in out


def test_feeds_check_names_a_wrong_code_page_and_the_setting_that_fixes_it(store: Store) -> None:
    store.feed("c.csv", "store_id,date,text\nS1,2026-03-02,Zażółć gęślą jaźń\n".encode("cp1250"))
    code, out = check(store, "feeds/c.csv", "--kind", "comments")
    assert code == 0
    assert "read as CSV, Windows-1252 (cp1252), comma-separated" in out
    assert 'set encoding = "cp1250" on the feed (or --encoding cp1250)' in out
    code, out = check(store, "feeds/c.csv", "--kind", "comments", "--encoding", "cp1250")
    assert "Windows-1250 (cp1250)" in out and "garbled" not in out
    result = run_kiosk(
        "feeds",
        "check",
        "feeds/c.csv",
        "--kind",
        "comments",
        "--encoding",
        "klingon",
        cwd=store.root,
    )
    assert result.returncode == 2
    assert "'klingon' is not a known text encoding" in result.stderr


def test_feeds_check_reports_what_a_pull_reports(store: Store) -> None:
    body = (
        HEADER
        + 'S1,2026-03-02,sales,"4,125"\nS1,2026-03-03,sales,"4,5"\nS1,2026-03-04,sales,$12,345\n'
    )
    store.feed("metrics.csv", body)
    store.write_config(config_text("S1", "UTC", [("metrics", "metrics", "feeds/metrics.csv")]))
    store.sync()
    pulled = [
        f"line {r['line']}, field {r['field']}" if r["field"] else f"line {r['line']}"
        for r in store.status()["metrics"]["rejects"]
    ]
    code, out = check(store, "feeds/metrics.csv", "--kind", "metrics")
    assert code == 1
    checked = [line.split(": ")[1] for line in out.splitlines() if ": line " in line]
    assert checked == pulled == ["line 2, field value", "line 3, field value", "line 4"]
