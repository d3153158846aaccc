"""The ingest baseline: a plain sqlite3 script, `_sqlite_upsert.py DB DDL_FILE CSV`.

Reads the metrics CSV with csv.reader and upserts every row with one executemany in one
transaction, into a table created from the kiosk's own DDL, with the kiosk's PRAGMAs. No
validation, no line numbers, no region filter: the least any loader has to do.
"""

import csv
import sqlite3
import sys

# The kiosk's connection PRAGMAs (sync/store/engine.py `_on_connect`), as in bench/_util.py.
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=15000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA cache_size=-16000",
)
# The same statement as sync/ingest.py `_METRICS_UPSERT`.
UPSERT = (
    "INSERT INTO metric_values (store_id, metric, day, value, feed) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (store_id, metric, day) DO UPDATE SET value = excluded.value, "
    "feed = excluded.feed"
)


def main() -> None:
    db, ddl_file, csv_path = sys.argv[1:4]
    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'metric_values'"
    ).fetchone()
    if not exists:
        with open(ddl_file, encoding="utf-8") as fh:
            conn.execute(fh.read())
    conn.execute("BEGIN IMMEDIATE")
    with open(csv_path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = [name.strip().lower() for name in next(reader)]
        s, d, m, v = (header.index(k) for k in ("store_id", "date", "metric", "value"))
        conn.executemany(
            UPSERT, ((row[s], row[m], row[d], float(row[v]), "metrics") for row in reader)
        )
    conn.execute("COMMIT")
    conn.close()


if __name__ == "__main__":
    main()
