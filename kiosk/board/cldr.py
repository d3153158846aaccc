"""The CLDR data `Formats` reads, for the supported locales, from one small file. Plain Python.

`Locale.parse("en_US")` makes Babel read its global data (a 470 KB pickle, for one table of
parent locales) and the root, language and country files of the locale (360 KB for en_US),
and merge them: about 10 ms of `kiosk screenshot`'s start-up (bench/startup.py, issue 18),
for the dozen tables the board uses. `subset.<Babel version>.pickle`, beside this module,
holds those tables already merged, for every supported locale, as Babel itself builds them
(`python -m scripts.cldr_subset` writes it); `locale_for` hands Babel's functions a `Locale`
that reads them, so every number and date is still formatted by Babel, from the same data.

The file is named after the Babel version it was taken from: with another Babel installed it
is not used (full `Locale.parse`: the same text, about 10 ms slower to start), and the tests of
the file itself (tests/kiosk/board/test_cldr.py) skip, saying to run the script again. A table
not in the file is read from Babel's own data on first use.
"""

from __future__ import annotations

import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

import babel
from babel import Locale, localedata

from kiosk.locales import SUPPORTED_LOCALES

SUBSET_DIR = Path(__file__).resolve().parent / "cldr"
# The top-level CLDR tables kiosk.board.formatting's Babel calls read (found by recording
# every table a wide range of values asks for, in each supported locale).
TABLES: tuple[str, ...] = (
    "compact_decimal_formats",
    "currency_formats",
    "datetime_formats",
    "datetime_skeletons",
    "days",
    "decimal_formats",
    "list_patterns",
    "months",
    "number_symbols",
    "percent_formats",
    "plural_form",
    "unit_patterns",
)
# Of the units (47 KB a locale), only those Formats names: `Formats.days`.
UNITS: tuple[str, ...] = ("duration-day",)


def subset_path(version: str = babel.__version__) -> Path:
    return SUBSET_DIR / f"subset.{version}.pickle"


def extract_subset() -> dict[str, dict[str, Any]]:
    """The tables of `TABLES` of every supported locale, merged, from the installed Babel."""
    subset: dict[str, dict[str, Any]] = {}
    for locale in SUPPORTED_LOCALES:
        merged = localedata.load(locale)
        tables = {table: merged[table] for table in TABLES if table in merged}
        units = tables.get("unit_patterns", {})
        tables["unit_patterns"] = {unit: units[unit] for unit in UNITS if unit in units}
        subset[locale] = tables
    return subset


class _Tables(dict):  # type: ignore[type-arg]
    """A locale's tables from the file; one the file lacks comes from Babel's full data."""

    def __init__(self, tables: dict[str, Any], locale: str) -> None:
        super().__init__(tables)
        self.locale = locale

    def __missing__(self, table: str) -> Any:
        value = localedata.load(self.locale)[table]
        self[table] = value
        return value


class _SubsetLocale(Locale):
    """A Babel `Locale` whose data is `tables` (Babel's functions accept it as any Locale)."""

    def __init__(self, locale: str, tables: dict[str, Any]) -> None:
        language, _, territory = locale.partition("_")
        super().__init__(language, territory or None)
        self._tables = localedata.LocaleDataDict(_Tables(tables, locale))

    @property
    def _data(self) -> localedata.LocaleDataDict:
        return self._tables


@lru_cache(maxsize=1)
def _load_subset() -> dict[str, dict[str, Any]]:
    path = subset_path()
    try:
        with path.open("rb") as fh:
            loaded = pickle.load(fh)  # our own file, shipped with the code (as Babel's are)
    except OSError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def locale_for(locale: str) -> Locale:
    """Babel's `Locale` for `locale`: from the subset file when it has it, else parsed."""
    tables = _load_subset().get(locale)
    if tables is None:
        return Locale.parse(locale)
    return _SubsetLocale(locale, tables)
