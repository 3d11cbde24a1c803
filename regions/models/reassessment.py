"""The measurement points after a programme's support: the company re-assesses at the end of the support
(T1) and some months later (T2), invited by e-mail on each due date. T0 is the diagnostic the company
applied with (`Enrolment.diagnostic`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models.enrolment import Enrolment


class Reassessment(models.Model):
    """One measurement point of a completed enrolment: due on a date, the invitation sent once."""

    class Point(models.TextChoices):
        T1 = "T1", _("T1, at the end of the support")
        T2 = "T2", _("T2, months after the support")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reassessments")
    point = models.CharField(_("measurement point"), max_length=2, choices=Point.choices)
    due_on = models.DateField(_("due on"))
    # When the company was invited (or found to have re-assessed already): set once, by the beat task.
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("re-assessment")
        verbose_name_plural = _("re-assessments")
        constraints = [models.UniqueConstraint(fields=["enrolment", "point"], name="one_reassessment_per_point")]
        indexes = [
            models.Index(fields=["due_on"], condition=models.Q(invited_at=None), name="reassessment_due_idx"),
        ]

    def __str__(self):
        return f"{self.enrolment_id} {self.point} ({self.due_on})"
