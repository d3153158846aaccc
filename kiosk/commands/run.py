"""`kiosk run`: the kiosk itself (see `kiosk.app`, the composition root)."""

from __future__ import annotations

import argparse

from kiosk.config import Config
from kiosk.demo.hooks import prepare_demo


def run(config: Config, args: argparse.Namespace) -> int:
    from kiosk.app import run_kiosk  # Qt: only this command pays for it

    # The demo's stand-in for HQ publishes today's feeds (below the goal the demo meets a
    # minute later); no other command writes them.
    prepare_demo(config)
    return run_kiosk(config, windowed=args.windowed)
