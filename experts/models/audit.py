"""The audit trail of the experts app: append-only entries chained by hash.

One chain per subject: `expert:<id>` for an expert's accreditation changes (written under the
expert row lock) and `assignment:<id>` for an assignment's steps, visits and submitted review
(written under the assignment row lock). Each entry's hash covers the previous one, so an edited,
inserted or deleted entry breaks its chain; `experts.audit.verify` (command `verify_experts_audit`)
checks the chains and that the current state matches the last audited one.
"""

import hashlib
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only.")

    def delete(self):
        raise TypeError("The audit trail is append-only.")


class AuditEntry(models.Model):
    class Kind(models.TextChoices):
        ACCREDITATION = "accreditation", _("accreditation changed")
        TRANSITION = "transition", _("assignment step")
        VISIT = "visit", _("visit logged")
        REVIEW = "review", _("review submitted")

    chain = models.CharField(_("chain"), max_length=40)
    seq = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    payload = models.TextField(_("payload"), help_text=_("Canonical JSON, exactly as hashed."))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["chain", "seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="one_audit_entry_per_seq")]

    def __str__(self):
        return f"{self.chain}#{self.seq} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only.")

    def compute_hash(self):
        """SHA-256 over the previous hash and every field of the entry, in a fixed text form."""
        parts = [
            self.prev_hash,
            self.chain,
            str(self.seq),
            self.kind,
            self.payload,
            str(self.by_id or ""),
            self.at.astimezone(UTC).isoformat(),
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()
