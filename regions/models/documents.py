"""The application file: documents a company's members attach to their application (Enrolment)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.storage import StorageAlias

DOCUMENTS_STORAGE = StorageAlias("default")


def document_storage():
    """The default storage (local disk, or the object storage when STORAGE_URL is set)."""
    return DOCUMENTS_STORAGE


class EnrolmentDocument(models.Model):
    """One file of an application, written once under a name made of its enrolment and its SHA-256
    (`applications/<enrolment id>/<sha256>.<ext>`); read only through the permission-checked view."""

    class Kind(models.TextChoices):
        REGISTRATION_EXTRACT = "registration", _("company registration extract (Kbis)")
        QUOTE = "quote", _("quote")
        DE_MINIMIS_DECLARATION = "de_minimis", _("declaration of de minimis aid received elsewhere")

    enrolment = models.ForeignKey(
        "regions.Enrolment", on_delete=models.PROTECT, related_name="documents", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
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
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["registration", "quote", "de_minimis"]), name="enrolment_document_kind_known"
            ),
        ]

    def __str__(self):
        return f"{self.enrolment_id}: {self.original_name}"
