"""Referencing by the Alliance: an expert's current accreditation and the history of every change.

Only an expert whose accreditation is *referenced* and still valid (valid until today included) is
listed in the directory, matched and proposed for assignments.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models.profile import Expert
from portal.workflow import NotifiedTransitionRecord


class Accreditation(models.Model):
    """The current accreditation of an expert; changed only by `services.change_accreditation`."""

    class Status(models.TextChoices):
        REFERENCED = "referenced", _("referenced")
        SUSPENDED = "suspended", _("suspended")
        EXPIRED = "expired", _("expired")

    NONE = ""  # an expert never referenced yet; the moves are `experts.workflows.ACCREDITATION`

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
    def last_valid_day(self):
        """The date to show beside the status: the validity date, except for an accreditation expired by
        staff before that date (rows from before expiring ended them yesterday), which ended the day
        before it was expired, so that an expired accreditation always shows a past date."""
        if self.status == self.Status.EXPIRED:
            expired_on = timezone.localdate(self.changed_at)
            return min(self.valid_until, expired_on - timedelta(days=1))
        return self.valid_until

    @property
    def effective_status(self):
        """The status as it stands today: a referenced accreditation past its date has expired."""
        if self.status == self.Status.REFERENCED and self.valid_until < timezone.localdate():
            return self.Status.EXPIRED
        return self.Status(self.status)


class AccreditationTransition(NotifiedTransitionRecord):
    """One change of an expert's accreditation (`experts.workflows.ACCREDITATION`), with the validity date
    it set. Append-only."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="accreditation_history")
    from_status = models.CharField(_("from"), max_length=12, choices=Accreditation.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Accreditation.Status.choices)
    valid_until = models.DateField(_("valid until"))

    class Meta(NotifiedTransitionRecord.Meta):
        verbose_name = _("accreditation change")
        verbose_name_plural = _("accreditation changes")

    def __str__(self):
        return f"{self.expert_id}: {self.from_status or '∅'} → {self.to_status}"
