"""Who sees which diagnostic (selectors), who may do what (rules)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from diagnostics import extensions, rules, selectors, services
from diagnostics.models import Answer, Diagnostic
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory, answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def diagnostic(company):
    return DiagnosticFactory(company=company, referential=PublishedReferentialFactory())


@pytest.fixture
def other_diagnostic(other_company_member, diagnostic):
    return DiagnosticFactory(company=other_company_member.memberships.get().company, referential=diagnostic.referential)


def visible(user):
    return set(selectors.diagnostics_visible_to(user))


def test_members_see_their_company_diagnostics_only(owner, member, diagnostic, other_diagnostic):
    assert visible(owner) == {diagnostic}
    assert visible(member) == {diagnostic}


def test_staff_see_every_diagnostic(staff, diagnostic, other_diagnostic):
    assert visible(staff) == {diagnostic, other_diagnostic}


@pytest.mark.parametrize("role", ["officer", "expert", "plain_user"])
def test_others_see_nothing(request, role, diagnostic, other_diagnostic):
    assert visible(request.getfixturevalue(role)) == set()


def test_anonymous_sees_nothing(diagnostic):
    assert visible(AnonymousUser()) == set()
    assert visible(None) == set()


def test_extension_rules_add_access_without_duplicates(expert, owner, diagnostic, other_diagnostic):
    def rule(user):
        # Joins to many rows (every membership of the company): the selector must keep one row each.
        return Q(company__memberships__isnull=False, pk=other_diagnostic.pk) if user == expert else None

    extensions.register_diagnostic_access(rule)
    try:
        assert list(selectors.diagnostics_visible_to(expert)) == [other_diagnostic]
        assert visible(owner) == {diagnostic}
        assert rules.can_view_diagnostic.test(expert, other_diagnostic)
        assert not rules.can_edit_diagnostic.test(expert, other_diagnostic)
    finally:
        extensions._access_rules.remove(rule)


def test_rules(owner, member, other_company_member, staff, officer, diagnostic):
    for user in (owner, member):
        assert rules.can_view_diagnostic.test(user, diagnostic)
        assert rules.can_edit_diagnostic.test(user, diagnostic)
        assert rules.can_start_diagnostic.test(user, diagnostic.company)
    assert rules.can_view_diagnostic.test(staff, diagnostic)
    assert not rules.can_edit_diagnostic.test(staff, diagnostic)
    assert not rules.can_start_diagnostic.test(staff, diagnostic.company)
    for user in (other_company_member, officer, AnonymousUser()):
        assert not rules.can_view_diagnostic.test(user, diagnostic)
        assert not rules.can_edit_diagnostic.test(user, diagnostic)
        assert not rules.can_start_diagnostic.test(user, diagnostic.company)


def test_nobody_edits_a_submitted_diagnostic(owner, diagnostic):
    answer_all(diagnostic, level=2)
    submitted = services.submit_diagnostic(diagnostic=diagnostic, by=owner)
    assert rules.can_view_diagnostic.test(owner, submitted)
    assert not rules.can_edit_diagnostic.test(owner, submitted)


def test_superuser_staff_still_cannot_answer(staff, diagnostic):
    staff.is_superuser = True
    staff.save()
    assert not rules.can_edit_diagnostic.test(staff, diagnostic)


def test_visible_diagnostic_carries_membership_for_the_rules(owner, staff, diagnostic, django_assert_num_queries):
    with django_assert_num_queries(1):
        mine = selectors.visible_diagnostic(owner, diagnostic.pk)
        assert rules.can_edit_diagnostic.test(owner, mine)
        assert mine.company.name and mine.referential.code
    with django_assert_num_queries(1):
        seen = selectors.visible_diagnostic(staff, diagnostic.pk)
        assert not rules.can_edit_diagnostic.test(staff, seen)


# --- every view, every role ----------------------------------------------------------------------------------

ROLES = ["owner", "member", "other_company_member", "officer", "expert", "staff", "plain_user"]
MEMBERS = {"owner", "member"}
READERS = MEMBERS | {"staff"}


@pytest.fixture
def draft(company, owner):
    PublishedReferentialFactory()
    return services.start_diagnostic(company=company, by=owner)


def get_pages(diagnostic):
    return {
        "company_diagnostics": reverse("diagnostics:company_diagnostics", args=[diagnostic.company_id]),
        "detail": reverse("diagnostics:detail", args=[diagnostic.pk]),
        "axis": reverse("diagnostics:axis", args=[diagnostic.pk, "AX1"]),
        "review": reverse("diagnostics:review", args=[diagnostic.pk]),
    }


def writes(diagnostic):
    question = diagnostic.referential.questions.get(code="AX1-1")
    prefix = f"q{question.pk}"
    return {
        "start": (reverse("diagnostics:start", args=[diagnostic.company_id]), {}),
        "axis": (reverse("diagnostics:axis", args=[diagnostic.pk, "AX1"]), {f"{prefix}-choice": "2"}),
        "autosave": (reverse("diagnostics:autosave", args=[diagnostic.pk, question.pk]), {f"{prefix}-choice": "2"}),
        "submit": (reverse("diagnostics:submit", args=[diagnostic.pk]), {}),
    }


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_anonymous_is_sent_to_log_in(draft):
    client = client_for(None)
    for url in get_pages(draft).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    for url, data in writes(draft).values():
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Answer.objects.exists()
    assert Diagnostic.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_get_pages_by_role(request, role, draft):
    client = client_for(request.getfixturevalue(role))
    for name, url in get_pages(draft).items():
        response = client.get(url)
        if role in READERS:
            expected = 302 if name == "detail" else 200
            assert response.status_code == expected, (role, name)
        else:
            assert response.status_code == 404, (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_writes_by_role(request, role, draft):
    client = client_for(request.getfixturevalue(role))
    for name, (url, data) in writes(draft).items():
        response = client.post(url, data)
        if role in MEMBERS:
            # start → the draft; the page → the next axis; autosave → its fragment; submit → review (incomplete)
            assert response.status_code == (200 if name == "autosave" else 302), (role, name)
        elif role == "staff":
            assert response.status_code == 403, (role, name)
        else:
            assert response.status_code == 404, (role, name)
    if role in MEMBERS:
        assert Answer.objects.count() == 1
    else:
        assert not Answer.objects.exists()
    assert Diagnostic.objects.get().status == Diagnostic.Status.DRAFT


def test_staff_read_only_axis_page(staff, draft):
    page = client_for(staff).get(reverse("diagnostics:axis", args=[draft.pk, "AX1"])).content.decode()
    assert "hx-post" not in page and "disabled" in page


def test_other_company_cannot_see_its_company_list(other_company_member, draft):
    response = client_for(other_company_member).get(reverse("diagnostics:company_diagnostics", args=[draft.company_id]))
    assert response.status_code == 404
