"""Assignments of experts to companies, their workflow history, and the visits logged on them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models.profile import Expert
from portal.workflow import NotifiedTransitionRecord

MAX_VISIT_DAYS = Decimal("30")


class Assignment(models.Model):
    """An expert's mission in a company: proposed by an officer or staff, accepted or declined by the
    expert, then in progress until the expert's review closes it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    # Assignments that take one of the expert's places.
    ACTIVE = [Status.ACCEPTED, Status.IN_PROGRESS]
    # Assignments still under way (a second one for the same expert and company is refused).
    LIVE = [Status.PROPOSED, Status.ACCEPTED, Status.IN_PROGRESS]
    # Assignments that open the company's diagnostics to the expert.
    OPENING_ACCESS = [Status.ACCEPTED, Status.IN_PROGRESS, Status.DONE]
    # Assignments on which visits may be logged.
    VISITABLE = [Status.ACCEPTED, Status.IN_PROGRESS]

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("expert"))
    company = models.ForeignKey(
        "portal.Company", on_delete=models.PROTECT, related_name="expert_assignments", verbose_name=_("company")
    )
    diagnostic = models.ForeignKey(
        "diagnostics.Diagnostic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diagnostic to validate"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    brief = models.TextField(_("brief for the expert"), blank=True, max_length=2000)
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=2000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "accepted", "declined", "in_progress", "done", "cancelled"]),
                name="assignment_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="assignment_decline_has_reason"
            ),
            models.UniqueConstraint(
                fields=["expert", "company"],
                condition=Q(status__in=["proposed", "accepted", "in_progress"]),
                name="one_live_assignment_per_expert_and_company",
            ),
        ]
        indexes = [
            models.Index(fields=["expert", "status"], name="assignment_expert_status_idx"),
            models.Index(fields=["company", "status"], name="assignment_company_status_idx"),
        ]

    def __str__(self):
        return f"{self.expert} @ {self.company} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def is_visitable(self):
        return self.status in self.VISITABLE


class AssignmentTransition(NotifiedTransitionRecord):
    """One step of an assignment's workflow (`experts.workflows.ASSIGNMENT`). Append-only."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=12, choices=Assignment.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Assignment.Status.choices)

    class Meta(NotifiedTransitionRecord.Meta):
        verbose_name = _("assignment transition")
        verbose_name_plural = _("assignment transitions")
        constraints = [
            # The workflow has no cycle: a second row to the same status is a double decision.
            models.UniqueConstraint(fields=["assignment", "to_status"], name="one_assignment_transition_per_status"),
        ]

    def __str__(self):
        return f"{self.assignment_id}: {self.from_status or '∅'} → {self.to_status}"


class Visit(models.Model):
    """A visit the expert made to the company: its date, the days spent and what was done.

    The day rate in force is copied on the visit, so its cost does not change when the rate does.
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("date of the visit"))
    days = models.DecimalField(
        _("days spent"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(MAX_VISIT_DAYS)],
    )
    summary = models.TextField(_("summary"), max_length=5000)
    day_rate = models.DecimalField(_("day rate (EUR)"), max_digits=8, decimal_places=2, editable=False)
    cost = models.DecimalField(_("cost (EUR)"), max_digits=10, decimal_places=2, editable=False)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(_("logged at"), default=timezone.now)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.CheckConstraint(condition=Q(days__gt=0, days__lte=MAX_VISIT_DAYS), name="visit_days_bounded"),
            models.CheckConstraint(condition=Q(day_rate__gte=0), name="visit_day_rate_not_negative"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="visit_cost_not_negative"),
        ]

    def __str__(self):
        return f"{self.assignment_id} – {self.date} ({self.days} d)"
