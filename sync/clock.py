"""The one wall clock every layer reads by default; tests and callers inject their own."""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    """Now, aware, in UTC."""
    return dt.datetime.now(dt.UTC)
