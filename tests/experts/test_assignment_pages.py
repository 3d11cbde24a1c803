"""Assignment pages for each role: 404 for what a user may not see, 403 for what they may not do."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.services import set_region_sharing
from experts.models import Assignment
from portal.models import Region
from tests.experts.factories import AssignmentFactory, ReferencedExpertFactory
from tests.portal.factories import CompanyFactory, RegionOfficerFactory

pytestmark = pytest.mark.django_db

Status = Assignment.Status
ROLES = [
    "expert",
    "other_expert",
    "owner",
    "member",
    "other_company_member",
    "officer",
    "other_officer",
    "staff",
    "plain_user",
]


@pytest.fixture
def other_expert(db):
    return ReferencedExpertFactory().user


@pytest.fixture
def other_officer(db):
    return RegionOfficerFactory(region=Region.objects.get(code="84")).user


@pytest.fixture
def assignment(expert_profile, company, officer):
    """The `expert` role's assignment at the `owner`'s company (Bretagne), proposed by the Bretagne officer."""
    return AssignmentFactory(expert=expert_profile, company=company, proposed_by=officer)


def login(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    return user


# Who sees the assignment page (200) and who gets a 404.
SEES = {"expert", "owner", "member", "officer", "staff"}


@pytest.mark.parametrize("role", ROLES)
def test_the_assignment_page_is_seen_by_the_people_concerned_only(client, request, role, assignment):
    login(client, request, role)
    response = client.get(reverse("experts:assignment", args=[assignment.pk]))
    assert response.status_code == (200 if role in SEES else 404)


def test_anonymous_visitors_are_sent_to_log_in(client, assignment):
    response = client.get(reverse("experts:assignment", args=[assignment.pk]))
    assert response.status_code == 302
    assert reverse("login") in response.url


# --- The expert's answers -------------------------------------------------------------------------


def test_the_expert_accepts_from_the_page(client, expert, assignment):
    client.force_login(expert)
    response = client.post(reverse("experts:accept", args=[assignment.pk]))
    assert response.url == reverse("experts:assignment", args=[assignment.pk])
    assignment.refresh_from_db()
    assert assignment.status == Status.ACCEPTED


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 403), ("officer", 403), ("staff", 403), ("other_expert", 404), ("other_company_member", 404)],
)
def test_nobody_else_accepts(client, request, role, status, assignment):
    login(client, request, role)
    assert client.post(reverse("experts:accept", args=[assignment.pk])).status_code == status
    assignment.refresh_from_db()
    assert assignment.status == Status.PROPOSED


def test_accepting_twice_says_why_it_cannot(client, expert, assignment):
    client.force_login(expert)
    client.post(reverse("experts:accept", args=[assignment.pk]))
    response = client.post(reverse("experts:accept", args=[assignment.pk]), follow=True)
    assert response.status_code == 200
    assert any(message.level_tag == "error" for message in response.context["messages"])


def test_accepting_needs_a_post(client, expert, assignment):
    client.force_login(expert)
    assert client.get(reverse("experts:accept", args=[assignment.pk])).status_code == 405


def test_declining_without_a_reason_shows_the_form_again(client, expert, assignment):
    client.force_login(expert)
    response = client.post(reverse("experts:decline", args=[assignment.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    assignment.refresh_from_db()
    assert assignment.status == Status.PROPOSED


def test_the_expert_declines_with_a_reason(client, expert, assignment):
    client.force_login(expert)
    response = client.post(reverse("experts:decline", args=[assignment.pk]), {"reason": "Déjà engagé ailleurs."})
    assert response.url == reverse("experts:my_assignments")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.decline_reason) == (Status.DECLINED, "Déjà engagé ailleurs.")


def test_the_decline_page_is_refused_to_the_officer(client, officer, assignment):
    client.force_login(officer)
    assert client.get(reverse("experts:decline", args=[assignment.pk])).status_code == 403


def test_the_expert_starts_an_accepted_assignment(client, expert, expert_profile, company):
    assignment = AssignmentFactory(expert=expert_profile, company=company, status=Status.ACCEPTED)
    client.force_login(expert)
    client.post(reverse("experts:start", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.status == Status.IN_PROGRESS


# --- Cancelling -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "staff"])
def test_officers_of_the_region_and_staff_cancel(client, request, role, assignment):
    login(client, request, role)
    response = client.post(reverse("experts:cancel", args=[assignment.pk]), {"reason": "Doublon."})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Status.CANCELLED


@pytest.mark.parametrize(("role", "status"), [("expert", 403), ("owner", 403), ("other_officer", 404)])
def test_others_may_not_cancel(client, request, role, status, assignment):
    login(client, request, role)
    assert client.post(reverse("experts:cancel", args=[assignment.pk]), {"reason": "x"}).status_code == status


# --- My assignments -------------------------------------------------------------------------------


def test_my_assignments_lists_status_company_and_due_date(client, expert, assignment):
    client.force_login(expert)
    page = client.get(reverse("experts:my_assignments")).content.decode()
    assert assignment.company.name in page
    assert "proposée" in page
    assert assignment.due_date.strftime("%d/%m/%Y") in page
    assert reverse("experts:accept", args=[assignment.pk]) in page
    assert reverse("experts:decline", args=[assignment.pk]) in page


def test_my_assignments_shows_only_my_own(client, expert, assignment, other_expert):
    theirs = AssignmentFactory(expert=other_expert.expert_profile, company=CompanyFactory(name="Usine des Autres"))
    client.force_login(expert)
    page = client.get(reverse("experts:my_assignments")).content.decode()
    assert theirs.company.name not in page


@pytest.mark.parametrize("role", ["owner", "officer", "staff", "plain_user"])
def test_my_assignments_is_refused_to_non_experts(client, request, role):
    login(client, request, role)
    assert client.get(reverse("experts:my_assignments")).status_code == 403


def test_my_assignments_runs_a_bounded_number_of_queries(client, expert, expert_profile, django_assert_max_num_queries):
    for status in [Status.PROPOSED, Status.ACCEPTED, Status.IN_PROGRESS, Status.DONE] * 5:
        AssignmentFactory(expert=expert_profile, status=status)
    client.force_login(expert)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("experts:my_assignments"))
    assert len(response.context["assignments"]) == 20


# --- The officers' and staff's list ---------------------------------------------------------------


def test_officers_see_the_assignments_of_their_region_only(client, officer, assignment):
    elsewhere = AssignmentFactory(company=CompanyFactory(region=Region.objects.get(code="84")))
    client.force_login(officer)
    response = client.get(reverse("experts:assignments"))
    shown = {a.pk for a in response.context["page"].object_list}
    assert assignment.pk in shown and elsewhere.pk not in shown


def test_staff_see_every_assignment(client, staff, assignment):
    elsewhere = AssignmentFactory(company=CompanyFactory(region=Region.objects.get(code="84")))
    client.force_login(staff)
    shown = {a.pk for a in client.get(reverse("experts:assignments")).context["page"].object_list}
    assert {assignment.pk, elsewhere.pk} <= shown


@pytest.mark.parametrize("role", ["expert", "owner", "plain_user"])
def test_the_assignments_list_is_refused_to_others(client, request, role):
    login(client, request, role)
    assert client.get(reverse("experts:assignments")).status_code == 403


def test_the_company_search_finds_companies_of_the_officer_region_only(client, officer, company):
    CompanyFactory(name=f"{company.name} Sud", region=Region.objects.get(code="84"))
    client.force_login(officer)
    response = client.get(reverse("experts:assignments"), {"company": company.name})
    assert response.context["companies"] == [company]


def test_the_assignments_list_runs_a_bounded_number_of_queries(client, staff, django_assert_max_num_queries):
    AssignmentFactory.create_batch(30)
    client.force_login(staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("experts:assignments"))
    assert len(response.context["page"].object_list) == 25


# --- Proposing ------------------------------------------------------------------------------------


def test_an_officer_sees_the_matched_experts_with_their_reason(client, officer, owner, company, submitted_diagnostic):
    # The matching reads the diagnostic only if the officer may see it (here: shared with the region).
    set_region_sharing(diagnostic=submitted_diagnostic, shared=True, by=owner)
    good = ReferencedExpertFactory(axes={"AX1": 3, "AX3": 2}, regions=["53"])
    client.force_login(officer)
    response = client.get(reverse("experts:propose", args=[company.pk]))
    assert response.status_code == 200
    assert [p.expert for p in response.context["proposals"]] == [good]
    assert "intervient en région Bretagne" in response.content.decode()


def test_an_officer_proposes_a_matched_expert(client, officer, company, submitted_diagnostic):
    good = ReferencedExpertFactory(axes={"AX1": 3})
    client.force_login(officer)
    due = (timezone.localdate() + timedelta(days=45)).isoformat()
    response = client.post(
        reverse("experts:propose", args=[company.pk]), {"expert": good.pk, "due_date": due, "brief": "Valider."}
    )
    assignment = Assignment.objects.get(expert=good, company=company)
    assert response.url == reverse("experts:assignment", args=[assignment.pk])
    assert (assignment.status, assignment.diagnostic, assignment.proposed_by) == (
        Status.PROPOSED,
        submitted_diagnostic,
        officer,
    )


def test_an_expert_not_in_the_matched_list_cannot_be_posted(client, officer, company):
    unrelated = ReferencedExpertFactory(capacity=0)
    client.force_login(officer)
    response = client.post(reverse("experts:propose", args=[company.pk]), {"expert": unrelated.pk})
    assert response.status_code == 200
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 200), ("owner", 403), ("member", 403), ("other_officer", 404), ("expert", 404), ("plain_user", 404)],
)
def test_the_propose_page_by_role(client, request, role, status, company):
    login(client, request, role)
    assert client.get(reverse("experts:propose", args=[company.pk])).status_code == status


def test_a_superuser_without_an_expert_profile_gets_403_not_an_error(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("experts:my_assignments")).status_code == 403
