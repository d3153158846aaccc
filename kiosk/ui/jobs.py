"""Work off the GUI thread, results back on it: the one worker-to-GUI helper of the kiosk.

Like MusicBrainz Picard's `run_task` / `to_main`: a callable runs on a named worker thread of
its own (`Jobs.run`), or a future made elsewhere is followed (`Jobs.follow`, for the single
`sync.store.writer.Writer`'s jobs); either way the finished future is emitted through a signal
of this QObject, which lives in the GUI thread, so Qt queues it there and the `@Slot` hands it
to the callback given with the job (PySide6 6.8+ has crashed on cross-thread signals into
plain lambdas: the signal goes to a slot).

Users: the board's `SnapshotLoader` (a `db-reader` thread) and the manager area (a
`manager-io` thread for reads and PIN checks, the writer for saves).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
Done = Callable[[Future[Any]], None]


class Jobs(QObject):
    """Runs callables on a worker thread, or follows futures, and calls back on the GUI thread.

    One worker thread named `name`, so jobs run one after another in the order given. A
    callback that raises is logged, never propagated into Qt. Emits no public signals;
    `pending` counts the jobs whose callback has not run yet.
    """

    _finished = Signal(object)

    def __init__(self, parent: QObject | None = None, *, name: str) -> None:
        super().__init__(parent)
        self._name = name
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._callbacks: dict[Future[Any], Done] = {}
        self._finished.connect(self._on_finished)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def run(self, on_done: Done, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Run `fn(*args, **kwargs)` on the worker; `on_done(future)` on the GUI thread."""
        return self.follow(self._pool.submit(fn, *args, **kwargs), on_done)

    def follow(self, future: Future[T], on_done: Done) -> Future[T]:
        """Call `on_done(future)` on the GUI thread once `future` (from any thread) is done."""
        # Registered before the callback is attached: a future already done calls back at
        # once, in this thread.
        self._callbacks[future] = on_done
        future.add_done_callback(self._finished.emit)
        return future

    @Slot(object)
    def _on_finished(self, future: Future[Any]) -> None:
        callback = self._callbacks.pop(future, None)
        if callback is None:
            return
        try:
            callback(future)
        except Exception:
            log.exception("a callback of a %s job failed", self._name)

    def shutdown(self, wait: bool = True) -> None:
        """Stop the worker: wait for its jobs, or (`wait=False`) cancel those not started."""
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
