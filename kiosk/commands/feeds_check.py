"""`kiosk feeds check PATH_OR_URL --kind KIND`: validate a feed before HQ publishes it."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from kiosk.config import CONFIG_ENV, default_config_path, load_config
from kiosk.exits import EXIT_FAILED, EXIT_OK
from sync.errors import FeedRejected, FetchError
from sync.fetch.fetcher import Fetcher
from sync.fetch.files import path_of_file_url
from sync.ingest import whole_feed_problem
from sync.parse.feed import parse_feed
from sync.service import resolve_format
from sync.spec import FeedSpec, FetchOptions


def feeds_check(args: argparse.Namespace) -> int:
    """Validate a feed file or URL the way the kiosk would apply it; exit 1 on any error."""
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
