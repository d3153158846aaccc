"""`kiosk scoreboard` as text reads like the screen: a budget as the share used and how far
under or over it is (its contract percent, "562.9%", read as if the budget were beaten five
times over), the pace of a week or a month, and how to win today."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kiosk.board.model import Scoreboard, ToWin, WinKind
from kiosk.commands.scoreboard import scoreboard_lines
from tests.contract.helpers import Store, config_text
from tests.kiosk.ui import snapshots


def line_of(lines: list[str], *words: str) -> str:
    found = [line for line in lines if all(word in line for word in words)]
    assert len(found) == 1, (words, lines)
    return found[0]


def test_a_budget_reads_as_used_and_under_not_its_contract_percent():
    lines = scoreboard_lines(Scoreboard("S001", snapshots.DAY, snapshots.metrics()))
    day = line_of(lines, "Shrink", "day")  # 120 of a 150 budget: the contract's percent is 125
    assert "$120 of $150 budget" in day and "80% used" in day and "✓ $30 under" in day
    assert "125" not in day
    month = line_of(lines, "month", "$2,950 of $4,000 budget")  # contract 135.6, pace 108.5
    assert "74% used" in month and "▲ $1,050 under" in month
    assert "on pace to use 92%" in month
    assert "135" not in month and "108" not in month


def test_goals_read_as_on_the_cards():
    lines = scoreboard_lines(Scoreboard("S001", snapshots.DAY, snapshots.metrics()))
    assert line_of(lines, "Sales", "day").split() == [
        "Sales", "day", "$12,840", "of", "$12,000", "107%", "✓", "Met"
    ]  # fmt: skip
    week = line_of(lines, "week", "$18,010")
    assert "30%" in week and "▲ On track" in week and "on pace for 105%" in week
    assert "no goal" in line_of(lines, "Training hours")
    assert all(line == line.rstrip() for line in lines)


def test_how_to_win_today_follows_the_day_line():
    basket = next(m for m in snapshots.metrics() if m.metric == "basket")
    win = ToWin("basket", WinKind.to_go, 1.55, None, "$", 2)
    lines = scoreboard_lines(Scoreboard("S001", snapshots.DAY, (basket,)), [win])
    assert lines[0].endswith("▼ Behind  $1.55 to go")
    # A week line never carries the day's: how to win is for today's goal.
    week = dataclasses.replace(basket, period="week", pace=99.0)
    lines = scoreboard_lines(Scoreboard("S001", snapshots.DAY, (week,)), [win])
    assert "to go" not in lines[0] and lines[0].endswith("on pace for 99%")


CATALOG = "metric,label,unit,perspective,direction,aggregate,decimals\n" + "\n".join(
    [
        "sales,Sales,$,financial,up,sum,0",
        "shrink,Shrink,$,process,down,sum,0",
    ]
)
TARGETS = """store_id,metric,period,start,target
S001,sales,day,2026-03-11,1000
S001,shrink,month,2026-03-01,3100
"""
# The 11th of 31 days: 53 spent of a 3,100 budget is 5,849.1% by the contract's percent and
# 2,075.4% by its pace; on screen "2% used" and "on pace to use 5%" (53 x 31 / 11 = 149).
METRICS = """store_id,date,metric,value
S001,2026-03-11,sales,770
S001,2026-03-02,shrink,53
"""


def test_the_command_prints_it(tmp_path: Path):
    store = Store(tmp_path)
    store.feed("catalog.csv", CATALOG)
    store.feed("targets.csv", TARGETS)
    store.feed("metrics.csv", METRICS)
    feeds = [
        ("catalog", "catalog", "feeds/catalog.csv"),
        ("targets", "targets", "feeds/targets.csv"),
        ("metrics", "metrics", "feeds/metrics.csv"),
    ]
    hours = '[display]\nopen = "07:00"\nclose = "22:00"\n'
    store.write_config(config_text("S001", "America/Chicago", feeds, extra=hours))
    assert store.sync().returncode == 0
    result = store.kiosk("scoreboard", "--date", "2026-03-11")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Test S001 (S001), 2026-03-11"
    # A day gone by: what is left, without a rate (no opening hours are left in it).
    assert line_of(lines, "Sales").split()[-4:] == ["Behind", "$230", "to", "go"]
    shrink = line_of(lines, "Shrink")
    assert "$53 of $3,100 budget" in shrink and "2% used" in shrink
    assert "on pace to use 5%" in shrink
    assert "5849" not in shrink and "2075" not in shrink


def test_the_command_stays_english_in_a_french_store(tmp_path: Path):
    """`kiosk scoreboard` is ops output: English words, en_US numbers, whatever the screen."""
    outputs = []
    for locale in ("en_US", "fr_CA"):
        store = Store(tmp_path / locale)
        store.feed("catalog.csv", CATALOG)
        store.feed("targets.csv", TARGETS)
        store.feed("metrics.csv", METRICS)
        feeds = [
            ("catalog", "catalog", "feeds/catalog.csv"),
            ("targets", "targets", "feeds/targets.csv"),
            ("metrics", "metrics", "feeds/metrics.csv"),
        ]
        text = config_text("S001", "America/Chicago", feeds)
        text = text.replace(
            'timezone = "America/Chicago"\n', f'timezone = "America/Chicago"\nlocale = "{locale}"\n'
        )
        assert f'locale = "{locale}"' in text
        store.write_config(text)
        assert store.sync().returncode == 0
        result = store.kiosk("scoreboard", "--date", "2026-03-11")
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert "$53 of $3,100 budget" in outputs[1] and "Behind" in outputs[1]
