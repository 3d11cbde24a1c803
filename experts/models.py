from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Expert(models.Model):
    """An expert's profile in the directory; referencing by the Alliance comes with accreditations."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile")
    organisation = models.CharField(_("organisation"), max_length=200)
    bio = models.TextField(_("short biography"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self):
        return f"{self.user} ({self.organisation})"
