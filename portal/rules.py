"""Who may act on identity objects. Each predicate names who may act in its docstring.

Who the user is comes from the request's viewer (`portal.viewer.viewer_of`): no query per rule.
"""

import rules
from django.db.models import Exists, OuterRef, Q

from portal.models import Membership, RegionOfficer
from portal.viewer import viewer_of


@rules.predicate
def is_alliance_staff(user):
    """Alliance staff: Django staff accounts."""
    return bool(user and user.is_authenticated and user.is_staff)


@rules.predicate
def is_region_officer(user):
    """Regional officers: users with at least one officer post."""
    return viewer_of(user).is_officer


@rules.predicate
def is_company_member(user, company):
    """Any member of the company, owner or not."""
    return company is not None and viewer_of(user).is_member_of(company.pk)


@rules.predicate
def is_company_owner(user, company):
    """The company's owners only."""
    return company is not None and viewer_of(user).is_owner_of(company.pk)


@rules.predicate
def has_company(user):
    """SME managers and their colleagues: users with a membership."""
    return viewer_of(user).has_company


can_view_company = is_company_member | is_alliance_staff
can_invite_colleague = is_company_owner

rules.add_perm("portal.view_company", can_view_company)
rules.add_perm("portal.invite_colleague", can_invite_colleague)

# GDPR rights (portal/privacy): any member may download the company's data; only an owner may close
# the company's account. Staff, officers and experts may do neither.
can_export_company_data = is_company_member
can_close_company = is_company_owner

rules.add_perm("portal.export_company_data", can_export_company_data)
rules.add_perm("portal.close_company", can_close_company)


# The same roles as SQL expressions over the user row, for the role spaces (portal/spaces.py).
def staff_role():
    """Alliance staff."""
    return Q(is_staff=True)


def officer_role():
    """Users with at least one officer post."""
    return Exists(RegionOfficer.objects.filter(user=OuterRef("pk")))


def company_member_role():
    """Users with a membership in a company."""
    return Exists(Membership.objects.filter(user=OuterRef("pk")))
