"""The national view's calibration gap: per axis, the mean of self minus expert over each company's
latest submitted review, shown only when enough companies stand behind it (statistical secrecy)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from diagnostics.benchmark import MIN_COMPANIES
from diagnostics.services import submit_diagnostic
from experts import services
from experts.models import Assignment
from regions.calibration import national_calibration
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory, answer_all
from tests.experts.factories import AssignmentFactory, ReferencedExpertFactory
from tests.portal.factories import OwnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referential(db):
    return PublishedReferentialFactory(axes=3, questions=2)


def reviewed_company(referential, officer, *, self_level, expert_levels):
    owner = OwnerFactory()
    diagnostic = DiagnosticFactory(company=owner.company, referential=referential, started_by=owner.user)
    answer_all(diagnostic, level=self_level, by=owner.user)
    diagnostic = submit_diagnostic(diagnostic=diagnostic, by=owner.user)
    expert = ReferencedExpertFactory()
    assignment = AssignmentFactory(
        expert=expert,
        company=owner.company,
        proposed_by=officer,
        diagnostic=diagnostic,
        status=Assignment.Status.IN_PROGRESS,
    )
    services.submit_review(assignment=assignment, by=expert.user, levels=expert_levels, notify=False)
    return owner.company


def test_the_mean_gap_per_axis_is_shown_from_five_companies(referential, officer):
    for _number in range(MIN_COMPANIES):
        reviewed_company(referential, officer, self_level=3, expert_levels={"AX1": 2, "AX2": 3, "AX3": 4})
    rows = {row.code: row for row in national_calibration()}
    assert {code: (row.mean_gap, row.companies) for code, row in rows.items()} == {
        "AX1": (Decimal("1.00"), 5),
        "AX2": (Decimal("0.00"), 5),
        "AX3": (Decimal("-1.00"), 5),
    }


def test_fewer_companies_than_the_secrecy_rule_asks_are_withheld(client, staff, referential, officer):
    for _number in range(MIN_COMPANIES - 1):
        reviewed_company(referential, officer, self_level=3, expert_levels={"AX1": 1, "AX2": 1, "AX3": 1})
    assert all(row.mean_gap is None for row in national_calibration())
    client.force_login(staff)
    page = client.get(reverse("regions:national")).content.decode()
    assert "non diffusé (trop peu d'entreprises)" in page or "non diffusé (trop peu d&#x27;entreprises)" in page
    assert "+2,00" not in page


def test_the_national_view_shows_the_signed_mean(client, staff, referential, officer):
    for _number in range(MIN_COMPANIES):
        reviewed_company(referential, officer, self_level=4, expert_levels={"AX1": 2, "AX2": 4, "AX3": 5})
    client.force_login(staff)
    page = client.get(reverse("regions:national")).content.decode()
    assert "Écart de calibrage" in page
    assert "+2,00" in page and "−1,00" in page


def test_the_national_view_draws_the_gap_as_bars_beside_its_table(client, staff, referential, officer):
    for _number in range(MIN_COMPANIES):
        reviewed_company(referential, officer, self_level=4, expert_levels={"AX1": 2, "AX2": 4, "AX3": 5})
    client.force_login(staff)
    page = client.get(reverse("regions:national")).content.decode()
    chart = page[page.index('aria-labelledby="calibration-chart-title calibration-chart-desc"') :]
    chart = chart[: chart.index("</svg>")]
    assert chart.count("<rect") == 3  # AX2, whose gap is zero, a hairline
    assert ">+2,00<" in chart and ">\u22121,00<" in chart
