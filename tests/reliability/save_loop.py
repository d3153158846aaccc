"""A manager saving numbers as fast as the database lets them, for the kill -9 test.

`python -m tests.reliability.save_loop DB_PATH OFFSET` saves entries through the single
`Writer`, one transaction each (the entry, its audit row and its outbox item together), and
prints `KEY METRIC DAY VALUE` for each save only after its transaction committed. The test kills
it at a random moment and checks that every printed save is in the database, whole. OFFSET makes
each run's values new (saving the value already there changes nothing).

It uses `kiosk.manager.entries.save_entry` (the code the entry screen uses). Without that module (an
older tree) it writes the same three rows itself in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import uuid

from sync.store.db import open_database
from sync.store.writer import Writer

STORE = "S001"
METRICS = ("sales", "training")
FIRST_DAY = dt.date(2026, 1, 1)
DAYS = 200


def _simulated_save(session, metric: str, day: dt.date, value: float, now: dt.datetime) -> str:
    from sync.store.models import EntryAudit, ManagerEntry, Outbox

    current = session.get(ManagerEntry, (STORE, metric, day))
    previous = None if current is None else current.value
    if current is None:
        session.add(
            ManagerEntry(store_id=STORE, metric=metric, day=day, value=value, entered_at=now)
        )
    else:
        current.value, current.entered_at = value, now
    session.add(
        EntryAudit(
            store_id=STORE, metric=metric, day=day, old_value=previous, new_value=value, at=now
        )
    )
    key = str(uuid.uuid4())
    payload = {"kind": "entry", "store_id": STORE, "metric": metric, "date": day.isoformat()}
    session.add(
        Outbox(
            idempotency_key=key,
            kind="entry",
            payload_json=json.dumps({**payload, "value": value, "idempotency_key": key}),
            created_at=now,
            attempts=0,
            next_attempt_at=now,
        )
    )
    return key


def main(path: str, offset: int) -> None:
    try:
        from kiosk.manager.entries import SavedEntry, save_entry
    except ImportError:  # pragma: no cover - before the entry backend existed
        save_entry = None  # type: ignore[assignment]

    db = open_database(path)
    writer = Writer()
    i = 0
    while True:
        i += 1
        metric = METRICS[i % len(METRICS)]
        day = FIRST_DAY + dt.timedelta(days=i % DAYS)
        value = float(offset + i)  # never the value already saved (that would change nothing)
        now = dt.datetime.now(dt.UTC)

        def save(
            metric: str = metric, day: dt.date = day, value: float = value, now: dt.datetime = now
        ) -> str:
            with db.write.begin() as session:
                if save_entry is None:
                    return _simulated_save(session, metric, day, value, now)
                result = save_entry(session, STORE, metric, day, value, now, allow_outlier=True)
                if not isinstance(result, SavedEntry) or result.idempotency_key is None:
                    raise SystemExit(f"save refused: {result}")
                return result.idempotency_key

        key = writer.call(save)
        print(key, metric, day.isoformat(), value, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
