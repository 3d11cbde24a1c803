"""The open-data releases: one row per nightly publication of the national aggregates."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OpenDataRelease(models.Model):
    """One publication. `document` is public (the aggregates, as the JSON and CSV files give them);
    `state` is not: the contributions behind each table, kept on the latest release only, so that the
    next release can check what subtracting the two would reveal (regions.opendata.secrecy)."""

    published_at = models.DateTimeField(_("published at"), default=timezone.now, db_index=True)
    document = models.JSONField(_("published aggregates"))
    state = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("open-data release")
        verbose_name_plural = _("open-data releases")

    def __str__(self):
        return f"{self.published_at:%Y-%m-%d %H:%M}"
