"""Use cases of a diagnostic's action plan (models/plan.py): made once, followed by the company, edited
and validated by the expert. Each change is saved with its author, so the plan's history says who
changed what (django-simple-history: `_history_user`, `bulk_create_with_history`)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from diagnostics.action_plan import axis_scores
from diagnostics.exceptions import PlanRefused
from diagnostics.models import ActionPlan, Diagnostic, PlanAction, Recommendation
from diagnostics.peer_publication import peer_group_for
from diagnostics.roadmap import candidates_from, choose_plan, levels_by_code
from diagnostics.selectors.results import results_content
from portal.models import Membership


@transaction.atomic
def ensure_plan(*, diagnostic, by=None):
    """The plan of a submitted diagnostic, made now from `roadmap.choose_plan` if it has none yet.

    Made on first view rather than on submit, so that diagnostics submitted before plans existed get
    one the same way; the diagnostic's row lock makes two first views make one plan. Reads the
    referential's content, the score snapshot and the peer figures already published (cached).
    """
    existing = ActionPlan.objects.filter(diagnostic_id=diagnostic.pk).first()
    if existing is not None:
        return existing
    row = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    if row.status != Diagnostic.Status.SUBMITTED:
        raise PlanRefused(_("A draft has no action plan yet: submit the diagnostic first."))
    existing = ActionPlan.objects.filter(diagnostic_id=row.pk).first()
    if existing is not None:
        return existing
    _bands, axes = results_content(row)
    levels = {question.pk: question.answer_level for axis in axes for question in axis.questions.all()}
    # The figures published before this submit (its transaction changed the peer cells: computing
    # them here would publish uncommitted counts); none yet, the plan goes without the peer term.
    peers = peer_group_for(row, cached_only=True)
    planned = choose_plan(
        candidates_from(axes, levels),
        axis_scores=axis_scores(row),
        peer_means=peers.axes if peers is not None else {},
        levels=levels_by_code(axes, levels),
    )
    plan = ActionPlan(diagnostic=row)
    plan._history_user = by
    plan.save()
    bulk_create_with_history(
        [
            PlanAction(
                plan=plan, recommendation=action.candidate.recommendation, horizon=action.horizon, position=position
            )
            for position, action in enumerate(planned, start=1)
        ],
        PlanAction,
        default_user=by,
    )
    return plan


def _save(instance, by, fields):
    instance._history_user = by
    instance.save(update_fields=fields)
    return instance


@transaction.atomic
def update_plan_action(*, action, by, owner, due_date, status):
    """The company's follow-up of one action: who carries it out (a member of the company, or nobody),
    by when, where it stands. Any status may follow any other: a dropped action may be taken up again."""
    action = PlanAction.objects.select_for_update().select_related("plan__diagnostic").get(pk=action.pk)
    company_id = action.plan.diagnostic.company_id
    if owner is not None and not Membership.objects.filter(user=owner, company_id=company_id).exists():
        raise PlanRefused(_("The owner of an action must be a member of the company."))
    if status not in PlanAction.Status.values:
        raise PlanRefused(_("Unknown status “%(status)s”.") % {"status": status})
    action.owner, action.due_date, action.status = owner, due_date, status
    return _save(action, by, ["owner", "due_date", "status"])


def _locked_plan(plan):
    return ActionPlan.objects.select_for_update().select_related("diagnostic").get(pk=plan.pk)


def _unvalidate(plan, by):
    """An expert's change after the validation withdraws it: the expert validates the plan as it now stands."""
    if plan.validated_at is not None:
        plan.validated_at, plan.validated_by = None, None
        _save(plan, by, ["validated_at", "validated_by"])


def _last_position(plan, horizon):
    return (plan.actions.filter(horizon=horizon).aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def add_plan_action(*, plan, recommendation, horizon, by):
    """The expert adds a recommendation of the diagnostic's referential to the plan, last of its horizon."""
    plan = _locked_plan(plan)
    if horizon not in PlanAction.Horizon.values:
        raise PlanRefused(_("Choose one of the three horizons."))
    if not Recommendation.objects.filter(
        pk=recommendation.pk, question__referential_id=plan.diagnostic.referential_id
    ).exists():
        raise PlanRefused(_("This recommendation is not one of the diagnostic's referential."))
    if plan.actions.filter(recommendation_id=recommendation.pk).exists():
        raise PlanRefused(_("This action is already in the plan."))
    action = PlanAction(
        plan=plan, recommendation=recommendation, horizon=horizon, position=_last_position(plan, horizon)
    )
    action._history_user = by
    action.save()
    _unvalidate(plan, by)
    return action


@transaction.atomic
def remove_plan_action(*, action, by):
    """The expert takes an action out of the plan (its history stays)."""
    plan = _locked_plan(action.plan)
    action = plan.actions.get(pk=action.pk)
    action._history_user = by
    action.delete()
    _unvalidate(plan, by)
    return plan


@transaction.atomic
def move_plan_action(*, action, by, horizon=None, step=0):
    """The expert moves an action to another horizon (last there) or one place up (`step=-1`) or down
    (`step=1`) within its horizon, swapping with its neighbour."""
    plan = _locked_plan(action.plan)
    action = plan.actions.get(pk=action.pk)
    if horizon is not None and horizon != action.horizon:
        if horizon not in PlanAction.Horizon.values:
            raise PlanRefused(_("Choose one of the three horizons."))
        action.horizon, action.position = horizon, _last_position(plan, horizon)
        _save(action, by, ["horizon", "position"])
    elif step:
        neighbours = plan.actions.filter(horizon=action.horizon).exclude(pk=action.pk)
        if step < 0:
            neighbour = neighbours.filter(position__lte=action.position).order_by("-position", "-pk").first()
        else:
            neighbour = neighbours.filter(position__gte=action.position).order_by("position", "pk").first()
        if neighbour is None:
            raise PlanRefused(_("This action is already at the edge of its horizon."))
        action.position, neighbour.position = neighbour.position, action.position
        if action.position == neighbour.position:  # equal positions (a past edit): make room
            action.position += step
        _save(neighbour, by, ["position"])
        _save(action, by, ["position"])
    _unvalidate(plan, by)
    return action


@transaction.atomic
def validate_plan(*, plan, by):
    """The expert agrees to the plan as it stands; any later change of theirs withdraws the validation."""
    plan = _locked_plan(plan)
    plan.validated_at, plan.validated_by = timezone.now(), by
    return _save(plan, by, ["validated_at", "validated_by"])
