"""A programme's budget split by year: each acceptance commits money on the tranche of its year."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.money import money_field


class BudgetTranche(models.Model):
    """The part of a programme's budget that may be committed in one calendar year.

    Σ amounts = the programme's budget; `committed` is the running total of the commitments drawn on
    the year (an enrolment's `budget_year`), kept under the programme's row lock like the programme's
    own totals and reconciled by `regions.services.reconcile`.
    """

    programme = models.ForeignKey(
        "regions.Programme", on_delete=models.CASCADE, related_name="tranches", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = money_field(_("amount (EUR)"))
    committed = money_field(_("committed"), default=Decimal("0"), editable=False)

    class Meta:
        ordering = ["programme", "year"]
        verbose_name = _("yearly tranche")
        verbose_name_plural = _("yearly tranches")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="one_tranche_per_programme_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="tranche_amount_not_negative"),
            models.CheckConstraint(condition=Q(committed__gte=0), name="tranche_committed_not_negative"),
            models.CheckConstraint(condition=Q(committed__lte=F("amount")), name="tranche_committed_within_amount"),
        ]

    def __str__(self):
        return f"{self.programme_id} {self.year}: {self.amount}"

    @property
    def remaining(self):
        return self.amount - self.committed
