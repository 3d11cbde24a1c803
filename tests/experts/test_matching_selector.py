"""The matching selector: loads referenced candidates in a bounded number of queries and ranks them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from experts.models import Accreditation, Assignment
from experts.selectors import matching_experts_for, matching_inputs_for, top_action_themes
from tests.experts.factories import AssignmentFactory, ExpertFactory, ReferencedExpertFactory, accredit

pytestmark = pytest.mark.django_db

WEAK = ["AX1", "AX3"]


def proposed(company, weak=WEAK, themes=(), limit=10):
    return [proposal.expert for proposal in matching_experts_for(company, weak, themes, limit=limit)]


def test_the_better_covering_expert_ranks_first(company):
    one = ReferencedExpertFactory(axes={"AX1": 3}, regions=["53"])
    both = ReferencedExpertFactory(axes={"AX1": 2, "AX3": 2}, regions=["53"])
    assert proposed(company) == [both, one]


def test_suspended_expired_and_never_referenced_experts_are_never_proposed(company):
    good = ReferencedExpertFactory(axes={"AX1": 3})
    accredit(ExpertFactory(axes={"AX1": 3, "AX3": 3}), status=Accreditation.Status.SUSPENDED)
    accredit(ExpertFactory(axes={"AX1": 3, "AX3": 3}), status=Accreditation.Status.EXPIRED)
    accredit(ExpertFactory(axes={"AX1": 3, "AX3": 3}), valid_until=timezone.localdate() - timedelta(days=1))
    ExpertFactory(axes={"AX1": 3, "AX3": 3})
    assert proposed(company) == [good]


def test_full_capacity_experts_are_never_proposed(company):
    full = ReferencedExpertFactory(axes={"AX1": 3, "AX3": 3}, capacity=1)
    AssignmentFactory(expert=full, status=Assignment.Status.IN_PROGRESS)
    zero = ReferencedExpertFactory(axes={"AX1": 3, "AX3": 3}, capacity=0)
    free = ReferencedExpertFactory(axes={"AX1": 1}, capacity=2)
    AssignmentFactory(expert=free, status=Assignment.Status.ACCEPTED)
    result = proposed(company)
    assert result == [free]
    assert full not in result and zero not in result


def test_pending_proposals_and_finished_assignments_do_not_take_a_place(company):
    expert = ReferencedExpertFactory(axes={"AX1": 3}, capacity=1)
    AssignmentFactory(expert=expert, status=Assignment.Status.PROPOSED)
    AssignmentFactory(expert=expert, status=Assignment.Status.DONE)
    AssignmentFactory(expert=expert, status=Assignment.Status.DECLINED)
    assert proposed(company) == [expert]


def test_an_expert_already_under_way_in_the_company_is_not_proposed_again(company):
    expert = ReferencedExpertFactory(axes={"AX1": 3})
    AssignmentFactory(expert=expert, company=company, status=Assignment.Status.PROPOSED)
    assert proposed(company) == []


def test_the_region_breaks_ties(company):
    distant = ReferencedExpertFactory(axes={"AX1": 2}, regions=["84"], capacity=5)
    local = ReferencedExpertFactory(axes={"AX1": 2}, regions=["53"], capacity=1)
    proposals = matching_experts_for(company, ["AX1"], [], limit=5)
    assert [p.expert for p in proposals] == [local, distant]
    assert "Bretagne" in proposals[0].reason


def test_themes_are_matched_by_code(company):
    printer = ReferencedExpertFactory(themes={"additive-manufacturing": 3})
    ReferencedExpertFactory(themes={"energy-efficiency": 3})
    assert proposed(company, weak=[], themes=["additive-manufacturing"]) == [printer]


def test_the_selector_runs_a_fixed_number_of_queries(company, django_assert_max_num_queries):
    for index in range(30):
        ReferencedExpertFactory(axes={"AX1": 1 + index % 3}, themes={"digital-iot": 2}, regions=["53", "52"])
    with django_assert_max_num_queries(4):
        proposals = matching_experts_for(company, WEAK, ["digital-iot"], limit=5)
        [proposal.reason for proposal in proposals]
    assert len(proposals) == 5


def test_matching_inputs_come_from_the_latest_submitted_diagnostic(company, submitted_diagnostic):
    diagnostic, weak_axes, themes = matching_inputs_for(company)
    assert diagnostic == submitted_diagnostic
    assert weak_axes[:3] == ["AX1", "AX3", "AX2"]  # levels 1, 2, 4
    assert themes == top_action_themes(submitted_diagnostic)
    assert themes  # the factory referential's recommendations have themes


def test_a_company_without_a_submitted_diagnostic_has_no_matching_inputs(company):
    assert matching_inputs_for(company) == (None, [], [])
