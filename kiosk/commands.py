"""What each `kiosk` command does, once its arguments are parsed."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli import EXIT_FAILED, EXIT_OK, UsageError
from kiosk.config import CONFIG_ENV, Config, default_config_path, load_config

if TYPE_CHECKING:
    from sync.db import Database


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "feeds":
        return feeds_check(args)
    config = load_config(default_config_path(args.config))
    from kiosk.logs import setup_logging

    setup_logging(
        config.logging,
        console_level="INFO"
        if args.command in ("run", "sync") and not getattr(args, "once", False)
        else "ERROR",
    )
    prepare_demo(config)
    handler = {
        "run": run,
        "sync": sync,
        "status": status,
        "scoreboard": scoreboard,
        "screenshot": screenshot,
        "pin": pin,
    }[args.command]
    return handler(config, args)


def prepare_demo(config: Config) -> None:
    """With `[demo]` configured, write today's demo feeds before anything reads them."""
    if config.demo_feeds_dir is None:
        return
    from kiosk.demo import write_demo_feeds

    write_demo_feeds(config.demo_feeds_dir, config.store, config.store.today())


def open_db(config: Config) -> Database:
    from sync.db import open_database

    return open_database(config.database_path)


def _sync_if_never(config: Config, db: Database) -> None:
    """The demo's first look: pull once if this database has never seen a feed."""
    from sqlalchemy import func, select

    from sync.models import FeedState

    if config.demo_feeds_dir is None:
        return
    with db.read() as session:
        seen = session.scalar(select(func.count()).select_from(FeedState))
    if not seen:
        from sync.service import SyncService

        service = SyncService(db, config.store.id, config.feeds)
        try:
            service.pull_all()
        finally:
            service.close()


# --- commands -----------------------------------------------------------------------------


def run(config: Config, args: argparse.Namespace) -> int:
    from kiosk.app import run_kiosk

    return run_kiosk(config, windowed=args.windowed)


def sync(config: Config, args: argparse.Namespace) -> int:
    db = open_db(config)
    from sync.service import SyncService

    service = SyncService(db, config.store.id, config.feeds)
    try:
        if not args.once:
            from kiosk.scheduling import run_headless

            return run_headless(config, service)
        if not config.feeds:
            print("no feeds configured in", config.path)
            return EXIT_OK
        reports = service.pull_all()
    finally:
        service.close()
        db.dispose()
    for report in reports:
        print(report.line())
    return EXIT_OK if all(r.ok for r in reports) else EXIT_FAILED


def status(config: Config, args: argparse.Namespace) -> int:
    from sync.status import feed_statuses
    from sync.upload import outbox_status

    db = open_db(config)
    try:
        with db.read() as session:
            feeds = feed_statuses(session, config.feeds, config.store.tz)
            box = outbox_status(session)
    finally:
        db.dispose()
    oldest = (
        box.oldest.astimezone(config.store.tz).isoformat(timespec="seconds") if box.oldest else None
    )
    outbox = {
        "pending": box.pending,
        "oldest": oldest,
        "last_error": box.last_error,
        "upload": "on" if config.hq.upload_url else "off",
    }
    if args.json:
        print(json.dumps({"store_id": config.store.id, "feeds": feeds, "outbox": outbox}, indent=2))
        return EXIT_OK
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
        rejects = feed["rejects"]
        assert isinstance(rejects, list)
        for bad in rejects[:5]:
            where = f"line {bad['line']}" + (f", field {bad['field']}" if bad["field"] else "")
            print(f"{'':<14} bad row {where}: {bad['reason']}")
        if len(rejects) > 5:
            print(f"{'':<14} ... {len(rejects) - 5} more (kiosk status --json lists them)")
    line = f"{'outbox':<14} {box.pending} waiting for HQ"
    if oldest:
        line += f", oldest since {oldest}"
    if box.last_error:
        line += f"  last error: {box.last_error}"
    if not config.hq.upload_url:
        line += "  (uploads off: no [hq] upload_url)"
    print(line)
    return EXIT_OK


