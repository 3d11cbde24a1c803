"""The cells every spreadsheet export goes through: formulas neutralised, numbers left as numbers."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from portal.spreadsheets import FORMULA_STARTS, FRENCH_CSV, STANDARD_CSV, csv_cell, csv_layout, neutralise, xlsx_cell


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_starting_like_a_formula_reads_as_text(start):
    assert neutralise(f'{start}HYPERLINK("http://evil")') == f'\'{start}HYPERLINK("http://evil")'


@pytest.fixture
def sheet():
    return Workbook(write_only=True).create_sheet("export")


@pytest.mark.parametrize("value", [Decimal("-12.50"), -3, -0.5, date(2026, 1, 2), None, True])
def test_numbers_dates_and_other_values_are_left_as_they_are(value, sheet):
    assert neutralise(value) is value
    assert xlsx_cell(sheet, value) is value


def test_ordinary_text_is_unchanged():
    assert neutralise("Forges de l'Ouest – 2 sites") == "Forges de l'Ouest – 2 sites"


def test_csv_cell_writes_none_empty_and_moments_in_iso():
    assert csv_cell(None) == ""
    assert csv_cell(datetime(2026, 3, 4, 5, 6, 7)) == "2026-03-04 05:06:07"
    assert csv_cell("-1+1") == "'-1+1"


def test_xlsx_cell_replaces_the_control_characters_a_workbook_cannot_hold(sheet):
    assert xlsx_cell(sheet, "=1+1\x01\x00\x1f").value == "=1+1\ufffd\ufffd\ufffd"
    assert xlsx_cell(sheet, "a\x01b") == "a\ufffdb"
    assert xlsx_cell(sheet, "a\tb\nc") == "a\tb\nc"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_an_xlsx_text_starting_like_a_formula_is_a_quote_prefixed_string_without_apostrophe(start, sheet):
    cell = xlsx_cell(sheet, f"{start}SUM(1+1)")
    assert (cell.value, cell.data_type, cell.quotePrefix) == (f"{start}SUM(1+1)", "s", True)


def test_an_ordinary_xlsx_text_is_written_as_a_string_cell_as_it_is():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("export")
    sheet.append([xlsx_cell(sheet, "Forges de l'Ouest"), xlsx_cell(sheet, "=1+1"), xlsx_cell(sheet, 3)])
    written = io.BytesIO()
    workbook.save(written)
    cells = next(load_workbook(io.BytesIO(written.getvalue())).active.iter_rows())
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        ("Forges de l'Ouest", "s", False),
        ("=1+1", "s", True),
        (3, "n", False),
    ]


@given(st.text())
def test_no_csv_text_cell_ever_starts_like_a_formula(text):
    assert not csv_cell(text).startswith(FORMULA_STARTS)


@given(st.text())
def test_an_xlsx_text_is_a_plain_text_or_a_quote_prefixed_string_cell_when_it_starts_like_a_formula(text):
    cell = xlsx_cell(Workbook(write_only=True).create_sheet("export"), text)
    if isinstance(cell, str):
        assert not cell.startswith(FORMULA_STARTS)
    else:
        assert (cell.data_type, cell.quotePrefix) == ("s", True)
        assert cell.value.startswith(FORMULA_STARTS)


def test_csv_cell_writes_a_decimal_with_the_layouts_decimal_separator_and_no_grouping():
    assert csv_cell(Decimal("12345.60"), FRENCH_CSV) == "12345,60"
    assert csv_cell(Decimal("-12.5"), FRENCH_CSV) == "-12,5"  # a negative amount stays a number
    assert csv_cell(Decimal("12345.60")) == "12345.60"


@pytest.mark.parametrize(
    ("language", "requested", "layout"),
    [
        ("fr", "", FRENCH_CSV),
        ("fr", "csv-local", FRENCH_CSV),
        ("fr", "csv-standard", STANDARD_CSV),
        ("en", "", STANDARD_CSV),
        ("en", "csv-standard", STANDARD_CSV),
        ("fr", "csv-excel", None),
    ],
)
def test_csv_layout_follows_the_language_unless_the_standard_one_is_asked_for(language, requested, layout):
    assert csv_layout(language, requested) == layout
