"""The translation catalogs: complete, in step with the code, compiled at start, and safe.

What a translator can get wrong is checked here rather than found on a store's screen: a
message left unfinished, a `{placeholder}` misspelt or dropped, a string added to the code
and never extracted (`python -m scripts.translations update`), or one lupdate cannot see.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import logging
import os
import re
import shutil
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QRawFont

from kiosk.board.formatting import formats_for
from kiosk.board.model import Freshness, Status
from kiosk.board.wording import STATUS_WORDS, status_text
from kiosk.locales import DEFAULT_LOCALE, SUPPORTED_LOCALES, language
from kiosk.manager.entries import validate_entry_value, validate_shoutout_text
from kiosk.ui.fonts import FONT_FILES, FONTS_DIR
from kiosk.ui.header import STORAGE_PROBLEMS, freshness_text
from kiosk.ui.i18n import catalogs, current_locale, translate, use_locale, words
from scripts import translations
from sync.store.storage import DiskProblem
from tests.kiosk.ui.snapshots import NOW, TZ

ROOT = Path(__file__).resolve().parents[3]
TRANSLATED = [locale for locale in SUPPORTED_LOCALES if language(locale) != "en"]
FIELD = re.compile(r"\{([a-z_]+)\}")


def messages(path: Path) -> dict[tuple[str, str], str | None]:
    """(context, source) -> the finished translation, or None when it is not finished."""
    found: dict[tuple[str, str], str | None] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            done = translation is not None and translation.get("type") is None
            text = translation.text if done and translation is not None else None
            found[(name, message.findtext("source", ""))] = text or None
    return found


def catalog(locale: str) -> Path:
    return catalogs.CATALOG_DIR / f"kiosk_{locale}.ts"


def test_every_supported_locale_has_a_catalog_and_every_catalog_a_locale():
    assert sorted(p.name for p in catalogs.source_catalogs()) == sorted(
        f"kiosk_{locale}.ts" for locale in TRANSLATED
    )
    assert catalogs.source_catalog(DEFAULT_LOCALE) is None  # English is the code's own
    for locale in TRANSLATED:
        root = ET.parse(catalog(locale)).getroot()
        assert (root.get("language"), root.get("sourcelanguage")) == (locale, "en")


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(locale):
    problems = []
    for (context, source), text in messages(catalog(locale)).items():
        if text is None:
            problems.append(f"{context}: {source!r} is not translated (finished)")
            continue
        fields = set(FIELD.findall(source))
        if set(FIELD.findall(text)) != fields:
            problems.append(f"{context}: {text!r} must use exactly {sorted(fields)}")
            continue
        try:
            # What the screen does with it; a stray brace would raise on a store's screen.
            text.format(**{name: "x" for name in fields})
            names = {n for _, n, _, _ in string.Formatter().parse(text) if n is not None}
        except (ValueError, KeyError, IndexError) as exc:
            problems.append(f"{context}: {text!r} does not format: {exc}")
            continue
        if names != fields:
            problems.append(f"{context}: {text!r} has fields {sorted(names)}")
    assert not problems, "\n".join(problems)


def test_the_catalogs_hold_exactly_the_strings_of_the_code(tmp_path):
    """A string added to the code without `python -m scripts.translations update` (or one
    removed) fails here, before it shows in English on a French screen."""
    fresh = tmp_path / "kiosk_fr_CA.ts"
    shutil.copy(catalog("fr_CA"), fresh)
    translations.lupdate(fresh)
    extracted = set(messages(fresh))
    for locale in TRANSLATED:
        committed = set(messages(catalog(locale)))
        missing = sorted(extracted - committed)
        gone = sorted(committed - extracted)
        assert not missing and not gone, (
            f"{locale}: run `python -m scripts.translations update` and translate: "
            f"new {missing[:5]}, gone {gone[:5]}"
        )


class _Calls(ast.NodeVisitor):
    """Calls of translate() and QT_TRANSLATE_NOOP() whose source lupdate cannot read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []
        self.literals: set[tuple[str, str]] = set()
        self._assigned: list[set[str]] = [set()]
        self._parameters: list[set[str]] = [set()]
        self._in_fstring = 0

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        names = {
            target.id
            for child in ast.walk(node)
            if isinstance(child, ast.Assign)
            and isinstance(child.value, ast.Constant)
            and isinstance(child.value.value, str)
            for target in child.targets
            if isinstance(target, ast.Name)
        }
        self._assigned.append(names)
        self._parameters.append({arg.arg for arg in node.args.args})
        self.generic_visit(node)
        self._assigned.pop()
        self._parameters.pop()

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._in_fstring += 1
        self.generic_visit(node)
        self._in_fstring -= 1

    def visit_Call(self, node: ast.Call) -> None:
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        owner = getattr(getattr(node.func, "value", None), "id", "QCoreApplication")
        # `wording.translate(...)`: a Wording forwarding its own (context, source).
        if name in ("translate", "QT_TRANSLATE_NOOP") and owner == "QCoreApplication":
            where = f"{self.path.relative_to(ROOT)}:{node.lineno}"
            if len(node.args) < 2:
                self.problems.append(f"{self.path.relative_to(ROOT)}:{node.lineno}: no source")
                return
            context, source = node.args[0], node.args[1]
            forwarded = {getattr(context, "id", None), getattr(source, "id", None)}
            if forwarded <= self._parameters[-1]:
                self.generic_visit(node)  # a wrapper passing its own arguments on
                return
            literal = isinstance(source, ast.Constant) and isinstance(source.value, str)
            if self._in_fstring:
                self.problems.append(f"{where}: {name}() inside an f-string: lupdate skips it")
            if not (isinstance(context, ast.Constant) and isinstance(context.value, str)):
                self.problems.append(f"{where}: the context must be a string literal")
            elif literal:
                self.literals.add((context.value, source.value))
            if name == "QT_TRANSLATE_NOOP" and not literal:
                self.problems.append(f"{where}: QT_TRANSLATE_NOOP needs a string literal")
            elif isinstance(source, ast.IfExp | ast.JoinedStr | ast.BinOp):
                self.problems.append(f"{where}: one string literal per call, not an expression")
            elif isinstance(source, ast.Name) and source.id in self._assigned[-1]:
                self.problems.append(
                    f"{where}: {source.id} is a string assigned here: pass the literal itself"
                )
            if len(node.args) > 2 or node.keywords:
                self.problems.append(f"{where}: format after translating, not in the call")
        self.generic_visit(node)


