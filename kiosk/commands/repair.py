"""`kiosk repair`: check the database fully and rebuild it if it is damaged or from a newer
kiosk, keeping the store's own entries, with the kiosk stopped.

The only command besides `kiosk run` (at start) that may move a database aside: a kiosk that
is running would go on writing into the moved file, so this refuses while one answers.
"""

from __future__ import annotations

import argparse
import sys

from kiosk.config import Config
from kiosk.control import running_kiosk
from kiosk.exits import EXIT_FAILED, EXIT_OK
from sync.store.db import repair_database


def repair(config: Config, args: argparse.Namespace) -> int:
    other = running_kiosk(config.database_path)
    if other is not None:
        print(
            f"kiosk: the kiosk (process {other}) is running on this database; stop it first "
            "(systemctl stop kiosk): restarting it repairs the database too",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(repair_database(config.database_path))
    return EXIT_OK
