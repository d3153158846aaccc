"""feed URLs without credentials

Revision ID: 0003_redact_feed_urls
Revises: 0002_feed_reading
Create Date: 2026-12-07 12:00:00

`feed_state.url` kept each feed's URL verbatim, `user:password@` and `?token=...` included. The
kiosk now stores it without userinfo and with every query value masked (the same form status
shows); this rewrites what older kiosks stored. The redaction is copied here on purpose: a
migration must keep doing what it did when it was written.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision = "0003_redact_feed_urls"
down_revision = "0002_feed_reading"
branch_labels = None
depends_on = None


def _redact(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(an invalid URL)"
    if parts.scheme.lower() not in ("http", "https"):
        return url
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    query = "&".join(
        f"{field.split('=', 1)[0]}=***" if "=" in field else "***"
        for field in parts.query.split("&")
        if field
    )
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT name, url FROM feed_state")).all()
    for name, url in rows:
        redacted = _redact(url)
        if redacted != url:
            conn.execute(
                sa.text("UPDATE feed_state SET url = :url WHERE name = :name"),
                {"url": redacted, "name": name},
            )


def downgrade() -> None:
    pass  # the credentials are gone for good, as they should be