def test_every_translated_string_is_one_lupdate_can_read(tmp_path):
    """lupdate reads code as tokens, not as Python: a string built at run time, inside an
    f-string or passed through a variable is never extracted, and shows in English."""
    problems: list[str] = []
    literals: set[tuple[str, str]] = set()
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        calls = _Calls(path)
        calls.visit(ast.parse(path.read_text(encoding="utf-8")))
        problems += calls.problems
        literals |= calls.literals
    assert not problems, "\n".join(problems)
    assert literals <= set(messages(catalog("fr_CA"))), "every literal is in the catalogs"
    assert len(literals) > 200


def test_storage_problems_and_validation_messages_are_in_the_catalogs():
    """Text made outside kiosk/ui is translated by its English source: each must be one."""
    header = {source for (context, source) in messages(catalog("de_DE")) if context == "Header"}
    assert {DiskProblem(kind, Path("/x")).short for kind in ("full", "read-only")} <= header
    assert set(STORAGE_PROBLEMS) <= header
    entries = {source for (context, source) in messages(catalog("de_DE")) if context == "Entries"}
    for error in (
        validate_entry_value("", 0),
        validate_entry_value("1.5", 0),
        validate_entry_value("1.55", 1),
        validate_entry_value("1.555", 2),
        validate_entry_value("-1", 0),
        validate_entry_value("5000000000", 0),
        validate_entry_value("5000", 0, history_max=10),
        validate_shoutout_text(""),
        validate_shoutout_text("x" * 300),
    ):
        assert not isinstance(error, float | str) and error.text in entries, error


def test_the_committed_catalogs_are_compiled_from_their_sources():
    """Each `.ts` has its `.qm` beside it, named after the source's content as it is now, and
    saying every translation of it: run `python -m scripts.translations compile` after
    translating. No compiled file of an older source is left behind."""
    from PySide6.QtCore import QTranslator

    expected = {catalogs.compiled_name(source) for source in catalogs.source_catalogs()}
    shipped = {path.name for path in catalogs.CATALOG_DIR.glob("*.qm")}
    assert shipped == expected, "run: python -m scripts.translations compile"
    for source in catalogs.source_catalogs():
        translator = QTranslator()
        assert translator.load(str(catalogs.CATALOG_DIR / catalogs.compiled_name(source)))
        wrong = []
        for context in ET.parse(source).getroot().iter("context"):
            name = context.findtext("name", "")
            for message in context.iter("message"):
                said = translator.translate(name, message.findtext("source", ""))
                if said != message.findtext("translation", ""):
                    wrong.append((name, message.findtext("source"), said))
        assert not wrong, wrong[:5]


