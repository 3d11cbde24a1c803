"""The diagnostics app's guided first step on a company's page (`portal.first_steps`): start the first
self-diagnostic, or finish the one in progress, until the company has submitted one."""

from django.urls import reverse
from django.utils.translation import gettext as _

from diagnostics import rules, selectors
from portal.first_steps import FirstStep


def diagnostic_first_step(user, company):
    """For a member of a company that never submitted a diagnostic: start it, or continue the draft (one query)."""
    if not rules.can_start_diagnostic.test(user, company):
        return None
    has_submitted, draft_pk = selectors.first_diagnostic_state(company)
    if has_submitted:
        return None
    if draft_pk is not None:
        return FirstStep(
            title=_("Finish your self-diagnostic"),
            text=_("Your answers are saved as you go: continue where you stopped, then submit to see your results."),
            url=reverse("diagnostics:detail", args=[draft_pk]),
            button=_("Continue my diagnostic"),
        )
    return FirstStep(
        title=_("Start your self-diagnostic"),
        text=_(
            "Answer the questions of the maturity referential, over as many sittings as you need: you then get "
            "your scores, a comparison with similar companies and an action plan."
        ),
        url=reverse("diagnostics:start", args=[company.pk]),
        button=_("Start my diagnostic"),
        method="post",
    )
