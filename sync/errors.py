"""The ways a feed can go wrong, as values the status and the command line can print."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reject:
    """One bad row: skipped, never applied.

    `line` is the physical line where a CSV record starts (the header is line 1) or the 1-based
    record index in JSON; `field` is the normalized field name, or None for the whole row.
    """

    line: int
    field: str | None
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "field": self.field, "reason": self.reason}

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.reason}"


class FeedRejected(Exception):
    """The whole feed is refused (bad header, not CSV/JSON, every row bad); old data is kept."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FetchError(Exception):
    """The feed could not be downloaded or read; old data is kept."""

    def __init__(self, reason: str, http_status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status
