"""Each feed reachable, as a pull would reach it (its token, CA bundle, timeouts), asked for its
headers only; the `Date` of HQ's answers is kept for the clock check."""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kiosk.doctor.finding import Finding, size_text
from sync.spec import FeedSpec


@dataclass(frozen=True)
class HqTime:
    """HQ's clock as a feed response's `Date` header gave it, and ours when it arrived."""

    hq: dt.datetime
    ours: dt.datetime


def check_feeds(
    feeds: Sequence[FeedSpec], demo_dir: Path | None = None
) -> tuple[list[Finding], list[HqTime]]:
    """Each feed asked for its headers, all at once (a dead network costs one timeout)."""
    if not feeds:
        return [Finding("warn", "feeds", "none configured: the board will stay empty")], []
    with ThreadPoolExecutor(max_workers=min(8, len(feeds))) as pool:
        results = list(pool.map(lambda spec: check_feed(spec, demo_dir), feeds))
    return [finding for finding, _ in results], [t for _, t in results if t is not None]


def check_feed(spec: FeedSpec, demo_dir: Path | None = None) -> tuple[Finding, HqTime | None]:
    topic = f"feed {spec.name}"
    if not spec.is_http:
        is_file_url = spec.url.startswith("file:")
        path = Path(unquote(urlsplit(spec.url).path)) if is_file_url else Path(spec.url)
        try:
            size = path.stat().st_size
            with path.open("rb"):
                pass
        except FileNotFoundError:
            if demo_dir is not None and path.parent == demo_dir:
                text = f"{path} not published yet: `kiosk run` writes the demo's feeds"
                return Finding("warn", topic, text), None
            return Finding("FAIL", topic, f"{path} does not exist"), None
        except OSError as exc:
            return Finding("FAIL", topic, f"cannot read {path}: {exc.strerror}"), None
        return Finding("ok", topic, f"{path} readable ({size_text(size)})"), None

    import requests

    from sync.errors import FetchError
    from sync.fetch.http_download import basic_auth, request_headers, tls_verify
    from sync.fetch.wording import (
        describe_connection_error,
        describe_tls_error,
        host_of,
        status_error,
    )

    opts = spec.fetch
    timeouts = (opts.connect_timeout_s, opts.read_timeout_s)
    try:
        headers = request_headers(spec, None)
        verify = tls_verify(opts)
        with requests.get(
            spec.url,
            headers=headers,
            auth=basic_auth(spec.auth),
            verify=verify,
            timeout=timeouts,
            stream=True,  # the headers only: the body is left unread
            allow_redirects=True,
        ) as response:
            ours = dt.datetime.now(dt.UTC)
            status = response.status_code
            hq_time = _hq_time(response.headers.get("Date"), ours)
            if 200 <= status < 300:
                return Finding("ok", topic, f"HTTP {status} from {host_of(spec.url)}"), hq_time
            return Finding("FAIL", topic, status_error(spec, response)), hq_time
    except FetchError as exc:
        return Finding("FAIL", topic, str(exc)), None
    except requests.exceptions.SSLError as exc:
        return Finding("FAIL", topic, describe_tls_error(exc, spec.url)), None
    except requests.RequestException as exc:
        return Finding("FAIL", topic, describe_connection_error(exc, spec.url, timeouts)), None


def _hq_time(header: str | None, ours: dt.datetime) -> HqTime | None:
    if not header:
        return None
    try:
        hq = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if hq.tzinfo is None:
        return None
    return HqTime(hq=hq, ours=ours)
