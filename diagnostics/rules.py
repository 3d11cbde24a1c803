"""Who may act on diagnostics. Each predicate names who may act in its docstring.

Views test these predicates directly (`can_edit_diagnostic.test(user, diagnostic)`) rather than
through `user.has_perm`, which lets superusers do anything: Alliance staff may read every
diagnostic but never answer on a company's behalf.

Membership is read from the request's viewer (`portal.viewer.viewer_of`): no query per object,
whichever selector loaded it.
"""

from functools import reduce
from operator import or_

import rules

from diagnostics.extensions import plan_editor_filters, viewer_role_for
from diagnostics.models import Diagnostic
from diagnostics.reports.access import is_diagnostic_company_owner
from diagnostics.selectors import diagnostics_visible_to
from portal.rules import is_alliance_staff, is_company_member
from portal.viewer import viewer_of


@rules.predicate
def is_diagnostic_company_member(user, diagnostic):
    """Members (owner or not) of the company the diagnostic belongs to."""
    return diagnostic is not None and viewer_of(user).is_member_of(diagnostic.company_id)


@rules.predicate
def is_draft(user, diagnostic):
    """Anyone, as long as the diagnostic is still a draft (its answers are not frozen)."""
    return diagnostic is not None and diagnostic.status == diagnostic.Status.DRAFT


@rules.predicate
def is_submitted(user, diagnostic):
    """Anyone, once the diagnostic is submitted (no longer the company's work in progress)."""
    return diagnostic is not None and diagnostic.status == diagnostic.Status.SUBMITTED


@rules.predicate
def has_extension_access(user, diagnostic):
    """The officers of the company's region once a member shared the diagnostic with them
    (`shared_with_region`), and whoever the apps above grant access to through
    `extensions.register_diagnostic_access`: the officers of the region a diagnostic was attached to
    an application of (regions), the expert of an accepted assignment of it (experts). Nobody else."""
    return diagnostic is not None and diagnostics_visible_to(user).filter(pk=diagnostic.pk).exists()


@rules.predicate
def is_plan_expert(user, diagnostic):
    """The expert of an accepted or in-progress assignment about this diagnostic (the apps above say
    who through `extensions.register_plan_editors`). Not the company, not officers, not staff."""
    if not (user and user.is_authenticated and diagnostic is not None):
        return False
    filters = plan_editor_filters(user)
    return bool(filters) and Diagnostic.objects.filter(pk=diagnostic.pk).filter(reduce(or_, filters)).exists()


# Read a diagnostic: its company's members, Alliance staff once it is submitted, the region's
# officers if shared, and those the extensions let in.
can_view_diagnostic = is_diagnostic_company_member | (is_alliance_staff & is_submitted) | has_extension_access
# Answer questions and submit: the company's members, while the diagnostic is a draft. Nobody else.
can_edit_diagnostic = is_diagnostic_company_member & is_draft
# Attach evidence to an answer, or remove it: the company's members, while the diagnostic is a draft
# (like answering). Readers of the diagnostic see the evidence; everyone else gets a 403 or a 404.
can_manage_evidence = is_diagnostic_company_member & is_draft
# Open a deep-dive module of the questionnaire, or put it off: the company's members while the
# diagnostic is a draft (the people who answer it). Staff, officers and experts read the page: 403 on a POST.
can_choose_modules = is_diagnostic_company_member & is_draft
# Start a new diagnostic for a company (`can_start_diagnostic.test(user, company)`): its members only.
can_start_diagnostic = is_company_member
# Share a submitted diagnostic with the officers of the company's region, or stop sharing it: the
# company's members, owner or not. Any member may already submit the diagnostic and apply to a
# programme (which shares it with that programme's officers), so choosing to show it to the region
# before applying is theirs too. Staff, officers and experts: never (403).
can_share_diagnostic = is_diagnostic_company_member
# See who outside the company viewed its diagnostics (`can_view_access_log.test(user, company)`):
# the company's members only; staff, officers and experts get a 404 (the log is the company's).
can_view_access_log = is_company_member
# Update a submitted diagnostic's report with today's figures (peer group and next steps, otherwise
# frozen at submit): the company's owners only, who answer for the document the company hands out.
# Members, officers, experts and staff: 403 where they may see the diagnostic (404 elsewhere).
can_update_report_figures = is_diagnostic_company_owner & is_submitted
rules.set_rule("diagnostics.update_report_figures", can_update_report_figures)

# Upload, publish and retire referential versions (the staff's referential pages): Alliance staff only.
can_curate_referentials = is_alliance_staff

# --- several respondents (diagnostics.models.respondents) ---------------------------------------------


@rules.predicate
def started_the_diagnostic(user, diagnostic):
    """The person who started the diagnostic."""
    return bool(user and user.is_authenticated and diagnostic is not None and diagnostic.started_by_id == user.pk)


@rules.predicate
def is_expert_viewer(user, diagnostic):
    """Users the apps above describe as experts (`extensions.register_viewer_role`, kind "expert")."""
    role = viewer_role_for(user) if user and user.is_authenticated else None
    return role is not None and role.kind == "expert"


# The diagnostic's lead: the company's owners and the member who started it. Nobody else.
is_diagnostic_lead = is_diagnostic_company_member & (is_diagnostic_company_owner | started_the_diagnostic)
# Invite respondents (members, or by e-mail) while the diagnostic is a draft: its lead only. Other
# members: 403; whoever may not see the draft: 404.
can_manage_respondents = is_diagnostic_lead & is_draft
# Set the company's answer where respondents answered (the consensus step), while a draft: its lead only.
can_set_consensus = is_diagnostic_lead & is_draft
# See who answered what (names and functions of the company's people): the company's members, and,
# once submitted, the expert whose assignment lets them see the diagnostic. Officers and staff: never.
can_view_divergence = is_diagnostic_company_member | (is_submitted & has_extension_access & is_expert_viewer)
# Follow the action plan of a submitted diagnostic (each action's owner, due date and status): the
# company's members, owner or not. The expert, officers and staff read the plan but do not run the
# company (403).
can_follow_plan = is_diagnostic_company_member & is_submitted
# Edit the plan (add, remove, reorder actions, change their horizon) and validate it: the expert of an
# accepted or in-progress assignment about the diagnostic. The company follows the plan but does not
# rewrite the expert's advice; officers and staff read it (403).
can_edit_plan = is_plan_expert & is_submitted
