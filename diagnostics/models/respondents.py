"""Several respondents on one diagnostic: who is asked, what each answered, and the consensus.

`Answer` (diagnostics.models.diagnostic) stays the company's answer, the one scored on submit. Once
the diagnostic's lead invites a colleague (a `Respondent` row exists), each member answers on their
own in `RespondentAnswer` (one row per diagnostic, respondent and question: nobody overwrites anybody),
and the lead settles the company's `Answer` question by question, recording a `ConsensusDecision`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diagnostics.models.diagnostic import Diagnostic
from diagnostics.models.questions import Question


class RespondentFunction(models.TextChoices):
    DIRECTION = "direction", _("management")
    PRODUCTION = "production", _("production")
    QUALITY = "quality", _("quality")
    IT = "it", _("IT")
    HR = "hr", _("human resources")
    PURCHASING = "purchasing", _("purchasing")


class Respondent(models.Model):
    """A colleague asked to answer the diagnostic, with their function and optionally the axes asked of them.

    Invited among the company's members (`user` set) or by e-mail through a portal invitation (`user`
    empty until they join the company; they are recognised by `email`).
    """

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail address"))
    function = models.CharField(_("function"), max_length=20, choices=RespondentFunction.choices)
    # Codes of the axes the lead asks this respondent to answer first; empty: every axis.
    axis_codes = models.JSONField(_("assigned axes"), default=list, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    # When the member was told by e-mail (the outbox of `services.respondents.send_respondent_email`);
    # set at once for the lead and for people invited by e-mail (the portal invitation tells them).
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["invited_at", "pk"]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "email"], name="one_respondent_per_email"),
            models.UniqueConstraint(
                fields=["diagnostic", "user"], condition=Q(user__isnull=False), name="one_respondent_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_function_display()})"


class RespondentAnswer(models.Model):
    """One respondent's own answer to one question: a level 0..5, or not applicable where allowed."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="respondent_answers")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="respondent_answers")
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("respondent's answer")
        verbose_name_plural = _("respondents' answers")
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "respondent", "question"], name="one_answer_per_respondent_and_question"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__lte=5), name="respondent_answer_level_0_to_5"
            ),
            models.CheckConstraint(
                condition=~(Q(level__isnull=False) & Q(not_applicable=True)),
                name="respondent_answer_level_or_not_applicable",
            ),
        ]

    def __str__(self):
        return f"{self.question_id}/{self.respondent_id}: {self.level if not self.not_applicable else 'n/a'}"

    @property
    def is_complete(self):
        return self.level is not None or self.not_applicable

    @property
    def answered_by(self):
        """The same name as `Answer.answered_by`, so that the questionnaire's templates show either."""
        return self.respondent


class ConsensusDecision(models.Model):
    """The lead's decision of the company's answer to a question the respondents answered: who, when, why.

    The decided level itself is the question's `Answer`, the one scored on submit.
    """

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="consensus_decisions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("consensus decision")
        verbose_name_plural = _("consensus decisions")
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "question"], name="one_consensus_per_question"),
        ]

    def __str__(self):
        return f"{self.diagnostic_id}/{self.question_id}"
