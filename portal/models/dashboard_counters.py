"""The dashboards' counters per region, kept by the writes so that the funnel and the quarterly maturity
are read from a few rows whatever the number of companies (`portal.services.dashboard_counters` adds to
them; `diagnostics.dashboard_counters` decides what a diagnostic's change adds and rebuilds them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models.identity import Region


class RegionFunnelCount(models.Model):
    """The first steps of a region's company funnel: the companies registered in the region, those with
    a diagnostic (draft or submitted) and those with a submitted diagnostic; each company counted once."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    companies = models.IntegerField(_("companies registered"), default=0)
    started = models.IntegerField(_("companies with a diagnostic"), default=0)
    submitted = models.IntegerField(_("companies with a submitted diagnostic"), default=0)

    class Meta:
        verbose_name = _("region's funnel count")
        verbose_name_plural = _("regions' funnel counts")

    def __str__(self):
        return f"{self.region_id}: {self.companies} / {self.started} / {self.submitted}"


class RegionQuarterCount(models.Model):
    """The diagnostics submitted (with an overall score) by a region's companies in a quarter (Europe/Paris,
    `quarter` its first day): how many, the sum of their overall scores, and how many companies."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    quarter = models.DateField(_("quarter"))
    diagnostics = models.IntegerField(_("diagnostics submitted"), default=0)
    score_total = models.DecimalField(_("sum of the overall scores"), max_digits=14, decimal_places=2, default=0)
    companies = models.IntegerField(_("companies"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "quarter"], name="one_count_per_region_quarter")]
        verbose_name = _("region's quarter count")
        verbose_name_plural = _("regions' quarter counts")

    def __str__(self):
        return f"{self.region_id} {self.quarter}: {self.diagnostics}"
