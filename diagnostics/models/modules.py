"""Deep-dive modules of a referential version and the company's choice to open them.

A referential's questions are either in its **core** (what every company answers, about ten
minutes) or in one named **module**, a deep dive the portal suggests when one of the module's
opening rules matches the company (`diagnostics.modules.suggested_modules`). Rules are data in the
referential file: a core answer at or below a level, a headcount band, a NAF division. A module is
offered, never forced: `ModuleDecision` records whether the company opened it or put it off.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diagnostics.models.diagnostic import Diagnostic
from diagnostics.models.locking import ReferentialPart
from diagnostics.models.questions import Question
from diagnostics.models.referential import Referential, validate_content_code
from portal.translation import translated

MAX_MINUTES = 120


class Module(ReferentialPart):
    """A deep-dive module: questions a company answers after the core, when it chooses to."""

    parent_field = "referential"
    referential_lookup = "referential"

    referential = models.ForeignKey(Referential, on_delete=models.CASCADE, related_name="modules")
    code = models.CharField(_("code"), max_length=40, validators=[validate_content_code])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"))
    description_en = models.TextField(_("description (English)"))
    minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)]
    )

    title = translated("title")
    description = translated("description")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(fields=["referential", "code"], name="unique_module_code"),
            models.CheckConstraint(condition=Q(minutes__gte=1), name="module_minutes_positive"),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"


class ModuleRule(ReferentialPart):
    """One reason to suggest a module; the module is suggested when any of its rules matches.

    - `core_answer`: the company answered the core question `question` at level `level` or below;
    - `headcount_band`: the company's headcount band is one of `values`;
    - `naf_division`: the company's NAF division (two digits) is one of `values`.
    """

    class Kind(models.TextChoices):
        CORE_ANSWER = "core_answer", _("a core answer at or below a level")
        HEADCOUNT_BAND = "headcount_band", _("a headcount band")
        NAF_DIVISION = "naf_division", _("a NAF division")

    parent_field = "module"
    referential_lookup = "module__referential"

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("core question")
    )
    level = models.PositiveSmallIntegerField(_("at most level"), null=True, blank=True)
    values = models.JSONField(_("values"), default=list, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("module opening rule")
        verbose_name_plural = _("module opening rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["core_answer", "headcount_band", "naf_division"]), name="module_rule_kind_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind="core_answer") | Q(question__isnull=False, level__isnull=False, level__lte=5),
                name="module_rule_core_answer_has_question_and_level",
            ),
        ]

    def __str__(self):
        return f"{self.module_id}: {self.kind}"


class ModuleDecision(models.Model):
    """The company's answer to a suggested (or listed) module: opened, or not now. It may change its mind."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="module_decisions")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="decisions")
    opened = models.BooleanField(_("opened"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("module decision")
        verbose_name_plural = _("module decisions")
        constraints = [models.UniqueConstraint(fields=["diagnostic", "module"], name="one_decision_per_module")]

    def __str__(self):
        return f"{self.diagnostic_id} – {self.module_id}: {'opened' if self.opened else 'not now'}"
