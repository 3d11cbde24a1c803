"""Who outside a company looked at its diagnostics: one row per access, shown to the company's members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diagnostics.models.diagnostic import Diagnostic


class DiagnosticAccess(models.Model):
    """One access by someone outside the company (an officer, an expert, Alliance staff) to one of
    its diagnostic pages. Written by `services.record_access`; the company's members' own visits are
    not recorded. Append-only: nothing updates a row.

    The viewer's role is kept as it was at the time (`kind`, and the officer's region or the
    expert's organisation), so a later change of post does not rewrite the history.
    """

    class Kind(models.TextChoices):
        OFFICER = "officer", _("regional officer")
        EXPERT = "expert", _("expert")
        STAFF = "staff", _("Alliance team")
        OTHER = "other", _("outside the company")

    class What(models.TextChoices):
        RESULTS = "results", _("results")
        ANSWERS = "answers", _("answers")
        REPORT = "report", _("PDF report")

    diagnostic = models.ForeignKey(
        Diagnostic, on_delete=models.CASCADE, related_name="accesses", verbose_name=_("diagnostic")
    )
    # The diagnostic's company, copied so that a company's log is read from one index.
    company = models.ForeignKey("portal.Company", on_delete=models.CASCADE, related_name="+", verbose_name=_("company"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("viewer")
    )
    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(
        "portal.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    what = models.CharField(_("page"), max_length=10, choices=What.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=False)

    class Meta:
        verbose_name = _("access to a diagnostic")
        verbose_name_plural = _("accesses to diagnostics")
        indexes = [
            models.Index(fields=["company", "-at", "-id"], name="diagnostic_access_company_idx"),
            models.Index(fields=["diagnostic", "-at", "-id"], name="diagnostic_access_diag_idx"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_what_display()} – {self.diagnostic_id} ({self.at:%Y-%m-%d %H:%M})"

    @property
    def viewer_role(self):
        """How the company sees the viewer: "Regional officer, Bretagne", "Expert, Cabinet X", "Alliance team"."""
        if self.kind == self.Kind.OFFICER:
            if self.region_id is not None:
                return _("Regional officer, %(region)s") % {"region": self.region}
            return _("Regional officer")
        if self.kind == self.Kind.EXPERT:
            if self.organisation:
                return _("Expert, %(organisation)s") % {"organisation": self.organisation}
            return pgettext_lazy("viewer role", "Expert")
        if self.kind == self.Kind.STAFF:
            return _("Alliance team")
        return _("Outside the company")

    @property
    def viewer_name(self):
        if self.user_id is None:
            return _("Deleted account")
        return self.user.get_full_name() or self.user.email
