"""One writer at a time: every database write of the process goes through one worker thread.

SQLite allows one writer anyway; queueing writes here (instead of letting threads contend on
the file lock) keeps a manager's save from failing with "database is locked" behind a big feed,
and keeps the GUI thread from ever waiting on a write. Python 3.11's bundled SQLite predates the
WAL-reset fix (3.51.3) that concurrent writers could hit; a single writer avoids it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class Writer:
    """Runs write jobs one after another on a single thread named `db-writer`."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")
        self._thread_ids: set[int] = set()

    def submit(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Queue `fn`; the future completes on the writer thread."""
        return self._pool.submit(self._run, fn, *args, **kwargs)

    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn` on the writer thread and wait for it (never from the GUI thread)."""
        if threading.get_ident() in self._thread_ids:
            return fn(*args, **kwargs)  # already on the writer: queueing would deadlock
        return self.submit(fn, *args, **kwargs).result()

    def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        self._thread_ids.add(threading.get_ident())
        return fn(*args, **kwargs)

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
