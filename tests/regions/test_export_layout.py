"""The CSV exports open in the user's spreadsheet: in French ";" between columns and a decimal comma,
with a BOM for UTF-8; commas and decimal points on request (`?format=csv-standard`) and in English."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, book, bretagne

pytestmark = pytest.mark.django_db

APPLICATIONS_CSV = reverse("regions:export", args=["candidatures", "csv"])
EXPENSES_CSV = reverse("regions:export", args=["depenses", "csv"])


@pytest.fixture
def enrolment(officer):
    programme = ProgrammeFactory(region=bretagne(), name="Robotique, Bretagne", cap_per_company=Decimal("20000"))
    return EnrolmentFactory(programme=programme, status="in_progress", committed=Decimal("12345.60"))


def download(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_french_csv_has_a_bom_semicolons_and_decimal_commas(client, officer, enrolment):
    client.force_login(officer)
    data = download(client, APPLICATIONS_CSV)
    assert data.startswith("\ufeff".encode())
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert header[:3] == ["Candidature", "Programme", "Région"]
    assert row[1] == "Robotique, Bretagne"  # a comma inside a text stays inside its column
    assert row[2] == "Bretagne"
    assert row[10] == "12345,60"


def test_the_standard_csv_keeps_commas_and_decimal_points_on_request(client, officer, enrolment):
    client.force_login(officer)
    data = download(client, APPLICATIONS_CSV, format="csv-standard")
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(header) == len(row) == 14
    assert row[10] == "12345.60"


def test_english_csv_is_the_standard_layout(client, officer, enrolment, english):
    client.force_login(officer)
    data = download(client, APPLICATIONS_CSV)
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[:3] == ["Application", "Programme", "Region"]
    assert row[10] == "12345.60"


def test_expenses_follow_the_same_layout(client, officer, enrolment):
    book(enrolment, Decimal("1234.50"), label="Visite")
    client.force_login(officer)
    french = list(csv.reader(io.StringIO(download(client, EXPENSES_CSV).decode("utf-8-sig")), delimiter=";"))
    standard = list(csv.reader(io.StringIO(download(client, EXPENSES_CSV, format="csv-standard").decode("utf-8-sig"))))
    assert french[1][7] == "1234,50" and standard[1][7] == "1234.50"


def test_an_unknown_format_is_refused_with_a_message(client, officer, enrolment):
    client.force_login(officer)
    response = client.get(APPLICATIONS_CSV, {"format": "csv-excel"})
    assert response.status_code == 400
    assert "csv-standard" in response.content.decode()


def test_the_dashboard_offers_the_standard_csv_in_french(client, officer, enrolment):
    client.force_login(officer)
    page = client.get(reverse("regions:dashboard")).content.decode()
    assert f"{APPLICATIONS_CSV}?format=csv-standard" in page
    assert f"{EXPENSES_CSV}?format=csv-standard" in page
