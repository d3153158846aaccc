"""Text fitting and column packing, and the overflow check the screen tests rely on."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.ui.theme import Theme
from kiosk.ui.widgets import (
    allocate_columns,
    clean_text,
    columns_for,
    pack_columns,
    plain_label,
    text_width,
    wrap_text,
)
from tests.kiosk.ui.checks import all_overflow_problems, non_plain_labels

FONT = Theme().font("body")


def test_clean_text_drops_controls_and_blank_lines():
    text = "a\tb\x00c\u202e\r\n\r\n\n  d   e  \u200b"
    assert clean_text(text) == "a bc\nd e"


def test_wrap_text_fits_every_line():
    text = "The quick brown fox jumps over the lazy dog " * 10
    lines = wrap_text(text, FONT, 400)
    assert len(lines) > 5
    assert all(text_width(line, FONT) <= 400 for line in lines)


def test_wrap_text_ends_at_a_whole_line_with_an_ellipsis():
    text = "The quick brown fox jumps over the lazy dog " * 10
    lines = wrap_text(text, FONT, 400, max_lines=3)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert not lines[-1].endswith(" …")
    assert all(text_width(line, FONT) <= 400 for line in lines)


def test_wrap_text_exact_fit_stays_on_one_line():
    text = "Goal $12,000"
    assert wrap_text(text, FONT, text_width(text, FONT), 1) == [text]


def test_long_word_is_elided_with_a_mark():
    (line,) = wrap_text("Supercalifragilisticexpialidocious", FONT, 200, 1)
    assert line.endswith("…") and text_width(line, FONT) <= 200


def test_fit_label_is_plain_and_fits(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(500, 300)
    label = plain_label("<b>bold?</b> " * 20, FONT, "#fff", max_lines=2, parent=parent)
    label.setGeometry(10, 10, 300, 2 * 47)
    parent.show()
    assert label.full_text().startswith("<b>bold?</b>")
    assert label.text().count("\n") == 1
    assert label.text().endswith("…")
    assert not all_overflow_problems(parent)
    assert not non_plain_labels(parent)


def test_the_overflow_check_catches_overflow(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(400, 200)
    wide = QLabel("A text far too long for its little box", parent)
    wide.setFont(FONT)
    wide.setGeometry(0, 0, 120, 60)
    tall = QLabel("one\ntwo\nthree", parent)
    tall.setFont(FONT)
    tall.setGeometry(0, 80, 300, 50)
    outside = plain_label("ok", FONT, "#fff", parent=parent)
    outside.setGeometry(350, 150, 100, 50)
    parent.show()
    problems = all_overflow_problems(parent)
    assert any("wide" in p for p in problems)
    assert any("lines need" in p for p in problems)
    assert any("leaves" in p for p in problems)
    assert len(non_plain_labels(parent)) == 2  # QLabel's default AutoText


def test_pack_columns_in_order():
    pages = pack_columns([300, 300, 300, 300, 300], columns=2, column_height=700, gap=20)
    assert pages == [[[0, 1], [2, 3]], [[4], []]]


def test_pack_columns_oversized_item_gets_its_own_column():
    assert pack_columns([50, 900, 50], 1, 500, 10) == [[[0]], [[1]], [[2]]]


def test_pack_columns_keeps_a_heading_with_its_item():
    pages = pack_columns([100, 50, 200], 2, 300, 10, keep_with_next=[False, True, False])
    assert pages == [[[0], [1, 2]]]


def test_pack_columns_empty():
    assert pack_columns([], 2, 100, 10) == [[[], []]]


def test_allocate_columns():
    assert allocate_columns([2, 2, 1, 1], 4) == [1, 1, 1, 1]
    assert allocate_columns([3, 1], 4) == [3, 1]
    assert allocate_columns([1], 4) == [1]
    assert allocate_columns([5, 5], 5) == [3, 2]


def test_columns_for():
    assert columns_for(1864, 400, 20, at_most=4) == 4
    assert columns_for(300, 400, 20) == 1
    assert columns_for(300, 400, 20, at_least=4) == 4


def test_pack_columns_spreads_a_page_over_its_columns():
    # Both fit in column one, but a page should not leave column two empty.
    assert pack_columns([300, 300], 2, 1000, 20) == [[[0], [1]]]
    assert pack_columns([100, 100, 400], 2, 1000, 20) == [[[0, 1], [2]]]
    assert pack_columns([300], 3, 1000, 20) == [[[0], [], []]]
