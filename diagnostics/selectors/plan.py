"""What the results page, the plan page and the report show of a diagnostic's action plan, read in a
fixed number of queries whatever the number of actions."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery

from diagnostics.models import Answer, LevelDescriptor, PlanAction, Recommendation
from portal.money import format_eur

HISTORY_SHOWN = 100  # the newest changes; older ones stay in the database
FOLLOWED_FIELDS = ("horizon", "position", "owner_id", "due_date", "status")


@dataclass(frozen=True)
class PlannedActionView:
    """One action with why: the answer given (`current`, its descriptor) and what the next level looks like."""

    action: PlanAction
    current_level: int | None
    current: LevelDescriptor | None
    target: LevelDescriptor | None

    @property
    def recommendation(self):
        return self.action.recommendation

    @property
    def question(self):
        return self.action.recommendation.question

    @property
    def cost(self):
        """ "5,000 – 20,000 EUR" in the active language, or "" when the referential gives no cost."""
        recommendation = self.action.recommendation
        if not recommendation.has_cost:
            return ""
        low, high = format_eur(recommendation.cost_min), format_eur(recommendation.cost_max)
        return f"{low.removesuffix(' EUR')} – {high}"


@dataclass(frozen=True)
class HorizonView:
    horizon: int
    label: str
    actions: list


@dataclass(frozen=True)
class PlanView:
    plan: object
    horizons: list  # HorizonView, the three of them in order, empty ones included
    done: int
    counted: int  # the actions not dropped

    @property
    def actions(self):
        return [item for horizon in self.horizons for item in horizon.actions]


def _descriptor_text(level, language):
    """The description in `language` of the action's question's descriptor at `level` (a subquery)."""
    return Subquery(
        LevelDescriptor.objects.filter(question_id=OuterRef("recommendation__question_id"), level=level).values(
            f"description_{language}"
        )[:1]
    )


def _descriptor(question_id, level, action, prefix):
    """An unsaved descriptor carrying the texts the actions' query read, for `.description` (None without one)."""
    texts = {language: getattr(action, f"{prefix}_{language}") for language in ("fr", "en")}
    if level is None or texts["fr"] is None:
        return None
    return LevelDescriptor(
        question_id=question_id, level=level, description_fr=texts["fr"], description_en=texts["en"] or ""
    )


def plan_view(plan):
    """The plan's actions by horizon, each with its recommendation (theme), question (axis), owner and
    the descriptors of the answered and the target level. One query: the actions carry both
    descriptors' texts, the answered level read by a subquery."""

    def answered_level(question):
        return Subquery(
            Answer.objects.filter(diagnostic_id=plan.diagnostic_id, question_id=question).values("level")[:1]
        )

    # Inside a descriptor's subquery, the answer is the one to the descriptor's own question.
    answered_at_descriptor = answered_level(OuterRef("question_id"))
    target_level = OuterRef("recommendation__target_level")
    actions = list(
        PlanAction.objects.filter(plan=plan)
        .select_related("recommendation__theme", "recommendation__question__axis", "owner")
        .annotate(
            answered_level=answered_level(OuterRef("recommendation__question_id")),
            current_fr=_descriptor_text(answered_at_descriptor, "fr"),
            current_en=_descriptor_text(answered_at_descriptor, "en"),
            target_fr=_descriptor_text(target_level, "fr"),
            target_en=_descriptor_text(target_level, "en"),
        )
        .order_by("horizon", "position", "pk")
    )
    by_horizon = defaultdict(list)
    for action in actions:
        question_id = action.recommendation.question_id
        level = action.answered_level
        by_horizon[action.horizon].append(
            PlannedActionView(
                action=action,
                current_level=level,
                current=_descriptor(question_id, level, action, "current"),
                target=_descriptor(question_id, action.recommendation.target_level, action, "target"),
            )
        )
    counted = [a for a in actions if a.status != PlanAction.Status.DROPPED]
    return PlanView(
        plan=plan,
        horizons=[
            HorizonView(horizon=value, label=label, actions=by_horizon.get(value, []))
            for value, label in PlanAction.Horizon.choices
        ],
        done=sum(1 for a in counted if a.status == PlanAction.Status.DONE),
        counted=len(counted),
    )


def addable_recommendations(plan, diagnostic):
    """What the expert may add: the next-level recommendation of every question below level 5 that
    the plan does not hold yet, in the referential's order (one query)."""
    return (
        Recommendation.objects.filter(
            question__answers__diagnostic_id=diagnostic.pk,
            target_level=F("question__answers__level") + 1,
        )
        .exclude(pk__in=PlanAction.objects.filter(plan=plan).values("recommendation_id"))
        .select_related("question")
        .order_by("question__axis__order", "question__order", "question__pk")
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a plan: when, who, which action (None: the plan itself), what kind, the fields changed."""

    at: object
    by: object
    subject: str
    kind: str  # "+" created, "~" changed, "-" removed
    changes: list  # [(field label, before, after)]


def _shown(field, value, owners):
    if value in (None, ""):
        return "–"
    if field == "status":
        return PlanAction.Status(value).label
    if field == "horizon":
        return PlanAction.Horizon(value).label
    if field == "owner_id":
        return str(owners.get(value, "–"))
    return value


def plan_history(plan):
    """The newest changes of a plan and its actions, newest first, with who made them. Two queries."""
    labels = {
        "horizon": PlanAction._meta.get_field("horizon").verbose_name,
        "position": PlanAction._meta.get_field("position").verbose_name,
        "owner_id": PlanAction._meta.get_field("owner").verbose_name,
        "due_date": PlanAction._meta.get_field("due_date").verbose_name,
        "status": PlanAction._meta.get_field("status").verbose_name,
    }
    action_records = list(
        PlanAction.history.filter(plan_id=plan.pk)
        .select_related("history_user", "owner", "recommendation__question")
        .order_by("history_date", "history_id")
    )
    plan_records = list(
        plan.history.select_related("history_user", "validated_by").order_by("history_date", "history_id")
    )
    owners = {record.owner_id: record.owner for record in action_records if record.owner_id}
    entries, last = [], {}
    for record in action_records:
        before = last.get(record.id)
        changes = []
        if before is not None and record.history_type == "~":
            changes = [
                (labels[name], _shown(name, getattr(before, name), owners), _shown(name, getattr(record, name), owners))
                for name in FOLLOWED_FIELDS
                if getattr(before, name) != getattr(record, name)
            ]
            if not changes:
                last[record.id] = record
                continue
        last[record.id] = record
        recommendation = record.recommendation
        entries.append(
            HistoryEntry(
                at=record.history_date,
                by=record.history_user,
                subject=f"{recommendation.question.code} – {recommendation.action}",
                kind=record.history_type,
                changes=changes,
            )
        )
    for record in plan_records:
        if record.history_type == "~":
            entries.append(
                HistoryEntry(
                    at=record.history_date,
                    by=record.history_user,
                    subject="",
                    kind="validated" if record.validated_at else "unvalidated",
                    changes=[],
                )
            )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:HISTORY_SHOWN]
