"""`kiosk feeds check PATH_OR_URL --kind KIND`: validate a feed before HQ publishes it.

It reports the rows and reasons a pull would (the same code reads the feed), then what an
analyst needs to trust the file: the encoding and delimiter used, rows per store, keys given two
values, text that looks mis-decoded, and with `--store` what that store's kiosk would keep.
Exit 0 when the feed is valid, 1 otherwise (warnings do not fail it).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from kiosk.config import CONFIG_ENV, default_config_path, load_config
from kiosk.exits import EXIT_FAILED, EXIT_OK
from sync.errors import FeedRejected, FetchError
from sync.feed_check import FeedInspection, inspect_feed
from sync.fetch.fetcher import Fetcher
from sync.fetch.files import path_of_file_url
from sync.parse.decode import encoding_label
from sync.parse.feed import parse_feed
from sync.parse.records import DELIMITER_NAMES
from sync.service import resolve_format, store_id_hint
from sync.spec import FeedSpec, FetchOptions

MAX_STORES_LISTED = 12


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

    spec = FeedSpec(
        name="check",
        kind=args.kind,
        url=_location(args.source),
        format=args.format,
        decimal=args.decimal,
        encoding=args.encoding,
        fetch=fetch_options,
    )
    fetcher = Fetcher()
    try:
        region_of = _regions(args, fetcher, fetch_options) if args.store else None
        found = inspect_feed(spec, fetcher, store=args.store, region_of=region_of)
    except FetchError as exc:
        print(f"{args.source}: cannot read: {exc.reason}")
        return EXIT_FAILED
    except FeedRejected as exc:
        print(f"{args.source}: rejected: {exc.reason}")
        return EXIT_FAILED
    finally:
        fetcher.close()
    for line in report_lines(found, args.store):
        print(f"{args.source}: {line}")
    return EXIT_OK if found.valid else EXIT_FAILED


def _location(source: str) -> str:
    """A URL as given, or a local path made absolute."""
    if source.lower().startswith(("http://", "https://")):
        return source
    if source.lower().startswith("file:"):
        source = path_of_file_url(source)
    return str(Path(source).expanduser().resolve())


def _regions(
    args: argparse.Namespace, fetcher: Fetcher, options: FetchOptions
) -> dict[str, str] | None:
    """Store id -> region from `--stores`, to preview what a store's kiosk keeps."""
    if not args.stores:
        return None
    spec = FeedSpec(name="stores", kind="stores", url=_location(args.stores), fetch=options)
    with fetcher.fetch(spec, None) as fetched:
        assert fetched.body is not None
        parsed = parse_feed(fetched.body, "stores", fmt=resolve_format(spec, fetched))
        return {str(r["store_id"]): str(r["region"]) for batch in parsed.batches() for r in batch}


def report_lines(found: FeedInspection, store: str | None) -> list[str]:
    """The bad rows, then what was read and how, warnings, the preview, and the verdict last."""
    lines = [str(bad) for bad in found.rejects]
    if found.reject_count > len(found.rejects):
        lines.append(f"... and {found.reject_count - len(found.rejects)} more bad rows")
    if found.whole_feed_problem is not None:
        lines.append(f"rejected: {found.whole_feed_problem}")
    how = f"read as {found.format.upper()}, {encoding_label(found.encoding)}"
    if found.delimiter is not None:
        how += f", {DELIMITER_NAMES.get(found.delimiter, repr(found.delimiter))}-separated"
    lines.append(how)
    if found.rows_per_store:
        lines.append(f"rows per store: {_per_store(found)}")
    for key, first, later in found.duplicates:
        lines.append(
            f"warning: {key} is given two values in this file ({first}, then {later}); "
            "the later row wins"
        )
    if found.duplicate_count > len(found.duplicates):
        lines.append(f"warning: ... and {found.duplicate_count - len(found.duplicates)} more")
    if found.garbled:
        samples = ", ".join(repr(text[:40]) for text in found.garbled)
        lines.append(
            f"warning: not UTF-8, read as Windows-1252, and some text looks garbled ({samples}): "
            'for Polish or Czech set encoding = "cp1250" on the feed (or --encoding cp1250), '
            'for Russian "cp1251"'
        )
    if store is not None and found.kept_rows is not None and found.kept_stores is not None:
        others = sorted(found.kept_stores - {store})
        region = f" and its region ({', '.join(others)})" if others else ""
        lines.append(f"store {store} would keep {found.kept_rows} rows: its own{region}")
        if found.rows_per_store and store not in found.rows_per_store:
            near = [s for s in found.rows_per_store if store_id_hint(s, store)]
            like = f" (but {near[0]!r} has {found.rows_per_store[near[0]]})" if near else ""
            lines.append(f"warning: no row of this feed is for store {store!r}{like}")
    verdict = "valid" if found.valid else "NOT valid"
    lines.append(
        f"{found.format}, {found.row_count} data rows, {found.good} good, "
        f"{found.reject_count} bad: {verdict}"
    )
    return lines


def _per_store(found: FeedInspection) -> str:
    ranked = found.rows_per_store.most_common()
    listed = ", ".join(f"{store!r} {count}" for store, count in ranked[:MAX_STORES_LISTED])
    if len(ranked) > MAX_STORES_LISTED:
        listed += f" and {len(ranked) - MAX_STORES_LISTED} more stores"
    return listed
