"""`kiosk status [--json]`: per feed, the last attempt and success, rows, errors, bad rows; the
outbox of uploads waiting for HQ, and the heartbeat (the last one HQ acknowledged)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from kiosk.config import Config
from kiosk.exits import EXIT_OK
from sync.parse.decode import encoding_label
from sync.parse.records import DELIMITER_NAMES
from sync.service import store_id_hint
from sync.status import feed_statuses
from sync.store.db import open_database
from sync.store.storage import disk_problem
from sync.upload import HeartbeatStatus, heartbeat_status, outbox_status


def status(config: Config, args: argparse.Namespace) -> int:
    db = open_database(config.database_path)
    try:
        with db.read() as session:
            feeds = feed_statuses(session, config.feeds, config.store.tz)
            box = outbox_status(session)
            beat = heartbeat_status(session)
        problem = db.disk_problem or disk_problem(config.database_path)
    finally:
        db.dispose()
    database = {
        "path": str(config.database_path),
        "problem": problem.text if problem is not None else None,
    }
    oldest = _local(config, box.oldest)
    outbox = {
        "pending": box.pending,
        "oldest": oldest,
        "last_error": box.last_error,
        "upload": "on" if config.hq.url else "off",
    }
    heartbeat = _heartbeat(config, beat)
    if args.json:
        document = {
            "store_id": config.store.id,
            "feeds": feeds,
            "outbox": outbox,
            "heartbeat": heartbeat,
            "database": database,
        }
        print(json.dumps(document, indent=2))
        return EXIT_OK
    if problem is not None:
        print(f"{'database':<14} {problem.text}")
    if not feeds:
        print("no feeds configured in", config.path)
    for feed in feeds:
        when = feed["last_success"] or "never"
        line = (
            f"{feed['name']:<14} {feed['kind']:<9} {feed['status']:<6} last ok {when}  "
            f"applied {feed['rows_applied']}, rejected {feed['rows_rejected']}"
        )
        if feed["error"]:
            line += f"  error: {feed['error']}"
        print(line)
        read = _how_read(feed, config.store.id)
        if read:
            print(f"{'':<14} {read}")
        rejects = feed["rejects"]
        assert isinstance(rejects, list)
        for bad in rejects[:5]:
            unit = bad.get("unit", "line")
            where = f"{unit} {bad['line']}" + (f", field {bad['field']}" if bad["field"] else "")
            print(f"{'':<14} bad row {where}: {bad['reason']}")
        if len(rejects) > 5:
            print(f"{'':<14} ... {len(rejects) - 5} more (kiosk status --json lists them)")
    line = f"{'outbox':<14} {box.pending} waiting for HQ"
    if oldest:
        line += f", oldest since {oldest}"
    if box.last_error:
        line += f"  last error: {box.last_error}"
    if not config.hq.url:
        line += "  (uploads off: no [hq] url)"
    print(line)
    print(_heartbeat_line(heartbeat))
    return EXIT_OK


def _local(config: Config, moment: dt.datetime | None) -> str | None:
    return moment.astimezone(config.store.tz).isoformat(timespec="seconds") if moment else None


def _heartbeat(config: Config, beat: HeartbeatStatus) -> dict[str, Any]:
    return {
        "on": bool(config.hq.url),
        "every_minutes": config.hq.heartbeat_minutes,
        "last_acknowledged": _local(config, beat.last_acknowledged),
        "waiting_since": _local(config, beat.waiting_since),
        "attempts": beat.attempts,
        "last_error": beat.last_error,
    }


def _heartbeat_line(heartbeat: dict[str, Any]) -> str:
    """`heartbeat      every 5 min, last acknowledged ...  last error: ...`."""
    if not heartbeat["on"]:
        line = f"{'heartbeat':<14} off (no [hq] url)"
        if heartbeat["last_acknowledged"]:
            line += f", last acknowledged {heartbeat['last_acknowledged']}"
        return line
    every = f"{heartbeat['every_minutes']:g} min"
    last = heartbeat["last_acknowledged"]
    line = f"{'heartbeat':<14} every {every}, " + (
        f"last acknowledged by HQ {last}" if last else "never acknowledged by HQ yet"
    )
    if heartbeat["last_error"]:
        tries = heartbeat["attempts"]
        line += f"  last error ({tries} attempt{'s' if tries != 1 else ''}): "
        line += heartbeat["last_error"]
    return line


def _how_read(feed: dict[str, Any], own_store: str) -> str:
    """`read as UTF-8 with BOM, semicolon-separated; 1,418 rows for other stores (e.g. ...)`."""
    parts = []
    if feed["encoding"]:
        how = f"read as {encoding_label(feed['encoding'])}"
        if feed["delimiter"]:
            how += f", {DELIMITER_NAMES.get(feed['delimiter'], repr(feed['delimiter']))}-separated"
        parts.append(how)
    if feed["rows_other_stores"]:
        example = feed["other_store_example"]
        text = f"{feed['rows_other_stores']:,} rows for other stores"
        if example is not None:
            hint = store_id_hint(example, own_store)
            text += f" (e.g. {example!r}{'; ' + hint if hint else ''})"
        parts.append(text)
    return "; ".join(parts)
