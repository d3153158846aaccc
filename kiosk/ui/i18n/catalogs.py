"""The translation catalogs: `.ts` sources in this folder, each beside its compiled `.qm`.

Qt's translator reads only compiled `.qm` files. They are compiled by Qt's `lrelease` (from
the PySide6 wheel) with `python -m scripts.translations compile` and committed beside their
sources, so an install (editable or from a wheel) speaks the store's language from its first
start, without compiling anything or writing a cache. A compiled file is named after its
source's content (`kiosk_fr_CA.d1f521080c72.qm`), so a `.qm` that no longer matches its
`.ts` is never used, whatever the files' clocks say, and
tests/kiosk/ui/test_translations.py fails until the catalog is compiled again.

Where a compiled catalog is looked for, first found wins: this folder, then the cache folder
(`$XDG_CACHE_HOME/store-scoreboard-kiosk/translations`; under systemd
`/var/lib/kiosk/cache/...`), where a catalog edited but not yet compiled (a translator's
working copy) is compiled on first use. Compiling needs no Qt import.

What only compiling, naming or the cache folder needs (platformdirs, subprocess, tempfile,
shutil, hashlib) is imported when used: a kiosk whose catalog ships compiled, or that speaks
English, starts without them (`kiosk screenshot`'s start-up, bench/startup.py).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from pathlib import Path

from kiosk.locales import SOURCE_LANGUAGE, language

log = logging.getLogger(__name__)

CATALOG_DIR = Path(__file__).resolve().parent
PREFIX = "kiosk_"
APP_NAME = "store-scoreboard-kiosk"
LRELEASE_SECONDS = 60


class CatalogError(Exception):
    """A catalog could not be compiled: the message says what and how to fix it."""


def source_catalog(locale: str) -> Path | None:
    """The `.ts` file of `locale`: `kiosk_fr_CA.ts`, else the language's `kiosk_fr.ts`; None
    for the source language (English), whose words are the code's own."""
    for name in (locale, language(locale)):
        path = CATALOG_DIR / f"{PREFIX}{name}.ts"
        if path.is_file():
            return path
    if language(locale) == SOURCE_LANGUAGE:
        return None
    raise CatalogError(f"no translation catalog for {locale} in {CATALOG_DIR}")


def source_catalogs() -> list[Path]:
    """Every `.ts` file of this folder, by name."""
    return sorted(CATALOG_DIR.glob(f"{PREFIX}*.ts"))


def compiled_name(source: Path) -> str:
    """`kiosk_fr_CA.<first 12 hex digits of the source's SHA-256>.qm`."""
    import hashlib  # OpenSSL's: loaded only for a language that has a catalog

    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    return f"{source.stem}.{digest}.qm"


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME)) / "translations"


def qt_tool(name: str) -> list[str]:
    """How to run Qt's `lrelease` or `lupdate`: the binary inside the PySide6 package, else the
    `pyside6-<name>` script beside this Python, else one on the PATH."""
    spec = importlib.util.find_spec("PySide6")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        for binary in (Path(folder) / name, Path(folder) / f"{name}.exe"):
            if binary.is_file() and os.access(binary, os.X_OK):
                return [str(binary)]
    import shutil

    beside = Path(sys.executable).with_name(f"pyside6-{name}")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if found:
        return [found]
    raise CatalogError(
        f"Qt's {name} was not found (it ships in the PySide6 wheel: reinstall PySide6-Essentials)"
    )


def compile_catalog(source: Path, folder: Path) -> Path:
    """Compile `source` into `folder` under its `compiled_name`; returns the `.qm` path.

    Written to a temporary name and renamed, so a kiosk starting beside another never reads a
    half-written file; older compilations of the same catalog in `folder` are removed.
    """
    import subprocess
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / compiled_name(source)
    handle, temporary = tempfile.mkstemp(prefix=f".{source.stem}.", suffix=".qm", dir=folder)
    os.close(handle)
    try:
        command = [*qt_tool("lrelease"), "-silent", str(source), "-qm", temporary]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=LRELEASE_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CatalogError(f"lrelease could not compile {source.name}: {exc}") from None
        if done.returncode != 0 or Path(temporary).stat().st_size == 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            detail = said[-1] if said else f"exit code {done.returncode}"
            raise CatalogError(f"lrelease could not compile {source.name}: {detail}")
        # mkstemp made it private to this user: the kiosk's user reads what root compiled.
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    for old in folder.glob(f"{source.stem}.*.qm"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def compiled_catalog(locale: str, cache_dir: Path | None = None) -> Path | None:
    """The compiled catalog of `locale`, compiled now if no up-to-date one exists; None for
    the source language. Raises CatalogError when it cannot be compiled."""
    source = source_catalog(locale)
    if source is None:
        return None
    name = compiled_name(source)
    if (CATALOG_DIR / name).is_file():
        return CATALOG_DIR / name
    cache = cache_dir if cache_dir is not None else default_cache_dir()
    if (cache / name).is_file():
        return cache / name
    try:
        return compile_catalog(source, cache)
    except OSError as exc:
        # A cache that cannot be written (a read-only home, a full disk): compile for this
        # process only rather than show English.
        log.warning("cannot write the translation cache %s (%s); compiling elsewhere", cache, exc)
        import tempfile

        return compile_catalog(source, Path(tempfile.mkdtemp(prefix="kiosk-translations-")))
