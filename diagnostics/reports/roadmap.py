"""The roadmap page of the PDF report: the action plan by horizon, with owners, due dates, statuses,
costs, and the programmes that may fund it (frozen with the report's figures, see `snapshot`).

The plan moves (owners, statuses, the expert's edits): `roadmap_inputs` lists what the page prints,
for the report's hash, so that a report asked for after a change of the plan is rendered again. Two
queries each, whatever the number of actions.
"""

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from diagnostics.models import ActionPlan, PlanAction
from diagnostics.selectors.plan import plan_view


@dataclass(frozen=True)
class RoadmapAction:
    action: str
    question_code: str
    theme: str
    cost: str
    owner: str
    due_on: str
    status: str


@dataclass(frozen=True)
class RoadmapHorizon:
    label: str
    actions: tuple


@dataclass(frozen=True)
class FundingEntry:
    name: str
    rate: str  # "50 %" or ""
    detail: str


@dataclass(frozen=True)
class Roadmap:
    horizons: tuple  # the horizons that hold actions
    validated: str  # "Validated by … on …", or ""
    done: int
    counted: int
    funding: tuple


def report_roadmap(diagnostic, funding):
    """The roadmap of a submitted diagnostic, or None when it has no plan yet; `funding` is the
    frozen figures' [[name, rate or None, detail], ...]. Call it under the report's language."""
    plan = ActionPlan.objects.filter(diagnostic_id=diagnostic.pk).select_related("validated_by").first()
    if plan is None:
        return None
    view = plan_view(plan)
    validated = ""
    if plan.is_validated:
        validated = _("Validated by %(expert)s on %(date)s.") % {
            "expert": plan.validated_by or "–",
            "date": formats.date_format(plan.validated_at, "DATE_FORMAT"),
        }
    return Roadmap(
        horizons=tuple(
            RoadmapHorizon(
                label=str(horizon.label),
                actions=tuple(
                    RoadmapAction(
                        action=item.recommendation.action,
                        question_code=item.question.code,
                        theme=item.recommendation.theme.name if item.recommendation.theme else "",
                        cost=item.cost,
                        owner=str(item.action.owner) if item.action.owner else "",
                        due_on=formats.date_format(item.action.due_date, "SHORT_DATE_FORMAT")
                        if item.action.due_date
                        else "",
                        status=str(item.action.get_status_display()),
                    )
                    for item in horizon.actions
                ),
            )
            for horizon in view.horizons
            if horizon.actions
        ),
        validated=validated,
        done=view.done,
        counted=view.counted,
        funding=tuple(
            FundingEntry(name=name, rate=f"{formats.number_format(rate)}\u00a0%" if rate else "", detail=detail)
            for name, rate, detail in funding
        ),
    )


def roadmap_inputs(diagnostic):
    """What the roadmap page prints of the plan, as JSON-ready values (for the report's hash)."""
    plan = ActionPlan.objects.filter(diagnostic_id=diagnostic.pk).values_list("validated_by_id", "validated_at").first()
    if plan is None:
        return None
    actions = PlanAction.objects.filter(plan__diagnostic_id=diagnostic.pk).order_by("horizon", "position", "pk")
    return {
        "validated": [plan[0], plan[1].isoformat() if plan[1] else None],
        "actions": [
            [recommendation, horizon, owner, due.isoformat() if due else None, status]
            for recommendation, horizon, owner, due, status in actions.values_list(
                "recommendation_id", "horizon", "owner_id", "due_date", "status"
            )
        ],
    }
