"""The PDF report of a submitted diagnostic: one row per (diagnostic, content hash of its inputs).

A row moves queued → rendering → ready, or → failed after `MAX_ATTEMPTS` attempts. Rendering the
same inputs twice reuses the row and its file; new inputs (a renamed company, new peers, a new
layout) make a new row. The PDF is written once, under a key made of its own SHA-256
(`reports/<diagnostic id>/<sha256>.pdf`), in the `reports` storage (local disk or object storage).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diagnostics.models.diagnostic import Diagnostic
from portal.storage import StorageAlias

MAX_ATTEMPTS = 3


REPORTS_STORAGE = StorageAlias("reports")


def report_storage():
    """The `reports` storage when the settings define one (e.g. a private bucket), else the default storage."""
    return REPORTS_STORAGE


def report_file_name(diagnostic_id, pdf_sha256):
    """The content-addressed name of a report's file: the same bytes always land under the same name,
    so a name once written never needs to change."""
    return f"reports/{diagnostic_id}/{pdf_sha256}.pdf"


class ReportQuerySet(models.QuerySet):
    def ready(self):
        return self.filter(status=Report.Status.READY)

    def pending(self):
        return self.filter(status__in=[Report.Status.QUEUED, Report.Status.RENDERING])


class Report(models.Model):
    """A rendering of a diagnostic's PDF report; its status is what the results page shows."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RENDERING = "rendering", _("rendering")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    MAX_ATTEMPTS = MAX_ATTEMPTS

    diagnostic = models.ForeignKey(
        Diagnostic, on_delete=models.CASCADE, related_name="reports", verbose_name=_("diagnostic")
    )
    content_hash = models.CharField(_("content hash"), max_length=64, help_text=_("SHA-256 of the report's inputs."))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), storage=report_storage, max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    render_seconds = models.FloatField(_("render time (s)"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("last attempt started at"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "content_hash"], name="one_report_per_content"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "rendering", "ready", "failed"]), name="report_status_known"
            ),
            models.CheckConstraint(condition=Q(attempts__lte=MAX_ATTEMPTS), name="report_attempts_bounded"),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & ~Q(sha256="") & Q(rendered_at__isnull=False)),
                name="ready_report_has_file",
            ),
        ]
        indexes = [models.Index(fields=["status", "enqueued_at"], name="report_status_idx")]

    def __str__(self):
        return f"{self.diagnostic_id} {self.content_hash[:12]} ({self.get_status_display()})"

    @property
    def is_ready(self):
        return self.status == self.Status.READY

    @property
    def is_pending(self):
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def is_failed(self):
        return self.status == self.Status.FAILED
