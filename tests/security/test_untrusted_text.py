"""Untrusted text on every screen and manager page: shown as plain text, inside its box.

Issue 7, item 4. Feed text (store name, metric labels and units, comments and their source,
message titles and bodies, leaderboard store names) and manager text (shout-outs) get
HTML, right-to-left text with bidi overrides, emoji with ZWJ sequences, a 10,000-character
word, control characters and spreadsheet formulas. Every widget that can show text is walked:
none may interpret it as markup, none may overflow its box, and the window never widens.

Two halves: every screen at three sizes from a synthetic snapshot (fast, every field), and
the real pipeline end to end (hostile feed files -> SyncService -> SQLite -> KioskWindow with
the manager area, walked page by page after a PIN log-in).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.board.model import (
    BoardSnapshot,
    Celebration,
    CommentView,
    EntryRow,
    Leaderboard,
    LeaderRow,
    MessageView,
    Recognition,
    Scoreboard,
)
from kiosk.board.snapshot import load_snapshot
from kiosk.config import ALL_SCREENS, DisplayConfig
from kiosk.manager.entries import add_shoutout
from kiosk.manager.pin import save_pin
from kiosk.ui.manager import install_manager_area
from kiosk.ui.render import ScreenView
from kiosk.ui.widgets import clean_text
from kiosk.ui.window import KioskWindow
from sync.store.writer import Writer
from tests.demo_env import DEMO_DAY, DEMO_NOW, demo_env
from tests.kiosk.ui import snapshots
from tests.kiosk.ui.manager_kit import PIN, WallClock
from tests.security.hostile import (
    EVERYTHING,
    HOSTILE,
    LONG_WORD,
    format_problems,
    geometry_problems,
)

SIZES = (QSize(1280, 720), QSize(1920, 1080), QSize(3840, 2160))
SIZE_IDS = ["720p", "1080p", "4k"]


@pytest.fixture(autouse=True)
def _app(kiosk_app):
    return kiosk_app


def hostile_snapshot(text: str) -> BoardSnapshot:
    """The full fixture board with `text` in every field a feed or a manager can fill."""
    base = snapshots.full_snapshot()
    unit = text if len(text) < 200 else text[:200]  # a unit is short in any real catalog
    metrics = tuple(
        dataclasses.replace(
            m, label=f"{text} {m.label}", unit=unit if m.metric in ("sales", "csat") else m.unit
        )
        for m in base.scoreboard.metrics
    )
    comments = (
        *(CommentView(c.day, f"{text} {c.text}", c.rating, text) for c in base.comments),
        CommentView(snapshots.DAY, text, None, None),
    )
    messages = tuple(
        MessageView(text, f"{m.body} {text}", m.kind, m.start, m.end) for m in base.messages
    )
    assert base.leaderboard is not None
    leaderboard = Leaderboard(
        metric=base.leaderboard.metric,
        label=text,
        period=base.leaderboard.period,
        region=text,
        rows=tuple(
            LeaderRow(r.rank, r.store_id, f"{text} {r.name}", r.percent, r.is_self)
            for r in base.leaderboard.rows
        ),
    )
    recognitions = (
        *(
            Recognition(text, f"{r.body} {text}", r.day, r.origin)
            for r in base.celebration.recognitions
        ),
        Recognition(text, "", snapshots.DAY, "store"),
    )
    entries = tuple(
        EntryRow(
            e.metric,
            f"{text} {e.label}",
            unit if e.unit else "",
            e.decimals,
            e.day,
            e.value,
            e.source,
        )
        for e in base.entries
    )
    return dataclasses.replace(
        base,
        store_name=text,
        scoreboard=Scoreboard(base.store_id, base.date, metrics),
        comments=comments,
        messages=messages,
        leaderboard=leaderboard,
        celebration=Celebration(tuple(m for m in metrics if m.status == "met"), recognitions),
        entries=entries,
    )


def walk(root: QWidget, what: str) -> list[str]:
    return [f"{what}: {p}" for p in format_problems(root) + geometry_problems(root)]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("kind", [*HOSTILE, "everything"])
def test_every_screen_shows_hostile_text_plainly_and_inside_its_box(qtbot, kind, size):
    text = EVERYTHING if kind == "everything" else HOSTILE[kind]
    snapshot = hostile_snapshot(text)
    problems: list[str] = []
    for name in ALL_SCREENS:
        view = ScreenView(name, snapshot, size, now=snapshots.NOW)
        qtbot.addWidget(view)
        assert view.screen.has_content() or name == "scoreboard", name
        for page in range(view.screen.page_count()):
            view.show_page(page)
            problems += walk(view, f"{name} page {page + 1}")
            # Never wider or taller than the screen it was given.
            assert view.size() == size, (name, view.size())
            assert view.screen.geometry().right() < size.width()
        view.close()
    assert not problems, "\n".join(problems[:20])


def test_markup_is_shown_as_the_characters_typed(qtbot):
    view = ScreenView("comments", hostile_snapshot(HOSTILE["html"]), SIZES[1], now=snapshots.NOW)
    qtbot.addWidget(view)
    texts = [label.text() for label in view.findChildren(QLabel) if label.isVisibleTo(view)]
    assert any('<img src="file:///etc/passwd">' in t for t in texts)
    assert view.header.store.text().startswith("<b>x</b>")


def test_the_long_word_is_cut_with_an_ellipsis_not_widened(qtbot):
    view = ScreenView("messages", hostile_snapshot(LONG_WORD), SIZES[1], now=snapshots.NOW)
    qtbot.addWidget(view)
    cut = [
        label.text()
        for label in view.findChildren(QLabel)
        if label.isVisibleTo(view) and "WWWW" in label.text()
    ]
    assert cut and all(len(t) < 1000 for t in cut)
    assert any("…" in t for t in cut)


def test_emoji_sequences_and_right_to_left_text_keep_their_joiners():
    # Zero-width joiners make one family glyph of four people; dropping them (as a
    # control-character filter may) shows four separate people. Overrides do go.
    cleaned = clean_text(HOSTILE["emoji"])
    assert "👨\u200d👩\u200d👧\u200d👦" in cleaned
    assert "\U000e0067" in cleaned  # the tag characters of the Scotland flag
    rtl = clean_text(HOSTILE["rtl"])
    assert "\u202e" not in rtl and "\u202d" not in rtl
    assert "مرحبا" in rtl and "שלום" in rtl
    assert "\x1b" not in clean_text(HOSTILE["control"])


# --- end to end: hostile feeds and a hostile shout-out through the real kiosk -----------------


def _rewrite_csv(path: Path, change: Callable[[int, dict[str, str]], dict[str, str]]) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    fields = list(rows[0].keys())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for number, row in enumerate(rows):
        writer.writerow(change(number, row))
    path.write_text(out.getvalue(), encoding="utf-8")


def poison_feeds(feeds: Path) -> list[str]:
    """Hostile text in every text field of the demo feeds; returns the texts used."""
    texts = [t for k, t in HOSTILE.items() if k != "control"]
    # NUL is refused by the feed reader (a bad row); every other control character arrives.
    texts.append(HOSTILE["control"])

    def pick(number: int) -> str:
        return texts[number % len(texts)]

    def catalog(number: int, row: dict[str, str]) -> dict[str, str]:
        row["label"] = pick(number)
        if row["entry"] == "yes" and not row["unit"]:
            row["unit"] = HOSTILE["formula"][:60]
        return row

    def stores(number: int, row: dict[str, str]) -> dict[str, str]:
        row["name"] = pick(number)
        return row

    def comments(number: int, row: dict[str, str]) -> dict[str, str]:
        row["text"] = pick(number)
        row["source"] = pick(number + 1)
        return row

    _rewrite_csv(feeds / "catalog.csv", catalog)
    _rewrite_csv(feeds / "stores.csv", stores)
    _rewrite_csv(feeds / "comments.csv", comments)
    messages = json.loads((feeds / "messages.json").read_text(encoding="utf-8"))
    for number, record in enumerate(messages["records"]):
        record["title"] = pick(number)
        record["body"] = pick(number + 2)
    (feeds / "messages.json").write_text(json.dumps(messages), encoding="utf-8")
    return texts


@pytest.fixture
def hostile_kiosk(qtbot, tmp_path):
    env = demo_env(tmp_path)
    texts = poison_feeds(env.feeds_dir)
    env.sync()
    wall = WallClock()
    # A shout-out typed by a "manager": HTML and RTL, within the shout-out length limit.
    with env.db.write.begin() as session:
        result = add_shoutout(
            session,
            env.config.store.id,
            HOSTILE["html"] + " " + HOSTILE["rtl"],
            day=DEMO_DAY,
            now=wall(),
            days=7,
        )
        assert isinstance(result, int), result
    tz = env.config.store.tz
    window = KioskWindow(
        env.config.screens,
        # No burn-in shift: it moves the content a few pixels past the window's edge on
        # purpose, which the walk would report.
        DisplayConfig(transition_ms=0, shift_pixels=0),
        now=lambda: wall().astimezone(tz),
    )
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    snapshot = load_snapshot(env.db, env.config, DEMO_DAY, DEMO_NOW)
    window.set_snapshot(snapshot)
    window.show()
    qtbot.waitExposed(window)
    writer = Writer()
    manager = install_manager_area(window, env.config, env.db, writer, now=wall)
    save_pin(env.config.manager, PIN, wall() - dt.timedelta(hours=1))
    yield window, manager, snapshot, texts
    manager.close_area()
    manager.shutdown()
    writer.shutdown(wait=True)
    env.db.dispose()


def test_hostile_feeds_reach_the_screens_unchanged_and_plain(qtbot, hostile_kiosk):
    window, _manager, snapshot, texts = hostile_kiosk
    # The feeds stored the text exactly (nothing evaluated or escaped on the way).
    assert snapshot.leaderboard is not None
    assert {r.name for r in snapshot.leaderboard.rows} <= set(texts)
    assert {m.label for m in snapshot.scoreboard.metrics} <= set(texts)
    assert any(c.text == HOSTILE["formula"] for c in snapshot.comments)
    assert any(m.title == HOSTILE["html"] for m in snapshot.messages)
    assert any(r.title.startswith("<b>x</b>") for r in snapshot.celebration.recognitions)

    size = window.size()
    problems: list[str] = []
    for name in ALL_SCREENS:
        if name == "entry":
            continue  # opened through the manager area below
        screen = window.screen(name)
        window.stack.setCurrentWidget(screen)
        for page in range(screen.page_count()):
            screen.show_page(page)
            problems += walk(window, f"{name} page {page + 1}")
    assert window.size() == size
    assert not problems, "\n".join(problems[:20])


def _press(qtbot, root: QWidget, name: str) -> None:
    found = [
        b
        for b in root.findChildren(QAbstractButton)
        if b.accessibleName() == name and b.isVisibleTo(root)
    ]
    assert len(found) == 1, (name, [b.accessibleName() for b in root.findChildren(QAbstractButton)])
    qtbot.mouseClick(found[0], Qt.MouseButton.LeftButton)


# Qt Virtual Keyboard's own QML says these once, when it first loads (as in
# tests/ui/test_manager_shoutouts.py); nothing of ours.
@pytest.mark.qt_log_ignore(
    r"qt\.multimedia",
    r"Couldn't (load|resolve) pipewire",
    r"overrides a member of the base object",
    r"depends on non-bindable properties",
    r"QLineEdit::echoMode",
)
def test_every_manager_page_shows_hostile_text_plainly(qtbot, hostile_kiosk):
    window, manager, _, _ = hostile_kiosk
    overlay = manager.overlay
    size = window.size()

    def settle() -> None:
        qtbot.waitUntil(lambda: not manager.busy, timeout=10_000)

    problems: list[str] = []
    manager.request_open()
    settle()
    problems += walk(window, "PIN pad")
    for digit in PIN:
        _press(qtbot, overlay.pin_pad, digit)
    _press(qtbot, overlay.pin_pad, "OK")
    settle()
    assert manager.state == "entry"

    entry = window.entry
    for day in ("today", "yesterday", "last7"):
        _press(qtbot, entry, {"today": "Today", "yesterday": "Yesterday"}.get(day, "Last 7 days"))
        settle()
        for page in range(entry.page_count()):
            entry.show_page(page)
            problems += walk(window, f"entry list {day} page {page + 1}")
    _press(qtbot, entry, "Today")
    settle()
    rows = [b for b in entry.touch_targets() if hasattr(b, "row")]
    assert rows, "the catalog has manager-entry metrics"
    for index in range(len(rows)):
        entry.show_page(0)
        row = [b for b in entry.touch_targets() if hasattr(b, "row")][index]
        qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
        settle()
        problems += walk(overlay, f"keypad {index}")
        for key in ("Clear", "4", "2", "OK"):
            _press(qtbot, overlay.keypad, key)
        settle()
        row = [b for b in entry.touch_targets() if hasattr(b, "row")][index]
        qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
        settle()
        _press(qtbot, overlay.keypad, "Show changes")
        settle()
        assert overlay.current() is overlay.audit
        problems += walk(overlay, f"audit {index}")
        _press(qtbot, overlay.audit, "Back")
        _press(qtbot, overlay.keypad, "Cancel")
        settle()

    _press(qtbot, entry, "Shout-outs")
    settle()
    assert overlay.shoutouts.rows(), "the hostile shout-out is listed"
    problems += walk(overlay, "shout-outs")
    _press(qtbot, overlay.shoutouts, "Add shout-out")
    overlay.editor.field.setText(HOSTILE["html"][:100])
    problems += walk(overlay, "shout-out editor")
    assert window.size() == size
    assert not problems, "\n".join(problems[:20])
