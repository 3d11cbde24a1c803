"""Who may act on a diagnostic's report (downloading it follows the diagnostic's own visibility).

The rule is registered by name so that templates can test it:
`{% load rules %}{% test_rule "diagnostics.rerender_report" request.user diagnostic as can_rerender %}`.
"""

import rules

from portal.models import Membership
from portal.rules import is_alliance_staff


@rules.predicate
def is_diagnostic_company_owner(user, diagnostic):
    """The owners of the company the diagnostic belongs to."""
    if not (user and user.is_authenticated and diagnostic is not None):
        return False
    known = getattr(diagnostic, "user_is_owner", None)  # annotated by diagnostics' visible_diagnostic
    if known is not None and getattr(diagnostic, "member_checked_for", None) == user.pk:
        return bool(known)
    return Membership.objects.filter(user=user, company_id=diagnostic.company_id, role=Membership.Role.OWNER).exists()


# Ask for a new render of a submitted diagnostic's report: the company's owners and Alliance staff.
can_rerender_report = is_diagnostic_company_owner | is_alliance_staff
rules.set_rule("diagnostics.rerender_report", can_rerender_report)
