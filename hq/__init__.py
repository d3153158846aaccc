"""kiosk-hq: the HQ-side fleet service the store kiosks report to (docs/hq.md).

Plain Python (Starlette, SQLAlchemy); it imports nothing from the kiosk packages, so HQ can run
it without Qt.
"""

from __future__ import annotations

__version__ = "0.1.0"
