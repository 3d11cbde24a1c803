"""Conflicts of interest an expert declares with companies (by SIREN), refused at assignment."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from experts.models.profile import Expert

validate_siren = RegexValidator(r"^[0-9]{9}$", _("A SIREN has exactly 9 digits."))


class ConflictOfInterest(models.Model):
    """The expert may not be assigned to the company of this SIREN (any of its establishments): a
    family tie, a past employer, a stake, a competing client… the note says which, for the officers."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("expert"))
    siren = models.CharField(_("SIREN"), max_length=9, validators=[validate_siren])
    note = models.CharField(_("note"), max_length=500)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        ordering = ["siren", "pk"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["expert", "siren"], name="unique_expert_conflict_siren")]

    def __str__(self):
        return f"{self.expert_id} – {self.siren}"
