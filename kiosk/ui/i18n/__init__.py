"""The store's language on screen: Qt's translator for the words, CLDR for the numbers.

`use_locale(locale)` is called once, when the QApplication starts (`ensure_app(locale=...)`,
from `[store] locale`), before any screen is built:
- it installs the kiosk's catalog (`kiosk_<locale>.ts` in this folder, compiled beside it;
  see `catalogs.py`) and Qt's own for its few words (a text field's menu);
- it makes `locale` Qt's default locale (the on-screen keyboard picks its layout from it);
- it makes `words()` the board's `Wording` for that locale: `QCoreApplication.translate` for
  the words, `Formats(locale)` for numbers, money, percents, dates and times.

Widgets read `words()` when they build their text, and put every word of their own through
`translate("Context", "Source text")`, so that pyside6-lupdate finds it (docs/translations.md).
A catalog that cannot be compiled is logged and the screen stays in English: a missing
translation must not take the board down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from kiosk.board.formatting import formats_for
from kiosk.board.wording import Wording
from kiosk.locales import DEFAULT_LOCALE, SUPPORTED_LOCALES
from kiosk.ui.i18n.catalogs import CatalogError, compiled_catalog

log = logging.getLogger(__name__)

__all__ = ["current_locale", "translate", "use_locale", "words"]


def translate(context: str, source: str) -> str:
    """`source` in the store's language (as written when no catalog has it).

    Remembered until the language changes: a board is planned at dozens of sizes, each
    saying the same sentences, and a dictionary is cheaper than a call into Qt."""
    key = (context, source)
    found = _said.get(key)
    if found is None:
        found = _said[key] = QCoreApplication.translate(context, source)
    return found


_said: dict[tuple[str, str], str] = {}


class _Speech:
    """What the screens speak now: one per process, as Qt's translators are."""

    def __init__(self) -> None:
        self.locale = DEFAULT_LOCALE
        self.words = Wording(formats_for(DEFAULT_LOCALE), translate)
        self.translators: list[QTranslator] = []


_speech = _Speech()


def words() -> Wording:
    """The board's wording in the store's language (`use_locale`)."""
    return _speech.words


def current_locale() -> str:
    return _speech.locale


def use_locale(locale: str, *, cache_dir: Path | None = None) -> Wording:
    """Speak `locale` from now on (see the module text); returns the new `words()`.

    Needs the QApplication. Screens built before the call keep their old words: call it
    before building them. `cache_dir` is where catalogs are compiled (default: the user's
    cache folder).
    """
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(f"unknown locale {locale!r} (one of {', '.join(SUPPORTED_LOCALES)})")
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("use_locale needs the QApplication (ensure_app) first")
    translators = _speech.translators
    for old in translators:
        app.removeTranslator(old)
        old.deleteLater()
    translators.clear()
    QLocale.setDefault(QLocale(locale))
    try:
        catalog = compiled_catalog(locale, cache_dir)
    except CatalogError as exc:
        log.error("%s; the screen shows English words", exc)
        catalog = None
    if catalog is not None:
        _install(app, translators, lambda t: t.load(str(catalog)), catalog.name)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    # Qt's own words, where it has them (no English file: those are Qt's source strings).
    _install(
        app,
        translators,
        lambda t: t.load(QLocale(locale), "qt", "_", qt_folder),
        f"Qt's {locale}",
        quiet=True,
    )
    _said.clear()  # what was said in the old language, or before the catalogs were installed
    _speech.locale = locale
    _speech.words = Wording(formats_for(locale), translate)
    log.info("screen language: %s", locale)
    return _speech.words


def _install(
    app: QCoreApplication,
    translators: list[QTranslator],
    load: Callable[[QTranslator], bool],
    name: str,
    *,
    quiet: bool = False,
) -> None:
    translator = QTranslator(app)
    if load(translator):
        app.installTranslator(translator)
        translators.append(translator)
        return
    translator.deleteLater()
    if not quiet:
        log.error("the translation catalog %s could not be loaded; English words instead", name)
