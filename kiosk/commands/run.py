"""`kiosk run`: the kiosk itself (see `kiosk.app`, the composition root)."""

from __future__ import annotations

import argparse

from kiosk.config import Config


def run(config: Config, args: argparse.Namespace) -> int:
    from kiosk.app import run_kiosk  # Qt: only this command pays for it

    return run_kiosk(config, windowed=args.windowed)
