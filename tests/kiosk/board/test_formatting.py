"""Numbers, money, percents, dates and times, in every locale the kiosk speaks: plain Python,
no Qt (CLDR data through Babel)."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.board.formatting import ENGLISH_FORMATS, MISSING, Formats, formats_for
from kiosk.board.wording import ENGLISH, Wording, as_written, pace_text, stars_text
from kiosk.locales import SUPPORTED_LOCALES

NBSP = "\u00a0"  # CLDR's group separator and unit space in fr_CA, its unit space in de_DE
EN = ENGLISH_FORMATS
FR, ES, DE = formats_for("fr_CA"), formats_for("es_MX"), formats_for("de_DE")


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "expected"),
    [
        (12000, "$", 0, "$12,000"),
        (1234.5, "€", 2, "€1,234.50"),
        (99.5, "£", 0, "£100"),  # half-up, not banker's rounding
        (2.675, "¥", 2, "¥2.68"),  # as written, not the binary float's 2.67499...
        (87, "%", 0, "87%"),
        (4.5, "pts", 1, "4.5 pts"),
        (6.5, "h", 1, "6.5 h"),
        (412, "", 0, "412"),
        (1234567, "", 0, "1,234,567"),
        (-1234.5, "$", 2, "−$1,234.50"),
        (-12, "%", 0, "−12%"),
        (-3.25, "pts", 1, "−3.3 pts"),
        (-0.004, "", 2, "0.00"),  # never "−0.00"
        (None, "$", 0, MISSING),
        (float("nan"), "$", 0, MISSING),
        (float("inf"), "", 0, MISSING),
    ],
)
def test_english_values(value, unit, decimals, expected):
    assert EN.value(value, unit, decimals) == expected


@pytest.mark.parametrize(
    ("formats", "expected"),
    [
        # The catalog's "$" in a Canadian store: the symbol where French puts a currency.
        (FR, f"12{NBSP}345,50{NBSP}$"),
        (ES, "$12,345.50"),
        (DE, f"12.345,50{NBSP}$"),
        (EN, "$12,345.50"),
    ],
    ids=["fr_CA", "es_MX", "de_DE", "en_US"],
)
def test_money_is_placed_and_grouped_as_each_country_writes_it(formats, expected):
    assert formats.value(12345.5, "$", 2) == expected


def test_the_currency_symbol_is_the_catalogs():
    assert DE.value(12345.5, "€", 2) == f"12.345,50{NBSP}€"
    assert FR.value(99, "€", 0) == f"99{NBSP}€"
    assert ES.value(1.5, "£", 2) == "£1.50"
    assert FR.value(-1234.5, "$", 2) == f"−1{NBSP}234,50{NBSP}$"  # a real minus, first


@pytest.mark.parametrize(
    ("formats", "expected"),
    [(FR, f"87{NBSP}%"), (DE, f"87{NBSP}%"), (ES, "87%"), (EN, "87%")],
    ids=["fr_CA", "de_DE", "es_MX", "en_US"],
)
def test_percents(formats, expected):
    assert formats.percent(87.2) == expected
    assert formats.value(87, "%", 0) == expected  # a catalog unit of "%" reads the same


@pytest.mark.parametrize("formats", [EN, FR, ES, DE], ids=SUPPORTED_LOCALES)
def test_a_percent_never_rounds_up_to_the_goal(formats):
    # 99.96% is not met: showing "100%" next to "▼ Behind" would read as a bug.
    assert formats.percent(99.96) == formats.percent(99)
    assert formats.percent(99.96) != formats.percent(100)
    assert formats.percent(None) == MISSING


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(104.2, "104%"), (100.0, "100%"), (99.5, "99%"), (0, "0%"), (float("nan"), MISSING)],
)
def test_english_percents(percent, expected):
    assert EN.percent(percent) == expected


def test_decimals_take_the_locales_mark():
    assert FR.value(4.5, "pts", 1) == "4,5 pts"
    assert DE.number(1234567.891, 2) == "1.234.567,89"
    assert ES.number(1234567.891, 2) == "1,234,567.89"
    assert EN.number(5, -1) == "5"
    assert [f.decimal_symbol for f in (EN, FR, ES, DE)] == [".", ",", ".", ","]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (950, "950"),
        (1000, "1K"),
        (54210, "54.2K"),
        (999_960, "1M"),  # not "1,000K"
        (1_234_567, "1.2M"),
        (12_345_678, "12.3M"),
        (123_456_789, "123M"),  # three figures say enough
        (-1_234_567, "−1.2M"),
        (2_500_000_000, "2.5B"),
    ],
)
def test_english_compact_numbers(value, expected):
    assert EN.compact(value) == expected


def test_compact_numbers_in_other_locales():
    assert FR.compact(1_234_567) == f"1,2{NBSP}M"
    assert DE.compact(1_234_567) == f"1,2{NBSP}Mio."
    assert ES.compact(54_210) == f"54.2{NBSP}k"
    # German has no short form for thousands: the number in full rather than "54210".
    assert DE.compact(54_210) == "54.210"
    assert FR.value(1_234_567.89, "$", 2, fits=lambda s: False) == f"1,2{NBSP}M{NBSP}$"


def test_compact_form_only_when_the_full_one_does_not_fit():
    assert EN.value(1_234_567.89, "$", 2) == "$1,234,567.89"
    assert EN.value(1_234_567.89, "$", 2, fits=lambda s: len(s) <= 8) == "$1.2M"
    assert EN.value(12_000, "$", 0, fits=lambda s: len(s) <= 8) == "$12,000"
    assert EN.value(None, "$", 0, fits=lambda s: False) == MISSING


TUESDAY = dt.date(2026, 11, 24)
MONDAY_MORNING = dt.datetime(2026, 11, 23, 9, 12)


@pytest.mark.parametrize(
    ("formats", "date", "time", "day_time", "date_time"),
    [
        (EN, "Tue, Nov 24", "07:05", "Mon 09:12", "Tue, Nov 24, 15:03"),
        (FR, "mar. 24 nov.", "07 h 05", "lun. 09 h 12", "mar. 24 nov. 15 h 03"),
        (ES, "mar 24 de nov", "07:05", "lun 09:12", "mar 24 de nov, 15:03"),
        (DE, "Di., 24. Nov.", "07:05", "Mo., 09:12", "Di., 24. Nov., 15:03"),
    ],
    ids=SUPPORTED_LOCALES,
)
def test_dates_and_times(formats, date, time, day_time, date_time):
    assert formats.date(TUESDAY) == date
    assert formats.time(dt.time(7, 5)) == time
    assert formats.day_time(MONDAY_MORNING) == day_time
    assert formats.date_time(dt.datetime(2026, 11, 24, 15, 3)) == date_time


def test_times_are_24_hour_everywhere_and_ignore_seconds_and_zones():
    evening = dt.datetime(2026, 11, 24, 22, 42, 59, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    assert [f.time(evening) for f in (EN, FR, ES, DE)] == ["22:42", "22 h 42", "22:42", "22:42"]


def test_days_and_lists_agree_in_number():
    assert [EN.days(1), EN.days(7)] == ["1 day", "7 days"]
    assert [FR.days(1), FR.days(7), DE.days(7), ES.days(7)] == [
        f"1{NBSP}jour",
        f"7{NBSP}jours",
        "7 Tage",
        "7 días",
    ]
    assert EN.list(["Sales", "Shrink", "2 more"]) == "Sales, Shrink, and 2 more"
    assert DE.list(["Umsatz", "Schwund"]) == "Umsatz und Schwund"


def test_formats_are_one_per_locale_and_compare_by_locale():
    assert formats_for("fr_CA") is FR
    assert Formats("fr_CA") == FR and hash(Formats("fr_CA")) == hash(FR)
    assert FR != DE


def test_the_machines_locale_changes_nothing(monkeypatch):
    # Not strftime: what the machine is set to must not leak onto a store's screen.
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert Formats("en_US").date(TUESDAY) == "Tue, Nov 24"


@pytest.mark.parametrize(
    ("rating", "expected"),
    [(5, "★★★★★"), (4, "★★★★☆"), (1, "★☆☆☆☆"), (4.5, "★★★★★"), (0, "☆☆☆☆☆"), (None, "no rating")],
)
def test_stars(rating, expected):
    assert stars_text(rating) == expected


def test_the_pace_in_words_uses_the_wordings_numbers():
    assert pace_text(104.0) == "on pace for 104%"
    assert pace_text(None) == ""
    french_numbers = Wording(FR, as_written)  # English words (no translator), French numbers
    assert pace_text(104.0, french_numbers) == f"on pace for 104{NBSP}%"
    assert ENGLISH.formats is EN
