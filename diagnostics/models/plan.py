"""The action plan of a submitted diagnostic: its roadmap, followed by the company and edited by its expert.

One `ActionPlan` per submitted diagnostic, made by `services.plan.ensure_plan` the first time
anybody opens the results or the plan (so that diagnostics submitted before plans existed get one
too) from `roadmap.choose_plan`. The company's members set each action's owner, due date and status;
the assigned expert adds, removes, reorders and moves actions between horizons, then validates the
plan. Every change is kept by django-simple-history (who, when, what), shown as the plan's history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from diagnostics.models.diagnostic import Diagnostic
from diagnostics.models.questions import Recommendation


class ActionPlan(models.Model):
    """The plan of one submitted diagnostic; `validated_*` say which expert agreed to it, and when."""

    diagnostic = models.OneToOneField(
        Diagnostic, on_delete=models.CASCADE, related_name="action_plan", verbose_name=_("diagnostic")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self):
        return _("Action plan of diagnostic %(pk)s") % {"pk": self.diagnostic_id}

    @property
    def is_validated(self):
        return self.validated_at is not None


class PlanAction(models.Model):
    """One action of a plan: a recommendation of the diagnostic's referential, in a horizon, with its follow-up."""

    class Horizon(models.IntegerChoices):
        QUICK_WINS = 3, _("Quick wins (within 3 months)")
        YEAR = 12, _("Within 12 months")
        TWO_YEARS = 24, _("Within 24 months")

    class Status(models.TextChoices):
        TODO = "todo", _("to do")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan"))
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="+", verbose_name=_("recommendation")
    )
    horizon = models.PositiveSmallIntegerField(_("horizon"), choices=Horizon.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.TODO)
    history = HistoricalRecords()

    class Meta:
        ordering = ["horizon", "position", "pk"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "recommendation"], name="unique_plan_recommendation"),
            models.CheckConstraint(condition=Q(horizon__in=[3, 12, 24]), name="plan_action_horizon_known"),
            models.CheckConstraint(
                condition=Q(status__in=["todo", "in_progress", "done", "dropped"]), name="plan_action_status_known"
            ),
        ]

    def __str__(self):
        return f"{self.plan_id} – {self.recommendation_id}"
