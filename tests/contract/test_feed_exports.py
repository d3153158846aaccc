"""docs/feeds.md, the HQ feed contract: real exports of another HQ (Excel on Windows in Europe,
JSON from a web service) through `kiosk sync --once` and `kiosk feeds check`."""

from __future__ import annotations

import json

from tests.contract.helpers import Store, config_text, entries, run_kiosk

# Excel on a European Windows: Windows-1252, semicolons, decimal commas, CRLF, a quoted field
# with a line break and quotes, odd header spellings, an extra column, blank trailing lines.
EXCEL_METRICS = (
    "Store ID;  DATE ;Metric--Name;metric;Value;Notes\r\n"
    "PAR-1;2026-03-02;x;sales;€1.234,50;\r\n"
    'PAR-1;2026-03-03;x;sales;2.000;"café ""crème""\r\nsecond line"\r\n'
    "PAR-1;2026-03-03;x;nps;87%;\r\n"
    "PAR-1;03/04/2026;x;sales;10;\r\n"  # line 6: not an ISO date
    "PAR-1;2026-03-04;x;sales;n/a;\r\n"  # line 7
    "PAR-1;2026-03-04;x;sales;1,2,3;\r\n"  # line 8: not a number with either mark
    "PAR-1;2026-03-04;x;sales;1e309;\r\n"  # line 9
    "PAR-1;2026-03-04;x;sales;NaN;\r\n"  # line 10
    "PAR-1;2026-03-04;x;sales;;\r\n"  # line 11
    "PAR-1;2026-03-02;x;nps;-0,5;\r\n"  # a leading minus
    "PAR-1;2026-03-02;x;nps;90;\r\n"  # a later row wins over an earlier one with its key
    ";;;;;\r\n"
    "\r\n"
    "\r\n"
).encode("cp1252")

CATALOG_JSON = {
    "generated": "2026-03-04T05:00:00Z",
    "records": [
        {"Metric": "sales", "Label": "Ventes", "UNIT": "€", "Aggregate": "SUM"},
        {" metric ": "nps", "label": None, "perspective": "Customer", "aggregate": "Mean"},
    ],
}


def test_a_european_excel_export_loads(store: Store) -> None:
    store.feed("metrics.csv", EXCEL_METRICS)
    store.feed("catalog.json", json.dumps(CATALOG_JSON, ensure_ascii=False))
    store.feed(
        "targets.csv",
        "\ufeffstore_id,metric,period,start,target\nPAR-1,sales,week,2026-03-02,5000\n",
    )
    store.write_config(
        config_text(
            "PAR-1",
            "Europe/Paris",
            [
                ("metrics", "metrics", "feeds/metrics.csv"),
                ("targets", "targets", "feeds/targets.csv"),
                ("catalog", "catalog", "feeds/catalog.json"),
            ],
            feed_extra={"metrics": 'decimal = ","\n'},
        )
    )
    result = store.sync()
    assert result.returncode == 0, result.stdout + result.stderr  # bad rows do not fail a sync
    metrics = store.status()["metrics"]
    assert (metrics["rows_applied"], metrics["rows_rejected"]) == (5, 6)
    assert [(r["line"], r["field"]) for r in metrics["rejects"]] == [
        (6, "date"),
        (7, "value"),
        (8, "value"),
        (9, "value"),
        (10, "value"),
        (11, "value"),
    ]

    board = entries(store.scoreboard("2026-03-03"))
    assert list(board) == [("sales", "week"), ("nps", "day")]
    sales = board[("sales", "week")]
    assert (sales["label"], sales["actual"], sales["target"]) == ("Ventes", 3234.5, 5000)
    # 3234.5 / 5000 = 64.69%; pace 3234.5 / 2 x 7 = 11320.75 -> 226.415%.
    assert (sales["percent"], sales["pace"], sales["status"]) == (64.7, 226.4, "on_track")
    nps = board[("nps", "day")]
    assert (nps["label"], nps["perspective"], nps["actual"]) == ("nps", "customer", 87)
    assert entries(store.scoreboard("2026-03-02"))[("nps", "day")]["actual"] == 90


def test_feeds_check_lists_every_bad_row_and_exits_1(store: Store) -> None:
    store.feed("metrics.csv", EXCEL_METRICS)
    result = run_kiosk(
        "feeds", "check", "feeds/metrics.csv", "--kind", "metrics", "--decimal", ",", cwd=store.root
    )
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    bad_rows = [line for line in lines if line.split(": ")[1].startswith("line ")]
    assert [line.split(": ")[1] for line in bad_rows] == [
        "line 6, field date",
        "line 7, field value",
        "line 8, field value",
        "line 9, field value",
        "line 10, field value",
        "line 11, field value",
    ]
    assert lines[-1].endswith("11 data rows, 5 good, 6 bad: NOT valid")

    clean = 'store_id,date,metric,value\nPAR-1,2026-03-02,sales,"$12,345.50"\n'
    store.feed("clean.csv", clean)
    result = run_kiosk("feeds", "check", "feeds/clean.csv", "--kind", "metrics", cwd=store.root)
    assert result.returncode == 0, result.stdout


def test_json_records_lacking_a_field_reject_the_feed_and_keep_the_data(store: Store) -> None:
    store.feed("catalog.json", json.dumps(CATALOG_JSON))
    store.feed(
        "comments.json",
        json.dumps([{"Store_ID": "PAR-1", "Date": "2026-03-02", "Text": "Merci", "Rating": 5}]),
    )
    store.write_config(
        config_text(
            "PAR-1",
            "Europe/Paris",
            [
                ("catalog", "catalog", "feeds/catalog.json"),
                ("comments", "comments", "feeds/comments.json"),
            ],
        )
    )
    assert store.sync().returncode == 0
    # Every record lacks `metric` (a `name` instead): rejected whole, the catalog is kept.
    store.feed("catalog.json", json.dumps([{"name": "sales"}, {"name": "nps"}]))
    # A header-only comments feed is a valid, empty snapshot.
    store.feed("comments.json", "[]")
    result = store.sync()
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("catalog: error, rejected: every record lacks the required field")
    assert lines[1] == "comments: ok, applied 0 rows"
    assert [m["metric"] for m in store.scoreboard("2026-03-02")["metrics"]] == ["sales", "nps"]
