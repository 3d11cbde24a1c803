"""A company's application to a programme, its workflow history and the experts assigned from it."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.money import money_field
from portal.workflow import NotifiedTransitionRecord


class Enrolment(models.Model):
    """An application, then an enrolment once accepted: the officer commits an amount ≤ the cap,
    expenses are booked against it (Σ spent ≤ committed)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        SENT_BACK = "sent_back", _("sent back for changes")
        UNDER_REVIEW = "under_review", _("under review")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # A company has at most one live application per programme.
    LIVE = [
        Status.APPLIED,
        Status.SENT_BACK,
        Status.UNDER_REVIEW,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
    ]
    DECIDED = [Status.ACCEPTED, Status.REFUSED, Status.IN_PROGRESS, Status.COMPLETED]
    # Statuses that may carry a commitment (money was committed at acceptance).
    FUNDED = [Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED, Status.WITHDRAWN]
    # Statuses on which expenses may be booked.
    BOOKABLE = [Status.ACCEPTED, Status.IN_PROGRESS]
    # Statuses in which the company may add documents to its application file.
    OPEN_FILE = [Status.APPLIED, Status.SENT_BACK]
    # Statuses reached at most once (decisions and endings): backed by a unique transition row. The
    # others (applied, sent back, under review) may come back in the cycle of corrections.
    REACHED_ONCE = [Status.ACCEPTED, Status.REFUSED, Status.IN_PROGRESS, Status.COMPLETED, Status.WITHDRAWN]

    programme = models.ForeignKey(
        "regions.Programme", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("programme")
    )
    company = models.ForeignKey(
        "portal.Company", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("company")
    )
    diagnostic = models.ForeignKey(
        "diagnostics.Diagnostic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attached diagnostic"),
    )
    requested_amount = money_field(_("requested amount (EUR)"))
    # Co-funding: the costs the programme's rate applies to (asked at application, or set by the officer).
    eligible_cost = money_field(_("eligible costs (EUR)"), null=True, blank=True)
    # De minimis: the aid the company declares it received elsewhere over the rolling three years.
    declared_outside_aid = money_field(_("de minimis aid received elsewhere (EUR)"), default=Decimal("0"))
    motivation = models.TextField(_("motivation"), max_length=5000)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.APPLIED)
    # The cap in force when the application was made, refreshed at the decision: backs committed ≤ cap.
    cap_amount = money_field(_("cap (EUR)"))
    committed_amount = money_field(_("committed amount (EUR)"), default=Decimal("0"))
    # The year of the budget tranche the commitment was drawn on (the year of the acceptance).
    budget_year = models.PositiveSmallIntegerField(_("budget year"), null=True, blank=True)
    spent_total = money_field(_("spent (EUR)"), default=Decimal("0"), editable=False)
    # Payment claims (`regions.models.claims`): what officers certified, and what was paid of it.
    certified_total = money_field(_("certified (EUR)"), default=Decimal("0"), editable=False)
    paid_total = money_field(_("paid (EUR)"), default=Decimal("0"), editable=False)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, max_length=2000)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-applied_at", "-pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "company"],
                condition=~Q(status__in=["refused", "withdrawn"]),
                name="one_live_enrolment_per_company",
            ),
            models.CheckConstraint(condition=Q(requested_amount__gte=0), name="enrolment_requested_not_negative"),
            models.CheckConstraint(condition=Q(cap_amount__gte=0), name="enrolment_cap_not_negative"),
            models.CheckConstraint(condition=Q(committed_amount__gte=0), name="enrolment_committed_not_negative"),
            models.CheckConstraint(
                condition=Q(committed_amount__lte=F("cap_amount")), name="enrolment_committed_within_cap"
            ),
            models.CheckConstraint(condition=Q(spent_total__gte=0), name="enrolment_spent_not_negative"),
            models.CheckConstraint(
                condition=Q(eligible_cost__isnull=True) | Q(eligible_cost__gt=0),
                name="enrolment_eligible_cost_positive",
            ),
            models.CheckConstraint(condition=Q(declared_outside_aid__gte=0), name="enrolment_outside_aid_not_negative"),
            models.CheckConstraint(
                condition=Q(spent_total__lte=F("committed_amount")), name="enrolment_spent_within_committed"
            ),
            # Claims: Σ paid ≤ Σ certified, and certified claims and expenses together within the commitment.
            models.CheckConstraint(
                condition=Q(paid_total__gte=0) & Q(paid_total__lte=F("certified_total")),
                name="enrolment_paid_within_certified",
            ),
            models.CheckConstraint(
                condition=Q(certified_total__gte=0) & Q(certified_total__lte=F("committed_amount") - F("spent_total")),
                name="enrolment_certified_within_committed",
            ),
            models.CheckConstraint(
                condition=Q(committed_amount=0) | Q(status__in=["accepted", "in_progress", "completed", "withdrawn"]),
                name="enrolment_committed_only_when_accepted",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""), name="enrolment_refusal_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status"], name="enrolment_programme_status_idx"),
            # The dashboards list the latest applications first, a page at a time: read in this order,
            # the first page needs no sort of every enrolment joined to its company.
            models.Index(fields=["-applied_at", "-id"], name="enrolment_latest_first_idx"),
        ]

    def __str__(self):
        return f"{self.company} – {self.programme}"


class EnrolmentTransition(NotifiedTransitionRecord):
    """One step of an enrolment's workflow (`regions.workflows.ENROLMENT`). Append-only."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=Enrolment.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Enrolment.Status.choices)

    class Meta(NotifiedTransitionRecord.Meta):
        verbose_name = _("enrolment transition")
        verbose_name_plural = _("enrolment transitions")
        constraints = [
            # The workflow has a cycle (sent back for changes → applied again), so applied, sent back
            # and under review may be reached several times. A decision or an ending is reached once:
            # a second row to one of them is a double decision. (The guard itself is the enrolment's
            # row lock and the status re-read under it, `Workflow.move`; this constraint backs it.)
            models.UniqueConstraint(
                fields=["enrolment", "to_status"],
                condition=Q(to_status__in=["accepted", "refused", "in_progress", "completed", "withdrawn"]),
                name="one_decision_transition_per_status",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment_id}: {self.from_status or '∅'} → {self.to_status}"


class EnrolmentAssignment(models.Model):
    """An expert assignment proposed from an enrolment: the visits of that assignment book their cost
    on this enrolment. (The experts app knows nothing of enrolments; the link lives here.)"""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="expert_assignments")
    assignment = models.OneToOneField(
        "experts.Assignment", on_delete=models.PROTECT, related_name="enrolment_link", verbose_name=_("assignment")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("expert assigned from an enrolment")
        verbose_name_plural = _("experts assigned from enrolments")

    def __str__(self):
        return f"{self.enrolment} ← {self.assignment_id}"
