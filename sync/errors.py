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

    # "record" for JSON (the 1-based index of the record), "line" for CSV.
    unit: str = "line"

    def as_dict(self) -> dict[str, object]:
        """`{line, field, reason}`, plus `unit: "record"` for a JSON feed's record index."""
        shown: dict[str, object] = {"line": self.line, "field": self.field, "reason": self.reason}
        if self.unit != "line":
            shown["unit"] = self.unit
        return shown

    def __str__(self) -> str:
        where = f"{self.unit} {self.line}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.reason}"


class FeedRejected(Exception):
    """The whole feed is refused (bad header, not CSV/JSON, every row bad); old data is kept."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ReadAgain(Exception):
    """A number column turned out, part-way through a feed, to be written with the other
    decimal mark after values whose meaning depends on the mark were already read: the feed is
    read again from the start knowing it (the transaction that applied it is rolled back).

    `proofs`: field -> (the value that proved it, its line).
    """

    def __init__(self, proofs: dict[str, tuple[str, int]]) -> None:
        super().__init__(f"read again: {', '.join(proofs)} use the other decimal mark")
        self.proofs = proofs


class FetchError(Exception):
    """The feed could not be downloaded or read; old data is kept."""

    def __init__(self, reason: str, http_status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status
