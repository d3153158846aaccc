"""Every screen at 720p, 1080p and 4K: builds, renders, fits, pages, and stays plain text."""

from __future__ import annotations

import dataclasses
import math

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPalette

from kiosk.board.model import PERSPECTIVES
from kiosk.config import ALL_SCREENS, ROTATING_SCREENS
from kiosk.ui import theme as th
from kiosk.ui.render import render_screen
from kiosk.ui.screens import create_screen
from kiosk.ui.screens.comments import CommentCard, tone
from kiosk.ui.screens.leaderboard import LeaderRowWidget, ordered_rows, visible_rows
from kiosk.ui.screens.scoreboard import MetricCard, group_metrics
from kiosk.ui.theme import Theme
from tests.kiosk.ui import generated, snapshots
from tests.kiosk.ui.checks import (
    all_overflow_problems,
    legibility_problems,
    non_plain_labels,
    visible_labels,
)
from tests.kiosk.ui.conftest import SIZES

SIZE_IDS = [f"{s.width()}x{s.height()}" for s in SIZES]
SNAPSHOTS = {
    "full": snapshots.full_snapshot,
    "stale": snapshots.stale_snapshot,
    "empty": snapshots.empty_snapshot,
    "big_numbers": snapshots.big_numbers_snapshot,
    "many_metrics": snapshots.many_metrics_snapshot,
    "many_comments": snapshots.many_comments_snapshot,
    "big_leaderboard": snapshots.big_leaderboard_snapshot,
    # The generated boards of issue 16, 1 to 20 metrics across the perspectives.
    **{f"generated_{n}": (lambda n=n: generated.snapshot(n)) for n in generated.COUNTS},
}


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("name", ALL_SCREENS)
def test_screen_renders_at_size(name, size):
    image = render_screen(name, snapshots.full_snapshot(), size, now=snapshots.NOW)
    assert image.size() == size
    # Something was drawn: the picture is not one flat colour.
    colours = {
        image.pixel(x, y) for x in range(0, size.width(), 37) for y in range(0, size.height(), 23)
    }
    assert len(colours) > 3


@pytest.mark.parametrize("snapshot_name", SNAPSHOTS)
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("name", ALL_SCREENS)
def test_no_text_overflows_on_any_page(make_view, name, size, snapshot_name):
    view = make_view(name, SNAPSHOTS[snapshot_name](), size)
    for page in range(view.screen.page_count()):
        view.show_page(page)
        problems = all_overflow_problems(view) + legibility_problems(view, size)
        assert not problems, f"page {page}: " + "; ".join(problems[:5])


@pytest.mark.parametrize("name", ALL_SCREENS)
def test_every_label_is_plain_text(make_view, name):
    view = make_view(name, snapshots.stale_snapshot())
    for page in range(view.screen.page_count()):
        view.show_page(page)
        assert not non_plain_labels(view)


def test_html_in_a_comment_shows_literally(make_view):
    view = make_view("comments")
    texts = [label.text() for label in visible_labels(view)]
    html = [t for t in texts if "<b>x</b><img src=x>" in t]
    assert html, "the comment with HTML is on the first page, as typed"
    assert "&amp;" in html[0]  # not decoded either


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("name", ALL_SCREENS)
def test_type_is_big_enough(make_view, name, size):
    """Labels >= 34 px and key numbers >= 80 px at 1080p, in proportion elsewhere."""
    unit = size.height() / 1080
    view = make_view(name, snapshots.full_snapshot(), size)
    for page in range(view.screen.page_count()):
        view.show_page(page)
        for label in visible_labels(view):
            assert label.font().pixelSize() >= math.floor(34 * unit), label.text()
    if name == "scoreboard":
        heroes = [c.hero for c in view.screen.findChildren(MetricCard)]
        assert len(heroes) == 6
        for hero in heroes:
            assert hero.font().pixelSize() >= round(96 * unit)  # the aim, or grown


def test_header_is_about_100px_at_1080(make_view):
    view = make_view("scoreboard")
    assert view.header.height() == 100
    assert view.header.time.font().pixelSize() >= 34


# --- scoreboard ---------------------------------------------------------------------------


def test_metrics_are_grouped_by_perspective_in_order():
    groups = group_metrics(snapshots.metrics())
    assert [p for p, _ in groups] == list(PERSPECTIVES)
    financial = groups[0][1]
    assert [g.metric for g in financial] == ["sales", "basket"]
    assert [e.period for e in financial[0].entries] == ["day", "week", "month"]
    shopper = groups[1][1][1]
    assert shopper.primary.period == "month"  # no day target: the month is the big number


