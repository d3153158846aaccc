"""What the sync needs to know about a feed: where it is, what kind, and how to fetch it.

The `kiosk` config builds these from `[[feeds]]`; `sync` never reads the config file itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FeedKind = Literal["catalog", "metrics", "targets", "comments", "messages", "stores"]
FEED_KINDS: tuple[FeedKind, ...] = (
    "stores",
    "catalog",
    "metrics",
    "targets",
    "comments",
    "messages",
)
# Applied in this order by a full sync: stores decide the region, the catalog what a metric is.
FIRST_KINDS: tuple[FeedKind, ...] = ("stores", "catalog")

FeedFormat = Literal["csv", "json"]
MAX_REJECTS_KEPT = 100


@dataclass(frozen=True)
class HttpAuth:
    """Credentials for one feed. Secrets are resolved (from the environment) before this."""

    bearer_token: str | None = None
    username: str | None = None
    password: str | None = None

    def __repr__(self) -> str:  # never print secrets, not even in a traceback
        kinds = [k for k in ("bearer_token", "username") if getattr(self, k)]
        return f"HttpAuth({', '.join(kinds) or 'none'})"


SignatureMode = Literal["header", "file"]
DEFAULT_SIGNATURE_HEADER = "X-Signature"


@dataclass(frozen=True)
class FeedSignature:
    """A feed that must carry an HMAC-SHA256 of its body, made with a secret shared with HQ.

    `mode` "header": the response header `header` holds it; "file": a detached `<url>.sig`
    (or `<path>.sig`) next to the feed does. The secret is resolved (from the environment)
    before this; it is never printed, not even in a traceback (see `__repr__`).
    """

    secret: bytes = field(repr=False)
    mode: SignatureMode = "header"
    header: str = DEFAULT_SIGNATURE_HEADER

    def __repr__(self) -> str:
        where = self.header if self.mode == "header" else "<url>.sig"
        return f"FeedSignature({self.mode}: {where})"


@dataclass(frozen=True)
class FetchOptions:
    """Limits for one download. Every pull ends within about `deadline_s` + `read_timeout_s`."""

    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    deadline_s: float = 60.0
    max_bytes: int = 50 * 1024 * 1024
    retries: int = 3
    backoff_s: float = 1.0
    retry_after_max_s: float = 30.0
    ca_bundle: str | None = None  # a PEM file; None means the system/certifi bundle
    user_agent: str = "store-scoreboard-kiosk"


@dataclass(frozen=True)
class FeedSpec:
    name: str
    kind: FeedKind
    # An absolute local path, or a file:, http: or https: URL.
    url: str
    format: FeedFormat | None = None
    decimal: Literal[".", ","] = "."
    # None: UTF-8 (with or without a BOM), else Windows-1252; or a codec the feed names
    # ("cp1250"), used when the body is not valid UTF-8.
    encoding: str | None = None
    every_minutes: float = 15.0
    auth: HttpAuth | None = None
    fetch: FetchOptions = field(default_factory=FetchOptions)
    # None: the feed is taken as it comes; else a missing or wrong signature rejects it.
    signature: FeedSignature | None = None

    @property
    def is_http(self) -> bool:
        return self.url.lower().startswith(("http://", "https://"))
