"""docs/feeds.md, "How a feed is applied": "A bad row is skipped and reported ... It never changes
stored data", for the snapshot kinds with a key (`catalog` by metric, `stores` by store_id).

A snapshot pull replaces what the previous pull of the feed brought; a bad row in it must not
turn into a deletion of the row it was meant to replace. Rows that are simply gone from the
feed still go."""

from __future__ import annotations

from sync.ingest import kept_stores
from sync.store.db import open_database
from tests.contract.helpers import Store, config_text

STORES = "store_id,name,region\nYVR-1,Robson,West\nYVR-2,Kits,West\nYYZ-1,Queen,East\n"
CATALOG = (
    "metric,label,direction,aggregate\n"
    "sales,Sales,up,sum\n"
    "nps,NPS,up,mean\n"
    "shrink,Shrink,down,sum\n"
)
METRICS = (
    "store_id,date,metric,value\n"
    "YVR-1,2026-03-02,sales,100\n"
    "YVR-2,2026-03-02,sales,200\n"
    "YYZ-1,2026-03-02,sales,300\n"
)


def vancouver(store: Store) -> Store:
    store.feed("stores.csv", STORES)
    store.feed("catalog.csv", CATALOG)
    store.feed("metrics.csv", METRICS)
    store.write_config(
        config_text(
            "YVR-1",
            "America/Vancouver",
            [
                ("metrics", "metrics", "feeds/metrics.csv"),
                ("catalog", "catalog", "feeds/catalog.csv"),
                ("stores", "stores", "feeds/stores.csv"),
            ],
        )
    )
    result = store.sync()
    assert result.returncode == 0, result.stdout + result.stderr
    return store


def region_of(store: Store) -> frozenset[str]:
    db = open_database(store.root / "var" / "kiosk.db")
    try:
        with db.read() as session:
            return kept_stores(session, "YVR-1")
    finally:
        db.dispose()


def test_a_bad_row_for_the_own_store_keeps_its_region(store: Store) -> None:
    vancouver(store)
    assert region_of(store) == {"YVR-1", "YVR-2"}
    # The own row's region cell is emptied by mistake; YVR-2's row is fine.
    store.feed("stores.csv", "store_id,name,region\nYVR-1,Robson,\nYVR-2,Kits,West\n")
    result = store.sync()
    assert result.returncode == 0, result.stdout
    assert "stores: ok" in result.stdout and "line 2, field region" in result.stdout
    assert region_of(store) == {"YVR-1", "YVR-2"}
    # The region did not change, so the metrics feed was not pulled again unconditionally.
    assert "metrics: ok, unchanged" in result.stdout


def test_a_bad_row_for_another_store_keeps_that_store(store: Store) -> None:
    vancouver(store)
    store.feed("stores.csv", "store_id,name,region\nYVR-1,Robson,West\nYVR-2,,West\n")
    result = store.sync()
    assert result.returncode == 0, result.stdout
    assert region_of(store) == {"YVR-1", "YVR-2"}


def test_a_store_gone_from_the_feed_still_leaves_the_region(store: Store) -> None:
    vancouver(store)
    store.feed("stores.csv", "store_id,name,region\nYVR-1,Robson,West\n")
    assert store.sync().returncode == 0
    assert region_of(store) == {"YVR-1"}


def test_a_bad_catalog_row_keeps_the_metric_it_would_have_replaced(store: Store) -> None:
    vancouver(store)
    store.feed(
        "catalog.csv",
        "metric,label,direction,aggregate\n"
        "sales,Sales (new),sideways,sum\n"  # bad: sales stays as it was
        "nps,Net promoter,up,mean\n"  # good: replaces nps
        "returns,Returns,down,sum\n",  # good: new; shrink is gone from the feed
    )
    result = store.sync()
    assert result.returncode == 0, result.stdout
    assert "line 2, field direction" in result.stdout
    board = store.scoreboard("2026-03-02")
    assert [(m["metric"], m["label"]) for m in board["metrics"]] == [
        ("sales", "Sales"),
        ("nps", "Net promoter"),
        ("returns", "Returns"),
    ]
    assert board["metrics"][0]["actual"] == 100

    # Fixed in the next pull: the new definition replaces the kept one.
    store.feed("catalog.csv", "metric,label\nnps,NPS\nsales,Sales (new)\n")
    board = store.scoreboard("2026-03-02") if store.sync().returncode == 0 else {}
    assert [(m["metric"], m["label"]) for m in board["metrics"]] == [
        ("nps", "NPS"),
        ("sales", "Sales (new)"),
    ]


def test_a_bad_json_catalog_record_keeps_the_metric_too(store: Store) -> None:
    vancouver(store)
    store.feed(
        "catalog.json",
        '{"records": [{"metric": "nps", "decimals": 1}, {"Metric": "sales", "decimals": 1.5},'
        ' {"metric": "shrink", "direction": "down"}]}',
    )
    store.write_config(store.config.read_text().replace("catalog.csv", "catalog.json"))
    result = store.sync()
    assert result.returncode == 0, result.stdout
    assert "record 2, field decimals" in result.stdout  # JSON counts records, not lines
    board = store.scoreboard("2026-03-02")
    assert [m["metric"] for m in board["metrics"]] == ["nps", "sales", "shrink"]
