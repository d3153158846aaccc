"""Shout-outs typed on Qt Virtual Keyboard (tapping its keys) reach the celebration screen."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from kiosk.manager.entries import active_shoutouts
from tests.demo_env import DEMO_DAY
from tests.kiosk.ui.checks import visible_labels
from tests.kiosk.ui.manager_kit import close_kit, make_kit

# Qt Virtual Keyboard's own QML says these once, when it first loads; nothing of ours.
pytestmark = pytest.mark.qt_log_ignore(
    r"qt\.multimedia",
    r"Couldn't (load|resolve) pipewire",
    r"overrides a member of the base object",
    r"depends on non-bindable properties",
    r"QLineEdit::echoMode",
)


@pytest.fixture
def kit(qtbot, tmp_path, clock):
    assert os.environ.get("QT_IM_MODULE") == "qtvirtualkeyboard"  # tests/conftest.py
    made = make_kit(qtbot, tmp_path, clock, (1920, 1080))
    made.set_pin()
    made.log_in()
    yield made
    close_kit(made)


def type_on_keyboard(kit, text: str) -> None:
    editor = kit.manager.overlay.editor
    keyboard = editor.keyboard
    assert keyboard.available, keyboard.error
    kit.qtbot.waitUntil(lambda: keyboard.key_position(" ") is not None)
    for char in text:
        position = keyboard.key_position(char)
        assert position is not None, f"no key {char!r}"
        kit.qtbot.mouseClick(keyboard.view, Qt.MouseButton.LeftButton, pos=position)


def celebration_texts(kit) -> set[str]:
    screen = kit.window.celebration
    texts: set[str] = set()
    for page in range(screen.page_count()):
        screen.show_page(page)
        texts |= {label.full_text() for label in visible_labels(screen)}
    return texts


def test_a_shout_out_typed_on_the_virtual_keyboard_shows_on_the_celebration_screen(kit):
    manager = kit.manager
    kit.press(kit.window.entry, "Shout-outs")
    shoutouts = manager.overlay.shoutouts
    assert manager.overlay.current() is shoutouts
    assert shoutouts.rows() == []
    kit.press(shoutouts, "Add shout-out")
    editor = manager.overlay.editor
    assert manager.overlay.current() is editor
    assert editor.field.hasFocus()
    # The keyboard is Qt's own, drawn inside the page; its keys are finger-sized.
    assert editor.keyboard.view is not None and editor.keyboard.view.isVisible()
    kit.qtbot.waitUntil(lambda: len(editor.keyboard.keys()) > 30)  # its layout loads async
    type_on_keyboard(kit, "great job jamal")
    assert editor.field.text() == "great job jamal"
    assert editor.count.text() == "15 / 200"
    kit.press(editor, "Save")
    assert manager.overlay.current() is shoutouts
    assert [row.text for row in shoutouts.rows()] == ["great job jamal"]
    assert shoutouts.rows()[0].until.isoformat() == "2026-11-30"  # 7 days, today included

    snapshot = kit.wait_for_snapshot(1)
    assert snapshot.celebration.recognitions[0].title == "great job jamal"
    assert "★ great job jamal" in celebration_texts(kit)

    # Deleting takes two taps.
    name = "Delete shout-out: great job jamal"
    kit.press(shoutouts, name)
    assert shoutouts.rows() and kit.button(shoutouts, name).text() == "Tap again to delete"
    kit.press(shoutouts, name)
    assert shoutouts.rows() == []
    snapshot = kit.wait_for_snapshot(2)
    assert all(r.title != "great job jamal" for r in snapshot.celebration.recognitions)
    with kit.env.db.read() as session:
        assert active_shoutouts(session, "S001", DEMO_DAY) == []


def test_an_empty_shout_out_is_not_saved(kit):
    kit.press(kit.window.entry, "Shout-outs")
    kit.press(kit.manager.overlay.shoutouts, "Add shout-out")
    editor = kit.manager.overlay.editor
    assert not kit.button(editor, "Save").isEnabled()
    type_on_keyboard(kit, "   ")
    assert not kit.button(editor, "Save").isEnabled()  # blanks are not a shout-out
    kit.press(editor, "Cancel")
    assert kit.manager.overlay.current() is kit.manager.overlay.shoutouts


def test_a_german_store_types_its_umlauts_on_its_own_keyboard(qtbot, tmp_path, clock, speak):
    """The on-screen keyboard takes the store's layout (German keys ä, ö, ü), and the whole
    way there is in German, found by the names a screen reader says."""
    speak("de_DE")
    kit = make_kit(qtbot, tmp_path, clock, (1280, 720))
    try:
        kit.set_pin()
        kit.log_in()
        kit.press(kit.window.entry, "Lob & Dank")
        kit.press(kit.manager.overlay.shoutouts, "Lob hinzufügen")
        editor = kit.manager.overlay.editor
        kit.qtbot.waitUntil(lambda: len(editor.keyboard.keys()) > 30)
        shown = editor.keyboard.keys()  # German keys, not the machine's layout
        assert {"ä", "ö", "ü"} <= {str(key.property("text")) for key in shown}
        type_on_keyboard(kit, "danke jürgen")
        kit.press(editor, "Speichern")
        kit.wait_for_snapshot(1)
        assert "★ danke jürgen" in celebration_texts(kit)
    finally:
        close_kit(kit)
