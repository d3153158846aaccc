"""A feed from a local path or file: URL: unchanged when its size and mtime are, read within the
deadline and the byte cap, and refused when it changes while being read (a copy in progress)."""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from sync.errors import FetchError
from sync.fetch.result import CHUNK_BYTES, BodySink, Fetched, Validators
from sync.fetch.wording import strerror, too_big_text
from sync.spec import FeedSpec

log = logging.getLogger(__name__)


def fetch_file(
    spec: FeedSpec,
    path: str,
    previous: Validators | None,
    clock: Callable[[], float] = time.monotonic,
) -> Fetched:
    opts = spec.fetch
    deadline = clock() + opts.deadline_s
    log.debug("feed %s: reading %s", spec.name, path)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise FetchError(f"file not found: {path}") from None
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {strerror(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise FetchError(f"not a file but a folder: {path}")
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block, a device never end
        raise FetchError(f"not a regular file: {path}")
    if (
        previous is not None
        and previous.size == info.st_size
        and previous.mtime_ns == info.st_mtime_ns
    ):
        log.debug("feed %s: %s unchanged (same size and modification time)", spec.name, path)
        return Fetched(True, None, None, None, previous, path, 0)
    if info.st_size > opts.max_bytes:
        raise FetchError(too_big_text(opts, info.st_size))
    try:
        with open(path, "rb") as source:
            before = os.fstat(source.fileno())
            sink = BodySink(opts, deadline, clock, http_status=None)
            try:
                sink.copy(iter(lambda: source.read(CHUNK_BYTES), b""))
                after = os.fstat(source.fileno())
            except BaseException:
                sink.discard()
                raise
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {strerror(exc)}") from None
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        # Someone is still writing it (a copy from HQ in progress): take it next time whole.
        sink.discard()
        raise FetchError(f"the file changed while it was being read: {path}")
    validators = Validators(size=before.st_size, mtime_ns=before.st_mtime_ns)
    return Fetched(False, sink.body(), None, None, validators, path, sink.bytes_read)


def path_of_file_url(url: str) -> str:
    """`file:///srv/feeds/a%20b.csv` -> `/srv/feeds/a b.csv` (the config normally did this)."""
    parts = urlsplit(url)
    return unquote(parts.path)