def test_a_locale_speaks_from_its_shipped_catalog(speak, catalog_cache, monkeypatch):
    """An install speaks French without compiling anything or writing a cache."""
    monkeypatch.setattr(catalogs, "compile_catalog", _must_not_compile)
    speak("es_MX")
    wording = speak("fr_CA")
    assert current_locale() == "fr_CA" and words() is wording
    assert translate("Board", "Behind") == "En retard"
    assert status_text(Status.behind, wording) == "▼ En retard"
    assert wording.formats == formats_for("fr_CA")
    assert not list(catalog_cache.glob("kiosk_fr_CA.*.qm"))
    speak("es_MX")
    speak("fr_CA")
    assert translate("Board", STATUS_WORDS["met"]) == "Atteint"
    assert translate("Board", "Behind") == "En retard"
    speak("en_US")
    assert translate("Board", "Behind") == "Behind"  # no catalog, no leftover translator


@pytest.mark.parametrize("locale", ["en_US", "fr_CA"])
def test_a_shipped_catalog_starts_without_the_compiler_s_imports(locale):
    """Start-up (bench/startup.py): the QApplication speaking a language whose catalog ships
    compiled, or English, loads neither what compiling needs nor the demo's feed generator."""
    script = (
        "import json, sys\n"
        "import kiosk.demo.hooks\n"
        "from kiosk.ui.application import ensure_app\n"
        f"ensure_app(offscreen=True, locale={locale!r})\n"
        "from kiosk.ui.i18n import translate\n"
        "lazy = ('platformdirs', 'subprocess', 'kiosk.demo.feeds')\n"
        "print(json.dumps([translate('Board', 'Behind'), [m for m in lazy if m in sys.modules]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    said, imported = json.loads(done.stdout)
    assert said == ("En retard" if locale == "fr_CA" else "Behind")
    assert imported == []


def _must_not_compile(source: Path, folder: Path) -> Path:
    raise AssertionError(f"{source.name} compiled again")


def test_an_edited_catalog_is_compiled_again_and_the_old_file_goes(tmp_path, monkeypatch):
    (tmp_path / "i18n").mkdir()
    source = tmp_path / "i18n" / "kiosk_de_DE.ts"
    shutil.copy(catalog("de_DE"), source)
    monkeypatch.setattr(catalogs, "CATALOG_DIR", tmp_path / "i18n")
    cache = tmp_path / "cache"
    first = catalogs.compiled_catalog("de_DE", cache)
    assert first is not None and first.parent == cache
    source.write_text(
        source.read_text(encoding="utf-8").replace(">Im Rückstand<", ">Hinten<"), encoding="utf-8"
    )
    second = catalogs.compiled_catalog("de_DE", cache)
    assert second is not None and second != first
    assert sorted(cache.glob("*.qm")) == [second]


def test_a_catalog_compiled_ahead_of_time_beside_its_source_is_used(tmp_path, monkeypatch):
    """`python -m scripts.translations compile` for a package: no compiling at start."""
    folder = tmp_path / "i18n"
    folder.mkdir()
    shutil.copy(catalog("es_MX"), folder / "kiosk_es_MX.ts")
    monkeypatch.setattr(catalogs, "CATALOG_DIR", folder)
    monkeypatch.setattr(translations, "CATALOG_DIR", folder)
    assert translations.main(["compile", "--out", str(folder)]) == 0
    monkeypatch.setattr(catalogs, "compile_catalog", _must_not_compile)
    found = catalogs.compiled_catalog("es_MX", tmp_path / "cache")
    assert found is not None and found.parent == folder


def _only_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalog folder with the sources and no compiled file: a `.ts` edited, not compiled."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for source in catalogs.source_catalogs():
        shutil.copy(source, folder / source.name)
    monkeypatch.setattr(catalogs, "CATALOG_DIR", folder)


def test_an_uncompiled_catalog_is_compiled_once_into_the_cache(speak, tmp_path, monkeypatch):
    _only_sources(tmp_path, monkeypatch)
    cache = tmp_path / "cache"
    use_locale("fr_CA", cache_dir=cache)
    try:
        assert translate("Board", "Behind") == "En retard"
        compiled = sorted(cache.glob("kiosk_fr_CA.*.qm"))
        assert [p.name for p in compiled] == [catalogs.compiled_name(catalog("fr_CA"))]
        assert compiled[0].stat().st_mode & 0o777 == 0o644  # the kiosk's user reads it
        # The second time, the compiled file is reused: lrelease is not run again.
        monkeypatch.setattr(catalogs, "compile_catalog", _must_not_compile)
        use_locale("en_US", cache_dir=cache)
        use_locale("fr_CA", cache_dir=cache)
        assert translate("Board", "Behind") == "En retard"
    finally:
        speak(DEFAULT_LOCALE)


def test_without_lrelease_the_screen_stays_up_in_english_with_local_numbers(
    speak, tmp_path, monkeypatch, caplog
):
    _only_sources(tmp_path, monkeypatch)
    monkeypatch.setattr(catalogs, "qt_tool", lambda name: [str(tmp_path / "no-lrelease")])
    caplog.set_level(logging.ERROR)
    wording = use_locale("de_DE", cache_dir=tmp_path / "empty-cache")
    try:
        assert translate("Board", "Behind") == "Behind"
        assert wording.formats.value(12345.5, "€", 2) == "12.345,50\u00a0€"
        assert "lrelease could not compile kiosk_de_DE.ts" in caplog.text
    finally:
        speak(DEFAULT_LOCALE)


def test_an_unwritable_cache_compiles_elsewhere(tmp_path, monkeypatch):
    _only_sources(tmp_path, monkeypatch)
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    found = catalogs.compiled_catalog("fr_CA", blocked / "cache")
    assert found is not None and found.is_file() and blocked not in found.parents


def test_the_header_says_it_in_the_stores_language(speak):
    speak("fr_CA")
    stale = Freshness(dt.datetime(2026, 11, 23, 9, 12, tzinfo=TZ), True)
    assert freshness_text(stale, NOW) == "⚠ Données non mises à jour depuis lun. 09 h 12"
    full = Freshness(None, False, storage_problem=DiskProblem("full", Path("/x")).short)
    assert freshness_text(full, NOW) == "⚠ Disque plein\u00a0: rien ne peut être enregistré"
    speak("de_DE")
    fresh = Freshness(dt.datetime(2026, 11, 24, 10, 42, tzinfo=TZ), False)
    assert freshness_text(fresh, NOW) == "aktualisiert um 10:42"


def test_a_validation_message_is_said_in_the_stores_language_with_its_numbers(speak):
    too_large = validate_entry_value("5000000000", 0)
    too_long = validate_shoutout_text("x" * 215)
    assert too_large.message == "That is too large (at most 1,000,000,000)"  # type: ignore[union-attr]
    wording = speak("fr_CA")
    assert too_large.say(wording) == "C’est trop grand (maximum 1\u00a0000\u00a0000\u00a0000)"  # type: ignore[union-attr]
    wording = speak("es_MX")
    assert too_long.say(wording) == "Máximo 200 caracteres (este tiene 215)"  # type: ignore[union-attr]


# --- every character on screen has a glyph in the bundled fonts ------------------------------


def _characters(locale: str) -> set[str]:
    shown: set[str] = set()
    texts = messages(catalog(locale)) if locale in TRANSLATED else {}
    for (_, source), text in texts.items() or messages(catalog("fr_CA")).items():
        shown |= set(FIELD.sub("", text if locale in TRANSLATED and text else source))
    formats = formats_for(locale)
    for month in range(1, 13):
        for day in range(1, 8):
            moment = dt.datetime(2026, month, day, 13, 7)
            shown |= set(formats.date(moment.date()) + formats.day_time(moment))
            shown |= set(formats.date_time(moment))
    for value in (-1234567.891, 0.5, 12345.5, 987654321):
        for unit in ("$", "€", "£", "¥", "%", "pts"):
            shown |= set(formats.value(value, unit, 2) + formats.value(value, unit, 0, fits=bool))
        shown |= set(formats.compact(value) + formats.percent(value))
    shown |= set(formats.list(["a", "b", "c"]) + formats.days(1) + formats.days(7))
    return shown - {"\n"}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_character_shown_has_a_glyph_in_every_bundled_font(locale):
    """No tofu boxes: French no-break spaces, «», é; German „“ ß; Spanish ¿¡ñ; CLDR's marks."""
    missing = []
    for name in FONT_FILES:
        font = QRawFont(str(FONTS_DIR / name), 40)
        assert font.isValid(), name
        for char in sorted(_characters(locale)):
            if char.isspace() and char not in "\u00a0\u202f":
                continue
            if not font.supportsCharacter(ord(char)):
                missing.append(f"{name}: U+{ord(char):04X} {char!r}")
    assert not missing, missing


def test_the_special_characters_are_really_used():
    """The glyph check above is only worth something if these are on screen."""
    french = _characters("fr_CA")
    assert {"\u00a0", "\u202f", "«", "»", "é", "’"} <= french
    assert {"„", "“", "ß", "Ä", "ü"} <= _characters("de_DE")
    assert {"¡", "¿", "ñ", "í"} <= _characters("es_MX")
