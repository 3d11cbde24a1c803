"""The action plan page of a submitted diagnostic and its edits.

- `plan_page` (GET): the plan by horizon, each action with why, cost, theme, owner, due date and
  status; the programmes that may fund it; its history. Whoever may see the diagnostic (404 otherwise).
- `follow_action` (POST): a member of the company sets an action's owner, due date and status.
- `edit_action`, `add_action`, `validate` (POST): the assigned expert reorders, moves, removes and
  adds actions, and validates the plan. Visible but not allowed: 403.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diagnostics import rules
from diagnostics.extensions import funding_for
from diagnostics.models import PlanAction
from diagnostics.plan_forms import PlanActionEditForm, PlanActionFollowForm, PlanAddForm
from diagnostics.selectors import diagnostics_visible_to
from diagnostics.selectors.plan import addable_recommendations, plan_history, plan_view
from diagnostics.services import plan as plans
from portal.http import allowed, found, reported
from portal.models import User

NOT_FOUND = _("No diagnostic you may see has this number.")


def _diagnostic(request, pk):
    user = request.user
    return found(
        diagnostics_visible_to(user).filter(pk=pk).select_related("company__region", "referential").first(),
        NOT_FOUND,
    )


def _members(diagnostic):
    return User.objects.filter(memberships__company_id=diagnostic.company_id).order_by("first_name", "last_name", "pk")


def _back(diagnostic, anchor=""):
    response = redirect("diagnostics:plan", pk=diagnostic.pk)
    response["Location"] += anchor
    return response


@require_GET
def plan_page(request, pk):
    """The plan of a submitted diagnostic; a draft sends to its questionnaire."""
    diagnostic = _diagnostic(request, pk)
    if diagnostic.is_draft:
        return redirect("diagnostics:detail", pk=diagnostic.pk)
    plan = plans.ensure_plan(diagnostic=diagnostic, by=request.user)
    can_follow = rules.can_follow_plan.test(request.user, diagnostic)
    can_edit = rules.can_edit_plan.test(request.user, diagnostic)
    view = plan_view(plan)
    members = list(_members(diagnostic)) if can_follow else []
    context = {
        "diagnostic": diagnostic,
        "company": diagnostic.company,
        "view": view,
        "can_follow": can_follow,
        "can_edit": can_edit,
        "members": members,
        "status_choices": PlanAction.Status.choices,
        "horizon_choices": PlanAction.Horizon.choices,
        "add_form": PlanAddForm(addable=addable_recommendations(plan, diagnostic)) if can_edit else None,
        "funding": funding_for(diagnostic),
        "history": plan_history(plan),
    }
    return render(request, "diagnostics/plan/page.html", context)


def _action(diagnostic, action_pk):
    plan = plans.ensure_plan(diagnostic=diagnostic)
    return found(
        PlanAction.objects.filter(plan=plan, pk=action_pk).select_related("plan").first(),
        _("This plan has no such action."),
    )


@require_POST
def follow_action(request, pk, action_pk):
    """A member of the company sets who carries out the action, by when, and where it stands."""
    diagnostic = _diagnostic(request, pk)
    allowed(rules.can_follow_plan, request.user, diagnostic, message=_("Only the company's members follow its plan."))
    action = _action(diagnostic, action_pk)
    form = PlanActionFollowForm(request.POST, members=_members(diagnostic), prefix=f"action-{action.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(diagnostic, f"#action-{action.pk}")
    with reported(request) as outcome:
        plans.update_plan_action(
            action=action,
            by=request.user,
            owner=form.cleaned_data["owner"],
            due_date=form.cleaned_data["due_date"],
            status=form.cleaned_data["status"],
        )
    if outcome.ok:
        messages.success(request, _("The action is updated."))
    return _back(diagnostic, f"#action-{action.pk}")


@require_POST
def edit_action(request, pk, action_pk):
    """The expert moves the action up, down, to another horizon, or removes it."""
    diagnostic = _diagnostic(request, pk)
    allowed(rules.can_edit_plan, request.user, diagnostic, message=_("Only the company's expert edits its plan."))
    action = _action(diagnostic, action_pk)
    form = PlanActionEditForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(diagnostic, f"#action-{action.pk}")
    operation = form.cleaned_data["operation"]
    with reported(request) as outcome:
        if operation == form.REMOVE:
            plans.remove_plan_action(action=action, by=request.user)
        elif operation == form.HORIZON:
            plans.move_plan_action(action=action, by=request.user, horizon=form.cleaned_data["horizon"])
        else:
            plans.move_plan_action(action=action, by=request.user, step=-1 if operation == form.UP else 1)
    if outcome.ok:
        messages.success(request, _("The plan is updated."))
    return _back(diagnostic, "" if operation == form.REMOVE else f"#action-{action.pk}")


@require_POST
def add_action(request, pk):
    """The expert adds a next-level action of the diagnostic to a horizon of the plan."""
    diagnostic = _diagnostic(request, pk)
    allowed(rules.can_edit_plan, request.user, diagnostic, message=_("Only the company's expert edits its plan."))
    plan = plans.ensure_plan(diagnostic=diagnostic)
    form = PlanAddForm(request.POST, addable=addable_recommendations(plan, diagnostic))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(diagnostic, "#plan-add")
    with reported(request) as outcome:
        plans.add_plan_action(
            plan=plan,
            recommendation=form.cleaned_data["recommendation"],
            horizon=form.cleaned_data["horizon"],
            by=request.user,
        )
    if outcome.ok:
        messages.success(request, _("The action is added to the plan."))
    return _back(diagnostic)


@require_POST
def validate(request, pk):
    """The expert validates the plan as it stands."""
    diagnostic = _diagnostic(request, pk)
    allowed(rules.can_edit_plan, request.user, diagnostic, message=_("Only the company's expert validates its plan."))
    with reported(request) as outcome:
        plans.validate_plan(plan=plans.ensure_plan(diagnostic=diagnostic), by=request.user)
    if outcome.ok:
        messages.success(request, _("The plan is validated."))
    return _back(diagnostic)
