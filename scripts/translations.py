"""`python -m scripts.translations COMMAND`: the translation catalogs (docs/translations.md).

- `update`: extract every translatable string of `kiosk/` into each `kiosk/ui/i18n/*.ts`
  (pyside6-lupdate): new strings arrive unfinished, strings gone from the code are dropped;
  then compile them.
- `add LOCALE`: start the catalog of a new locale (`kiosk_it_IT.ts`), every string unfinished.
- `compile [--out DIR]`: compile every catalog to `.qm` (pyside6-lrelease), by default next to
  the sources, where they are committed; run it after translating.
- `check`: list what is unfinished in each catalog; exit 1 when anything is.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from kiosk.locales import SOURCE_LANGUAGE
from kiosk.ui.i18n.catalogs import (
    CATALOG_DIR,
    PREFIX,
    CatalogError,
    compile_catalog,
    qt_tool,
    source_catalogs,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "kiosk"
# -extensions must come before the folder it applies to; no line numbers in the catalogs, so
# moving code does not touch them (the translator's notes are the `#:` comments).
LUPDATE_OPTIONS = ["-extensions", "py", "-no-obsolete", "-locations", "none"]


def lupdate(catalog: Path, locale: str | None = None) -> None:
    """Extract the strings of `kiosk/` into `catalog` (created for `locale` when new)."""
    command = [*qt_tool("lupdate"), "-silent", *LUPDATE_OPTIONS]
    command += ["-source-language", SOURCE_LANGUAGE]
    if locale is not None:
        command += ["-target-language", locale]
    command += [str(SOURCES), "-ts", str(catalog)]
    subprocess.run(command, check=True)


def unfinished(catalog: Path) -> list[str]:
    """The sources of `catalog` without a finished translation, as "Context: source"."""
    found = []
    for context in ET.parse(catalog).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if (
                translation is None
                or translation.get("type") in ("unfinished", "obsolete", "vanished")
                or not (translation.text or "").strip()
            ):
                found.append(f"{name}: {message.findtext('source', '')}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.translations")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="extract the strings of kiosk/ into every catalog")
    add = commands.add_parser("add", help="start the catalog of a new locale")
    add.add_argument("locale", help="e.g. it_IT")
    build = commands.add_parser("compile", help="compile every catalog to .qm")
    build.add_argument("--out", type=Path, default=CATALOG_DIR)
    commands.add_parser("check", help="list unfinished translations")
    args = parser.parse_args(argv)
    try:
        if args.command == "update":
            for catalog in source_catalogs():
                lupdate(catalog)
                print(f"{catalog.relative_to(ROOT)}: {len(unfinished(catalog))} unfinished")
                print(compile_catalog(catalog, CATALOG_DIR).relative_to(ROOT))
        elif args.command == "add":
            catalog = CATALOG_DIR / f"{PREFIX}{args.locale}.ts"
            if catalog.exists():
                print(f"{catalog.relative_to(ROOT)} exists: use update", file=sys.stderr)
                return 2
            lupdate(catalog, args.locale)
            print(f"{catalog.relative_to(ROOT)}: {len(unfinished(catalog))} to translate")
        elif args.command == "compile":
            for catalog in source_catalogs():
                print(compile_catalog(catalog, args.out))
        else:
            problems = {c: unfinished(c) for c in source_catalogs()}
            for catalog, missing in problems.items():
                for line in missing:
                    print(f"{catalog.name}: unfinished: {line}")
            return 1 if any(problems.values()) else 0
    except (CatalogError, subprocess.CalledProcessError, OSError) as exc:
        print(f"translations: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
