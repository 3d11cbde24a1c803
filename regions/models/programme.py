"""A regional support programme: a budget, a cap per company, an eligibility and a target."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.models import HeadcountBand
from portal.money import money_field
from portal.workflow import TransitionRecord


class Programme(models.Model):
    """A programme of one region. `committed_total` and `spent_total` are the ledger's running totals,
    kept by the services under a row lock on the programme and backed by CHECK constraints."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        # Closed for good: unspent commitments released, the books frozen, the closing statement drawn.
        SETTLED = "settled", _("closed and settled")

    region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="programmes", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    budget = money_field(_("total budget (EUR)"))
    cap_per_company = money_field(_("maximum aid per company (EUR)"))
    # Co-funding: the share of an application's eligible costs the programme pays (aid = rate × costs,
    # capped by `cap_per_company`; `regions.cofunding.aid_for`).
    funding_rate = models.DecimalField(
        _("funding rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        help_text=_("Share of the eligible costs paid by the programme, above 0 and at most 100 %."),
    )
    target_companies = models.PositiveIntegerField(_("target number of companies"))
    # Eligibility. An empty list or set means "any".
    eligible_headcount_bands = models.JSONField(
        _("eligible headcount bands"), default=list, blank=True, help_text=_("Leave empty for any size.")
    )
    eligible_naf_codes = models.ManyToManyField(
        "portal.NafCode",
        blank=True,
        related_name="+",
        verbose_name=_("eligible NAF sections or divisions"),
        help_text=_("Leave empty for any sector."),
    )
    requires_submitted_diagnostic = models.BooleanField(_("requires a submitted self-diagnostic"), default=False)
    max_overall_level = models.DecimalField(
        _("maximum overall maturity level"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Companies whose latest overall score is above this level are not eligible. Leave empty for no limit."
        ),
    )
    # Running totals of the ledger (denormalised, reconciled by regions.services.reconcile).
    committed_total = money_field(_("committed"), default=Decimal("0"), editable=False)
    spent_total = money_field(_("spent"), default=Decimal("0"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "name", "pk"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="programme_period_ordered"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="programme_budget_not_negative"),
            models.CheckConstraint(condition=Q(cap_per_company__gte=0), name="programme_cap_not_negative"),
            models.CheckConstraint(
                condition=Q(funding_rate__gt=0, funding_rate__lte=100), name="programme_funding_rate_0_to_100"
            ),
            models.CheckConstraint(condition=Q(committed_total__gte=0), name="programme_committed_not_negative"),
            models.CheckConstraint(
                condition=Q(committed_total__lte=F("budget")), name="programme_committed_within_budget"
            ),
            models.CheckConstraint(condition=Q(spent_total__gte=0), name="programme_spent_not_negative"),
            models.CheckConstraint(
                condition=Q(spent_total__lte=F("committed_total")), name="programme_spent_within_committed"
            ),
            models.CheckConstraint(
                condition=Q(max_overall_level__isnull=True) | Q(max_overall_level__gte=0, max_overall_level__lte=5),
                name="programme_max_level_0_to_5",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed", "settled"]), name="programme_status_known"
            ),
        ]
        indexes = [models.Index(fields=["region", "status"], name="programme_region_status_idx")]

    def __str__(self):
        return self.name

    @property
    def remaining(self):
        """Budget not yet committed."""
        return self.budget - self.committed_total

    @property
    def eligible_band_labels(self):
        labels = dict(HeadcountBand.choices)
        return [labels.get(band, band) for band in self.eligible_headcount_bands]


class ProgrammeTransition(TransitionRecord):
    """One opening or closing of a programme (`regions.workflows.PROGRAMME`). Append-only."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=10, choices=Programme.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Programme.Status.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("programme transition")
        verbose_name_plural = _("programme transitions")

    def __str__(self):
        return f"{self.programme_id}: {self.from_status or '∅'} → {self.to_status}"
