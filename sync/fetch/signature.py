"""Feed authenticity: an HMAC-SHA256 of the feed's bytes, made by HQ with a shared secret.

A feed whose config has `signature` must carry one (issue 7, item 5). Without signatures, anyone
who can change what the kiosk downloads (a compromised web server or CDN, a proxy, a DNS or
Wi-Fi trick on a plain-http URL, a writable share for a local path) decides what the break room
reads. With them, only someone holding the secret can.

What is signed: the body exactly as served, after HTTP content decoding (gzip), i.e. the
bytes of the file HQ published. So `openssl dgst -sha256 -hmac "$SECRET" -hex feed.csv`
computes it (docs/feeds.md, "Signing feeds").

Where the signature comes from (`FeedSignature.mode`):

- "header": a response header (`X-Signature` unless configured; an object store's metadata
  header such as `x-amz-meta-signature` works too);
- "file": a detached `<url>.sig` next to the feed (the query string, if any, stays at the end),
  or `<path>.sig` for a local file, fetched right after the feed with the same credentials.

The value is `sha256=<64 hex digits>` or the bare hex digits, surrounding white space ignored,
hex in either case. The comparison is constant-time (`hmac.compare_digest`). A 304 or an
unchanged local file is never checked: nothing new arrived. Nothing here logs or formats the
secret; messages name the header or the `.sig` address, never a value.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
from typing import BinaryIO

from sync.errors import FetchError
from sync.fetch.fetcher import Fetcher
from sync.fetch.files import path_of_file_url
from sync.fetch.result import Fetched, HtmlPageError
from sync.fetch.wording import redact_url, strerror
from sync.spec import FeedSignature, FeedSpec

CHUNK_BYTES = 64 * 1024
SIG_SUFFIX = ".sig"
# A signature file holds one line; anything bigger is not one.
MAX_SIG_FILE_BYTES = 4096
MISMATCH = "signature does not match — check the feed's signature_secret"
_VALUE = re.compile(r"(?:sha256=)?([0-9a-fA-F]{64})", re.ASCII)


class SignatureError(Exception):
    """The feed is refused: its signature is missing, malformed or wrong. `reason` is for the
    status line; it never contains the secret."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sign(secret: bytes, body: BinaryIO | bytes) -> str:
    """The signature HQ publishes for `body`: 64 lowercase hex digits (also for tests)."""
    return _digest(secret, body).hex()


def parse_value(value: str) -> bytes | None:
    """`sha256=<hex>` or bare hex -> the 32 digest bytes; None when it is neither."""
    match = _VALUE.fullmatch(value.strip())
    if match is None:
        return None
    return bytes.fromhex(match.group(1))


def signature_url(url: str) -> str:
    """Where the detached signature of the feed at `url` is: `.sig` appended to the path.

    `https://hq/feeds/metrics.csv?v=2` -> `https://hq/feeds/metrics.csv.sig?v=2`; a local
    path gets `.sig` appended.
    """
    if not url.lower().startswith(("http://", "https://")):
        return url + SIG_SUFFIX
    base = url.split("#", 1)[0]  # a fragment is never sent to the server anyway
    path, question, query = base.partition("?")
    return f"{path}{SIG_SUFFIX}{question}{query}"


def verify(signature: FeedSignature, fetched: Fetched, provided: str | None, where: str) -> None:
    """Check `provided` (the header's or the `.sig` file's text) against the body's HMAC.

    Raises SignatureError; leaves the body at offset 0 for the parser.
    """
    if provided is None or not provided.strip():
        raise SignatureError(f"signature missing: {where}")
    expected = parse_value(provided)
    if expected is None:
        raise SignatureError(
            f"signature malformed: {where} is not sha256=<64 hex digits> or 64 hex digits"
        )
    assert fetched.body is not None
    actual = _digest(signature.secret, fetched.body)
    if not hmac.compare_digest(actual, expected):
        raise SignatureError(MISMATCH)


def check_feed(spec: FeedSpec, fetched: Fetched, fetcher: Fetcher) -> None:
    """Verify the signature `spec` requires for a freshly fetched (changed) body.

    Raises SignatureError (the feed is rejected) or FetchError (the signature file could not
    be downloaded for another reason than its absence: the pull failed, try again later).
    """
    signature = spec.signature
    if signature is None or fetched.unchanged:
        return
    if signature.mode == "header":
        provided = fetched.headers.get(signature.header)
        verify(signature, fetched, provided, f"HQ sent no valid {signature.header} header")
        return
    sig_url = signature_url(spec.url)
    shown = redact_url(sig_url) if spec.is_http else sig_url
    if spec.is_http:
        provided = _fetch_http_sig(spec, sig_url, fetcher, shown)
    else:
        provided = _read_local_sig(_local_path(spec.url) + SIG_SUFFIX, shown)
    verify(signature, fetched, provided, f"no valid signature file at {shown}")


# --- internals -----------------------------------------------------------------------------------


def _digest(secret: bytes, body: BinaryIO | bytes) -> bytes:
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    if isinstance(body, bytes):
        mac.update(body)
        return mac.digest()
    body.seek(0)
    try:
        while chunk := body.read(CHUNK_BYTES):
            mac.update(chunk)
    finally:
        body.seek(0)
    return mac.digest()


def _fetch_http_sig(spec: FeedSpec, sig_url: str, fetcher: Fetcher, shown: str) -> str | None:
    sig_spec = dataclasses.replace(
        spec,
        name=f"{spec.name} signature",
        url=sig_url,
        format=None,
        signature=None,
        fetch=dataclasses.replace(spec.fetch, max_bytes=MAX_SIG_FILE_BYTES),
    )
    try:
        fetched = fetcher.fetch(sig_spec, None)
    except FetchError as exc:
        # Not there: a 404, or the HTML page a static host serves for any unknown path.
        if exc.http_status in (404, 410) or isinstance(exc, HtmlPageError):
            return None  # "signature missing"
        raise FetchError(f"cannot download the signature file {shown}: {exc.reason}") from None
    with fetched:
        assert fetched.body is not None
        return _text(fetched.body.read(MAX_SIG_FILE_BYTES + 1), shown)


def _read_local_sig(path: str, shown: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return _text(fh.read(MAX_SIG_FILE_BYTES + 1), shown)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise FetchError(
            f"cannot read the signature file {shown}: {strerror(exc, default='')}"
        ) from None


def _text(data: bytes, shown: str) -> str:
    if len(data) > MAX_SIG_FILE_BYTES:
        raise SignatureError(f"signature malformed: {shown} is not a signature file (too big)")
    return data.decode("ascii", errors="replace")


def _local_path(url: str) -> str:
    if url.lower().startswith("file:"):
        return path_of_file_url(url)
    return url


__all__ = [
    "MISMATCH",
    "SignatureError",
    "check_feed",
    "parse_value",
    "sign",
    "signature_url",
    "verify",
]
