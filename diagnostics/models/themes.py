"""The technology priorities of the Industrie du Futur offer that questions and recommendations refer to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.translation import translated


class TechnologyTheme(models.Model):
    """One of the seven technology priorities of the Industrie du Futur offer (loaded by a data migration)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    name = translated("name")
    description = translated("description")

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("technology theme")
        verbose_name_plural = _("technology themes")

    def __str__(self):
        return self.name