def test_unknown_perspective_is_shown_last():
    extra = snapshots.entry("x", "Odd", "community", "day", 1, None, None, None, None)
    groups = group_metrics((extra, *snapshots.metrics()))
    assert [p for p, _ in groups][-1] == "community"


def test_scoreboard_fits_one_page_for_the_fixture(make_view):
    for size in SIZES:
        assert make_view("scoreboard", size=size).screen.page_count() == 1


def test_scoreboard_card_shows_goal_status_and_periods(make_view):
    view = make_view("scoreboard")
    texts = {label.text().replace("\n", " ") for label in visible_labels(view)}
    assert {"$12,840", "✓ Met", "107%", "Week $18,010 / $60,000"} <= texts
    assert texts & {"Goal $12,000", "of $12,000"}  # beside the number when it fits there
    assert texts & {"▲ on pace for 105%", "▲ pace 105%"}  # the week, on track by pace
    assert {"▼ Behind", "no goal", "6.5 h"} <= texts
    assert texts & {"Month goal 90.0 pts", "of 90.0 pts this month"}  # shopper: a month goal
    assert "Learning & growth" in texts


def test_scoreboard_pages_instead_of_shrinking(make_view):
    view = make_view("scoreboard", snapshots.many_metrics_snapshot(12))
    screen = view.screen
    assert screen.page_count() > 1
    seen = []
    for page in range(screen.page_count()):
        view.show_page(page)
        cards = [c for c in screen.findChildren(MetricCard) if c.isVisibleTo(screen)]
        assert cards
        for card in cards:
            assert card.hero.font().pixelSize() >= 96
            seen.append(card.group.metric)
    assert sorted(seen) == sorted(f"m{n}" for n in range(12))  # each card once


def test_big_numbers_go_compact_only_when_needed(make_view):
    view = make_view("scoreboard", snapshots.big_numbers_snapshot())
    heroes = {c.group.metric: c.hero.text() for c in view.screen.findChildren(MetricCard)}
    # Three metrics leave room for wide cards: every number exact.
    assert heroes == {"rev": "$1,234,567.89", "neg": "−€4,321.5", "none": "–"}
    group = group_metrics(snapshots.big_numbers_snapshot().scoreboard.metrics)[0][1][0]
    narrow = MetricCard(group, Theme(), 451)
    assert narrow.hero.text() == "$1.2M"  # "$1,234,567.89" (~700 px) does not fit 451
    wide = MetricCard(group, Theme(), 900)
    assert wide.hero.full_text() == "$1,234,567.89"


def test_card_status_is_readable_without_colour(make_view):
    """Every text in a status colour starts with its glyph: "✓ Met", "▼ Behind",
    "▲ on pace for 105%", "✓ $30 under"."""
    view = make_view("scoreboard")
    colours = {QColor(c).name(): s for s, c in th.STATUS_COLORS.items() if s is not None}
    judged = []
    for card in view.screen.findChildren(MetricCard):
        for label in visible_labels(card):
            colour = label.palette().color(QPalette.ColorRole.WindowText).name()
            if colour in colours:
                judged.append(label.text())
                assert label.text()[:2] in ("✓ ", "▲ ", "▼ "), label.text()
    assert {"✓ Met", "▼ Behind"} <= set(judged)
    assert any(t.startswith("▲ ") for t in judged)


# --- comments -----------------------------------------------------------------------------


def test_comment_tone():
    assert [tone(r) for r in (5, 4, 3, None, 2, 1)] == [
        "good",
        "good",
        "neutral",
        "neutral",
        "bad",
        "bad",
    ]


def test_good_and_bad_comments_look_different(make_view):
    view = make_view("comments")
    cards = view.screen.findChildren(CommentCard)
    bands = {c.tone: c._band_color.name() for c in cards}
    assert bands["good"] != bands["bad"] != bands["neutral"]


def test_long_comment_ends_with_an_ellipsis_at_a_line(make_view):
    view = make_view("comments")
    card = next(c for c in view.screen.findChildren(CommentCard) if len(c.comment.text) > 1000)
    lines = card.text.text().split("\n")
    assert 1 < len(lines) <= 7
    assert lines[-1].endswith("…")


