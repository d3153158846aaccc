"""Regenerate the data files of the real-export corpus (tests/contract/exports).

The files are made ONCE with the real tools and committed; the tests never run this. It
rewrites the data files only: each `<file>.expect.json` beside them is written by hand from the
HQ feed contract (docs/feeds.md), and a regenerated file that differs from the committed one
shows in `git diff` (review it, then the sidecar, before committing).

    # LibreOffice (Debian 12: libreoffice-calc-nogui from bookworm-backports, 25.2.3)
    python3 tests/contract/exports/generate.py libreoffice mistakes
    # Python's csv module (the standard library of the Python running this)
    python3 tests/contract/exports/generate.py python-csv
    # pandas (not a project dependency: a throwaway venv with `pip install pandas`)
    /path/to/venv/bin/python tests/contract/exports/generate.py pandas
    # csv-spectrum from the npm registry (`npm pack csv-spectrum@2.0.0`)
    python3 tests/contract/exports/generate.py csv-spectrum

With no argument it does all five (it then needs soffice, npm and pandas at once). See README.md.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
SPECTRUM_VERSION = "2.0.0"

# --- LibreOffice ----------------------------------------------------------------------------
#
# A sheet is written as a flat ODF spreadsheet (.fods) with real typed cells (dates are date
# cells, percentages percentage cells, money currency cells) and number formats in the sheet's
# locale, then converted by `soffice --headless --convert-to "csv:Text - txt - csv
# (StarCalc):TOKENS"`. The tokens of the CSV filter (LibreOffice help, "CSV Filter Options"):
#   1 field separator (ASCII code: 44 comma, 59 semicolon, 9 tab)
#   2 text delimiter (34 = "; empty = none: fields are never quoted)
#   3 character set (76 UTF-8, 1 Windows-1252, 33 Windows-1250)
#   4 first line (import only)         5 column formats (import only)
#   6 language (1033 en-US, 1031 de-DE, 1036 fr-FR, 1045 pl-PL)
#   7 quote all text cells (export)     8 detect special numbers (import only)
#   9 save cell contents as shown       10 export formulas
#   11 remove spaces (import)           12 sheet to export (0: the first)
#   13 evaluate formulas (import)       14 include a byte-order mark (export, since 7.6)
# LibreOffice formats cells without a number format ("General") in the office locale, which
# headless soffice takes from LC_ALL; each conversion runs with the sheet's locale there too.

LOCALES = {
    "en-US": ("en", "US", 1033),
    "de-DE": ("de", "DE", 1031),
    "fr-FR": ("fr", "FR", 1036),
    "pl-PL": ("pl", "PL", 1045),
}
CHARSETS = {"utf8": 76, "utf8-bom": 76, "cp1252": 1, "cp1250": 33}


def _styles(lang: str, country: str) -> str:
    loc = f'number:language="{lang}" number:country="{country}"'
    num = 'number:min-integer-digits="1"'
    money = "€" if lang != "en" else "$"
    if lang == "en":
        currency = (
            f'<number:currency-style style:name="Ncur" {loc}>'
            f"<number:currency-symbol {loc}>{money}</number:currency-symbol>"
            f'<number:number number:decimal-places="2" {num} number:grouping="true"/>'
            "</number:currency-style>"
        )
    else:  # European currency formats put the sign after the number
        currency = (
            f'<number:currency-style style:name="Ncur" {loc}>'
            f'<number:number number:decimal-places="2" {num} number:grouping="true"/>'
            f"<number:text> </number:text><number:currency-symbol {loc}>{money}"
            "</number:currency-symbol></number:currency-style>"
        )
    styles = [
        currency,
        # #,##0
        f'<number:number-style style:name="Ngrp" {loc}><number:number number:decimal-places="0"'
        f' {num} number:grouping="true"/></number:number-style>',
        # 0.000
        f'<number:number-style style:name="Ndec3" {loc}><number:number'
        f' number:decimal-places="3" {num}/></number:number-style>',
        # #,##0.00;(#,##0.00): accounting negatives
        f'<number:number-style style:name="NaccP" {loc}><number:number number:decimal-places="2"'
        f' {num} number:grouping="true"/></number:number-style>',
        f'<number:number-style style:name="Nacc" {loc}><number:text>(</number:text>'
        f'<number:number number:decimal-places="2" {num} number:grouping="true"/>'
        '<number:text>)</number:text><style:map style:condition="value()&gt;=0"'
        ' style:apply-style-name="NaccP"/></number:number-style>',
        # 0%
        f'<number:percentage-style style:name="Npct" {loc}><number:number'
        f' number:decimal-places="0" {num}/><number:text>%</number:text>'
        "</number:percentage-style>",
        # 0.0E+00
        f'<number:number-style style:name="Nsci" {loc}><number:scientific-number'
        f' number:decimal-places="1" {num} number:min-exponent-digits="2"/>'
        "</number:number-style>",
        # YYYY-MM-DD
        f'<number:date-style style:name="Niso" {loc}><number:year number:style="long"/>'
        '<number:text>-</number:text><number:month number:style="long"/>'
        '<number:text>-</number:text><number:day number:style="long"/></number:date-style>',
        # MM/DD/YY, the short date of en-US
        f'<number:date-style style:name="Nusdate" {loc}><number:month number:style="long"/>'
        '<number:text>/</number:text><number:day number:style="long"/>'
        "<number:text>/</number:text><number:year/></number:date-style>",
    ]
    for name in ("cur", "grp", "dec3", "acc", "pct", "sci", "iso", "usdate"):
        styles.append(
            f'<style:style style:name="c{name}" style:family="table-cell"'
            f' style:data-style-name="N{name}"/>'
        )
    return "".join(styles)


def _cell(cell: object) -> str:
    """A typed cell: a str is text; (kind, value[, style]) tuples are numbers and dates."""
    if cell is None:
        return "<table:table-cell/>"
    if isinstance(cell, str):
        paragraphs = "".join(f"<text:p>{escape(p)}</text:p>" for p in cell.split("\n"))
        return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'
    kind, value, *rest = cell  # type: ignore[misc]
    style = f' table:style-name="c{rest[0]}"' if rest else ""
    if kind == "date":
        return f'<table:table-cell{style} office:value-type="date" office:date-value="{value}"/>'
    if kind == "pct":
        return f'<table:table-cell{style} office:value-type="percentage" office:value="{value}"/>'
    if kind == "cur":
        return (
            f'<table:table-cell{style} office:value-type="currency" office:currency="{rest[1]}"'
            f' office:value="{value}"/>'
        )
    return f'<table:table-cell{style} office:value-type="float" office:value="{value}"/>'


def fods(locale: str, rows: list[list[object]]) -> str:
    lang, country, _ = LOCALES[locale]
    body = "".join(
        "<table:table-row>" + "".join(_cell(c) for c in row) + "</table:table-row>" for row in rows
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"'
        ' xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
        ' office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
        '<office:styles><style:default-style style:family="table-cell"><style:text-properties'
        f' fo:language="{lang}" fo:country="{country}"/></style:default-style></office:styles>'
        f"<office:automatic-styles>{_styles(lang, country)}</office:automatic-styles>"
        '<office:body><office:spreadsheet><table:table table:name="export">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document>\n"
    )


def metrics_sheet(locale: str, dates: str = "iso") -> list[list[object]]:
    """HQ's metrics sheet: sales, units, a mystery-shopper score, a value with 3 decimals,
    negatives (one in an accounting format), scientific notation, a note with commas, quotes
    and a line break, a text "n/a" where a number belongs, another store's row, and a
    corrected sales figure further down (a later row with the same key wins)."""
    money = "USD" if locale == "en-US" else "EUR"

    def day(iso: str) -> tuple[str, str, str]:
        return ("date", iso, dates)

    return [
        ["store_id", "date", "metric", "value", "note"],
        [
            "S001",
            day("2026-11-16"),
            "sales",
            ("cur", 12345.5, "cur", money),
            'Holiday prep, "door-busters" by the café',
        ],
        ["S001", day("2026-11-16"), "units", ("num", 1234567, "grp"), None],
        [
            "S001",
            day("2026-11-16"),
            "mystery_shopper",
            ("pct", 0.87, "pct"),
            'Shopper said: "clean, friendly"',
        ],
        ["S001", day("2026-11-16"), "basket_kg", ("num", 4.125, "dec3"), None],
        [
            "S001",
            day("2026-11-16"),
            "shrink",
            ("num", -1234.5, "acc"),
            "Recount needed\nsee binder",
        ],
        ["S001", day("2026-11-17"), "sales", ("cur", 1500, "cur", money), None],
        ["S001", day("2026-11-17"), "returns", ("num", -42.75), None],
        ["S001", day("2026-11-17"), "sales_per_hour", "n/a", "register down"],
        ["S002", day("2026-11-16"), "sales", ("cur", 9876.25, "cur", money), None],
        ["S001", day("2026-11-17"), "mystery_shopper", ("pct", 0.9, "pct"), None],
        ["S001", day("2026-11-16"), "sales", ("cur", 12400, "cur", money), "corrected"],
        ["S001", day("2026-11-17"), "impressions", ("num", 1200000, "sci"), None],
    ]


def german_values_sheet() -> list[list[object]]:
    """A small de-DE sheet whose values read differently under "." and "," (the mistake file
    that is served with decimal = "."): 4,5 and 1.234,50 read only with ","; 4,125 and 1.500
    read with both, to different numbers; 12 and 87% read the same either way."""
    return [
        ["store_id", "date", "metric", "value"],
        ["S001", ("date", "2026-11-16", "iso"), "basket_kg", ("num", 4.5)],
        ["S001", ("date", "2026-11-16", "iso"), "weight_kg", ("num", 4.125)],
        ["S001", ("date", "2026-11-16", "iso"), "units", ("num", 1500, "grp")],
        ["S001", ("date", "2026-11-16", "iso"), "staff", ("num", 12)],
        ["S001", ("date", "2026-11-16", "iso"), "mystery_shopper", ("pct", 0.87, "pct")],
        ["S001", ("date", "2026-11-16", "iso"), "sales", ("num", 1234.5, "acc")],
    ]


def targets_sheet() -> list[list[object]]:
    return [
        ["store_id", "metric", "period", "start", "target"],
        ["S001", "sales", "day", ("date", "2026-11-16", "iso"), ("cur", 12000, "cur", "USD")],
        ["S001", "sales", "week", ("date", "2026-11-16", "iso"), ("cur", 84000, "cur", "USD")],
        ["S001", "sales", "month", ("date", "2026-11-01", "iso"), ("cur", 360000, "cur", "USD")],
        ["S001", "mystery_shopper", "month", ("date", "2026-11-01", "iso"), ("pct", 0.9, "pct")],
        ["S001", "sales", "week", ("date", "2026-11-18", "iso"), ("cur", 84000, "cur", "USD")],
        ["S001", "shrink", "month", ("date", "2026-11-01", "iso"), ("cur", 1500.5, "cur", "USD")],
        ["S002", "sales", "day", ("date", "2026-11-16", "iso"), ("cur", 9000, "cur", "USD")],
    ]


def polish_comments_sheet() -> list[list[object]]:
    return [
        ["store_id", "date", "text", "rating", "source"],
        ["S001", ("date", "2026-11-16", "iso"), "Zażółć gęślą jaźń", ("num", 5), "ankieta"],
        [
            "S001",
            ("date", "2026-11-17", "iso"),
            "Obsługa miła; kasa nr 2 wolna",
            ("num", 4.5),
            "Google",
        ],
        ["S002", ("date", "2026-11-17", "iso"), "Świetna promocja", ("num", 4), None],
        [
            "S001",
            ("date", "2026-11-18", "iso"),
            "Brak koszyków\nprzy wejściu",
            ("num", 3),
            "ankieta",
        ],
        ["S001", ("date", "2026-11-18", "iso"), "Czysto", ("num", 7), "ankieta"],
    ]


def stores_notes_sheet() -> list[list[object]]:
    return [
        ["store_id", "name", "region", "Notes (store, region, day, week)"],
        ["S001", "Filiale Köln Hbf", "West", "Umbau, ab KW 48"],
        ["S002", "Filiale Bonn", "West", None],
        ["S003", "Filiale Dresden", "Ost", "Neu, seit 2025"],
    ]


def filter_options(
    sep: int,
    quote: bool,
    charset: str,
    locale: str,
    *,
    quote_all: bool = False,
    shown: bool = True,
) -> str:
    tokens = [
        str(sep),
        "34" if quote else "",
        str(CHARSETS[charset]),
        "1",
        "",
        str(LOCALES[locale][2]),
        str(quote_all).lower(),
        "true",
        str(shown).lower(),
        "false",
        "false",
        "0",
        "false",
        str(charset == "utf8-bom").lower(),
    ]
    return ",".join(tokens)


def soffice_csv(sheet: list[list[object]], locale: str, options: str, out: Path) -> None:
    """Convert `sheet` (written as .fods in `locale`) to CSV at `out` with the filter options."""
    lang, country, _ = LOCALES[locale]
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        source = tmpdir / "export.fods"
        source.write_text(fods(locale, sheet), encoding="utf-8")
        env = {**os.environ, "LC_ALL": f"{lang}_{country}.UTF-8"}
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{tmpdir}/profile",
                "--convert-to",
                f"csv:Text - txt - csv (StarCalc):{options}",
                "--outdir",
                str(tmpdir / "out"),
                str(source),
            ],
            check=True,
            env=env,
            capture_output=True,
            timeout=300,
        )
        produced = tmpdir / "out" / "export.csv"
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(produced, out)
    print(f"{out.relative_to(HERE)}  <- soffice {locale}: {options}")


def gen_libreoffice() -> None:
    d = HERE / "libreoffice"
    comma, semi = 44, 59
    for name, sheet, locale, opts in [
        (
            "metrics_en-US_comma_quoted_utf8_shown.csv",
            metrics_sheet("en-US"),
            "en-US",
            filter_options(comma, True, "utf8", "en-US"),
        ),
        (
            "metrics_en-US_comma_quoted_utf8-bom_raw.csv",
            metrics_sheet("en-US"),
            "en-US",
            filter_options(comma, True, "utf8-bom", "en-US", shown=False),
        ),
        (
            "metrics_en-US_comma_quote-all-text_cp1252_shown.csv",
            metrics_sheet("en-US"),
            "en-US",
            filter_options(comma, True, "cp1252", "en-US", quote_all=True),
        ),
        (
            "metrics_en-US_comma_quoted_utf8_us-dates.csv",
            metrics_sheet("en-US", "usdate"),
            "en-US",
            filter_options(comma, True, "utf8", "en-US"),
        ),
        (
            "metrics_de-DE_semicolon_quoted_utf8_shown.csv",
            metrics_sheet("de-DE"),
            "de-DE",
            filter_options(semi, True, "utf8", "de-DE"),
        ),
        (
            "metrics_de-DE_semicolon_quoted_cp1252_shown.csv",
            metrics_sheet("de-DE"),
            "de-DE",
            filter_options(semi, True, "cp1252", "de-DE"),
        ),
        (
            "metrics_de-DE_semicolon_quoted_utf8_raw.csv",
            metrics_sheet("de-DE"),
            "de-DE",
            filter_options(semi, True, "utf8", "de-DE", shown=False),
        ),
        (
            "metrics_de-DE_semicolon_unquoted_utf8_shown.csv",
            metrics_sheet("de-DE"),
            "de-DE",
            filter_options(semi, False, "utf8", "de-DE"),
        ),
        (
            "metrics_fr-FR_semicolon_quoted_utf8_shown.csv",
            metrics_sheet("fr-FR"),
            "fr-FR",
            filter_options(semi, True, "utf8", "fr-FR"),
        ),
        (
            "metrics_fr-FR_semicolon_quoted_utf8-bom_raw.csv",
            metrics_sheet("fr-FR"),
            "fr-FR",
            filter_options(semi, True, "utf8-bom", "fr-FR", shown=False),
        ),
        (
            "targets_en-US_comma_quoted_utf8_shown.csv",
            targets_sheet(),
            "en-US",
            filter_options(comma, True, "utf8", "en-US"),
        ),
        (
            "comments_pl-PL_semicolon_quoted_cp1250_shown.csv",
            polish_comments_sheet(),
            "pl-PL",
            filter_options(semi, True, "cp1250", "pl-PL"),
        ),
    ]:
        soffice_csv(sheet, locale, opts, d / name)


def gen_mistakes() -> None:
    d = HERE / "mistakes"
    # LibreOffice with the text delimiter cleared: "$12,345.50" and the notes split.
    soffice_csv(
        metrics_sheet("en-US"),
        "en-US",
        filter_options(44, False, "utf8", "en-US"),
        d / "lo_metrics_en-US_comma_unquoted_shown.csv",
    )
    # A German export served as a decimal "." feed.
    soffice_csv(
        german_values_sheet(),
        "de-DE",
        filter_options(59, True, "utf8", "de-DE"),
        d / "lo_metrics_de-DE_served-with-decimal-point.csv",
    )
    # A semicolon export whose extra column's name holds as many commas as there are
    # semicolons.
    soffice_csv(
        stores_notes_sheet(),
        "de-DE",
        filter_options(59, True, "utf8", "de-DE"),
        d / "lo_stores_de-DE_semicolon_notes-header.csv",
    )
    # The Polish Windows-1250 export, byte for byte, served without encoding = "cp1250".
    soffice_csv(
        polish_comments_sheet(),
        "pl-PL",
        filter_options(59, True, "cp1250", "pl-PL"),
        d / "lo_comments_pl-PL_cp1250_served-without-encoding.csv",
    )
    # Hand-made: a metrics file at the catalog URL, a targets file at the stores URL.
    (d / "hand_metrics_served_as_catalog.csv").write_bytes(
        b"store_id,date,metric,value\r\n"
        b"S001,2026-11-16,sales,12345.5\r\n"
        b"S001,2026-11-16,mystery_shopper,87%\r\n"
        b"S002,2026-11-16,sales,9876.25\r\n"
    )
    (d / "hand_targets_served_as_stores.csv").write_bytes(
        b"store_id,metric,period,start,target\r\n"
        b"S001,sales,week,2026-11-16,84000\r\n"
        b"S001,sales,month,2026-11-01,360000\r\n"
    )
    print("mistakes/hand_*.csv  <- written by hand (see README.md)")


# --- Python's csv module --------------------------------------------------------------------

NOTE_ROWS = [
    # store_id, date, metric, value, note
    ("S001", "2026-11-16", "sales", 12345.5, 'Holiday prep, "door-busters"'),
    ("S001", "2026-11-16", "units", 1234567, ""),
    ("S001", "2026-11-16", "basket_kg", 4.125, "scale\nrecalibrated"),
    ("S001", "2026-11-16", "shrink", -1234.5, ""),
    ("S001", "2026-11-17", "sales", "n/a", "register down"),
    ("S002", "2026-11-16", "sales", 9876.25, ""),
    ("S001", "2026-11-17", "mystery_shopper", "87%", "tab\there"),
]


def _write_csv(
    path: Path,
    rows: list[list[object]] | list[tuple[object, ...]],
    *,
    encoding: str = "utf-8",
    **fmt: object,
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, **fmt)  # type: ignore[arg-type]
        writer.writerows(rows)
    what = ", ".join(f"{k}={v!r}" for k, v in fmt.items())
    print(f"{path.relative_to(HERE)}  <- csv.writer({what}), {encoding}")


def gen_python_csv() -> None:
    d = HERE / "python-csv"
    header = ["store_id", "date", "metric", "value", "note"]
    _write_csv(d / "metrics_dialect-excel.csv", [header, *NOTE_ROWS], dialect="excel")
    _write_csv(d / "metrics_dialect-unix_quote-all.csv", [header, *NOTE_ROWS], dialect="unix")
    _write_csv(
        d / "metrics_quote-nonnumeric.csv",
        [
            header,
            ("S001", "2026-11-16", "sales", 12345.5, ""),
            ("S001", "2026-11-16", "units", 1234567.0, "a float column"),
            ("S001", "2026-11-16", "conversion", 0.00001, "repr() writes 1e-05"),
            ("S001", "2026-11-16", "ad_reach", 1.5e16, "too large for a store metric"),
            ("S001", "2026-11-16", "shrink", -1234.5, ""),
            ("S001", "2026-11-16", "impressions", 1.2e6, ""),
        ],
        dialect="excel",
        quoting=csv.QUOTE_NONNUMERIC,
    )
    _write_csv(
        d / "catalog_dialect-excel-tab.tsv",
        [
            [
                "metric",
                "label",
                "unit",
                "perspective",
                "direction",
                "aggregate",
                "decimals",
                "entry",
            ],
            ["sales", "Sales", "$", "financial", "up", "sum", 0, "yes"],
            ["mystery_shopper", 'Mystery "shopper"\tscore', "%", "customer", "up", "last", 0, "no"],
            ["shrink", "Shrink, net", "$", "process", "down", "sum", 2, "no"],
            ["training", "Training hours", "h", "Learning and Growth", "up", "sum", 1, "yes"],
            ["basket_kg", "Basket weight", "kg", "customer", "up", "mean", 9, "no"],
        ],
        dialect="excel-tab",
    )
    _write_csv(
        d / "comments_dialect-excel_cp1252.csv",
        [
            ["store_id", "date", "text", "rating", "source"],
            ["S001", "2026-11-16", "Crème brûlée was great — 5 € well spent", 5, "survey"],
            ["S001", "2026-11-17", 'Queue at till 3, "again"', 2, ""],
            ["S001", "2026-11-17", "Staff: naïve question, smart answer", "", "app"],
        ],
        dialect="excel",
        encoding="cp1252",
    )


# --- pandas ---------------------------------------------------------------------------------


def gen_pandas() -> None:
    import numpy as np
    import pandas as pd

    d = HERE / "pandas"
    d.mkdir(parents=True, exist_ok=True)
    stamp = f"pandas {pd.__version__}"
    frame = pd.DataFrame(
        {
            "store_id": ["S001", "S001", "S001", "S001", "S001", "S002", "S001"],
            "date": [
                "2026-11-16",
                "2026-11-16",
                "2026-11-16",
                "2026-11-16",
                "2026-11-17",
                "2026-11-16",
                "2026-11-16",
            ],
            "metric": ["sales", "units", "basket_kg", "shrink", "sales", "sales", "sales"],
            "value": [12345.5, 1234567.0, 4.125, -1234.5, np.nan, 9876.25, 12400.0],
        }
    )

    def out(name: str, write: object, how: str) -> None:
        """`write(path)` is the pandas call itself: pandas opens and encodes the file."""
        write(d / name)  # type: ignore[operator]
        print(f"pandas/{name}  <- {stamp}: {how}")

    # Defaults: the index is written as an unnamed first column; NaN as an empty cell.
    out("metrics_to_csv_defaults.csv", lambda p: frame.to_csv(p), "df.to_csv(path)")
    out(
        "metrics_to_json_records.json",
        lambda p: frame.to_json(p, orient="records"),
        'df.to_json(path, orient="records")',
    )

    dated = frame.assign(date=pd.to_datetime(frame["date"]))
    out(
        "metrics_to_csv_datetime.csv",
        lambda p: dated.to_csv(p, index=False),
        "datetime64 date column, df.to_csv(path, index=False)",
    )
    out(
        "metrics_to_json_records_datetime.json",
        lambda p: dated.to_json(p, orient="records"),
        'datetime64 date column, df.to_json(path, orient="records") (epoch milliseconds)',
    )
    out(
        "metrics_to_json_records_datetime_iso.json",
        lambda p: dated.to_json(p, orient="records", date_format="iso"),
        'datetime64 date column, df.to_json(path, orient="records", date_format="iso")',
    )
    timed = frame.assign(
        date=pd.to_datetime(frame["date"]) + pd.to_timedelta([0, 0, 0, 0, 0, 0, 8.5], unit="h")
    )
    out(
        "metrics_to_csv_datetime_with_time.csv",
        lambda p: timed.to_csv(p, index=False),
        "datetime64 date column, one value at 08:30, df.to_csv(path, index=False)",
    )

    numeric_ids = pd.DataFrame(
        {
            "store_id": [1001, 1001, np.nan, 1002],
            "date": ["2026-11-16", "2026-11-17", "2026-11-17", "2026-11-16"],
            "metric": ["sales", "sales", "sales", "sales"],
            "value": [12345.5, 11000.0, 500.0, 9876.25],
        }
    )
    out(
        "metrics_to_csv_nan_store_id.csv",
        lambda p: numeric_ids.to_csv(p, index=False),
        "store_id numbers with a NaN (float64 column), df.to_csv(path, index=False)",
    )
    out(
        "metrics_to_json_records_nan_store_id.json",
        lambda p: numeric_ids.to_json(p, orient="records"),
        'store_id numbers with a NaN (float64 column), df.to_json(path, orient="records")',
    )

    out(
        "metrics_to_csv_sep-semicolon_decimal-comma.csv",
        lambda p: frame.to_csv(p, index=False, sep=";", decimal=","),
        'df.to_csv(path, index=False, sep=";", decimal=",")',
    )

    comments = pd.DataFrame(
        {
            "store_id": ["S001", "S001", "S002"],
            "date": ["2026-11-16", "2026-11-17", "2026-11-17"],
            "text": ["Zażółć gęślą jaźń", 'Queue at till 3, "again"\nsecond visit', "Ok"],
            "rating": [5, np.nan, 4],
        }
    )
    out(
        "comments_to_csv_utf-8-sig.csv",
        lambda p: comments.to_csv(p, index=False, encoding="utf-8-sig"),
        'df.to_csv(path, index=False, encoding="utf-8-sig")',
    )

    messages = pd.DataFrame(
        {
            "store_id": ["*", "S001", "S002"],
            "start": ["2026-11-20", "2026-11-23", "2026-11-20"],
            "end": ["2026-11-30", None, "9999-12-31"],
            "kind": ["news", "recognition", "news"],
            "title": ["Holiday hours start Friday", "Maria G.: five-star review", "Bonn only"],
            "body": ["Open 7am to 11pm.", None, ""],
        }
    )
    out(
        "messages_to_json_records.json",
        lambda p: messages.to_json(p, orient="records", force_ascii=False),
        'df.to_json(path, orient="records", force_ascii=False)',
    )


# --- csv-spectrum ---------------------------------------------------------------------------

# Each csv-spectrum file keeps its bytes; only its header line is renamed to a feed's fields
# (csv-spectrum's headers are generic: first,last,... or a,b,c).
SPECTRUM = {
    # file: (kind, new header)
    "comma_in_quotes": ("stores", "Store ID,Name,Address,Region,Zip"),
    "empty": ("stores", "store_id,name,region"),
    "empty_crlf": ("stores", "store_id,name,region"),
    "escaped_quotes": ("catalog", "metric,label"),
    "json": ("catalog", "metric,label"),
    "location_coordinates": ("stores", "Store ID,Name,City,Region"),
    "newlines": ("stores", "name,store_id,region"),
    "newlines_crlf": ("stores", "name,store_id,region"),
    "quotes_and_newlines": ("catalog", "metric,label"),
    "simple": ("stores", "store_id,name,region"),
    "simple_crlf": ("stores", "store_id,name,region"),
    "utf8": ("stores", "store_id,name,region"),
}


def gen_csv_spectrum() -> None:
    d = HERE / "csv-spectrum"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"csv-spectrum@{SPECTRUM_VERSION}"],
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        with tarfile.open(Path(tmp) / f"csv-spectrum-{SPECTRUM_VERSION}.tgz") as tar:
            members = {m.name: tar.extractfile(m) for m in tar.getmembers() if m.isfile()}
            files = {name: f.read() for name, f in members.items() if f is not None}
    upstream = d / "_upstream"
    upstream.mkdir(parents=True, exist_ok=True)
    for keep in ("package.json", "readme.md"):
        (upstream / keep).write_bytes(files[f"package/{keep}"])
    for name, (_kind, header) in SPECTRUM.items():
        body = files[f"package/csvs/{name}.csv"]
        first, sep, rest = body.partition(b"\n")
        ending = b"\r" if first.endswith(b"\r") else b""
        (d / f"{name}.csv").write_bytes(header.encode() + ending + sep + rest)
        print(f"csv-spectrum/{name}.csv  <- csv-spectrum {SPECTRUM_VERSION}, header -> {header}")


STEPS = {
    "libreoffice": gen_libreoffice,
    "mistakes": gen_mistakes,
    "python-csv": gen_python_csv,
    "pandas": gen_pandas,
    "csv-spectrum": gen_csv_spectrum,
}


def main(argv: list[str]) -> int:
    wanted = argv or list(STEPS)
    unknown = [w for w in wanted if w not in STEPS]
    if unknown:
        print(f"unknown step(s) {unknown}; choose from {list(STEPS)}", file=sys.stderr)
        return 2
    for step in wanted:
        STEPS[step]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
