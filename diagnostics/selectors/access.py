"""Reads of the sharing scope and of the access log, scoped to the company's members."""

from diagnostics.models import DiagnosticAccess
from portal.models import Company


def company_of_member(user, company_pk):
    """The company `company_pk` if `user` is one of its members (owner or not), else None (one query).

    Staff, officers and experts are not members: a company's access log is for the company only.
    """
    if user is None or not user.is_authenticated:
        return None
    return Company.objects.filter(pk=company_pk, memberships__user=user).first()


def access_log(*, company, diagnostic=None):
    """The accesses to the company's diagnostics (or to one of them), latest first, each with its
    viewer, their region and the diagnostic (one query per page)."""
    accesses = DiagnosticAccess.objects.filter(company=company)
    if diagnostic is not None:
        accesses = accesses.filter(diagnostic=diagnostic)
    return accesses.select_related("user", "region", "diagnostic").order_by("-at", "-id")