def test_comments_page_when_they_do_not_fit(make_view):
    view = make_view("comments", snapshots.many_comments_snapshot(30))
    screen = view.screen
    assert screen.page_count() > 1
    seen = []
    for page in range(screen.page_count()):
        view.show_page(page)
        seen += [c.comment.text for c in screen.findChildren(CommentCard) if c.isVisibleTo(screen)]
    assert len(seen) == 30 == len(set(seen))


def test_no_rating_says_so(make_view):
    view = make_view("comments")
    texts = set()
    for page in range(view.screen.page_count()):
        view.show_page(page)
        texts |= {label.text() for label in visible_labels(view)}
    assert "no rating" in texts
    assert "Survey · Mon, Nov 23" in texts  # source and day


# --- messages, celebration, leaderboard ----------------------------------------------------


def test_message_kinds_are_said_in_words(make_view):
    view = make_view("messages")
    assert view.screen.page_count() > 1
    words = set()
    for page in range(view.screen.page_count()):
        view.show_page(page)
        words |= {label.text() for label in visible_labels(view)}
    assert {"NEWS", "SERVICE STORY", "LESSON LEARNED", "EXPECTATION"} <= words


@pytest.mark.parametrize(
    ("name", "field", "empty"),
    [
        ("comments", "comments", ()),
        ("messages", "messages", ()),
        ("leaderboard", "leaderboard", None),
        ("celebration", "celebration", snapshots.Celebration((), ())),
        ("entry", "entries", ()),
    ],
)
def test_has_content(name, field, empty):
    import dataclasses

    screen = create_screen(name, Theme())
    screen.set_snapshot(snapshots.full_snapshot())
    assert screen.has_content()
    screen.set_snapshot(dataclasses.replace(snapshots.full_snapshot(), **{field: empty}))
    assert not screen.has_content()
    assert screen.page_count() == 1  # an empty screen still renders (for screenshots)


def test_scoreboard_always_has_content():
    screen = create_screen("scoreboard", Theme())
    assert screen.has_content()
    screen.set_snapshot(snapshots.empty_snapshot())
    assert screen.has_content()


def test_celebration_shows_goals_and_newest_recognition_first(make_view):
    view = make_view("celebration")
    texts = [label.text() for label in visible_labels(view)]
    assert "✓ Goals met" in texts and "★ Shout-outs" in texts
    assert (
        texts.index("★ Maria Lopez") < texts.index("★ Stockroom team") < texts.index("★ Jon Park")
    )
    assert "✓ Met this month" in texts


def test_leaderboard_order_ties_and_no_data():
    rows = ordered_rows(snapshots.leaderboard().rows)
    assert [r.rank for r in rows] == [1, 2, 3, 3, 5, None]
    assert rows[-1].name == "Uptown"


def test_leaderboard_rows_tie_and_highlight(make_view):
    view = make_view("leaderboard")
    rows = [w for w in view.screen.findChildren(LeaderRowWidget) if w.isVisibleTo(view)]
    assert [w.rank.text() for w in rows] == ["1", "2", "3", "3", "5", "–"]
    own = [w for w in rows if w.row.is_self]
    assert len(own) == 1 and own[0].name.text() == "Downtown"
    assert "YOU" in {label.text() for label in visible_labels(own[0])}
    assert rows[-1].percent.text() == "no data"


def test_leaderboard_shows_the_pace_first_and_the_month_so_far_under_it(make_view):
    view = make_view("leaderboard")
    rows = {w.row.name: w for w in view.screen.findChildren(LeaderRowWidget)}
    lakeside = rows["Lakeside"]
    assert (lakeside.before.text(), lakeside.percent.text()) == ("on pace for", "113%")
    assert lakeside.secondary.text() == "90% of goal so far"
    # The bar is solid to date and pale on to where the month is heading.
    assert (lakeside.bar.percent, lakeside.bar.projected) == (90.0, 112.5)
    assert rows["Uptown"].percent.text() == "no data"
    caption = "Sales this month · stores in region North · ranked by pace to the month's end"
    assert caption in {label.text() for label in visible_labels(view)}


def test_a_day_leaderboard_shows_the_percent_of_goal(make_view):
    board = dataclasses.replace(snapshots.leaderboard(), period="day")
    view = make_view(
        "leaderboard", dataclasses.replace(snapshots.full_snapshot(), leaderboard=board)
    )
    first = next(w for w in view.screen.findChildren(LeaderRowWidget) if w.row.rank == 1)
    assert (first.before, first.percent.text(), first.secondary.text()) == (None, "90%", "of goal")
    assert first.bar.projected is None
    texts = {label.text() for label in visible_labels(view)}
    assert not any("pace" in text for text in texts if text != "Leaderboard")


