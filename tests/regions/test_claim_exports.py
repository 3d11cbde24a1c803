"""Exports of payment claims and their payments (CSV in the user's layout, XLSX), the same filtered
enrolments as the dashboard: a region's officers get their region's claims only."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.models import Region
from tests.regions.factories import EnrolmentFactory, an_officer, claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid():
    enrolment = EnrolmentFactory(status="in_progress", committed=Decimal("8000"), programme__name="Robotique 2027")
    return claim(enrolment, Decimal("3000.50"), status="paid", certified=Decimal("2800.25"))


def _csv(client, **params):
    response = client.get(reverse("regions:export", args=["paiements", "csv"]), params)
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))


def test_a_paid_claim_is_exported_with_its_payment_in_the_french_layout(client, officer, paid):
    client.force_login(officer)
    header, row = _csv(client)
    assert header[0] == "Demande de paiement" and len(row) == len(header)
    company = paid.enrolment.company
    assert row[:7] == [
        str(paid.pk),
        str(paid.enrolment_id),
        "Robotique 2027",
        company.name,
        company.siret,
        "payée",
        "Cellule robotisée",
    ]
    assert row[8:10] == ["3000,50", "2800,25"]
    assert row[11:] == [timezone.localdate().isoformat(), f"VIR-{paid.pk}", "2800,25"]


def test_the_xlsx_export_holds_the_amounts_as_numbers(client, officer, paid):
    client.force_login(officer)
    response = client.get(reverse("regions:export", args=["paiements", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Demandes de paiement"
    assert (sheet.cell(row=2, column=9).value, sheet.cell(row=2, column=14).value) == (3000.5, 2800.25)


def test_another_regions_officer_exports_none_of_these_claims(client, paid):
    client.force_login(an_officer(Region.objects.get(code="11")))
    assert len(_csv(client)) == 1  # the header only
