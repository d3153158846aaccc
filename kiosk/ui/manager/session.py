"""Where the manager area is, shared by its coordinator and its flows.

Plain Python: the flows run their reads, PIN checks and saves off the GUI thread, and a
result may come back after the area closed (idle, Done). Each job is tagged with the visit's
`number`; a result whose visit is over changes no page (a save that landed still counts).
"""

from __future__ import annotations

from typing import Literal

State = Literal["closed", "pin", "entry"]


class AreaSession:
    """The area's state and the number of the current visit.

    `state`: "closed", "pin" (the PIN pad or the no-PIN notice) or "entry" (the entry list
    and the pages over it). `number` changes at every opening and closing.
    """

    def __init__(self) -> None:
        self.state: State = "closed"
        self.number = 0

    def begin(self, state: State) -> None:
        """A new visit starts in `state`: results of earlier visits are now stale."""
        self.number += 1
        self.state = state

    def end(self) -> None:
        """The area closed: results still on their way change no page."""
        self.number += 1
        self.state = "closed"

    def is_current(self, number: int) -> bool:
        return number == self.number
