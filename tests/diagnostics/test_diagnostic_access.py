"""Who sees which diagnostic (selectors), who may do what (rules)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from diagnostics import extensions, rules, selectors, services
from diagnostics.models import Answer, Diagnostic
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory, answer_all
from tests.portal.factories import as_request_user

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


def submitted(diagnostic):
    owner = diagnostic.company.memberships.first().user
    answer_all(diagnostic, level=2)
    return services.submit_diagnostic(diagnostic=diagnostic, by=owner)


def test_staff_see_every_submitted_diagnostic_and_no_draft(staff, diagnostic, other_diagnostic):
    """A draft is the company's work in progress: staff read a diagnostic once it is submitted."""
    assert visible(staff) == set()
    other = submitted(other_diagnostic)
    assert visible(staff) == {other}


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
    assert not rules.can_view_diagnostic.test(staff, diagnostic)
    assert not rules.can_edit_diagnostic.test(staff, diagnostic)
    assert not rules.can_start_diagnostic.test(staff, diagnostic.company)
    for user in (other_company_member, officer, AnonymousUser()):
        assert not rules.can_view_diagnostic.test(user, diagnostic)
        assert not rules.can_edit_diagnostic.test(user, diagnostic)
        assert not rules.can_start_diagnostic.test(user, diagnostic.company)


def test_nobody_edits_a_submitted_diagnostic(owner, staff, diagnostic):
    done = submitted(diagnostic)
    for user in (owner, staff):
        assert rules.can_view_diagnostic.test(user, done)
        assert not rules.can_edit_diagnostic.test(user, done)


def test_superuser_staff_still_cannot_answer(staff, diagnostic):
    staff.is_superuser = True
    staff.save()
    assert not rules.can_edit_diagnostic.test(staff, diagnostic)


def test_visible_diagnostic_and_its_rules_cost_one_query_for_a_request_user(
    owner, staff, diagnostic, django_assert_num_queries
):
    owner, staff = as_request_user(owner), as_request_user(staff)  # the rules read their viewers
    with django_assert_num_queries(1):
        mine = selectors.visible_diagnostic(owner, diagnostic.pk)
        assert rules.can_edit_diagnostic.test(owner, mine)
        assert mine.company.name and mine.referential.code
    with django_assert_num_queries(1):
        assert selectors.visible_diagnostic(staff, diagnostic.pk) is None  # a draft
    done = submitted(diagnostic)
    with django_assert_num_queries(1):
        seen = selectors.visible_diagnostic(staff, done.pk)
        assert rules.can_view_diagnostic.test(staff, seen)
        assert not rules.can_edit_diagnostic.test(staff, seen)


# --- every view, every role ----------------------------------------------------------------------------------

ROLES = ["owner", "member", "other_company_member", "officer", "expert", "staff", "plain_user"]
MEMBERS = {"owner", "member"}
# Who reads a draft: its company's members only. Staff see the company (its list of diagnostics,
# the submitted ones only) but none of its drafts.
DRAFT_READERS = MEMBERS


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
        if role in DRAFT_READERS:
            expected = 302 if name == "detail" else 200
            assert response.status_code == expected, (role, name)
        elif role == "staff" and name == "company_diagnostics":
            assert response.status_code == 200, (role, name)
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
        elif role == "staff" and name == "start":
            assert response.status_code == 403, (role, name)  # sees the company, may not start for it
        else:
            assert response.status_code == 404, (role, name)
    if role in MEMBERS:
        assert Answer.objects.count() == 1
    else:
        assert not Answer.objects.exists()
    assert Diagnostic.objects.get().status == Diagnostic.Status.DRAFT


def test_staff_read_a_submitted_diagnostic_axis_page_read_only(staff, owner, draft):
    done = submitted(draft)
    page = client_for(staff).get(reverse("diagnostics:axis", args=[done.pk, "AX1"])).content.decode()
    assert "hx-post" not in page and "disabled" in page


def test_staff_find_no_draft_on_the_company_diagnostics_page(staff, owner, draft):
    """The page lists the submitted diagnostics to staff: no draft row, no link to a draft."""
    done = submitted(draft)
    PublishedReferentialFactory()
    new_draft = services.start_diagnostic(company=draft.company, by=owner)
    page = client_for(staff).get(reverse("diagnostics:company_diagnostics", args=[draft.company_id]))
    assert [d.pk for d in page.context["diagnostics"]] == [done.pk]
    assert reverse("diagnostics:detail", args=[new_draft.pk]) not in page.content.decode()
    assert [d.pk for d in client_for(owner).get(page.request["PATH_INFO"]).context["diagnostics"]] == [
        new_draft.pk,
        done.pk,
    ]


def test_other_company_cannot_see_its_company_list(other_company_member, draft):
    response = client_for(other_company_member).get(reverse("diagnostics:company_diagnostics", args=[draft.company_id]))
    assert response.status_code == 404
