"""Cells of the spreadsheets the portal exports (CSV, XLSX), safe to open in Excel or LibreOffice.

A text starting with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a formula
(CSV/formula injection, OWASP). In a CSV file, which has no types, it gets a leading apostrophe and
reads as text. In an XLSX workbook every text is a string cell, and one that looks like a formula
also carries the quote-prefix style (`quotePrefix`, what a spreadsheet sets when a user types a
leading apostrophe): it stays text when edited, and the apostrophe is not part of the value. Numbers,
dates and other non-text values pass unchanged (a negative amount stays a number). Every export of
every app goes through these functions.

A CSV file has no way to say which separators it uses: a spreadsheet reads it with those of its
locale. French ones split columns on ";" and read "1234,50" as a number; English ones split on ","
and read "1234.50". `csv_layout` picks the layout for the user's language, the standard one (",",
".") on request.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The control characters an XLSX file cannot hold (openpyxl's `ILLEGAL_CHARACTERS_RE`, without importing openpyxl).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def neutralise(value):
    """A text value that cannot run as a formula in a spreadsheet; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class CsvLayout:
    delimiter: str
    decimal_separator: str


STANDARD_CSV = CsvLayout(delimiter=",", decimal_separator=".")
FRENCH_CSV = CsvLayout(delimiter=";", decimal_separator=",")
# The `format` query parameter of a CSV export: "csv-standard" asks for commas and decimal points
# whatever the language (for scripts and English spreadsheets); "csv-local" or none, the language's.
CSV_FORMATS = {"": None, "csv-local": None, "csv-standard": STANDARD_CSV}


def csv_layout(language, requested=""):
    """The layout of a CSV export for a user speaking `language`; None when `requested` is unknown."""
    if requested not in CSV_FORMATS:
        return None
    return CSV_FORMATS[requested] or (FRENCH_CSV if (language or "").startswith("fr") else STANDARD_CSV)


def csv_cell(value, layout=STANDARD_CSV):
    """A value for `csv.writer`: empty for None, ISO text for a moment, a decimal number with the
    layout's decimal separator (no thousands grouping: spreadsheets would read it as text), text neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", layout.decimal_separator)
    return neutralise(value)


def xlsx_cell(sheet, value):
    """A value for a write-only openpyxl `sheet`: a text is a string cell (openpyxl writes a plain
    `str` as one, except a text starting with "=", which it takes for a formula), without the control
    characters XLSX cannot hold (openpyxl refuses them; each is shown as U+FFFD instead of failing
    the whole export); a text starting like a formula is a cell typed as a string, with the
    quote-prefix style. Any other value is returned unchanged."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if not text.startswith(FORMULA_STARTS):
        return text
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
