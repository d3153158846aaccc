"""`python -m hq`: the same as the `kiosk-hq` command."""

from __future__ import annotations

import sys

from hq.cli import main

sys.exit(main())
