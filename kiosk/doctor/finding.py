"""One line of the checklist: ok, warn or FAIL, a topic, and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "warn", "FAIL"]


@dataclass(frozen=True)
class Finding:
    status: Status
    topic: str
    text: str

    def line(self) -> str:
        return f"{self.status:<4}  {self.topic}: {self.text}"


def size_text(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"
