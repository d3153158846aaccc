"""A feed over HTTP(S): conditional GET, retries with backoff or Retry-After, all within one
deadline and a byte cap, and an answer that is really a feed (not an HTML page).

Bounds, all from `spec.fetch` (`FetchOptions`):

- `deadline_s` covers the whole download: every attempt, every wait between attempts and the body.
  Checked between chunks, and enforced by `deadline.SocketDeadline`, which shuts the socket down
  when the deadline passes, because requests' read timeout is per socket read and a server
  dripping one byte at a time would never trip it.
- `max_bytes` caps the decoded body while it streams (a gzip bomb stops at the cap); a declared
  Content-Length above the cap is refused before reading.
- `retries`, `backoff_s`, `retry_after_max_s`: connection failures, 429 and 5xx are retried with
  exponential backoff (`backoff_s`, then twice that, ...), or after the server's Retry-After when it
  sends one. A wait that would pass the deadline, or a Retry-After longer than `retry_after_max_s`,
  ends the download at once with the reason: the next scheduled pull tries again, instead of
  coming back earlier than HQ asked.

Secrets (`spec.auth`) go into request headers only; no message or log line here contains them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from sync.errors import FetchError
from sync.fetch.deadline import SocketDeadline, drop_redirect_body
from sync.fetch.responses import (
    HTML_MEDIA_TYPES,
    content_length,
    is_retryable_status,
    looks_like_html,
    media_type,
    parse_retry_after,
    sendable_validator,
    unsafe_header_value,
)
from sync.fetch.result import CHUNK_BYTES, HTML_PAGE, BodySink, Fetched, HtmlPageError, Validators
from sync.fetch.wording import (
    attempts_text,
    deadline_error,
    describe_body_error,
    describe_connection_error,
    describe_tls_error,
    redact_url,
    redirect_error,
    seconds_text,
    status_error,
    status_text,
    too_big_text,
)
from sync.spec import FeedSpec, FetchOptions, HttpAuth

log = logging.getLogger(__name__)


class DowngradeRefused(FetchError):
    """An https feed redirected to plain http: the body (and a token) would travel in clear."""


def refuse_downgrade(response: requests.Response, *args: object, **kwargs: object) -> None:
    """Response hook: raise DowngradeRefused for a redirect from https to http, before it is
    followed (requests follows it, and drops nothing but the Authorization header)."""
    if not response.is_redirect or urlsplit(response.url).scheme.lower() != "https":
        return
    target = urljoin(response.url, response.headers.get("Location", ""))
    if urlsplit(target).scheme.lower() == "http":
        response.close()
        raise DowngradeRefused(
            f"HQ redirected the https feed to plain http ({redact_url(target)}): refused, so the "
            "feed and its credentials never travel unencrypted; fix the redirect or the url"
        )


ACCEPT = "text/csv, application/json;q=0.9, text/plain;q=0.5, */*;q=0.1"
# Explicit, so the response is something urllib3 always decodes (br and zstd depend on optional
# packages) and its decompression-bomb limits (urllib3 >= 2.6) apply.
ACCEPT_ENCODING = "gzip, deflate"


class HttpDownloader:
    """Downloads HTTP(S) feeds through one `requests.Session` (connections to HQ are reused).

    `clock` (monotonic seconds) and `sleep` are injected by `Fetcher`, so tests can run retries
    and deadlines without waiting; the hard `SocketDeadline` always runs on real time.
    """

    def __init__(
        self,
        session: requests.Session,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self._session = session
        self._clock = clock
        self._sleep = sleep

    def fetch(self, spec: FeedSpec, previous: Validators | None) -> Fetched:
        opts = spec.fetch
        headers = request_headers(spec, previous)
        auth = basic_auth(spec.auth)
        verify = tls_verify(opts)
        deadline = self._clock() + opts.deadline_s
        with SocketDeadline(opts.deadline_s) as socket_deadline:
            return self._download(spec, previous, headers, auth, verify, deadline, socket_deadline)

    def _download(
        self,
        spec: FeedSpec,
        previous: Validators | None,
        headers: dict[str, str],
        auth: tuple[bytes, bytes] | None,
        verify: str | bool,
        deadline: float,
        socket_deadline: SocketDeadline,
    ) -> Fetched:
        """The retry loop: attempts until a final answer, the retries run out, or the deadline."""
        opts = spec.fetch
        shown = redact_url(spec.url)
        attempts = max(opts.retries, 0) + 1
        is_conditional = "If-None-Match" in headers or "If-Modified-Since" in headers
        conditional = " (conditional)" if is_conditional else ""
        failure: FetchError | None = None
        for attempt in range(1, attempts + 1):
            left = deadline - self._clock()
            if left <= 0 or socket_deadline.fired:
                raise deadline_error(opts, failure)
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
                    hooks={"response": [refuse_downgrade, drop_redirect_body]},
                )
            except requests.exceptions.SSLError as exc:
                if socket_deadline.fired:
                    raise deadline_error(opts, failure) from None
                # Not retried: a certificate does not get better in a second.
                raise FetchError(describe_tls_error(exc, spec.url)) from exc
            except requests.exceptions.TooManyRedirects as exc:
                raise FetchError(redirect_error(exc)) from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if socket_deadline.fired or self._clock() >= deadline:
                    raise deadline_error(opts, failure) from None
                failure = FetchError(describe_connection_error(exc, spec.url, timeouts))
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
                    status_text(status, response.reason),
                )
                if not is_retryable_status(status):
                    try:
                        return self._finish(spec, previous, response, deadline, socket_deadline)
                    finally:
                        response.close()
                failure = FetchError(status_text(status, response.reason), status)
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
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
            asked = f"{failure.reason}; server asked to retry after {seconds_text(retry_after)} s"
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
                f"{failure.reason} (gave up after {attempts_text(attempt)}: another would pass the "
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
        socket_deadline: SocketDeadline,
    ) -> Fetched:
        """Turn a final (not retried) response into a `Fetched` or a `FetchError`."""
        opts = spec.fetch
        status = response.status_code
        if socket_deadline.fired:  # headers cut off at the deadline may still parse
            raise deadline_error(opts, None, 0, status)
        content_type = media_type(response.headers.get("Content-Type"))
        if status == 304:
            if previous is None or not (previous.etag or previous.last_modified):
                raise FetchError(
                    "HQ answered 304 Not Modified to a request that was not conditional", 304
                )
            return Fetched(True, None, content_type, 304, previous, response.url, 0)
        if not 200 <= status < 300 or status == 206:  # 206: a part, and we never asked for one
            raise FetchError(status_error(spec, response), status)
        if content_type in HTML_MEDIA_TYPES:
            raise HtmlPageError(HTML_PAGE, status)
        length = content_length(response.headers)
        if length is not None and length > opts.max_bytes:
            raise FetchError(too_big_text(opts, length), status)

        sink = BodySink(opts, deadline, self._clock, http_status=status)
        try:
            sink.copy(response.iter_content(CHUNK_BYTES))
        except FetchError:
            sink.discard()
            raise
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            sink.discard()
            if socket_deadline.fired or self._clock() >= deadline:
                raise deadline_error(opts, None, sink.bytes_read, status) from None
            # Bytes on the wire, as Content-Length counts them; a chunked body has no such count
            # (tell() stays 0), so then what was decoded.
            received = response.raw.tell() or sink.bytes_read
            reason = describe_body_error(exc, received, length)
            raise FetchError(reason, status) from exc
        except BaseException:
            sink.discard()
            raise
        if socket_deadline.fired:
            # The shutdown can look like a normal end: a close-delimited body, or headers cut
            # off mid-line that http.client takes as complete. Whatever arrived is suspect.
            sink.discard()
            raise deadline_error(opts, None, sink.bytes_read, status)

        body = sink.body()
        head = body.read(1024)
        body.seek(0)
        if looks_like_html(head):
            body.close()
            raise HtmlPageError(HTML_PAGE, status)
        validators = Validators(
            etag=sendable_validator(response.headers.get("ETag")),
            last_modified=sendable_validator(response.headers.get("Last-Modified")),
        )
        log.debug(
            "feed %s: read %d bytes (%s) from %s",
            spec.name,
            sink.bytes_read,
            content_type or "no content type",
            redact_url(response.url),
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


def request_headers(spec: FeedSpec, previous: Validators | None) -> dict[str, str]:
    opts = spec.fetch
    headers = {
        "User-Agent": opts.user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    # Validators stored before they were checked (an older kiosk) are checked again here.
    etag = sendable_validator(previous.etag) if previous is not None else None
    last_modified = sendable_validator(previous.last_modified) if previous is not None else None
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    token = spec.auth.bearer_token if spec.auth else None
    if token:
        # requests would refuse a bad value with an InvalidHeader that quotes it; say it here.
        if unsafe_header_value(token):
            raise FetchError(
                "the feed's bearer token has characters that cannot go in an HTTP header "
                "(a stray space or line break?)"
            )
        headers["Authorization"] = f"Bearer {token}"
    return headers


def basic_auth(auth: HttpAuth | None) -> tuple[bytes, bytes] | None:
    if auth is None or auth.bearer_token or not auth.username:
        return None
    # Bytes, so requests does not encode them as Latin-1 (and fail on other characters); UTF-8
    # is what RFC 7617 servers expect.
    return auth.username.encode("utf-8"), (auth.password or "").encode("utf-8")


def tls_verify(opts: FetchOptions) -> str | bool:
    """requests' `verify`: always on; the configured CA bundle when there is one."""
    if opts.ca_bundle is None:
        return True
    if not os.path.isfile(opts.ca_bundle):
        raise FetchError(f"the feed's CA bundle does not exist: {opts.ca_bundle}")
    return opts.ca_bundle
