"""Store upload tokens: minted by `kiosk-hq token`, stored only as a SHA-256 hash.

A token is 32 random bytes (`secrets.token_urlsafe`), so a plain, unsalted SHA-256 is enough: it
cannot be brute-forced the way a password can, and an unsalted hash lets the service find the
store by an indexed lookup. The comparison after the lookup is constant-time all the same.
Minting a new token for a store replaces its hash, so the previous token stops working at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

TOKEN_BYTES = 32
# token_urlsafe(32) is 43 characters; allow some room, refuse anything that cannot be one
# before hashing it (a header can be up to 16 KB).
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,128}")
# Store ids go in URLs and file names: letters, digits, '.', '_' and '-', 1 to 64 characters.
STORE_ID_SHAPE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The stored form of a token: SHA-256, hex."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def same_hash(stored: str, presented: str) -> bool:
    return hmac.compare_digest(stored.encode("ascii"), presented.encode("ascii"))


def bearer_token(authorization: str | None) -> str | None:
    """The token in an `Authorization: Bearer <token>` header, or None when there is none
    or it cannot be a token."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not _TOKEN_SHAPE.fullmatch(token):
        return None
    return token


def store_id_problem(store_id: str) -> str | None:
    """Why `store_id` cannot be an HQ store id, or None when it can."""
    if STORE_ID_SHAPE.fullmatch(store_id):
        return None
    return (
        f"store id {store_id[:70]!r} must be 1 to 64 letters, digits, '.', '_' or '-' "
        "(not starting with '.')"
    )
