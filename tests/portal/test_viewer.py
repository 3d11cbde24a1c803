"""The request's viewer (portal/viewer.py): who the user is, read with the user row, for every rule."""

import pytest

from diagnostics.models import Diagnostic
from diagnostics.rules import can_edit_diagnostic
from portal.rules import is_company_member, is_company_owner, is_region_officer
from portal.viewer import forget_viewer, viewer_of
from tests.portal.factories import MembershipFactory, as_request_user

pytestmark = pytest.mark.django_db


def test_the_user_of_a_request_knows_its_companies_posts_spaces_and_expert_profile_without_a_query(
    owner, company, officer, expert, django_assert_num_queries
):
    region_id, expert_id = officer.officer_posts.get().region_id, expert.expert_profile.pk
    owner, officer, expert = as_request_user(owner), as_request_user(officer), as_request_user(expert)
    with django_assert_num_queries(0):
        assert viewer_of(owner).owned_company_ids == {company.pk} == viewer_of(owner).company_ids
        assert viewer_of(owner).space_keys == {"company"}
        assert viewer_of(officer).officer_region_ids == {region_id}
        assert viewer_of(officer).space_keys == {"region"}
        assert viewer_of(expert).facts["expert_id"] == expert_id
        assert viewer_of(owner).facts["expert_id"] is None


def test_a_user_loaded_otherwise_reads_its_viewer_once(owner, company, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert is_company_owner(owner, company)
        assert is_company_member(owner, company)
        assert not is_region_officer(owner)


def test_a_rule_answers_the_same_whichever_way_the_object_was_loaded(owner, company, django_assert_num_queries):
    owner = as_request_user(owner)
    loaded = Diagnostic(company=company, status=Diagnostic.Status.DRAFT)
    bare = Diagnostic(company_id=company.pk, status=Diagnostic.Status.DRAFT)  # ids only, as answer_target gives
    with django_assert_num_queries(0):
        assert can_edit_diagnostic.test(owner, loaded) and can_edit_diagnostic.test(owner, bare)


def test_forget_viewer_reads_a_membership_made_during_the_request(owner, company):
    other = MembershipFactory().company
    assert not is_company_member(owner, other)
    MembershipFactory(user=owner, company=other)
    assert not is_company_member(owner, other)  # remembered for the request
    forget_viewer(owner)
    assert is_company_member(owner, other)
