"""The regions pages for every role: officers of the region, of another region, company members,
members of another company, experts, staff, plain users and anonymous visitors."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Region
from regions.models import Enrolment, Expense, Programme
from tests.portal.factories import OwnerFactory, RegionOfficerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, book

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_officer(db):
    return RegionOfficerFactory(region=Region.objects.get(code="11")).user


@pytest.fixture
def programme(db):
    return ProgrammeFactory(budget=Decimal("50000"), cap_per_company=Decimal("20000"))


@pytest.fixture
def enrolment(programme, company):
    return EnrolmentFactory(programme=programme, company=company, status="under_review")


def status_of(client, user, url, method="get", data=None):
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    return response.status_code


# --- who sees what --------------------------------------------------------------------------------

ROLES = [
    "anonymous",
    "plain_user",
    "owner",
    "member",
    "other_company_member",
    "expert",
    "officer",
    "other_officer",
    "staff",
]


def user_for(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("plain_user", 403),
        ("owner", 403),
        ("expert", 403),
        ("officer", 200),
        ("other_officer", 200),
        ("staff", 200),
    ],
)
@pytest.mark.parametrize("url_name", ["regions:my_region", "regions:programme_create", "regions:dashboard"])
def test_officer_pages(client, request, role, expected, url_name):
    if url_name == "regions:my_region" and role == "staff":
        expected = 403  # the officers' space; staff have the national view
    assert status_of(client, user_for(request, role), reverse(url_name)) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("plain_user", 403), ("owner", 403), ("officer", 403), ("staff", 200)],
)
def test_national_view_is_for_staff(client, request, role, expected):
    assert status_of(client, user_for(request, role), reverse("regions:national")) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("plain_user", 404),
        ("owner", 404),
        ("other_company_member", 404),
        ("expert", 404),
        ("officer", 200),
        ("other_officer", 404),
        ("staff", 200),
    ],
)
@pytest.mark.parametrize("url_name", ["regions:programme_detail", "regions:programme_edit"])
def test_programme_pages_are_for_its_regions_officers(client, request, programme, role, expected, url_name):
    assert status_of(client, user_for(request, role), reverse(url_name, args=[programme.pk])) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("plain_user", 404),
        ("owner", 200),
        ("member", 200),
        ("other_company_member", 404),
        ("expert", 404),
        ("officer", 200),
        ("other_officer", 404),
        ("staff", 200),
    ],
)
def test_enrolment_page(client, request, enrolment, role, expected):
    assert (
        status_of(client, user_for(request, role), reverse("regions:enrolment_detail", args=[enrolment.pk])) == expected
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("plain_user", 403), ("officer", 403), ("staff", 403), ("owner", 200), ("member", 200)],
)
@pytest.mark.parametrize("url_name", ["regions:company_programmes", "regions:my_applications"])
def test_company_pages_are_for_company_members(client, request, role, expected, url_name):
    assert status_of(client, user_for(request, role), reverse(url_name)) == expected


# --- officers act -----------------------------------------------------------------------------------


def test_officer_creates_a_programme_in_their_region(client, officer):
    client.force_login(officer)
    data = {
        "region": Region.objects.get(code="53").pk,
        "name": "Bretagne Robotique",
        "description": "",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "budget": "150000",
        "cap_per_company": "15000",
        "target_companies": "12",
        "eligible_headcount_bands": ["10-49", "50-249"],
        "max_overall_level": "3",
    }
    response = client.post(reverse("regions:programme_create"), data)
    programme = Programme.objects.get(name="Bretagne Robotique")
    assert response.status_code == 302 and response.url == reverse("regions:programme_detail", args=[programme.pk])
    assert (programme.status, programme.budget, programme.eligible_headcount_bands) == (
        "draft",
        Decimal("150000"),
        ["10-49", "50-249"],
    )
    # another region is not offered
    response = client.post(reverse("regions:programme_create"), {**data, "region": Region.objects.get(code="11").pk})
    assert response.status_code == 200 and Programme.objects.count() == 1


def test_programme_form_refuses_bad_input_with_clear_messages(client, officer, english):
    client.force_login(officer)
    data = {
        "region": Region.objects.get(code="53").pk,
        "name": "P",
        "start_date": "2026-06-01",
        "end_date": "2026-01-01",
        "budget": "1000",
        "cap_per_company": "2000",
        "target_companies": "-1",
    }
    response = client.post(reverse("regions:programme_create"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "The programme cannot end before it starts." in content
    assert "The maximum aid per company cannot exceed the total budget." in content
    assert not Programme.objects.exists()


def test_editing_the_budget_below_what_is_committed_is_refused(client, officer, programme, english):
    EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("15000"))
    client.force_login(officer)
    url = reverse("regions:programme_edit", args=[programme.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["eligible_naf_codes"] = []
    data.update(budget="14999", start_date=programme.start_date.isoformat(), end_date=programme.end_date.isoformat())
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The budget cannot go below the amount already committed (15,000 EUR)." in response.content.decode()
    data["budget"] = "20000"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    programme.refresh_from_db()
    assert programme.budget == Decimal("20000")


def test_officer_opens_and_closes_a_programme(client, officer):
    programme = ProgrammeFactory(status="draft")
    client.force_login(officer)
    url = reverse("regions:programme_status", args=[programme.pk])
    client.post(url, {"status": "open"})
    programme.refresh_from_db()
    assert programme.status == "open"
    assert client.get(url).status_code == 405


def test_officer_reviews_accepts_and_the_company_is_told(
    client, officer, programme, company, django_capture_on_commit_callbacks
):
    applied = EnrolmentFactory(programme=programme, company=company, requested_amount=Decimal("12000"))
    client.force_login(officer)
    client.post(reverse("regions:enrolment_action", args=[applied.pk, "review"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("regions:enrolment_action", args=[applied.pk, "accept"]), {"amount": "12000"})
    assert response.status_code == 302
    applied.refresh_from_db()
    assert (applied.status, applied.committed_amount) == ("accepted", Decimal("12000"))
    assert len(mail.outbox) == 1


def test_accepting_beyond_the_budget_shows_the_clear_message(client, officer, programme, english):
    EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("20000"))
    EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("18000"))
    enrolment = EnrolmentFactory(programme=programme, status="under_review", requested_amount=Decimal("15000"))
    client.force_login(officer)
    response = client.post(
        reverse("regions:enrolment_action", args=[enrolment.pk, "accept"]), {"amount": "15000"}, follow=True
    )
    assert "Budget exhausted: 12,000 EUR left, 15,000 EUR asked" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "under_review"


def test_the_second_decision_reads_already_decided(client, officer, enrolment, english):
    client.force_login(officer)
    client.post(reverse("regions:enrolment_action", args=[enrolment.pk, "accept"]), {"amount": "1000"})
    response = client.post(
        reverse("regions:enrolment_action", args=[enrolment.pk, "refuse"]), {"reason": "Non"}, follow=True
    )
    assert "This application has already been decided: accepted." in response.content.decode()


def test_refusal_without_reason_is_a_form_error(client, officer, enrolment, english):
    client.force_login(officer)
    response = client.post(reverse("regions:enrolment_action", args=[enrolment.pk, "refuse"]), {"reason": "  "})
    assert response.status_code == 400
    enrolment.refresh_from_db()
    assert enrolment.status == "under_review"


@pytest.mark.parametrize(
    ("role", "expected"), [("owner", 403), ("member", 403), ("other_officer", 404), ("other_company_member", 404)]
)
@pytest.mark.parametrize("action", ["review", "accept", "refuse", "start", "complete"])
def test_only_the_regions_officers_decide(client, request, enrolment, role, expected, action):
    url = reverse("regions:enrolment_action", args=[enrolment.pk, action])
    assert status_of(client, user_for(request, role), url, "post", {"amount": "1", "reason": "x"}) == expected
    enrolment.refresh_from_db()
    assert enrolment.status == "under_review"


@pytest.mark.parametrize(
    ("role", "expected"), [("officer", 403), ("staff", 403), ("other_company_member", 404), ("owner", 302)]
)
def test_only_the_company_withdraws(client, request, enrolment, role, expected):
    url = reverse("regions:enrolment_action", args=[enrolment.pk, "withdraw"])
    assert status_of(client, user_for(request, role), url, "post") == expected
    enrolment.refresh_from_db()
    assert enrolment.status == ("withdrawn" if expected == 302 else "under_review")


def test_decisions_are_posts(client, officer, enrolment):
    client.force_login(officer)
    assert client.get(reverse("regions:enrolment_action", args=[enrolment.pk, "accept"])).status_code == 405


def test_officer_books_and_cancels_an_expense(client, officer, programme, english):
    enrolment = EnrolmentFactory(programme=programme, status="in_progress", committed=Decimal("5000"))
    client.force_login(officer)
    url = reverse("regions:expense_create", args=[enrolment.pk])
    response = client.post(
        url, {"amount": "6000", "label": "Formation", "incurred_on": "2026-03-01", "kind": "other"}, follow=True
    )
    assert "Commitment exceeded: 5,000 EUR left on this enrolment, 6,000 EUR asked" in response.content.decode()
    client.post(url, {"amount": "1500", "label": "Formation", "incurred_on": "2026-03-01", "kind": "other"})
    expense = Expense.objects.get()
    client.post(reverse("regions:expense_cancel", args=[expense.pk]), {"reason": "Doublon"})
    expense.refresh_from_db()
    assert expense.cancelled_at is not None


@pytest.mark.parametrize(("role", "expected"), [("owner", 403), ("other_officer", 404), ("other_company_member", 404)])
def test_expenses_are_the_officers(client, request, programme, role, expected):
    enrolment = EnrolmentFactory(programme=programme, company=request.getfixturevalue("company"), status="in_progress")
    expense = book(enrolment, Decimal("100"))
    user = user_for(request, role)
    assert (
        status_of(client, user, reverse("regions:expense_cancel", args=[expense.pk]), "post", {"reason": "x"})
        == expected
    )
    assert status_of(client, user, reverse("regions:expense_create", args=[enrolment.pk]), "post", {}) in (
        expected,
        404,
    )
    expense.refresh_from_db()
    assert expense.cancelled_at is None


# --- companies act ----------------------------------------------------------------------------------


def test_company_sees_open_programmes_with_reasons(client, owner, english):
    ProgrammeFactory(name="Ouvert à tous")
    ProgrammeFactory(name="Grandes PME", eligible_headcount_bands=["50-249"])
    ProgrammeFactory(name="Brouillon", status="draft")
    ProgrammeFactory(name="Ailleurs", region=Region.objects.get(code="11"))
    client.force_login(owner)
    content = client.get(reverse("regions:company_programmes")).content.decode()
    assert "Ouvert à tous" in content and "Grandes PME" in content
    assert "Brouillon" not in content and "Ailleurs" not in content
    assert "Reserved for companies of 50 to 249 employees; yours: 10 to 49 employees." in content


def test_company_applies(client, owner, company, programme):
    client.force_login(owner)
    url = reverse("regions:apply", args=[programme.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"requested_amount": "25000", "motivation": "Robotiser"})
    assert response.status_code == 400 and not Enrolment.objects.exists()  # above the cap
    response = client.post(url, {"requested_amount": "15000", "motivation": "Robotiser la soudure."})
    enrolment = Enrolment.objects.get()
    assert response.status_code == 302 and response.url == reverse("regions:enrolment_detail", args=[enrolment.pk])
    assert (enrolment.company, enrolment.applied_by, enrolment.requested_amount) == (company, owner, Decimal("15000"))
    # a second application is refused, with the reason
    response = client.post(url, {"requested_amount": "1000", "motivation": "Encore"})
    assert response.status_code == 400 and Enrolment.objects.count() == 1


@pytest.mark.parametrize("fields", [{"status": "draft"}, {"status": "closed"}, {"region_code": "11"}])
def test_applying_to_a_programme_not_open_to_the_company_is_404(client, owner, fields):
    region = Region.objects.get(code=fields.pop("region_code", "53"))
    programme = ProgrammeFactory(region=region, **fields)
    client.force_login(owner)
    assert client.get(reverse("regions:apply", args=[programme.pk])).status_code == 404


def test_ineligible_company_sees_why_and_cannot_post(client, owner, english):
    programme = ProgrammeFactory(requires_submitted_diagnostic=True)
    client.force_login(owner)
    url = reverse("regions:apply", args=[programme.pk])
    assert "A submitted self-diagnostic is required." in client.get(url).content.decode()
    assert client.post(url, {"requested_amount": "100", "motivation": "x"}).status_code == 400
    assert not Enrolment.objects.exists()


def test_my_applications_lists_only_my_companys(client, owner, company, other_company_member, programme):
    mine = EnrolmentFactory(programme=programme, company=company)
    EnrolmentFactory(programme=programme, company=other_company_member.memberships.get().company)
    client.force_login(owner)
    response = client.get(reverse("regions:my_applications"))
    assert list(response.context["applications"]) == [mine]


def test_results_of_a_company_in_the_officers_region_are_visible_to_the_officer(
    officer, other_officer, company, programme
):
    from diagnostics.selectors import diagnostics_visible_to
    from tests.regions.factories import SubmittedDiagnosticFactory

    diagnostic = SubmittedDiagnosticFactory(company=company)
    assert diagnostic not in diagnostics_visible_to(officer)
    EnrolmentFactory(programme=programme, company=company)
    assert diagnostic in diagnostics_visible_to(officer)
    assert diagnostic not in diagnostics_visible_to(other_officer)


def test_report_next_steps_list_the_eligible_programmes(company, programme):
    from diagnostics.extensions import next_steps_for
    from tests.regions.factories import SubmittedDiagnosticFactory

    ProgrammeFactory(name="Grandes", eligible_headcount_bands=["250-4999"])
    diagnostic = SubmittedDiagnosticFactory(company=company)
    sections = [s for s in next_steps_for(diagnostic) if any(item.title == programme.name for item in s.items)]
    assert len(sections) == 1 and [item.title for item in sections[0].items] == [programme.name]


def test_other_region_officers_see_nothing_of_this_region(client, other_officer, enrolment):
    client.force_login(other_officer)
    response = client.get(reverse("regions:dashboard"))
    assert response.context["board"].totals["count"] == 0
    assert list(response.context["page"]) == []


def test_officer_enrolment_without_company(client, owner):
    # a member of a company in another region gets no programme of this region
    company = OwnerFactory(company__region=Region.objects.get(code="11")).company
    ProgrammeFactory()
    client.force_login(company.memberships.get().user)
    response = client.get(reverse("regions:company_programmes"))
    assert (
        "No programme is open in your region at the moment." in response.content.decode() or response.status_code == 200
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("owner", 404),
        ("other_company_member", 404),
        ("expert", 404),
        ("other_officer", 404),
        ("officer", 302),
        ("staff", 302),
    ],
)
def test_opening_a_programme_is_for_its_regions_officers(client, request, role, expected):
    programme = ProgrammeFactory(status="draft")
    url = reverse("regions:programme_status", args=[programme.pk])
    assert status_of(client, user_for(request, role), url, "post", {"status": "open"}) == expected
    programme.refresh_from_db()
    assert programme.status == ("open" if role in ("officer", "staff") else "draft")


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 302), ("plain_user", 403), ("owner", 403), ("expert", 403)]
)
def test_creating_a_programme_is_refused_to_others(client, request, role, expected):
    data = {
        "name": "X",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "budget": "1",
        "cap_per_company": "1",
        "target_companies": "1",
    }
    assert status_of(client, user_for(request, role), reverse("regions:programme_create"), "post", data) == expected
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("plain_user", 403), ("officer", 403), ("expert", 403), ("staff", 403), ("owner", 200)],
)
def test_applying_is_for_company_members(client, request, programme, role, expected):
    assert status_of(client, user_for(request, role), reverse("regions:apply", args=[programme.pk])) == expected
