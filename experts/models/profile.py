"""An expert's profile in the directory: organisation, skills with levels, regions served, languages,
day rate and capacity (how many assignments the expert takes on at the same time)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_CAPACITY = 20
DEFAULT_CAPACITY = 2

# The languages an expert may work in (ISO 639-1 codes).
LANGUAGE_CHOICES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("nl", _("Dutch")),
    ("pt", _("Portuguese")),
    ("pl", _("Polish")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
]

validate_axis_code = RegexValidator(
    r"^[A-Z][A-Z0-9-]*$", _("An axis code: an upper-case letter, then upper-case letters, digits and hyphens.")
)


class SkillLevel(models.IntegerChoices):
    """How deep a skill goes, 1 to 3."""

    PRACTITIONER = 1, _("practitioner")
    CONFIRMED = 2, _("confirmed")
    EXPERT = 3, _("expert")


class ExpertQuerySet(models.QuerySet):
    def referenced(self, on=None):
        """Experts whose accreditation is referenced and valid on `on` (today by default)."""
        return self.filter(
            accreditation__status="referenced", accreditation__valid_until__gte=on or timezone.localdate()
        )


class Expert(models.Model):
    """An expert's profile in the directory; referencing by the Alliance comes with the accreditation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile")
    organisation = models.CharField(_("organisation"), max_length=200)
    bio = models.TextField(_("short biography"), blank=True)
    regions = models.ManyToManyField(
        "portal.Region", related_name="experts", blank=True, verbose_name=_("regions served")
    )
    day_rate = models.DecimalField(
        _("day rate (EUR, excl. VAT)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=DEFAULT_CAPACITY,
        validators=[MaxValueValidator(MAX_CAPACITY)],
        help_text=_("How many assignments you take on at the same time."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.CheckConstraint(condition=Q(day_rate__gte=0), name="expert_day_rate_not_negative"),
            models.CheckConstraint(condition=Q(capacity__lte=MAX_CAPACITY), name="expert_capacity_bounded"),
        ]

    def __str__(self):
        return f"{self.user} ({self.organisation})"

    @property
    def name(self):
        return self.user.get_full_name() or self.user.email


class ExpertSkill(models.Model):
    """One skill of an expert: either a referential axis (by its code) or a technology theme, with a level 1-3."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="skills")
    axis_code = models.CharField(_("axis"), max_length=40, blank=True, validators=[validate_axis_code])
    theme = models.ForeignKey(
        "diagnostics.TechnologyTheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_skills",
        verbose_name=_("technology theme"),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=SkillLevel.choices, default=SkillLevel.CONFIRMED)

    class Meta:
        ordering = ["-level", "axis_code", "pk"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.CheckConstraint(
                condition=(Q(axis_code="") & Q(theme__isnull=False)) | (~Q(axis_code="") & Q(theme__isnull=True)),
                name="expert_skill_axis_or_theme",
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="expert_skill_level_1_to_3"),
            models.UniqueConstraint(
                fields=["expert", "axis_code"], condition=~Q(axis_code=""), name="one_skill_per_axis"
            ),
            models.UniqueConstraint(
                fields=["expert", "theme"], condition=Q(theme__isnull=False), name="one_skill_per_theme"
            ),
        ]
        indexes = [
            models.Index(fields=["axis_code", "expert"], name="expert_skill_axis_idx"),
            models.Index(fields=["theme", "expert"], name="expert_skill_theme_idx"),
        ]

    def __str__(self):
        return f"{self.axis_code or self.theme_id} ({self.level})"


class ExpertLanguage(models.Model):
    """A language the expert works in."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)

    class Meta:
        ordering = ["code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [models.UniqueConstraint(fields=["expert", "code"], name="one_row_per_expert_language")]
        indexes = [models.Index(fields=["code", "expert"], name="expert_language_idx")]

    def __str__(self):
        return self.get_code_display()