def test_a_small_region_fills_the_screen_with_bigger_rows(make_view):
    """Six stores used to leave the lower 40% of the screen empty."""
    view = make_view("leaderboard")
    rows = [w for w in view.screen.findChildren(LeaderRowWidget) if w.isVisibleTo(view)]
    page = view.screen.pages()[0]
    assert max(w.geometry().bottom() for w in rows) >= page.height() * 0.95
    assert rows[0].rank.font().pixelSize() > Theme().font("rank").pixelSize()


def test_leaderboard_shows_top_rows_and_this_store():
    board = snapshots.big_leaderboard_snapshot(40, self_rank=33).leaderboard
    shown = visible_rows(board.rows, 8)
    assert len(shown) == 8
    assert [r.rank for r in shown[:6]] == [1, 2, 3, 4, 5, 6]
    assert shown[6] is None
    assert shown[7].is_self and shown[7].rank == 33
    near_top = snapshots.big_leaderboard_snapshot(40, self_rank=3).leaderboard
    assert [r.rank for r in visible_rows(near_top.rows, 8)] == list(range(1, 9))


def test_big_leaderboard_screen_keeps_this_store(make_view):
    view = make_view("leaderboard", snapshots.big_leaderboard_snapshot(40, self_rank=33))
    rows = [w for w in view.screen.findChildren(LeaderRowWidget) if w.isVisibleTo(view)]
    assert rows[-1].row.is_self
    # The gap marker says how many stores it stands for (ranks 6 to 32 at 1080p).
    assert "⋯ 27 more stores ⋯" in {label.text() for label in visible_labels(view)}


# --- entry ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_entry_touch_targets_are_big_and_named(make_view, size):
    view = make_view("entry", size=size)
    targets = view.screen.touch_targets()
    assert len(targets) == 3 + 2 + 4  # days, shout-outs and done, four metrics
    minimum = Theme(size.height()).touch_target
    assert minimum >= math.floor(126 * size.height() / 1080)
    for button in targets:
        assert button.width() >= minimum and button.height() >= minimum, button.accessibleName()
        assert button.accessibleName()
    names = {b.accessibleName() for b in targets}
    assert {"Today", "Yesterday", "Last 7 days", "Shout-outs", "Close the entry screen"} <= names
    assert "Store appearance score: –, not entered" in names
    assert "Shrink: $120, HQ" in names
    assert "Customer count: 412, Store" in names


def test_entry_signals(make_view, qtbot):
    view = make_view("entry")
    screen = view.screen
    buttons = {b.accessibleName(): b for b in screen.touch_targets()}
    with qtbot.waitSignal(screen.day_selected) as day:
        qtbot.mouseClick(buttons["Yesterday"], Qt.MouseButton.LeftButton)
    assert day.args == ["yesterday"]
    assert screen.selected_day() == "yesterday"
    assert buttons["Yesterday"].isChecked() and not buttons["Today"].isChecked()
    with qtbot.waitSignal(screen.metric_selected) as metric:
        qtbot.mouseClick(buttons["Shrink: $120, HQ"], Qt.MouseButton.LeftButton)
    assert metric.args == ["shrink"]
    with qtbot.waitSignal(screen.close_requested):
        qtbot.mouseClick(buttons["Close the entry screen"], Qt.MouseButton.LeftButton)


def test_entry_pages_with_many_rows(make_view, qtbot):
    import dataclasses

    rows = tuple(
        snapshots.EntryRow(f"m{n}", f"Metric {n}", "", 0, snapshots.DAY, n, "store")
        for n in range(12)
    )
    view = make_view("entry", dataclasses.replace(snapshots.full_snapshot(), entries=rows))
    screen = view.screen
    assert screen.page_count() > 1
    following = next(b for b in screen.touch_targets() if b.accessibleName() == "Next page")
    qtbot.mouseClick(following, Qt.MouseButton.LeftButton)
    assert screen.current_page() == 1
    assert not all_overflow_problems(view)


def test_rotating_screens_are_registered():
    for name in ROTATING_SCREENS:
        assert create_screen(name, Theme()).name == name
    with pytest.raises(ValueError):
        create_screen("weather")


def test_screens_survive_a_resize(make_view):
    view = make_view("comments", size=QSize(1920, 1080))
    view.screen.resize(1280, 600)
    assert view.screen.page_count() >= 2
    assert not all_overflow_problems(view)
