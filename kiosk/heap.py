"""Giving the C heap's free memory back to the system (`kiosk run`, once a minute).

A kiosk frees big blocks all day: a 1080p frame or a fade's still is 8 MB (33 MB at 4K), a
feed's batch of rows a few MB, a celebration's confetti and featured page more. glibc's malloc
keeps freed heap in the process once its mmap threshold has grown (it does after the first
big block is freed), so after a celebration a running kiosk held about 8 MB more PSS than it
needs (bench/memory.py). `malloc_trim(0)` hands every free page back.

Fixing malloc's thresholds instead (M_MMAP_THRESHOLD) gives the same saving but makes every
big block a fresh mapping: each `grab()` of the window at a fade's start then pays its page
faults again, +3.5 ms at 1080p and +14 ms at 4K. A trim a minute pays them once a minute.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from functools import cache

GIVE_BACK_EVERY_SECONDS = 60


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None  # not glibc (musl has no malloc_trim): nothing to give back this way
    trim.argtypes = (ctypes.c_size_t,)
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


def can_give_back() -> bool:
    return _malloc_trim() is not None


def give_back_free_heap() -> bool:
    """Return the heap's free pages to the system; True when some were."""
    trim = _malloc_trim()
    return trim is not None and bool(trim(0))
