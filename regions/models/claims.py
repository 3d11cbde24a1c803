"""Payment claims: a funded company claims part of its commitment with invoices; an officer certifies
an amount or rejects the claim; the payment of a certified claim is recorded (date, reference).

Per enrolment: Σ paid ≤ Σ certified, and the certified claims draw on the commitment beside the
expenses booked on it (spent + certified ≤ committed), so the money that leaves a commitment, by
either way, never exceeds it. The running totals live on the enrolment (`certified_total`,
`paid_total`, checked there by the database); `regions.services.reconcile` compares them with these rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.money import money_field
from portal.workflow import NotifiedTransitionRecord
from regions.models.documents import document_storage


class PaymentClaim(models.Model):
    """A claim for payment against an enrolment's commitment (`regions.workflows.CLAIM`):
    submitted → certified (an amount ≤ the amount claimed) or rejected (with a reason); certified → paid."""

    class Status(models.TextChoices):
        # In French a claim ("demande") is feminine: its statuses have a context of their own.
        SUBMITTED = "submitted", pgettext_lazy("payment claim", "received")
        CERTIFIED = "certified", pgettext_lazy("payment claim", "certified")
        REJECTED = "rejected", pgettext_lazy("payment claim", "rejected")
        PAID = "paid", pgettext_lazy("payment claim", "paid")

    # Statuses whose certified amount counts in the enrolment's certified total.
    CERTIFIED_STATUSES = [Status.CERTIFIED, Status.PAID]

    enrolment = models.ForeignKey(
        "regions.Enrolment", on_delete=models.PROTECT, related_name="claims", verbose_name=_("enrolment")
    )
    amount_claimed = money_field(_("amount claimed (EUR)"))
    description = models.CharField(_("costs claimed"), max_length=500)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    certified_amount = money_field(_("amount certified (EUR)"), default=0)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, max_length=2000)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("payment claim")
        verbose_name_plural = _("payment claims")
        constraints = [
            models.CheckConstraint(condition=Q(amount_claimed__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=Q(certified_amount__gte=0) & Q(certified_amount__lte=F("amount_claimed")),
                name="claim_certified_within_claimed",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=["certified", "paid"]) & Q(certified_amount__gt=0))
                | (Q(status__in=["submitted", "rejected"]) & Q(certified_amount=0)),
                name="claim_certified_amount_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="claim_rejection_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["status", "-submitted_at"], name="claim_status_latest_idx")]

    def __str__(self):
        return f"{self.enrolment_id}: {self.amount_claimed} EUR ({self.status})"


class ClaimInvoice(models.Model):
    """An invoice of a claim, written once under `claims/<claim id>/<sha256>.<ext>` on the documents'
    storage; read only through the permission-checked view."""

    claim = models.ForeignKey(PaymentClaim, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("claim"))
    file = models.FileField(_("file"), storage=document_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self):
        return f"{self.claim_id}: {self.original_name}"


class ClaimPayment(models.Model):
    """The payment of a certified claim: its amount (the amount certified), its date and the
    reference of the transfer. One per claim."""

    claim = models.OneToOneField(
        PaymentClaim, on_delete=models.PROTECT, related_name="payment", verbose_name=_("claim")
    )
    amount = money_field(_("amount paid (EUR)"))
    paid_on = models.DateField(_("payment date"))
    reference = models.CharField(_("payment reference"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=~Q(reference=""), name="payment_has_reference"),
        ]

    def __str__(self):
        return f"{self.claim_id}: {self.amount} EUR on {self.paid_on}"


class ClaimTransition(NotifiedTransitionRecord):
    """One step of a claim's workflow (`regions.workflows.CLAIM`). Append-only; the table has no cycle,
    so each status is reached at most once (a second certification is a double decision)."""

    claim = models.ForeignKey(PaymentClaim, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=PaymentClaim.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=PaymentClaim.Status.choices)

    class Meta(NotifiedTransitionRecord.Meta):
        verbose_name = _("claim transition")
        verbose_name_plural = _("claim transitions")
        constraints = [
            models.UniqueConstraint(fields=["claim", "to_status"], name="one_claim_transition_per_status"),
        ]

    def __str__(self):
        return f"{self.claim_id}: {self.from_status or '∅'} → {self.to_status}"
