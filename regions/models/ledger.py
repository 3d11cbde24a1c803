"""The budget ledger: expenses booked on enrolments, and the append-only, hash-chained history of every
change to money (budget set, amount committed or released, expense booked or cancelled)."""

import hashlib
from datetime import UTC

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.money import money_field, money_text


class Expense(models.Model):
    """A cost booked on an enrolment: an expert visit (booked from the experts app's visit event) or
    another cost entered by an officer. Cancelling keeps the row and stops counting it."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("expert visit")
        OTHER = "other", _("other cost")

    enrolment = models.ForeignKey(
        "regions.Enrolment", on_delete=models.PROTECT, related_name="expenses", verbose_name=_("enrolment")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = money_field(_("amount (EUR)"))
    label = models.CharField(_("label"), max_length=200)
    incurred_on = models.DateField(_("date"))
    # Where the cost comes from, e.g. "visit:42": booking the same visit twice is refused.
    source_reference = models.CharField(_("source"), max_length=64, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    class Meta:
        ordering = ["-incurred_on", "-pk"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
            models.UniqueConstraint(
                fields=["source_reference"], condition=~Q(source_reference=""), name="one_expense_per_source"
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "cancelled_at"], name="expense_enrolment_idx")]

    def __str__(self):
        return f"{self.label}: {self.amount} EUR"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The ledger is append-only.")

    def delete(self):
        raise TypeError("The ledger is append-only.")


class LedgerEntry(models.Model):
    """One change to a programme's money, with the totals after it. Append-only and chained by hash
    per programme (`seq` 1, 2, 3…; each `hash` covers the previous one), written under the programme's
    row lock, so an edited or deleted row is found by `regions.services.verify_ledger`."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("budget set")
        COMMIT = "commit", _("amount committed")
        RELEASE = "release", _("commitment released")
        EXPENSE = "expense", _("expense booked")
        EXPENSE_CANCELLED = "expense_cancelled", _("expense cancelled")
        # Payment claims: no total of the programme moves; the entry chains the movement of the enrolment.
        CLAIM_CERTIFIED = "claim_certified", _("claim certified")
        CLAIM_PAID = "claim_paid", _("claim paid")

    programme = models.ForeignKey("regions.Programme", on_delete=models.PROTECT, related_name="ledger")
    seq = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    enrolment = models.ForeignKey(
        "regions.Enrolment", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    expense = models.ForeignKey(
        "regions.Expense", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger"
    )
    # Signed change to the total named by `kind` (budget, committed or spent; the enrolment's certified
    # or paid total for a claim).
    amount = money_field(_("change (EUR)"))
    budget_after = money_field(_("budget after"))
    committed_after = money_field(_("committed after"))
    spent_after = money_field(_("spent after"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "seq"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(fields=["programme", "seq"], name="one_ledger_entry_per_seq"),
            models.CheckConstraint(
                condition=Q(committed_after__lte=models.F("budget_after")), name="ledger_within_budget"
            ),
        ]

    def __str__(self):
        return f"{self.programme_id}#{self.seq} {self.kind} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("The ledger is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The ledger is append-only.")

    def compute_hash(self):
        """SHA-256 over the previous hash and every field of the entry, in a fixed text form."""

        parts = [
            self.prev_hash,
            str(self.programme_id),
            str(self.seq),
            self.kind,
            str(self.enrolment_id or ""),
            str(self.expense_id or ""),
            money_text(self.amount),
            money_text(self.budget_after),
            money_text(self.committed_after),
            money_text(self.spent_after),
            str(self.by_id or ""),
            self.at.astimezone(UTC).isoformat(),
            self.comment,
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()
