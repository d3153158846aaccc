"""HQ messages and recognitions show from start to end inclusive, in the store's time zone.

Stores far from UTC are where this goes wrong: in Auckland (UTC+13 in November) the store's
day starts at 11:00 UTC the day before; in Honolulu (UTC-10) it ends at 10:00 UTC the day
after. Each test reads through `SnapshotLoader.load_now()`, the path the running kiosk uses
(the store's date from an injected UTC clock), at the first and the last minute of a day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.config import parse_config
from kiosk.ui.board_controller import SnapshotLoader
from tests.kiosk.factories import insert, message, shoutout

D = dt.date
UTC = dt.UTC


def config_in(tmp_path: Path, timezone: str):
    return parse_config(
        {
            "store": {"id": "S001", "name": "Far away", "timezone": timezone},
            "feeds": [{"name": "messages", "kind": "messages", "url": "m.json"}],
        },
        tmp_path / "config.toml",
    )


def titles_at(db, config, moment: dt.datetime) -> tuple[list[str], list[str]]:
    loader = SnapshotLoader(db, config, now=lambda: moment)
    try:
        snapshot = loader.load_now()
    finally:
        loader.shutdown()
    return (
        [m.title for m in snapshot.messages],
        [r.title for r in snapshot.celebration.recognitions],
    )


@pytest.fixture
def window_db(db):
    """Messages around Tue 24 Nov 2026 (store dates)."""
    insert(
        db,
        message("*", D(2026, 11, 24), "starts on the 24th", end=D(2026, 11, 30)),
        message("S001", D(2026, 11, 20), "ends on the 23rd", end=D(2026, 11, 23), kind="lesson"),
        message("*", D(2026, 11, 20), "ends on the 24th", end=D(2026, 11, 24), kind="story"),
        message("S001", D(2026, 11, 25), "starts on the 25th", kind="expectation"),
        message("S001", D(2026, 11, 24), "HQ kudos from the 24th", kind="recognition"),
        message(
            "S001", D(2026, 11, 20), "HQ kudos to the 23rd", end=D(2026, 11, 23), kind="recognition"
        ),
        shoutout("S001", "manager's, 24th only", D(2026, 11, 24), D(2026, 11, 24)),
    )
    return db


def test_auckland_first_minute_of_the_24th_while_utc_is_still_the_23rd(window_db, tmp_path):
    config = config_in(tmp_path, "Pacific/Auckland")
    first_minute = dt.datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # 00:00 on the 24th there
    messages, recognitions = titles_at(window_db, config, first_minute)
    assert messages == ["starts on the 24th", "ends on the 24th"]
    assert recognitions == ["manager's, 24th only", "HQ kudos from the 24th"]

    last_minute_before = first_minute - dt.timedelta(minutes=1)  # 23:59 on the 23rd there
    messages, recognitions = titles_at(window_db, config, last_minute_before)
    assert messages == ["ends on the 23rd", "ends on the 24th"]
    assert recognitions == ["HQ kudos to the 23rd"]


def test_auckland_last_minute_of_the_24th(window_db, tmp_path):
    config = config_in(tmp_path, "Pacific/Auckland")
    last_minute = dt.datetime(2026, 11, 24, 10, 59, tzinfo=UTC)  # 23:59 on the 24th there
    messages, _ = titles_at(window_db, config, last_minute)
    assert messages == ["starts on the 24th", "ends on the 24th"]
    next_day = last_minute + dt.timedelta(minutes=1)  # 00:00 on the 25th: the 24th ended
    messages, recognitions = titles_at(window_db, config, next_day)
    assert messages == ["starts on the 25th", "starts on the 24th"]
    assert recognitions == ["HQ kudos from the 24th"]  # the manager's was for the 24th only


def test_honolulu_the_24th_lasts_until_ten_utc_on_the_25th(window_db, tmp_path):
    config = config_in(tmp_path, "Pacific/Honolulu")
    late = dt.datetime(2026, 11, 25, 9, 59, tzinfo=UTC)  # 23:59 on the 24th in Honolulu
    messages, recognitions = titles_at(window_db, config, late)
    assert "ends on the 24th" in messages and "starts on the 25th" not in messages
    assert "manager's, 24th only" in recognitions
    messages, _ = titles_at(window_db, config, late + dt.timedelta(minutes=1))
    assert "ends on the 24th" not in messages and "starts on the 25th" in messages
