"""T0, T1 and T2 per enrolment, and a region's export in the EU DMA tool's CSV layout."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from stdnum.fr import tva

from diagnostics import services as diagnostics_services
from diagnostics.dma.model import CSV_COLUMNS
from diagnostics.validation import read_referential_file
from portal.models import Region
from regions import services
from regions.dma import T2_AFTER, choose_time_points, vat_number
from tests.diagnostics.factories import DiagnosticFactory, answer_all
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[2] / "diagnostics" / "referentials" / "industrie-du-futur.yaml"


@pytest.fixture
def referential():
    """The shipped referential (2026.2), which has a crosswalk (diagnostics/referentials/dma/)."""
    document = read_referential_file(SHIPPED, theme_codes=None)
    return diagnostics_services.load_referential_document(document=document, publish=True).referential


def submitted(company, referential, level):
    owner = company.memberships.first().user
    diagnostic = DiagnosticFactory(company=company, referential=referential, started_by=owner)
    answer_all(diagnostic, level=level, by=owner)
    return diagnostics_services.submit_diagnostic(diagnostic=diagnostic, by=owner)


def at(days):
    return timezone.now() + timedelta(days=days)


# --- choosing the time points (pure) -------------------------------------------------------------


def diag(pk, day):
    return {"id": pk, "submitted_at": at(day), "referential": ("industrie-du-futur", "2026.1")}


def test_t0_is_the_attached_diagnostic_and_nothing_follows_before_completion():
    points = choose_time_points(attached=diag(1, 0), completed_at=None, submitted=[diag(1, 0), diag(2, 100)])
    assert [(p.name, p.diagnostic_id) for p in points] == [("T0", 1)]


def test_t1_is_the_first_diagnostic_after_completion_and_t2_the_first_a_year_after_t1():
    history = [diag(1, 0), diag(2, 50), diag(3, 120), diag(4, 300), diag(5, 120 + T2_AFTER.days)]
    points = choose_time_points(attached=diag(1, 0), completed_at=at(100), submitted=history)
    assert [(p.name, p.diagnostic_id) for p in points] == [("T0", 1), ("T1", 3), ("T2", 5)]


def test_no_t2_until_a_year_has_passed_since_t1():
    history = [diag(1, 0), diag(3, 120), diag(4, 120 + T2_AFTER.days - 1)]
    points = choose_time_points(attached=diag(1, 0), completed_at=at(100), submitted=history)
    assert [p.name for p in points] == ["T0", "T1"]


def test_an_enrolment_without_attached_diagnostic_has_no_t0():
    points = choose_time_points(attached=None, completed_at=at(10), submitted=[diag(2, 20)])
    assert [p.name for p in points] == ["T1"]


def test_the_vat_number_is_a_valid_french_one():
    assert vat_number("404833048") == "FR83404833048"
    assert tva.is_valid(vat_number("732829320"))


# --- the export ---------------------------------------------------------------------------------------


@pytest.fixture
def followed(referential):
    """A Bretagne company: diagnosed (level 2), enrolled and supported to completion, diagnosed again (level 3)."""
    accepted_in = timezone.localtime(at(-300)).year  # the acceptance draws on the tranche of its own year
    with time_machine.travel(at(-400)):
        programme = ProgrammeFactory(tranches={accepted_in: Decimal("100000")})
        officer = an_officer(programme.region)
        enrolment = EnrolmentFactory(programme=programme, status="applied", officer=officer)
        first = submitted(enrolment.company, referential, 2)
        enrolment.diagnostic = first
        enrolment.save(update_fields=["diagnostic"])
    with time_machine.travel(at(-300)):
        services.start_review(enrolment=enrolment, by=officer)
        services.accept_enrolment(enrolment=enrolment, amount=enrolment.requested_amount, by=officer)
        services.start_enrolment(enrolment=enrolment, by=officer)
        services.complete_enrolment(enrolment=enrolment, by=officer)
    with time_machine.travel(at(-200)):
        second = submitted(enrolment.company, referential, 3)
    return enrolment, officer, first, second


def rows_of(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_export_has_the_eu_tools_columns_and_a_row_per_time_point(client, followed):
    enrolment, officer, first, second = followed
    client.force_login(officer)
    response = client.get(reverse("regions:dma_export", args=[enrolment.programme.region.code]))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = rows_of(response)
    assert rows[0] == list(CSV_COLUMNS)
    assert [row[0] for row in rows[1:]] == ["T0", "T1"]
    t0, t1 = (dict(zip(rows[0], row, strict=True)) for row in rows[1:])
    assert t0["maturity_assessment_date"] == timezone.localtime(first.submitted_at).strftime("%m/%d/%Y")
    assert t0["enterprise_name_edih"] == enrolment.company.name
    assert tva.is_valid(t0["fiscal_registration_number_vat"])
    assert t0["fiscal_registration_number_vat"].endswith(enrolment.company.siret[:9])


def test_the_export_writes_each_item_as_the_eu_tool(client, followed):
    enrolment, officer, _first, _second = followed
    client.force_login(officer)
    header, t0, t1 = rows_of(client.get(reverse("regions:dma_export", args=[enrolment.programme.region.code])))
    t0, t1 = dict(zip(header, t0, strict=True)), dict(zip(header, t1, strict=True))
    # OFFER-2 is read for product design: already from level 3, planned from 2.
    assert (t0["product_service_design_m2_1_1"], t1["product_service_design_m2_1_1"]) == ("0|1", "1|0")
    # TECH-1 is read for robotics, steps written 0-10.
    robotics = "automation_and_artificial_intelligence_likert_m2_5_9__robotics_and_autonomous_devices_m2_5_9"
    assert (t0[robotics], t1[robotics]) == ("4", "6")
    # ENERGY-1 for environmental management: partly from 2, yes from 3 (0, 5, 10).
    management = "green_digitalisation_2_likert_m2_6_11__environmental_management_m2_6_11"
    assert (t0[management], t1[management]) == ("5", "10")
    assert t0["financial_resources_m2_1_2"] == "0" and t1["financial_resources_m2_1_2"] == "1"


def test_a_company_name_that_looks_like_a_formula_is_neutralised(client, followed):
    enrolment, officer, _first, _second = followed
    enrolment.company.name = "=HYPERLINK(1)"
    enrolment.company.save()
    client.force_login(officer)
    header, t0, _t1 = rows_of(client.get(reverse("regions:dma_export", args=[enrolment.programme.region.code])))
    assert t0[header.index("enterprise_name_edih")] == "'=HYPERLINK(1)"


def test_another_regions_officer_gets_404_and_a_company_403(client, followed):
    enrolment, _officer, _first, _second = followed
    url = reverse("regions:dma_export", args=[enrolment.programme.region.code])
    client.force_login(an_officer(Region.objects.get(code="84")))
    assert client.get(url).status_code == 404
    client.force_login(enrolment.company.memberships.first().user)
    assert client.get(url).status_code == 403


def test_staff_export_any_region(client, followed, staff):
    enrolment, _officer, _first, _second = followed
    client.force_login(staff)
    response = client.get(reverse("regions:dma_export", args=[enrolment.programme.region.code]))
    assert response.status_code == 200 and len(rows_of(response)) == 3


def test_the_export_runs_a_fixed_number_of_queries(client, followed, referential, django_assert_max_num_queries):
    enrolment, officer, _first, _second = followed
    client.force_login(officer)
    url = reverse("regions:dma_export", args=[enrolment.programme.region.code])
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    programme = ProgrammeFactory(region=enrolment.programme.region)
    for _ in range(3):
        other = EnrolmentFactory(programme=programme, status="applied", officer=officer)
        other.diagnostic = submitted(other.company, referential, 1)
        other.save(update_fields=["diagnostic"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(rows_of(response)) == 6


def test_the_enrolment_api_gives_the_dma_at_each_time_point(followed):
    from tests.api.support import api_client

    enrolment, officer, first, second = followed
    body = api_client(officer).get(f"/api/v1/enrolments/{enrolment.pk}/").json()
    points = body["dma_time_points"]
    assert [(p["time_point"], p["diagnostic"]) for p in points] == [("T0", first.pk), ("T1", second.pk)]
    assert points[1]["overall"] > points[0]["overall"]
    assert len(points[0]["dimensions"]) == 6
