"""Cells of the spreadsheets the portal exports (CSV, XLSX), safe to open in Excel or LibreOffice.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a formula
(CSV/formula injection, OWASP): it gets a leading apostrophe and reads as text. Numbers, dates and
other non-text values pass unchanged (a negative amount stays a number). Every export of every app
goes through these functions.
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


def xlsx_cell(value):
    """A value for openpyxl: text neutralised, without the control characters XLSX cannot hold
    (openpyxl refuses them; each is shown as U+FFFD instead of failing the whole export)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return neutralise(value)