def scoreboard(config: Config, args: argparse.Namespace) -> int:
    from kiosk.scoreboard import build_scoreboard

    day = args.date or config.store.today()
    db = open_db(config)
    try:
        _sync_if_never(config, db)
        with db.read() as session:
            board = build_scoreboard(session, config.store.id, day)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(board.as_json(), indent=2))
        return EXIT_OK
    from kiosk.formatting import format_value

    print(f"{config.store.name} ({config.store.id}), {day.isoformat()}")
    for m in board.metrics:
        actual = format_value(m.actual, m.unit, m.decimals)
        goal = format_value(m.target, m.unit, m.decimals) if m.target is not None else "no goal"
        pct = f"{m.percent:.1f}%" if m.percent is not None else "-"
        pace = f"pace {m.pace:.1f}%" if m.pace is not None else ""
        print(
            f"  {m.label:<24} {m.period:<5} {actual:>12} / {goal:<12} {pct:>7} "
            f"{(m.status or '-'):<8} {pace}"
        )
    return EXIT_OK


def screenshot(config: Config, args: argparse.Namespace) -> int:
    from kiosk.snapshot import load_snapshot

    day = args.date or config.store.today()
    db = open_db(config)
    try:
        _sync_if_never(config, db)
        snapshot = load_snapshot(db, config, day, dt.datetime.now(dt.UTC))
    finally:
        db.dispose()

    from PySide6.QtCore import QSize

    from kiosk.ui.render import render_screen

    width, height = args.size
    try:
        image = render_screen(
            args.screen, snapshot, QSize(width, height), page=max(0, args.page - 1)
        )
    except ValueError as exc:  # a page the screen does not have
        raise UsageError(str(exc)) from None
    out = Path(args.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"kiosk: cannot create {out.parent}: {exc.strerror}", file=sys.stderr)
        return EXIT_FAILED
    if not image.save(str(out), "PNG"):
        print(f"kiosk: cannot write {out}", file=sys.stderr)
        return EXIT_FAILED
    print(out)
    return EXIT_OK


def pin(config: Config, args: argparse.Namespace) -> int:
    from kiosk.pin_cli import set_pin_from_stdin

    return set_pin_from_stdin(config)


def feeds_check(args: argparse.Namespace) -> int:
    """Validate a feed file or URL the way the kiosk would apply it; exit 1 on any error."""
    from sync.errors import FeedRejected, FetchError
    from sync.fetch import Fetcher, path_of_file_url
    from sync.ingest import whole_feed_problem
    from sync.parse import parse_feed
    from sync.service import resolve_format
    from sync.spec import FeedSpec, FetchOptions

    fetch_options = FetchOptions()
    # An HQ analyst checking a file has no kiosk config: without --config, $KIOSK_CONFIG or a
    # ./config.toml the defaults are fine. A config that is there must be good, as for every
    # command (exit 2, one line per problem).
    path = default_config_path(args.config)
    named = args.config is not None or bool(os.environ.get(CONFIG_ENV))
    if named or path.exists():
        config = load_config(path)
        if config.feeds:
            fetch_options = config.feeds[0].fetch

    source = args.source
    if not source.lower().startswith(("http://", "https://")):
        if source.lower().startswith("file:"):
            source = path_of_file_url(source)
        source = str(Path(source).expanduser().resolve())
    spec = FeedSpec(
        name="check",
        kind=args.kind,
        url=source,
        format=args.format,
        decimal=args.decimal,
        fetch=fetch_options,
    )
    fetcher = Fetcher()
    try:
        with fetcher.fetch(spec, None) as fetched:
            assert fetched.body is not None
            parsed = parse_feed(
                fetched.body,
                spec.kind,
                fmt=resolve_format(spec, fetched),
                decimal=spec.decimal,
                keep_rejects=1_000_000,
            )
            good = sum(len(batch) for batch in parsed.batches())
    except FetchError as exc:
        print(f"{args.source}: cannot read: {exc.reason}")
        return EXIT_FAILED
    except FeedRejected as exc:
        print(f"{args.source}: rejected: {exc.reason}")
        return EXIT_FAILED
    finally:
        fetcher.close()

    for bad in parsed.rejects:
        print(f"{args.source}: {bad}")
    problems: list[str] = []
    if parsed.reject_count > len(parsed.rejects):
        problems.append(f"... and {parsed.reject_count - len(parsed.rejects)} more bad rows")
    whole = whole_feed_problem(spec.kind, parsed)
    if whole is not None:
        problems.append(f"rejected: {whole}")
    for line in problems:
        print(f"{args.source}: {line}")
    ok = parsed.reject_count == 0 and not problems
    print(
        f"{args.source}: {parsed.format}, {parsed.row_count} data rows, {good} good, "
        f"{parsed.reject_count} bad: {'valid' if ok else 'NOT valid'}"
    )
    return EXIT_OK if ok else EXIT_FAILED
