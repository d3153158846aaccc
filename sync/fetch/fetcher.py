"""Download one feed, from a local file or over HTTP(S), correctly and within bounds.

`Fetcher.fetch(spec, previous)` returns a `Fetched` whose body is a seekable temporary file, or
says the feed is unchanged (a 304, or a local file with the same size and mtime), or raises
`FetchError` with one line a store manager or HQ can act on. It never parses the feed.

Bounds, all from `spec.fetch` (`FetchOptions`):

- `deadline_s` covers the whole download: every attempt, every wait between attempts and the body.
  Checked between chunks, and enforced by `http_fetch.Watchdog`, which shuts the socket down when
  the deadline passes, because requests' read timeout is per socket read and a server dripping one
  byte at a time would never trip it.
- `max_bytes` caps the decoded body while it streams (a gzip bomb stops at the cap); a declared
  Content-Length above the cap is refused before reading.
- `retries`, `backoff_s`, `retry_after_max_s`: connection failures, 429 and 5xx are retried with
  exponential backoff (`backoff_s`, then twice that, ...), or after the server's Retry-After when it
  sends one. A wait that would pass the deadline, or a Retry-After longer than `retry_after_max_s`,
  ends the download at once with the reason: the next scheduled pull tries again, instead of
  coming back earlier than HQ asked.

Validators (ETag, Last-Modified; size and mtime for files) are only returned here: the caller stores
them after the feed was applied, so a rejected feed is fetched whole next time.

Secrets (`spec.auth`) go into request headers only; no message or log line here contains them,
and URLs in messages lose their `user:password@` and query string.
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, BinaryIO, Self
from urllib.parse import unquote, urlsplit

import requests
import urllib3

from sync.errors import FetchError
from sync.fetch import http_fetch
from sync.spec import FeedSpec, FetchOptions, HttpAuth

log = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
SPOOL_MEMORY_BYTES = 4 * 1024 * 1024  # a body larger than this goes to a temporary file on disk
MAX_REDIRECTS = 5  # requests follows 30 by default; a feed needs one or two
ACCEPT = "text/csv, application/json;q=0.9, text/plain;q=0.5, */*;q=0.1"
# Explicit, so the response is something urllib3 always decodes (br and zstd depend on optional
# packages) and its decompression-bomb limits (urllib3 >= 2.6) apply.
ACCEPT_ENCODING = "gzip, deflate"
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


class Fetcher:
    """Downloads feeds; holds one `requests.Session` so connections to HQ are reused.

    Call `fetch` from one thread at a time per feed. `clock` (monotonic seconds) and `sleep` are
    injectable so tests can run retries and deadlines without waiting; the hard deadline
    (`http_fetch.Watchdog`) always runs on real time.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._session = http_fetch.watched_session()
        self._session.max_redirects = MAX_REDIRECTS

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
            return self._fetch_http(spec, previous)
        scheme = urlsplit(spec.url).scheme.lower()
        if scheme == "file":
            return self._fetch_file(spec, path_of_file_url(spec.url), previous)
        if len(scheme) > 1:  # "C:\feeds" has a one-letter "scheme"
            raise FetchError(f"unsupported feed address (not a path, http or https): {scheme}:")
        return self._fetch_file(spec, spec.url, previous)

    # --- Local files -----------------------------------------------------------------------------

    def _fetch_file(self, spec: FeedSpec, path: str, previous: Validators | None) -> Fetched:
        opts = spec.fetch
        deadline = self._clock() + opts.deadline_s
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
            raise FetchError(_too_big(opts, info.st_size))
        try:
            with open(path, "rb") as source:
                before = os.fstat(source.fileno())
                sink = _Sink(opts, deadline, self._clock, http_status=None)
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

    # --- HTTP(S) ---------------------------------------------------------------------------------

    def _fetch_http(self, spec: FeedSpec, previous: Validators | None) -> Fetched:
        opts = spec.fetch
        headers = _request_headers(spec, previous)
        auth = _basic_auth(spec.auth)
        verify = _verify(opts)
        deadline = self._clock() + opts.deadline_s
        with http_fetch.Watchdog(opts.deadline_s) as watchdog:
            return self._download(spec, previous, headers, auth, verify, deadline, watchdog)

    def _download(
        self,
        spec: FeedSpec,
        previous: Validators | None,
        headers: dict[str, str],
        auth: tuple[bytes, bytes] | None,
        verify: str | bool,
        deadline: float,
        watchdog: http_fetch.Watchdog,
    ) -> Fetched:
        """The retry loop: attempts until a final answer, the retries run out, or the deadline."""
        opts = spec.fetch
        shown = http_fetch.redact_url(spec.url)
        attempts = max(opts.retries, 0) + 1
        is_conditional = "If-None-Match" in headers or "If-Modified-Since" in headers
        conditional = " (conditional)" if is_conditional else ""
        failure: FetchError | None = None
        for attempt in range(1, attempts + 1):
            left = deadline - self._clock()
            if left <= 0 or watchdog.fired:
                raise _late(opts, failure)
            timeouts = (min(opts.connect_timeout_s, left), min(opts.read_timeout_s, left))
            retry_after: float | None = None
            try:
                response = self._session.get(
                    spec.url,
                    headers=headers,
                    auth=auth,
                    verify=verify,
                    timeout=timeouts,
                    stream=True,
                    hooks={"response": [http_fetch.drop_redirect_body]},
                )
            except requests.exceptions.SSLError as exc:
                if watchdog.fired:
                    raise _late(opts, failure) from None
                # Not retried: a certificate does not get better in a second.
                raise FetchError(http_fetch.describe_tls_error(exc, spec.url)) from exc
            except requests.exceptions.TooManyRedirects as exc:
                raise FetchError(_redirect_error(exc)) from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if watchdog.fired or self._clock() >= deadline:
                    raise _late(opts, failure) from None
                failure = FetchError(http_fetch.describe_connection_error(exc, spec.url, timeouts))
                log.debug(
                    "feed %s: GET %s attempt %d of %d%s: %s",
                    spec.name,
                    shown,
                    attempt,
                    attempts,
                    conditional,
                    failure.reason,
                )
            except requests.exceptions.RequestException as exc:
                # InvalidURL, InvalidSchema (a redirect to ftp:), InvalidHeader...: their text may
                # quote a header value, so only the kind of error is shown.
                raise FetchError(f"cannot request {shown}: {type(exc).__name__}") from None
            else:
                status = response.status_code
                log.debug(
                    "feed %s: GET %s attempt %d of %d%s: %s",
                    spec.name,
                    shown,
                    attempt,
                    attempts,
                    conditional,
                    http_fetch.status_text(status, response.reason),
                )
                if not http_fetch.is_retryable_status(status):
                    try:
                        return self._finish(spec, previous, response, deadline, watchdog)
                    finally:
                        response.close()
                failure = FetchError(http_fetch.status_text(status, response.reason), status)
                retry_after = http_fetch.parse_retry_after(response.headers.get("Retry-After"))
                # Close, never drain: the body of a 503 may be endless.
                response.close()

            if attempt == attempts:
                break
            wait = self._wait_before_retry(opts, failure, attempt, retry_after, deadline)
            log.info(
                "feed %s: %s; retrying in %.1f s (attempt %d of %d)",
                spec.name,
                failure.reason,
                wait,
                attempt + 1,
                attempts,
            )
            self._sleep(wait)
        assert failure is not None
        if attempts == 1:
            raise failure
        raise FetchError(
            f"{failure.reason} (gave up after {attempts} attempts)", failure.http_status
        )

    def _wait_before_retry(
        self,
        opts: FetchOptions,
        failure: FetchError,
        attempt: int,
        retry_after: float | None,
        deadline: float,
    ) -> float:
        """Seconds to wait before the next attempt, or FetchError when waiting is pointless."""
        left = deadline - self._clock()
        if retry_after is not None:
            asked = f"{failure.reason}; server asked to retry after {_seconds(retry_after)} s"
            if retry_after >= left:
                raise FetchError(
                    f"{asked}, beyond the {opts.deadline_s:g} s deadline", failure.http_status
                )
            if retry_after > opts.retry_after_max_s:
                raise FetchError(
                    f"{asked}, longer than the {opts.retry_after_max_s:g} s we wait "
                    "(retry_after_max_s)",
                    failure.http_status,
                )
            return retry_after
        wait = opts.backoff_s * 2 ** (attempt - 1)
        if wait >= left:
            raise FetchError(
                f"{failure.reason} (gave up after {_attempts(attempt)}: another would pass the "
                f"{opts.deadline_s:g} s deadline)",
                failure.http_status,
            )
        return wait

    def _finish(
        self,
        spec: FeedSpec,
        previous: Validators | None,
        response: requests.Response,
        deadline: float,
        watchdog: http_fetch.Watchdog,
    ) -> Fetched:
        """Turn a final (not retried) response into a `Fetched` or a `FetchError`."""
        opts = spec.fetch
        status = response.status_code
        if watchdog.fired:  # headers cut off by the watchdog may still parse
            raise _late(opts, None, 0, status)
        content_type = http_fetch.media_type(response.headers.get("Content-Type"))
        if status == 304:
            if previous is None or not (previous.etag or previous.last_modified):
                raise FetchError(
                    "HQ answered 304 Not Modified to a request that was not conditional", 304
                )
            return Fetched(True, None, content_type, 304, previous, response.url, 0)
        if not 200 <= status < 300 or status == 206:  # 206: a part, and we never asked for one
            raise FetchError(_status_error(spec, response), status)
        if content_type in http_fetch.HTML_MEDIA_TYPES:
            raise HtmlPageError(HTML_PAGE, status)
        length = http_fetch.content_length(response.headers)
        if length is not None and length > opts.max_bytes:
            raise FetchError(_too_big(opts, length), status)

        sink = _Sink(opts, deadline, self._clock, http_status=status)
        try:
            sink.copy(response.iter_content(CHUNK_BYTES))
        except FetchError:
            sink.discard()
            raise
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            sink.discard()
            if watchdog.fired or self._clock() >= deadline:
                raise _late(opts, None, sink.bytes_read, status) from None
            received = response.raw.tell()  # bytes on the wire, as Content-Length counts them
            reason = http_fetch.describe_body_error(exc, received, length)
            raise FetchError(reason, status) from exc
        except BaseException:
            sink.discard()
            raise
        if watchdog.fired:
            # The shutdown can look like a normal end: a close-delimited body, or headers cut
            # off mid-line that http.client takes as complete. Whatever arrived is suspect.
            sink.discard()
            raise _late(opts, None, sink.bytes_read, status)

        body = sink.body()
        head = body.read(1024)
        body.seek(0)
        if http_fetch.looks_like_html(head):
            body.close()
            raise HtmlPageError(HTML_PAGE, status)
        validators = Validators(
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )
        log.debug(
            "feed %s: read %d bytes (%s) from %s",
            spec.name,
            sink.bytes_read,
            content_type or "no content type",
            http_fetch.redact_url(response.url),
        )
        return Fetched(
            False,
            body,
            content_type,
            status,
            validators,
            response.url,
            sink.bytes_read,
            headers=response.headers,
        )


