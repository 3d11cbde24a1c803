"""The closing statement of a programme closed for good: a PDF drawn by the report workers, once.

The programme is frozen when it is settled, so its statement never changes: one row per programme,
queued → ready (or failed after `MAX_ATTEMPTS` attempts). The PDF is stored under a name made of its
own SHA-256 in the `reports` storage (local disk or the private bucket), like the diagnostics' reports.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.storage import StorageAlias

STATEMENTS_STORAGE = StorageAlias("reports")


def statement_storage():
    """The `reports` storage when the settings define one, else the default storage."""
    return STATEMENTS_STORAGE


def statement_file_name(programme_id, pdf_sha256):
    return f"closing-statements/{programme_id}/{pdf_sha256}.pdf"


class ClosingStatement(models.Model):
    """The PDF closing statement of a settled programme (the CSV and XLSX are built on request)."""

    MAX_ATTEMPTS = 3

    class Status(models.TextChoices):
        QUEUED = "queued", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    programme = models.OneToOneField(
        "regions.Programme", on_delete=models.CASCADE, related_name="closing_statement", verbose_name=_("programme")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), storage=statement_storage, max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("closing statement")
        verbose_name_plural = _("closing statements")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "ready", "failed"]), name="closing_statement_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & ~Q(sha256="") & Q(rendered_at__isnull=False)),
                name="closing_statement_ready_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.programme_id}: {self.status}"

    @property
    def is_ready(self):
        return self.status == self.Status.READY
