"""`kiosk run` gives the memory of big freed blocks (frames, fade stills) back to the system."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.heap import give_back_free_heap
from kiosk.scheduling import HEAP_JOB_ID, build_kiosk_scheduler
from sync.service import SyncService
from sync.store.writer import Writer
from tests.demo_env import demo_env

START = dt.datetime(2026, 11, 24, 21, 0, tzinfo=dt.UTC)
REPO = Path(__file__).resolve().parents[2]

# One big block freed (glibc then raises its mmap threshold to its size), then 40 MB of 2 MB
# blocks (a fade's stills, say) with a live object after each, freed: how much of the 40 MB
# the process still holds, and after give_back_free_heap().
SCRIPT = """
import json, sys
from kiosk.heap import give_back_free_heap

def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

first = bytearray(16 * 1024 * 1024)
del first
before = rss_kb()
blocks, pins = [], []
for _ in range(20):
    blocks.append(bytearray(2 * 1024 * 1024))
    pins.append(bytearray(4096))  # live objects from the C heap between the big blocks
grown = rss_kb()
del blocks
kept = rss_kb() - before
gave = give_back_free_heap()
print(json.dumps({"grew": grown - before, "kept": kept, "gave": gave, "after": rss_kb() - before}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_big_blocks_freed_are_given_back_instead_of_kept_in_the_heap() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    mb = 1024
    assert found["grew"] > 35 * mb  # the process really held the 40 MB
    assert found["kept"] > 35 * mb  # and malloc kept them once freed
    assert found["gave"] is True
    assert found["after"] < 5 * mb  # given back


def test_the_kiosk_gives_the_heap_back_once_a_minute(tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    service = SyncService(env.db, env.config.store.id, env.config.feeds)
    writer = Writer()
    scheduler, _ = build_kiosk_scheduler(
        env.config, service, env.db, writer, lambda report: None, now=START
    )
    scheduler.start(paused=True)  # job defaults are applied when jobs are really added
    try:
        job = scheduler.get_job(HEAP_JOB_ID)
        assert job is not None and job.func is give_back_free_heap
        assert job.trigger.interval.total_seconds() == 60
        assert job.trigger.start_date == START + dt.timedelta(seconds=60)
        assert job.max_instances == 1 and job.coalesce is True
    finally:
        scheduler.shutdown(wait=False)
        writer.shutdown()
        service.close()
        env.db.dispose()
