"""The scoreboard as one static HTML page: what a browser kiosk would show instead of the Qt
app, for the memory benchmark's Chromium baseline (bench/memory.py).

The same board as `kiosk screenshot scoreboard`: the header (store, title, freshness, date),
then one card per metric grouped under its perspective's heading and colour: the name, the
status, today's number, its percent and goal, a progress bar, the week and month lines. The
texts come from the kiosk's own formatting (kiosk/board/formatting.py), the colours and sizes
from kiosk/ui/theme.py (copied here: the bench process never imports Qt), the fonts are the
bundled DejaVu files. No script: a static page is the least a browser kiosk can show.

Every text goes through `html.escape`: metric names come from HQ's catalog.
"""

from __future__ import annotations

import html
from pathlib import Path

from kiosk.board.formatting import ENGLISH_FORMATS, is_budget
from kiosk.board.model import BoardSnapshot, MetricEntry
from kiosk.board.wording import pace_text, perspective_label, status_text, used_text

format_date = ENGLISH_FORMATS.date
format_percent = ENGLISH_FORMATS.percent
format_value = ENGLISH_FORMATS.value
format_pace = pace_text

FONTS = Path(__file__).resolve().parents[1] / "assets" / "fonts"
# kiosk/ui/theme.py
BACKGROUND, SURFACE, TRACK, TEXT, TEXT_DIM = "#0a0e14", "#151c26", "#2c3846", "#ffffff", "#b4c0cc"
STATUS_COLORS = {"met": "#3ddc84", "on_track": "#5cb3ff", "behind": "#ff6b5b", None: "#8a97a6"}
PERSPECTIVE_COLORS = {
    "financial": "#f5c451",
    "customer": "#ff85c0",
    "process": "#34d1bf",
    "learning": "#a98bfa",
}
PERIOD_TITLES = {"week": "Week", "month": "Month"}

STYLE = f"""
@font-face {{ font-family: Board; src: url("{(FONTS / "DejaVuSans.ttf").as_uri()}"); }}
@font-face {{ font-family: Board; font-weight: bold;
  src: url("{(FONTS / "DejaVuSans-Bold.ttf").as_uri()}"); }}
@font-face {{ font-family: BoardCondensed;
  src: url("{(FONTS / "DejaVuSansCondensed.ttf").as_uri()}"); }}
@font-face {{ font-family: BoardCondensed; font-weight: bold;
  src: url("{(FONTS / "DejaVuSansCondensed-Bold.ttf").as_uri()}"); }}
html, body {{ margin: 0; background: {BACKGROUND}; color: {TEXT}; overflow: hidden;
  font-family: BoardCondensed, sans-serif; width: 100vw; height: 100vh; }}
header {{ display: flex; justify-content: space-between; align-items: center;
  height: 9vh; padding: 0 3vh; background: {SURFACE}; font-size: 4.4vh; font-weight: bold; }}
header .store {{ font-family: Board; }}
header .title {{ font-size: 4.6vh; }}
header .right {{ font-size: 3.1vh; font-weight: normal; color: {TEXT_DIM}; }}
main {{ display: flex; gap: 1.8vh; padding: 1.3vh 3vh; height: 86vh; }}
section {{ flex: 1; display: flex; flex-direction: column; gap: 1.8vh; min-width: 0; }}
h2 {{ margin: 0; font-size: 4.1vh; border-bottom: 0.55vh solid; }}
.card {{ background: {SURFACE}; border-radius: 1.1vh; border-left: 1.1vh solid;
  padding: 1.6vh; }}
.top {{ display: flex; justify-content: space-between; font-size: 3.7vh; font-weight: bold; }}
.hero {{ display: flex; justify-content: space-between; align-items: center; gap: 1vh; }}
.hero .value {{ font-size: 7vh; font-weight: bold; white-space: nowrap; }}
.hero .share {{ text-align: right; font-size: 4.2vh; font-weight: bold; white-space: nowrap; }}
.hero .goal {{ font-size: 3.1vh; font-weight: normal; color: {TEXT_DIM}; }}
.bar {{ height: 1.9vh; border-radius: 1vh; background: {TRACK}; overflow: hidden; }}
.bar div {{ height: 100%; border-radius: 1vh; }}
.period {{ border-top: 0.2vh solid {TRACK}; margin-top: 0.8vh; padding-top: 0.8vh;
  font-size: 3.1vh; display: flex; justify-content: space-between; }}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _share(entry: MetricEntry) -> str:
    return used_text(entry) if is_budget(entry) else format_percent(entry.percent)


def _card(primary: MetricEntry, others: list[MetricEntry]) -> str:
    color = STATUS_COLORS.get(primary.status, STATUS_COLORS[None])
    value = format_value(primary.actual, primary.unit, primary.decimals)
    parts = [
        f'<div class="card" style="border-left-color:{color}">',
        f'<div class="top"><span>{_e(primary.label)}</span>'
        f'<span style="color:{color}">{_e(status_text(primary.status))}</span></div>',
        f'<div class="hero"><span class="value">{_e(value)}</span>',
    ]
    if primary.target is not None:
        goal = format_value(primary.target, primary.unit, primary.decimals)
        width = max(0.0, min(100.0, primary.percent or 0.0))
        parts += [
            f'<span class="share">{_e(_share(primary))}<br>'
            f'<span class="goal">of {_e(goal)}</span></span></div>',
            f'<div class="bar"><div style="width:{width:.1f}%;background:{color}"></div></div>',
        ]
    else:
        parts.append('<span class="goal">no goal</span></div>')
    for entry in others:
        title = PERIOD_TITLES.get(entry.period, entry.period.capitalize())
        actual = format_value(entry.actual, entry.unit, entry.decimals)
        goal = format_value(entry.target, entry.unit, entry.decimals) if entry.target else ""
        judged = status_text(entry.status) if entry.status == "met" else format_pace(entry.pace)
        line_color = STATUS_COLORS.get(entry.status, STATUS_COLORS[None])
        parts.append(
            f'<div class="period"><span>{_e(title)} {_e(actual)} / {_e(goal)}</span>'
            f'<span style="color:{line_color}">{_e(judged)}</span></div>'
        )
    parts.append("</div>")
    return "".join(parts)


def board_html(snapshot: BoardSnapshot) -> str:
    """The page: header and the scoreboard's cards by perspective, in catalog order."""
    by_metric: dict[str, list[MetricEntry]] = {}
    for entry in snapshot.scoreboard.metrics:
        by_metric.setdefault(entry.metric, []).append(entry)
    sections: dict[str, list[str]] = {}
    for entries in by_metric.values():
        primary, *others = entries
        sections.setdefault(primary.perspective, []).append(_card(primary, others))
    columns = "".join(
        f'<section><h2 style="color:{PERSPECTIVE_COLORS.get(p, TEXT_DIM)}">'
        f"{_e(perspective_label(p))}</h2>{''.join(cards)}</section>"
        for p, cards in sections.items()
    )
    last = snapshot.freshness.last_success
    updated = f"updated {last:%H:%M} · " if last is not None else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(snapshot.store_name)}</title><style>{STYLE}</style></head><body>"
        f'<header><span class="store">{_e(snapshot.store_name)}</span>'
        '<span class="title">Today\'s score</span>'
        f'<span class="right">{_e(updated)}{_e(format_date(snapshot.date))}</span></header>'
        f"<main>{columns}</main></body></html>"
    )
