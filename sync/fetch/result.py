"""What a download gives back (`Fetched`, `Validators`), and the bounded copy of a body into
a spooled temporary file (`BodySink`), shared by local files and HTTP."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, BinaryIO, Self

from sync.errors import FetchError
from sync.fetch.wording import deadline_error, too_big_text
from sync.spec import FetchOptions

CHUNK_BYTES = 64 * 1024
SPOOL_MEMORY_BYTES = 4 * 1024 * 1024  # a body larger than this goes to a temporary file on disk
HTML_PAGE = "HQ answered with an HTML page, not a feed (a login or error page?)"


class HtmlPageError(FetchError):
    """HQ served an HTML page (a login or error page) instead of a feed; `reason` is HTML_PAGE."""


@dataclass(frozen=True)
class Validators:
    """What to send next time to skip an unchanged feed; stored by the caller after an apply.

    HTTP feeds use `etag` and `last_modified`; local files use `size` and `mtime_ns`.
    """

    etag: str | None = None
    last_modified: str | None = None
    size: int | None = None
    mtime_ns: int | None = None


@dataclass
class Fetched:
    """One downloaded feed, or the news that it did not change. Close it (or use `with`)."""

    unchanged: bool  # a 304, or a local file with the same size and mtime_ns
    body: BinaryIO | None  # seekable, at offset 0; None when unchanged
    content_type: str | None  # media type only, lowercased ("text/csv"); None for local files
    http_status: int | None  # None for local files
    validators: Validators  # of this response or file (the previous ones when unchanged)
    url: str  # the final URL after redirects, or the path
    bytes_read: int  # decoded body bytes
    # The response headers (case-insensitive; empty for local files): a feed's signature
    # may come in one (`sync.fetch.signature`).
    headers: Mapping[str, str] = field(default_factory=dict)

    def close(self) -> None:
        if self.body is not None:
            self.body.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class BodySink:
    """Copies a body into a spooled temporary file, within the byte cap and the deadline."""

    def __init__(
        self,
        opts: FetchOptions,
        deadline: float,
        clock: Callable[[], float],
        *,
        http_status: int | None,
    ) -> None:
        self._opts = opts
        self._deadline = deadline
        self._clock = clock
        self._status = http_status
        # Handed over to the caller in `Fetched.body`, or closed by `discard()`.
        self._file: IO[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=SPOOL_MEMORY_BYTES
        )
        self.bytes_read = 0

    def copy(self, chunks: Iterable[bytes]) -> None:
        for chunk in chunks:
            self.bytes_read += len(chunk)
            if self.bytes_read > self._opts.max_bytes:
                raise FetchError(too_big_text(self._opts, None), self._status)
            self._file.write(chunk)
            if self._clock() > self._deadline:
                raise deadline_error(self._opts, None, self.bytes_read, self._status)

    def body(self) -> BinaryIO:
        self._file.seek(0)
        return self._file  # type: ignore[return-value]

    def discard(self) -> None:
        self._file.close()
