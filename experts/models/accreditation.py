"""Referencing by the Alliance: an expert's current accreditation and the history of every change.

Only an expert whose accreditation is *referenced* and still valid (valid until today included) is
listed in the directory, matched and proposed for assignments.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models.profile import Expert


class Accreditation(models.Model):
    """The current accreditation of an expert; changed only by `services.change_accreditation`."""

    class Status(models.TextChoices):
        REFERENCED = "referenced", _("referenced")
        SUSPENDED = "suspended", _("suspended")
        EXPIRED = "expired", _("expired")

    NONE = ""
    # The one table of allowed changes; "" is an expert never referenced yet.
    # Referenced → referenced renews the accreditation (a new validity date).
    TRANSITIONS = {
        NONE: {Status.REFERENCED},
        Status.REFERENCED: {Status.REFERENCED, Status.SUSPENDED, Status.EXPIRED},
        Status.SUSPENDED: {Status.REFERENCED, Status.EXPIRED},
        Status.EXPIRED: {Status.REFERENCED},
    }

    expert = models.OneToOneField(Expert, on_delete=models.CASCADE, related_name="accreditation")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    valid_until = models.DateField(_("valid until"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["referenced", "suspended", "expired"]), name="accreditation_status_known"
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"], name="accreditation_status_idx")]

    def __str__(self):
        return f"{self.expert_id}: {self.get_status_display()} → {self.valid_until}"

    @property
    def is_current(self):
        """Referenced and still valid today."""
        return self.status == self.Status.REFERENCED and self.valid_until >= timezone.localdate()

    @property
    def effective_status(self):
        """The status as it stands today: a referenced accreditation past its date has expired."""
        if self.status == self.Status.REFERENCED and self.valid_until < timezone.localdate():
            return self.Status.EXPIRED
        return self.Status(self.status)

    def allows(self, status):
        return status in self.TRANSITIONS.get(self.status, set())


class AccreditationTransition(models.Model):
    """One change of an expert's accreditation: who, when, from, to, until when, why. Append-only."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="accreditation_history")
    from_status = models.CharField(_("from"), max_length=12, choices=Accreditation.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Accreditation.Status.choices)
    valid_until = models.DateField(_("valid until"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    # Set by the e-mail task once the expert was told: running the task twice sends one e-mail.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("accreditation change")
        verbose_name_plural = _("accreditation changes")

    def __str__(self):
        return f"{self.expert_id}: {self.from_status or '∅'} → {self.to_status}"
