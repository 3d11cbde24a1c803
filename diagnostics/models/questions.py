"""The questions of a referential version and what hangs on them: their technology themes, the level
descriptors a company chooses from, and the recommendations for reaching each next level. Each is a
`locking.ReferentialPart`: frozen once its version is published."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from diagnostics.models.locking import ReferentialPart
from diagnostics.models.referential import Axis, Referential, Scale, validate_content_code, weight_field
from diagnostics.models.themes import TechnologyTheme
from portal.translation import translated


class Question(ReferentialPart):
    """A question of an axis; answered by choosing the level descriptor that is true in the company.

    `referential` repeats the axis's referential so that question codes are unique per version in the
    database; `save()` keeps it in step with the axis.
    """

    parent_field = "axis"
    referential_lookup = "referential"

    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="questions", verbose_name=_("axis"))
    referential = models.ForeignKey(Referential, on_delete=models.CASCADE, related_name="questions", editable=False)
    code = models.CharField(_("code"), max_length=40, validators=[validate_content_code])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_fr = models.TextField(_("question (French)"))
    text_en = models.TextField(_("question (English)"))
    help_fr = models.TextField(_("help (French)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    weight = weight_field()
    allows_not_applicable = models.BooleanField(_("may be answered “not applicable”"), default=False)
    # None: the question is in the core every company answers; else the deep-dive module it belongs to.
    module = models.ForeignKey(
        "diagnostics.Module",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("module"),
    )
    minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    themes = models.ManyToManyField(
        TechnologyTheme, through="QuestionTheme", related_name="questions", blank=True, verbose_name=_("themes")
    )

    text = translated("text")
    help = translated("help")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["referential", "code"], name="unique_question_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="question_weight_positive"),
        ]

    def __str__(self):
        return f"{self.code} – {self.text}"

    @property
    def is_core(self):
        return self.module_id is None

    def save(self, *args, **kwargs):
        if self.axis_id is not None:
            self.referential_id = Axis.objects.values_list("referential_id", flat=True).get(pk=self.axis_id)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "axis" in update_fields:
                kwargs["update_fields"] = {*update_fields, "referential"}
        super().save(*args, **kwargs)

    @property
    def ordered_themes(self):
        """The question's themes in their listed order (prefetch `theme_links__theme` to read them for free)."""
        return [link.theme for link in self.theme_links.all()]


class QuestionTheme(ReferentialPart):
    """A technology theme a question touches, in the order the file lists them. Themes in use cannot be deleted."""

    parent_field = "question"
    referential_lookup = "question__referential"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey(TechnologyTheme, on_delete=models.PROTECT, related_name="question_links")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question theme")
        verbose_name_plural = _("question themes")
        constraints = [models.UniqueConstraint(fields=["question", "theme"], name="unique_question_theme")]

    def __str__(self):
        return f"{self.question_id} – {self.theme_id}"


class LevelDescriptor(ReferentialPart):
    """What is observably true in a company at one level (0 to 5) of a question."""

    parent_field = "question"
    referential_lookup = "question__referential"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), validators=[MaxValueValidator(5)])
    description_fr = models.TextField(_("description (French)"))
    description_en = models.TextField(_("description (English)"))
    # The referential may ask a company answering this level to back it with evidence (a document, a link).
    evidence_expected = models.BooleanField(_("evidence expected at this level"), default=False)

    description = translated("description")

    class Meta:
        ordering = ["level"]
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        constraints = [
            models.UniqueConstraint(fields=["question", "level"], name="unique_question_level"),
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=5), name="level_descriptor_0_to_5"),
        ]

    def __str__(self):
        return _("Level %(level)s") % {"level": self.level}


class Recommendation(ReferentialPart):
    """What to do to reach a target level (1 to 5) of a question, with its effort, impact and expertise."""

    parent_field = "question"
    referential_lookup = "question__referential"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="recommendations")
    target_level = models.PositiveSmallIntegerField(
        _("target level"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    action_fr = models.TextField(_("action (French)"))
    action_en = models.TextField(_("action (English)"))
    effort = models.CharField(_("effort"), max_length=10, choices=Scale.choices)
    impact = models.CharField(_("impact"), max_length=10, choices=Scale.choices)
    theme = models.ForeignKey(
        TechnologyTheme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("technology theme"),
    )
    expert_skill = models.CharField(
        _("expert skill"),
        max_length=40,
        validators=[validate_content_code],
        help_text=_("The code of the axis naming the kind of expertise this action calls for."),
    )
    cost_min = models.PositiveIntegerField(_("minimum cost (EUR)"), null=True, blank=True)
    cost_max = models.PositiveIntegerField(_("maximum cost (EUR)"), null=True, blank=True)
    depends_on = models.JSONField(
        _("depends on"),
        default=list,
        blank=True,
        help_text=_("The codes (question/level, like PROD-1/3) of the recommendations to carry out first."),
    )

    action = translated("action")

    class Meta:
        ordering = ["target_level"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["question", "target_level"], name="unique_recommendation_target"),
            models.CheckConstraint(
                condition=Q(target_level__gte=1, target_level__lte=5), name="recommendation_target_1_to_5"
            ),
            models.CheckConstraint(condition=Q(effort__in=Scale.values), name="recommendation_effort_known"),
            models.CheckConstraint(condition=Q(impact__in=Scale.values), name="recommendation_impact_known"),
            models.CheckConstraint(
                condition=Q(cost_min=None, cost_max=None)
                | Q(cost_min__isnull=False, cost_max__isnull=False, cost_min__lte=F("cost_max")),
                name="recommendation_cost_range_ordered",
            ),
        ]

    def __str__(self):
        return _("To reach level %(level)s") % {"level": self.target_level}

    @property
    def code(self):
        """How the file's `depends_on` names this recommendation: its question's code and target level."""
        return recommendation_code(self.question.code, self.target_level)

    @property
    def has_cost(self):
        return self.cost_min is not None and self.cost_max is not None


def recommendation_code(question_code, target_level):
    return f"{question_code}/{target_level}"
