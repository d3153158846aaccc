"""`GET /export/entries.csv`: the current manager entries as a kiosk `metrics` feed.

Header `store_id,date,metric,value`, one row per store/date/metric (the entry with the latest
`entered_at`), sorted that way, streamed from the database. HQ can fold it into the metrics feed
it publishes (docs/feeds.md); numbers are written the way that feed reads them: a plain decimal,
never an exponent (`1e-05` would be a bad row there).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from hq.store import reads
from hq.views.base import AdminView

HEADER = ("store_id", "date", "metric", "value")
_ROWS_PER_CHUNK = 500


def feed_number(value: float) -> str:
    """18250.5 -> "18250.5", 12.0 -> "12", 1e-05 -> "0.00001"."""
    if value.is_integer():
        return str(int(value))
    # repr is the shortest text that reads back as the same float; Decimal writes it out.
    return format(Decimal(repr(value)), "f")


class EntriesExport(AdminView):
    def _rows(self) -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADER)
        with self.ctx.db.read() as session:
            for count, (store_id, day, metric, value) in enumerate(
                reads.current_entries(session), start=1
            ):
                writer.writerow((store_id, day.isoformat(), metric, feed_number(value)))
                if count % _ROWS_PER_CHUNK == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
        yield buffer.getvalue()

    async def get(self, request: Request) -> Response:
        refused = self.login_refused(request)
        if refused is not None:
            return refused
        # A sync generator: Starlette runs each step in a worker thread, off the event loop.
        return StreamingResponse(
            self._rows(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="entries.csv"'},
        )
