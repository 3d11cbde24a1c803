"""Who may act on a diagnostic's report (downloading it follows the diagnostic's own visibility).

The rule is registered by name so that templates can test it:
`{% load rules %}{% test_rule "diagnostics.rerender_report" request.user diagnostic as can_rerender %}`.
"""

import rules

from portal.rules import is_alliance_staff
from portal.viewer import viewer_of


@rules.predicate
def is_diagnostic_company_owner(user, diagnostic):
    """The owners of the company the diagnostic belongs to."""
    return diagnostic is not None and viewer_of(user).is_owner_of(diagnostic.company_id)


# Ask for a new render of a submitted diagnostic's report: the company's owners and Alliance staff.
can_rerender_report = is_diagnostic_company_owner | is_alliance_staff
rules.set_rule("diagnostics.rerender_report", can_rerender_report)
