"""The board's CLDR tables come from kiosk/board/cldr/ (start-up, issue 18) and format exactly
as Babel's full locale data does."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import babel
import pytest
from babel import Locale

from kiosk.board import cldr
from kiosk.board.formatting import Formats
from kiosk.locales import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[3]
NUMBERS = (0, -0.4, 0.5, 1, 12.5, 99.96, 104.2, 999, 1234.5, -1234.5, 12345, 123456, 1234567)
BIG = (-12345678, 1.2e9, 3.4e12)
UNITS = ("", "$", "€", "£", "¥", "%", "pts", "h")


def _everything(formats: Formats) -> list[str]:
    """Every kind of text Formats writes, over a range of values, units and dates."""
    said: list[str] = [formats.decimal_symbol]
    for value in NUMBERS + BIG:
        for unit in UNITS:
            for decimals in (0, 1, 2):
                said.append(formats.value(value, unit, decimals))
                said.append(formats.value(value, unit, decimals, fits=lambda _text: False))
        said += [formats.percent(value), formats.compact(value, 1)]
    said += [formats.list(items) for items in ([], ["a"], ["a", "b"], ["a", "b", "c", "d"])]
    said += [formats.days(count) for count in (0, 1, 2, 7, 14, 21)]
    start = dt.datetime(2026, 1, 1)
    for step in range(40):  # every month, every weekday, hours and minutes of both halves
        moment = start + dt.timedelta(days=step * 9, hours=step, minutes=step * 7)
        said += [formats.date(moment.date()), formats.time(moment), formats.time(moment.time())]
        said += [formats.day_time(moment), formats.date_time(moment)]
    return said


# The file is made by one Babel version. A fresh install may bring a newer Babel before anyone
# has written its file: the kiosk then formats from Babel's full data (the same text, about
# 10 ms slower to start, which bench/startup.py shows), so only the tests of the file itself
# wait for `python -m scripts.cldr_subset`.
needs_subset = pytest.mark.skipif(
    not cldr.subset_path().is_file(),
    reason=f"no CLDR subset for Babel {babel.__version__}: run `python -m scripts.cldr_subset`",
)


@needs_subset
def test_the_subset_file_is_there_for_the_installed_babel_and_every_locale():
    path = cldr.subset_path()
    assert path.is_file(), f"{path.name} is missing: run `python -m scripts.cldr_subset`"
    for locale in SUPPORTED_LOCALES:
        assert isinstance(cldr.locale_for(locale), cldr._SubsetLocale), locale


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_subset_formats_as_babel_s_full_data_does(locale):
    from_subset = Formats(locale)
    full = Formats(locale)
    full.__dict__["_babel"] = Locale.parse(locale)  # what Formats read before the subset
    assert _everything(from_subset) == _everything(full)
    if not cldr.subset_path().is_file():
        return  # both from Babel's full data: the same text is all there is to check
    assert isinstance(from_subset._babel, cldr._SubsetLocale)
    # Nothing came from Babel's own files: the subset holds every table these calls read.
    tables = from_subset._babel._data._data
    assert set(tables) <= set(cldr.TABLES)


def test_a_table_the_subset_lacks_is_read_from_babel():
    locale = cldr.locale_for("fr_CA")
    assert locale.territories["CA"] == "Canada"  # not one of the board's tables
    full = Locale.parse("fr_CA")
    assert locale.decimal_formats[None].pattern == full.decimal_formats[None].pattern


@needs_subset
def test_the_screenshot_path_reads_no_babel_locale_file():
    """A screenshot's formats open neither Babel's global data nor a locale's files."""
    script = (
        "import datetime as dt\n"
        "from babel import core, localedata\n"
        "from kiosk.board.formatting import formats_for\n"
        "f = formats_for('fr_CA')\n"
        "f.value(12345.5, '$', 2); f.compact(1234567); f.days(14); f.percent(96.2)\n"
        "f.date_time(dt.datetime(2026, 12, 7, 15, 3)); f.list(['a', 'b'])\n"
        "print(core._global_data is None, sorted(localedata._cache))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "[]"]