class _Sink:
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
                raise FetchError(_too_big(self._opts, None), self._status)
            self._file.write(chunk)
            if self._clock() > self._deadline:
                raise _late(self._opts, None, self.bytes_read, self._status)

    def body(self) -> BinaryIO:
        self._file.seek(0)
        return self._file  # type: ignore[return-value]

    def discard(self) -> None:
        self._file.close()


# --- Helpers -------------------------------------------------------------------------------------


def _request_headers(spec: FeedSpec, previous: Validators | None) -> dict[str, str]:
    opts = spec.fetch
    headers = {
        "User-Agent": opts.user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    if previous is not None and previous.etag:
        headers["If-None-Match"] = previous.etag
    if previous is not None and previous.last_modified:
        headers["If-Modified-Since"] = previous.last_modified
    token = spec.auth.bearer_token if spec.auth else None
    if token:
        # requests would refuse a bad value with an InvalidHeader that quotes it; say it here.
        if http_fetch.unsafe_header_value(token):
            raise FetchError(
                "the feed's bearer token has characters that cannot go in an HTTP header "
                "(a stray space or line break?)"
            )
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _basic_auth(auth: HttpAuth | None) -> tuple[bytes, bytes] | None:
    if auth is None or auth.bearer_token or not auth.username:
        return None
    # Bytes, so requests does not encode them as Latin-1 (and fail on other characters); UTF-8
    # is what RFC 7617 servers expect.
    return auth.username.encode("utf-8"), (auth.password or "").encode("utf-8")


def _verify(opts: FetchOptions) -> str | bool:
    """requests' `verify`: always on; the configured CA bundle when there is one."""
    if opts.ca_bundle is None:
        return True
    if not os.path.isfile(opts.ca_bundle):
        raise FetchError(f"the feed's CA bundle does not exist: {opts.ca_bundle}")
    return opts.ca_bundle


def _status_error(spec: FeedSpec, response: requests.Response) -> str:
    status = response.status_code
    text = http_fetch.status_text(status, response.reason)
    where = http_fetch.redact_url(response.url)
    if status in (401, 403):
        if spec.auth is None:
            return f"{text}: HQ wants credentials for this feed, and none are configured"
        return f"{text}: HQ refused them; check the feed's token or credentials"
    if status == 407:
        return f"{text}: check the proxy settings"
    if status == 511:
        return f"{text}: the store's network wants a sign-in first (a captive portal?)"
    if status in (404, 410):
        return f"{text}: the feed was not found at {where}"
    if 300 <= status < 400:
        return f"{text}: a redirect without a usable Location"
    return text


def _redirect_error(exc: requests.exceptions.TooManyRedirects) -> str:
    response = exc.response
    hops = [*(r.url for r in response.history), response.url] if response is not None else []
    if response is not None:
        response.close()
    if len(hops) != len(set(hops)):
        loop = " -> ".join(http_fetch.redact_url(url) for url in hops[:4])
        return f"HQ redirects in a loop ({loop} ...)"
    return f"HQ redirected more than {MAX_REDIRECTS} times"


def _late(
    opts: FetchOptions,
    failure: FetchError | None,
    received: int | None = None,
    status: int | None = None,
) -> FetchError:
    """The deadline error, with what was going on when it struck."""
    text = f"download took longer than {opts.deadline_s:g} s"
    if received is not None:
        text += f"; stopped after {_size(received)} (a slow or stalled server?)"
    elif failure is not None:
        text += f"; last error: {failure.reason}"
        status = failure.http_status
    else:
        text += "; HQ did not answer in time"
    return FetchError(text, status)


def _too_big(opts: FetchOptions, size: int | None) -> str:
    actual = f" ({_size(size)})" if size is not None else ""
    return (
        f"the feed is larger than the {_size(opts.max_bytes)} limit{actual}; "
        "raise max_bytes if it is meant to be"
    )


def _size(n: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.3g} {unit}"
    return f"{n} bytes"


def _attempts(n: int) -> str:
    return "1 attempt" if n == 1 else f"{n} attempts"


def _seconds(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.3g}"


def strerror(exc: OSError, default: str | None = None) -> str:
    """The OS's reason for `exc`, lowercased; when it has none, `default`, else the exception's
    type name."""
    if exc.strerror:
        return exc.strerror.lower()
    return (type(exc).__name__ if default is None else default).lower()


def path_of_file_url(url: str) -> str:
    """`file:///srv/feeds/a%20b.csv` -> `/srv/feeds/a b.csv` (the config normally did this)."""
    parts = urlsplit(url)
    return unquote(parts.path)


__all__ = [
    "Fetched",
    "Fetcher",
    "HtmlPageError",
    "Validators",
    "path_of_file_url",
    "strerror",
]
