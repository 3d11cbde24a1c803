"""The portal's audit trail: one append-only chain of entries, each carrying the hash of the previous
one, sealed day by day by a digest row. Written only through `portal.audit.record`; checked by
`portal.audit.verify` (`manage.py verify_audit`).
"""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

APPEND_ONLY = "The audit trail is append-only."


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY)

    def delete(self):
        raise TypeError(APPEND_ONLY)


class AppendOnlyModel(models.Model):
    """Rows are inserted once; saving an existing row or deleting one raises."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY)


class AuditChainHead(models.Model):
    """The single row (pk 1) naming the chain's last entry. Appending locks it first
    (`select_for_update`), so entries are numbered and chained one at a time."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"#{self.seq}"


class AuditEntry(AppendOnlyModel):
    """One change: who (`by`), when (`at`), what (`action` on the subject `app_label.model:pk`),
    the state before and after (canonical JSON text, exactly as hashed). `region` scopes the entry
    for regional officers (empty: visible to staff only)."""

    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("at"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=60)
    subject_app = models.CharField(max_length=40)
    subject_model = models.CharField(max_length=40)
    subject_pk = models.CharField(max_length=40)
    region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["subject_app", "subject_model", "subject_pk"], name="audit_subject_idx"),
            models.Index(fields=["region", "seq"], name="audit_region_idx"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.subject}"

    @property
    def subject(self):
        return f"{self.subject_app}.{self.subject_model}:{self.subject_pk}"

    @property
    def before_data(self):
        return json.loads(self.before) if self.before else None

    @property
    def after_data(self):
        return json.loads(self.after) if self.after else None


class AuditDigest(AppendOnlyModel):
    """The seal of one day (in the portal's time zone): how many entries, the first and last numbers,
    a hash over the day's entry hashes and the previous digest's hash."""

    day = models.DateField(_("day"), unique=True)
    count = models.PositiveIntegerField(_("entries"))
    first_seq = models.PositiveBigIntegerField(null=True, blank=True)
    last_seq = models.PositiveBigIntegerField(null=True, blank=True)
    sealed_at = models.DateTimeField(_("sealed at"))
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("audit digest")
        verbose_name_plural = _("audit digests")

    def __str__(self):
        return f"{self.day}: {self.count}"
