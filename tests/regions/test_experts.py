"""Experts proposed from an enrolment, and the cost of their visits booked on it from the experts
app's `visit_logged` event."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from experts import services as experts_services
from experts.models import Assignment
from portal.models import Region
from regions import services
from regions.models import EnrolmentAssignment, Expense
from tests.experts.factories import AssignmentFactory, ReferencedExpertFactory
from tests.portal.factories import RegionOfficerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment(company):
    programme = ProgrammeFactory(budget=Decimal("100000"), cap_per_company=Decimal("20000"))
    return EnrolmentFactory(programme=programme, company=company, status="accepted", committed=Decimal("5000"))


@pytest.fixture
def consultant(db):
    return ReferencedExpertFactory(day_rate=Decimal("850.00"), regions=["53"], capacity=3)


def log_visit(assignment, days, capture):
    with capture(execute=True):
        return experts_services.log_visit(
            assignment=assignment, by=assignment.expert.user, date=timezone.localdate(), days=days, summary="Audit."
        )


def propose_and_accept(enrolment, expert, officer):
    assignment = services.propose_expert(enrolment=enrolment, expert=expert, by=officer)
    return experts_services.accept_assignment(assignment=assignment, by=expert.user)


def test_the_officer_sees_matching_experts_and_proposes_one(client, officer, enrolment, consultant):
    client.force_login(officer)
    url = reverse("regions:enrolment_experts", args=[enrolment.pk])
    response = client.get(url)
    assert [proposal.expert for proposal in response.context["proposals"]] == [consultant]
    response = client.post(url, {"expert": consultant.pk, "brief": "Robotique"})
    assert response.status_code == 302
    link = EnrolmentAssignment.objects.get()
    assert (link.enrolment, link.assignment.expert, link.assignment.company) == (
        enrolment,
        consultant,
        enrolment.company,
    )
    assert link.assignment.status == Assignment.Status.PROPOSED


@pytest.mark.parametrize(
    ("role", "expected"),
    [("owner", 403), ("member", 403), ("other_company_member", 404), ("expert", 404), ("staff", 200)],
)
def test_only_the_regions_officers_propose_experts(client, request, enrolment, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("regions:enrolment_experts", args=[enrolment.pk])).status_code == expected


def test_another_regions_officer_gets_404(client, enrolment):
    client.force_login(RegionOfficerFactory(region=Region.objects.get(code="11")).user)
    assert client.get(reverse("regions:enrolment_experts", args=[enrolment.pk])).status_code == 404


def test_a_logged_visit_books_days_times_the_day_rate(
    officer, enrolment, consultant, django_capture_on_commit_callbacks
):
    assignment = propose_and_accept(enrolment, consultant, officer)
    visit = log_visit(assignment, Decimal("1.5"), django_capture_on_commit_callbacks)
    expense = Expense.objects.get()
    assert (expense.kind, expense.amount, expense.source_reference) == (
        "visit",
        Decimal("1275.00"),
        f"visit:{visit.pk}",
    )
    assert expense.amount == visit.days * consultant.day_rate
    enrolment.refresh_from_db()
    assert enrolment.spent_total == Decimal("1275.00")
    assert enrolment.status == "in_progress"  # the first visit starts the support
    assert services.reconcile().ok


def test_the_same_visit_event_twice_books_once(officer, enrolment, consultant, django_capture_on_commit_callbacks):
    from regions.tasks import book_visit_cost

    assignment = propose_and_accept(enrolment, consultant, officer)
    visit = log_visit(assignment, Decimal("1"), django_capture_on_commit_callbacks)
    assert book_visit_cost(visit.pk) is None
    assert Expense.objects.count() == 1


def test_a_visit_beyond_the_commitment_is_not_booked(
    officer, enrolment, consultant, django_capture_on_commit_callbacks, caplog
):
    assignment = propose_and_accept(enrolment, consultant, officer)
    log_visit(assignment, Decimal("6"), django_capture_on_commit_callbacks)  # 5,100 EUR > 5,000 committed
    assert not Expense.objects.exists()
    assert "not booked" in caplog.text
    assert services.reconcile().ok


def test_an_expert_proposed_elsewhere_books_on_the_companys_only_running_enrolment(
    enrolment, consultant, django_capture_on_commit_callbacks
):
    assignment = AssignmentFactory(expert=consultant, company=enrolment.company, status="accepted")
    log_visit(assignment, Decimal("1"), django_capture_on_commit_callbacks)
    assert Expense.objects.get().enrolment == enrolment


def test_a_visit_in_a_company_without_enrolment_books_nothing(consultant, django_capture_on_commit_callbacks, company):
    assignment = AssignmentFactory(expert=consultant, company=company, status="accepted")
    log_visit(assignment, Decimal("1"), django_capture_on_commit_callbacks)
    assert not Expense.objects.exists()


def test_experts_are_proposed_only_for_running_enrolments(officer, company, consultant):
    from regions.exceptions import IllegalTransition

    applied = EnrolmentFactory(programme=ProgrammeFactory(), company=company)
    with pytest.raises(IllegalTransition):
        services.propose_expert(enrolment=applied, expert=consultant, by=officer)
    assert not Assignment.objects.exists()
