"""The cells every spreadsheet export goes through: formulas neutralised, numbers left as numbers."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.spreadsheets import FORMULA_STARTS, csv_cell, neutralise, xlsx_cell


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_starting_like_a_formula_reads_as_text(start):
    assert neutralise(f'{start}HYPERLINK("http://evil")') == f'\'{start}HYPERLINK("http://evil")'


@pytest.mark.parametrize("value", [Decimal("-12.50"), -3, -0.5, date(2026, 1, 2), None, True])
def test_numbers_dates_and_other_values_are_left_as_they_are(value):
    assert neutralise(value) is value
    assert xlsx_cell(value) is value


def test_ordinary_text_is_unchanged():
    assert neutralise("Forges de l'Ouest – 2 sites") == "Forges de l'Ouest – 2 sites"


def test_csv_cell_writes_none_empty_and_moments_in_iso():
    assert csv_cell(None) == ""
    assert csv_cell(datetime(2026, 3, 4, 5, 6, 7)) == "2026-03-04 05:06:07"
    assert csv_cell("-1+1") == "'-1+1"


def test_xlsx_cell_replaces_the_control_characters_a_workbook_cannot_hold_then_neutralises():
    assert xlsx_cell("=1+1\x01\x00\x1f") == "'=1+1\ufffd\ufffd\ufffd"
    assert xlsx_cell("a\tb\nc") == "a\tb\nc"


@given(st.text())
def test_no_text_cell_ever_starts_like_a_formula(text):
    for cell in (csv_cell(text), xlsx_cell(text)):
        assert not cell.startswith(FORMULA_STARTS)
