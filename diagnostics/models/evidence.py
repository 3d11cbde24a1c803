"""Evidence on an answer: a file (a document, an image) or a link that backs the level a company chose.

Files go through the default storage (local disk or object storage) under a key nobody can guess
(`evidence/<diagnostic id>/<random>.<extension>`) and are only handed out by a view that checks who
asks (`diagnostics.views.evidence.evidence_download`); there is no public address.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diagnostics.models.diagnostic import Answer
from portal.storage import StorageAlias

EVIDENCE_STORAGE = StorageAlias("default")


def evidence_storage():
    return EVIDENCE_STORAGE


def evidence_file_name(diagnostic_id, extension):
    """A fresh, unguessable key: 122 random bits, nothing taken from the name the user gave."""
    return f"evidence/{diagnostic_id}/{uuid.uuid4().hex}.{extension}"


class Evidence(models.Model):
    """One piece of evidence attached to an answer while its diagnostic is a draft."""

    class Kind(models.TextChoices):
        FILE = "file", _("file")
        LINK = "link", _("link")

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("answer"))
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    file = models.FileField(_("file"), storage=evidence_storage, max_length=255, blank=True)
    # The name the user gave, shown and used for the download (its extension follows the content).
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=2000, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & Q(url="")) | (Q(kind="link") & Q(file="") & ~Q(url="")),
                name="evidence_is_a_file_or_a_link",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_file(self):
        return self.kind == self.Kind.FILE

    @property
    def label(self):
        """What the lists show: the file's name, or the link's title (its address when it has none)."""
        if self.is_file:
            return self.filename
        return self.title or self.url
