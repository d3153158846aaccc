"""What `kiosk feeds check` tells an HQ analyst about a feed before it is published.

`inspect_feed` reads a feed exactly as a pull would (the same fetch, decoding, parse and whole-feed
rules, so the bad rows and reasons are the ones a kiosk would report), and adds what a pull
never needs but an analyst does: the encoding and delimiter used, the rows per store (a store id
exported as `1001.0` stands out at once), keys given two different values in one file, text that
looks mis-decoded, and, for one store, what its kiosk would keep.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sync.errors import Reject
from sync.fetch.fetcher import Fetcher
from sync.ingest import whole_feed_problem
from sync.parse.feed import ParsedFeed, read_feed
from sync.parse.kinds import KIND_SCHEMAS
from sync.service import parse_fetched
from sync.spec import FeedSpec

MAX_DUPLICATES_LISTED = 10
MAX_GARBLED_LISTED = 3
EVERY_STORE = "*"

# Text in Windows-1250 (Polish, Czech...) or 1251 (Russian) read as Windows-1252 shows
# tell-tale characters: `Za¿ó³æ` for Zażółć (¿ ³ ¹ œ Ÿ between letters), or runs of accented
# Latin letters for Cyrillic (`Ïðèâåò` for Привет).
_CENTRAL_EUROPEAN = re.compile(r"[^\W\d_][\u00b9\u00b3\u00bf\u0153\u0178\u00a5\u00aa][^\W\d_]")
_CYRILLIC_AS_LATIN = re.compile(r"[\u00c0-\u00ff]{4,}")


@dataclass
class FeedInspection:
    """Everything `kiosk feeds check` prints about one feed."""

    format: str
    encoding: str
    delimiter: str | None
    row_count: int = 0
    good: int = 0
    reject_count: int = 0
    rejects: list[Reject] = field(default_factory=list)
    whole_feed_problem: str | None = None
    rows_per_store: Counter[str] = field(default_factory=Counter)
    # (key shown, first value, other value) for keys that two rows give different values.
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)
    duplicate_count: int = 0
    garbled: list[str] = field(default_factory=list)  # text samples that look mis-decoded
    # With a store to preview: the rows its kiosk would keep, and the stores it keeps.
    kept_rows: int | None = None
    kept_stores: frozenset[str] | None = None

    @property
    def valid(self) -> bool:
        return self.reject_count == 0 and self.whole_feed_problem is None


def inspect_feed(
    spec: FeedSpec,
    fetcher: Fetcher,
    *,
    store: str | None = None,
    region_of: Mapping[str, str] | None = None,
    keep_rejects: int = 1_000_000,
) -> FeedInspection:
    """Read `spec`'s feed as a pull would and describe it. `store`: preview what that store's
    kiosk keeps, its region taken from `region_of` (store id -> region, from a stores feed).
    Raises FetchError or FeedRejected as a pull would fail or reject it."""
    with fetcher.fetch(spec, None) as fetched:

        def parse(proofs: Mapping[str, tuple[str, int]]) -> ParsedFeed:
            return parse_fetched(spec, fetched, proofs, keep_rejects)

        def use(parsed: ParsedFeed) -> FeedInspection:
            return _inspect_rows(parsed, spec, store, region_of)

        return read_feed(parse, use)


def region_members(stores_rows: Iterable[Mapping[str, object]], store: str) -> frozenset[str]:
    """`store` and the stores of its region (its own row's), as a kiosk keeps them."""
    region_of = {str(row["store_id"]): str(row["region"]) for row in stores_rows}
    return _kept(store, region_of)


def _kept(store: str, region_of: Mapping[str, str] | None) -> frozenset[str]:
    region = (region_of or {}).get(store)
    if region is None:
        return frozenset({store})
    return frozenset({store, *(s for s, r in (region_of or {}).items() if r == region)})


def _key_columns(spec: FeedSpec) -> tuple[str, ...]:
    return KIND_SCHEMAS[spec.kind].key_columns


def _inspect_rows(
    parsed: ParsedFeed,
    spec: FeedSpec,
    store: str | None,
    region_of: Mapping[str, str] | None,
) -> FeedInspection:
    found = FeedInspection(parsed.format, parsed.encoding, parsed.delimiter)
    keys = _key_columns(spec)
    seen: dict[tuple[object, ...], tuple[object, ...]] = {}
    stores_rows: list[Mapping[str, object]] = []
    texts = spec.encoding is None and parsed.encoding == "cp1252"
    for batch in parsed.batches():
        for row in batch:
            found.good += 1
            store_id = row.get("store_id")
            if store_id is not None:
                found.rows_per_store[str(store_id)] += 1
            if spec.kind == "stores":
                stores_rows.append(row)
            if keys:
                _note_duplicate(found, seen, row, keys)
            if texts and len(found.garbled) < MAX_GARBLED_LISTED:
                found.garbled += [text for text in _texts(row) if _looks_garbled(text)][
                    : MAX_GARBLED_LISTED - len(found.garbled)
                ]
    found.row_count = parsed.row_count
    found.reject_count = parsed.reject_count
    found.rejects = parsed.rejects
    found.whole_feed_problem = whole_feed_problem(spec.kind, parsed)
    if store is not None:
        kept = region_members(stores_rows, store) if spec.kind == "stores" else None
        kept = kept if kept is not None else _kept(store, region_of)
        found.kept_stores = kept
        if "store_id" in {f.name for f in KIND_SCHEMAS[spec.kind].fields}:
            found.kept_rows = sum(
                count
                for sid, count in found.rows_per_store.items()
                if sid in kept or (spec.kind == "messages" and sid == EVERY_STORE)
            )
        else:
            found.kept_rows = found.good  # a catalog is the same for every store
    return found


def _note_duplicate(
    found: FeedInspection,
    seen: dict[tuple[object, ...], tuple[object, ...]],
    row: Mapping[str, object],
    keys: tuple[str, ...],
) -> None:
    """Remember `row`'s values under its key; a key given two different values is listed (the
    later row wins in a pull, which may not be what HQ meant)."""
    key = tuple(row[k] for k in keys)
    values = tuple(v for k, v in row.items() if k not in keys and k != "position")
    before = seen.setdefault(key, values)
    if before != values:
        found.duplicate_count += 1
        if len(found.duplicates) < MAX_DUPLICATES_LISTED:
            shown = " ".join(str(part) for part in key)
            found.duplicates.append((shown, _values(before), _values(values)))
        seen[key] = values


def _values(values: tuple[object, ...]) -> str:
    return ", ".join(str(v) for v in values)


def _texts(row: Mapping[str, object]) -> Iterable[str]:
    return (value for value in row.values() if isinstance(value, str) and not value.isascii())


def _looks_garbled(text: str) -> bool:
    return bool(_CENTRAL_EUROPEAN.search(text) or _CYRILLIC_AS_LATIN.search(text))
