"""Cells of the spreadsheets the portal exports (CSV, XLSX), safe to open in Excel or LibreOffice.

A text starting with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a formula
(CSV/formula injection, OWASP). In a CSV file, which has no types, it gets a leading apostrophe and
reads as text. In an XLSX workbook every text is a string cell, and one that looks like a formula
also carries the quote-prefix style (`quotePrefix`, what a spreadsheet sets when a user types a
leading apostrophe): it stays text when edited, and the apostrophe is not part of the value. Numbers,
dates and other non-text values pass unchanged (a negative amount stays a number). Every export of
every app goes through these functions.
"""

import re
from datetime import datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The control characters an XLSX file cannot hold (openpyxl's `ILLEGAL_CHARACTERS_RE`, without importing openpyxl).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def neutralise(value):
    """A text value that cannot run as a formula in a spreadsheet; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value):
    """A value for `csv.writer`: empty for None, ISO text for a moment, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return neutralise(value)


def xlsx_cell(sheet, value):
    """A value for a write-only openpyxl `sheet`: a text becomes a string cell (never a formula),
    quote-prefixed when it starts like a formula, without the control characters XLSX cannot hold
    (openpyxl refuses them; each is shown as U+FFFD instead of failing the whole export); any other
    value is returned unchanged."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    cell.data_type = "s"  # openpyxl reads a text starting with "=" as a formula
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell
