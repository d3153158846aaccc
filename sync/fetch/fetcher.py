"""Download one feed, from a local file or over HTTP(S), correctly and within bounds.

`Fetcher.fetch(spec, previous)` returns a `Fetched` whose body is a seekable temporary file, or
says the feed is unchanged (a 304, or a local file with the same size and mtime), or raises
`FetchError` with one line a store manager or HQ can act on. It never parses the feed.
Local files are `sync.fetch.files`, HTTP(S) is `sync.fetch.http_download`; both stream through
`result.BodySink` under the feed's deadline and byte cap (`FetchOptions`).

Validators (ETag, Last-Modified; size and mtime for files) are only returned here: the caller stores
them after the feed was applied, so a rejected feed is fetched whole next time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

from sync.errors import FetchError
from sync.fetch.deadline import deadline_session
from sync.fetch.files import fetch_file, path_of_file_url
from sync.fetch.http_download import HttpDownloader
from sync.fetch.result import Fetched, Validators
from sync.fetch.wording import MAX_REDIRECTS
from sync.spec import FeedSpec


class Fetcher:
    """Downloads feeds; holds one `requests.Session` so connections to HQ are reused.

    Call `fetch` from one thread at a time per feed. `clock` (monotonic seconds) and `sleep` are
    injectable so tests can run retries and deadlines without waiting; the hard deadline
    (`deadline.SocketDeadline`) always runs on real time.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._session = deadline_session()
        self._session.max_redirects = MAX_REDIRECTS
        self._http = HttpDownloader(self._session, clock, sleep)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def fetch(self, spec: FeedSpec, previous: Validators | None) -> Fetched:
        """Download `spec`'s feed; raises `FetchError(reason, http_status)` when it cannot."""
        if spec.is_http:
            return self._http.fetch(spec, previous)
        scheme = urlsplit(spec.url).scheme.lower()
        if scheme == "file":
            return fetch_file(spec, path_of_file_url(spec.url), previous, self._clock)
        if len(scheme) > 1:  # "C:\feeds" has a one-letter "scheme"
            raise FetchError(f"unsupported feed address (not a path, http or https): {scheme}:")
        return fetch_file(spec, spec.url, previous, self._clock)
