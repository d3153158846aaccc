"""Text fitting and column packing, and the overflow check the screen tests rely on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QImage
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.ui.theme import Theme
from kiosk.ui.widgets import (
    SectionFlow,
    Slot,
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


def test_columns_for():
    assert columns_for(1864, 400, 20, at_most=4) == 4
    assert columns_for(300, 400, 20) == 1
    assert columns_for(300, 400, 20, at_least=4) == 4


def test_pack_columns_spreads_a_page_over_its_columns():
    # Both fit in column one, but a page should not leave column two empty.
    assert pack_columns([300, 300], 2, 1000, 20) == [[[0], [1]]]
    assert pack_columns([100, 100, 400], 2, 1000, 20) == [[[0, 1], [2]]]
    assert pack_columns([300], 3, 1000, 20) == [[[0], [], []]]


# --- sections flowing down columns (the scoreboard's perspectives) -------------------------
# Heights: a heading (with the gap under it) is 50, cards are 100 or 200, gaps 10.


def test_a_column_holds_headings_and_cards_in_order():
    flow = SectionFlow(((100, 100), (200,)), heading=50, gap=10)
    # 50 + 100 + 10 + 100, then 10 + 50 + 200 for the second section: 520 in all.
    assert flow.run_height(flow._items) == 520
    assert flow.columns_needed(520) == 1
    assert flow.columns_needed(519) == 2
    assert flow.pack(1, 520) == [[[Slot(0), Slot(0, 0), Slot(0, 1), Slot(1), Slot(1, 0)]]]


def test_a_section_going_on_in_the_next_column_is_headed_again():
    flow = SectionFlow(((100, 100, 100),), heading=50, gap=10)
    assert flow.pack(2, 270) == [
        [[Slot(0), Slot(0, 0), Slot(0, 1)], [Slot(0), Slot(0, 2)]],
    ]


def test_columns_are_balanced_and_start_at_a_section_where_they_can():
    """Four columns' worth in three: the cut falls between sections, not inside one, when
    the columns still fit."""
    flow = SectionFlow(((100, 100), (100, 100), (100,), (100,)), heading=50, gap=10)
    page = flow.pack(3, 400)[0]
    assert page == [
        [Slot(0), Slot(0, 0), Slot(0, 1)],
        [Slot(1), Slot(1, 0), Slot(1, 1)],
        [Slot(2), Slot(2, 0), Slot(3), Slot(3, 0)],
    ]


def test_sections_page_when_they_do_not_fit():
    flow = SectionFlow(((200, 200, 200), (200,)), heading=50, gap=10)
    assert flow.columns_needed(300) == 4  # one card per column
    pages = flow.pack(2, 300)
    assert [[[s.card for s in column if s.card is not None] for column in p] for p in pages] == [
        [[0], [1]],
        [[2], [0]],
    ]
    assert pages[1][1][0] == Slot(1)  # the new section's own heading


def test_a_card_taller_than_a_column_still_gets_one():
    flow = SectionFlow(((100, 900, 100),), heading=50, gap=10)
    assert flow.columns_needed(500) == 3


def _drawn(label: QLabel) -> QImage:
    image = QImage(label.size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#101418"))
    label.render(image)
    return image


def test_big_text_drawn_from_its_cached_picture_looks_as_qt_draws_it(qtbot):
    # At 4K every label's glyphs are over Qt's glyph cache: the label keeps its drawn text.
    font = QFont(FONT)
    font.setPixelSize(150)
    cached = plain_label("$11,508", font, "#ffffff")
    drawn_by_qt = QLabel("$11,508")
    for label in (cached, drawn_by_qt):
        qtbot.addWidget(label)
        label.setFont(font)
        label.resize(900, 220)
    drawn_by_qt.setTextFormat(Qt.TextFormat.PlainText)
    drawn_by_qt.setAlignment(cached.alignment())
    drawn_by_qt.setPalette(cached.palette())
    first = _drawn(cached)
    assert first == _drawn(drawn_by_qt)
    assert first == _drawn(cached)  # the second paint, from the cached picture

    cached.set_full_text("$12,019")  # new numbers: drawn again, never the old picture
    cached.set_color("#ff6b5b")
    drawn_by_qt.setText("$12,019")
    drawn_by_qt.setPalette(cached.palette())
    changed = _drawn(cached)
    assert changed != first
    assert changed == _drawn(drawn_by_qt)
