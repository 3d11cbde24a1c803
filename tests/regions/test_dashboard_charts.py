"""The dashboards' charts beyond the budget: the companies' funnel, the average maturity per quarter and
the national calibration gap, each drawn with its table of figures, scoped to who reads them."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import Diagnostic
from portal.models import Region
from regions.calibration import AxisCalibration
from regions.dashboard_charts import calibration_chart, company_funnel, maturity_by_quarter, quarter_label
from tests.portal.factories import OwnerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, SubmittedDiagnosticFactory

pytestmark = pytest.mark.django_db


def steps(chart):
    return {row["key"]: row["count"] for row in chart.rows}


@pytest.fixture
def bretagne_companies():
    """In Bretagne: one company registered only, one with a draft, one submitted, and four that applied
    (one refused, one accepted, one completed, one still applied)."""
    region = Region.objects.get(code="53")
    OwnerFactory(company__region=region)
    draft = OwnerFactory(company__region=region).company
    SubmittedDiagnosticFactory(
        company=draft, status=Diagnostic.Status.DRAFT, submitted_at=None, overall_score=None, band=None
    )
    SubmittedDiagnosticFactory(company=OwnerFactory(company__region=region).company)
    programme = ProgrammeFactory(region=region)
    for status in ["applied", "refused", "accepted", "completed"]:
        company = OwnerFactory(company__region=region).company
        SubmittedDiagnosticFactory(company=company)
        EnrolmentFactory(programme=programme, company=company, status=status)
    return region


def test_the_funnel_counts_the_companies_at_each_step(officer, bretagne_companies):
    assert steps(company_funnel(officer)) == {
        "registered": 7,
        "started": 6,
        "submitted": 5,
        "applied": 4,
        "accepted": 2,
        "completed": 1,
    }


def test_the_officers_funnel_leaves_out_other_regions_companies(officer, bretagne_companies):
    before = steps(company_funnel(officer))
    SubmittedDiagnosticFactory(company=OwnerFactory(company__region=Region.objects.get(code="11")).company)
    assert steps(company_funnel(officer)) == before


def test_the_national_funnel_counts_every_region(staff, bretagne_companies):
    before = steps(company_funnel(staff, national=True))
    OwnerFactory(company__region=Region.objects.get(code="11"))
    assert steps(company_funnel(staff, national=True))["registered"] == before["registered"] + 1


def test_the_funnels_shares_are_localised_with_a_non_breaking_space(officer, bretagne_companies, french):
    chart = company_funnel(officer)
    assert chart.rows[0]["share"] == "100\u202f%"
    assert "100\u202f%" in chart.svg


def submitted_in(when, score, region_code="53"):
    company = OwnerFactory(company__region=Region.objects.get(code=region_code)).company
    return SubmittedDiagnosticFactory(company=company, submitted_at=when, overall_score=Decimal(score))


def test_the_quarterly_average_is_shown_with_five_companies_and_withheld_with_fewer(officer):
    tz = timezone.get_current_timezone()
    for score in ["1.00", "2.00", "3.00", "2.00", "2.00"]:
        submitted_in(datetime(2026, 2, 10, tzinfo=tz), score)
    for score in ["4.00", "4.00"]:
        submitted_in(datetime(2026, 5, 10, tzinfo=tz), score)
    rows = maturity_by_quarter(officer).rows
    assert [(row["label"], row["average"], row["companies"]) for row in rows] == [
        (quarter_label(datetime(2026, 1, 1).date()), Decimal("2.00"), 5),
        (quarter_label(datetime(2026, 4, 1).date()), None, 2),
    ]


def test_the_quarters_leave_out_other_regions(officer):
    tz = timezone.get_current_timezone()
    submitted_in(datetime(2026, 2, 10, tzinfo=tz), "1.00", region_code="11")
    assert maturity_by_quarter(officer) is None


def test_only_the_last_twelve_quarters_are_drawn(staff):
    start = timezone.now() - timedelta(days=92 * 20)
    for quarter in range(20):
        submitted_in(start + timedelta(days=92 * quarter), "2.00")
    assert len(maturity_by_quarter(staff, national=True).rows) == 12


def test_the_quarter_label_reads_in_french(french):
    assert quarter_label(datetime(2026, 8, 1).date()) == "T3 2026"


def test_the_regional_dashboard_draws_the_funnel_and_the_quarters_with_their_tables(client, officer):
    for _ in range(5):
        submitted_in(timezone.now(), "2.50")
    client.force_login(officer)
    page = client.get(reverse("regions:dashboard"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'aria-labelledby="funnel-chart-title funnel-chart-desc"' in page
    assert 'aria-labelledby="maturity-chart-title maturity-chart-desc"' in page
    assert 'data-step="submitted">5<' in page
    assert ">2,50<" in page


def test_the_calibration_chart_signs_its_figures_and_marks_the_withheld_axes(french):
    rows = [
        AxisCalibration("AX1", "Stratégie", Decimal("0.42"), Decimal("0.42"), 6),
        AxisCalibration("AX2", "Production", Decimal("-0.30"), Decimal("0.30"), 5),
        AxisCalibration("AX3", "Données", None, None, 2),
    ]
    svg = calibration_chart(rows)
    assert ">+0,42<" in svg and ">\u22120,30<" in svg and ">non diffusé<" in svg
    assert svg.count("<rect") == 2


def test_no_calibration_chart_without_reviews():
    assert calibration_chart([]) is None


@pytest.mark.parametrize("role", ["owner", "expert"])
def test_the_dashboards_and_their_charts_are_refused_to_companies_and_experts(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("regions:dashboard")).status_code == 403
    assert client.get(reverse("regions:national")).status_code == 403


def test_an_officer_does_not_get_the_national_view(client, officer):
    client.force_login(officer)
    assert client.get(reverse("regions:national")).status_code == 403
