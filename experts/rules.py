"""Who may act in the experts app. Each predicate names who may act in its docstring.

Views and services test these predicates directly (`can_accept_assignment.test(user, assignment)`)
rather than through `user.has_perm`, which lets superusers do anything: Alliance staff propose and
cancel assignments and edit accreditations, but never answer or review in an expert's place.
Whether the object's *state* allows the action is the services' business (they raise
`IllegalTransition`); these rules only say who.
"""

import rules
from django.db.models import Exists, OuterRef, Subquery

from experts.models import Expert
from portal.rules import has_company, is_alliance_staff, is_region_officer
from portal.viewer import viewer_of


@rules.predicate
def is_expert(user):
    """Experts: users with a profile in the directory."""
    return viewer_of(user).facts.get("expert_id") is not None


def expert_profile_id():
    """The id of the user's expert profile (None: not an expert), read with the request's viewer."""
    return Subquery(Expert.objects.filter(user=OuterRef("pk")).values("pk")[:1])


def expert_role():
    """The same role as an SQL expression over the user row, for the role spaces."""
    return Exists(Expert.objects.filter(user=OuterRef("pk")))


@rules.predicate
def is_profile_owner(user, expert):
    """The expert whose profile it is."""
    return bool(user and user.is_authenticated and expert is not None and expert.user_id == user.pk)


@rules.predicate
def is_assignment_expert(user, assignment):
    """The expert the assignment is for."""
    return bool(
        user
        and user.is_authenticated
        and assignment is not None
        and assignment.expert.user_id == user.pk  # the selectors fetch `expert` with the assignment
    )


@rules.predicate
def is_officer_of_company_region(user, company):
    """Regional officers of the region the company is in."""
    return company is not None and viewer_of(user).is_officer_of(company.region_id)


@rules.predicate
def is_officer_of_assignment_region(user, assignment):
    """Regional officers of the region of the assignment's company."""
    return assignment is not None and is_officer_of_company_region(user, assignment.company)


# Keep a directory profile and its skills up to date: the expert themselves only.
can_edit_profile = is_profile_owner
# See an expert's day rate and e-mail: staff, regional officers, company members and the expert.
# Anonymous visitors and users without a role never see them.
can_see_private_details = is_alliance_staff | is_region_officer | has_company | is_profile_owner
# Reference, suspend, renew or expire an expert; register a new expert: Alliance staff only.
can_manage_accreditations = is_alliance_staff
# Propose an expert to a company (`test(user, company)`): staff, and officers of the company's region.
can_propose_assignment = is_alliance_staff | is_officer_of_company_region
# Accept, decline, start an assignment, log visits and write the review: the assigned expert only.
can_respond_to_assignment = is_assignment_expert
can_log_visit = is_assignment_expert
can_write_review = is_assignment_expert
# Cancel an assignment: staff, and officers of the company's region. (Whether the user is an officer
# at all is known once per request: a list of assignments asks the region of each to officers only.)
can_cancel_assignment = is_alliance_staff | (is_region_officer & is_officer_of_assignment_region)
# Propose experts for companies at all (the officers' and staff's assignment pages).
can_follow_assignments = is_alliance_staff | is_region_officer

rules.add_perm("experts.view_my_assignments", is_expert)
