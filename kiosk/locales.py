"""The languages the kiosk speaks: `[store] locale` is one of these. Plain Python.

A locale names a language and a country (`fr_CA`: French as written in Canada): the
language picks the words (the Qt catalog `kiosk/ui/i18n/kiosk_<locale>.ts`), the country
how numbers, money, dates and times are written (CLDR, through Babel). English is the
language the code is written in, so `en_US` needs no catalog.

Adding a language is docs/translations.md's three steps; the first is adding it here.
"""

from __future__ import annotations

DEFAULT_LOCALE = "en_US"
SUPPORTED_LOCALES: tuple[str, ...] = ("en_US", "fr_CA", "es_MX", "de_DE")
# The language of the source strings: a locale of this language shows them as written.
SOURCE_LANGUAGE = "en"


def language(locale: str) -> str:
    """ "fr_CA" -> "fr"."""
    return locale.split("_", 1)[0]
