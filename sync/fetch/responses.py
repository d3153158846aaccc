"""Reading an HTTP response's headers and first bytes: media type, length, Retry-After, whether
a status is worth retrying, whether a body is really an HTML page, whether a value can go in a
header."""

from __future__ import annotations

import email.utils
import re
import time
from typing import Any

HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|title|meta|script|iframe)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)


def media_type(content_type: str | None) -> str | None:
    """`Text/CSV; charset=UTF-8` -> `text/csv`; None when absent or empty."""
    if not content_type:
        return None
    value = content_type.split(";", 1)[0].strip().lower()
    return value or None


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes of a body look like an HTML document (a login or error page)."""
    return bool(_HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")))


def content_length(headers: Any) -> int | None:
    value = headers.get("Content-Length")
    try:
        length = int(value) if value is not None else None
    except ValueError:
        return None
    return length if length is not None and length >= 0 else None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None.

    An HTTP-date is compared with the wall clock (`time.time()`), as the server meant it.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" parses as naive; HTTP-dates are always GMT
        return None
    return max(0.0, when.timestamp() - time.time())


def is_retryable_status(status: int) -> bool:
    """429 and the 5xx a later try can cure.

    Not 501 Not Implemented or 505 HTTP Version Not Supported (they will not change), nor 511
    Network Authentication Required (a captive portal waits for a person, not for time).
    """
    return status == 429 or (500 <= status <= 599 and status not in (501, 505, 511))


def sendable_validator(value: str | None) -> str | None:
    """`value` (an ETag or Last-Modified) when it can be sent back in a request header as it
    came, else None. One that cannot (a leading vertical tab, a line break, a non-ASCII
    character) would make every later conditional request fail before it leaves the kiosk;
    dropped, it only costs one unconditional download."""
    if value and value.isascii() and value.isprintable() and value == value.strip():
        return value
    return None


def unsafe_header_value(value: str) -> bool:
    """Whether `value` cannot go in an HTTP header as is (non-ASCII, a control character or a
    space); requests would refuse it with an error that quotes it."""
    return not value.isascii() or not value.isprintable() or " " in value
