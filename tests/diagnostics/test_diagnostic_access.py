"""Who sees which diagnostic (selectors), who may do what (rules)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from diagnostics import extensions, rules, selectors
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
    from diagnostics import services

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
