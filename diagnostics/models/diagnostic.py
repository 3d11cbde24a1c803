"""A company's self-diagnostic on one pinned referential version, its answers and its score snapshot."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from diagnostics.models.questions import Question
from diagnostics.models.referential import Referential


class Diagnostic(models.Model):
    """A self-diagnostic: a draft while members answer, frozen and scored once submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    company = models.ForeignKey(
        "portal.Company", on_delete=models.PROTECT, related_name="diagnostics", verbose_name=_("company")
    )
    referential = models.ForeignKey(
        Referential, on_delete=models.PROTECT, related_name="diagnostics", verbose_name=_("referential version")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous submitted diagnostic"),
    )
    # The score snapshot, computed once on submit by diagnostics.scoring.compute_scores.
    scores = models.JSONField(_("score snapshot"), null=True, blank=True)
    overall_score = models.DecimalField(_("overall score"), max_digits=3, decimal_places=2, null=True, blank=True)
    band = models.PositiveSmallIntegerField(_("maturity band"), null=True, blank=True)
    # The company's latest submitted diagnostic is the one peer benchmarks count.
    is_latest = models.BooleanField(default=False, editable=False)
    # What the PDF report takes from the world around the diagnostic (its peer group, the next steps of
    # the apps above), frozen when it is submitted so that the report stays a dated document
    # (diagnostics.reports.snapshot); its owner may take it again with today's figures.
    report_snapshot = models.JSONField(_("report's figures"), null=True, blank=True, editable=False)
    # Sharing scope (diagnostics.services.sharing): the company's members may let the officers of the
    # company's region see this diagnostic before the company applies to any programme. Off by default.
    shared_with_region = models.BooleanField(_("shared with the region's officers"), default=False)
    sharing_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    sharing_changed_at = models.DateTimeField(_("sharing changed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=Q(status="draft"), name="one_draft_diagnostic_per_company"
            ),
            models.UniqueConstraint(
                fields=["company"], condition=Q(is_latest=True), name="one_latest_diagnostic_per_company"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(scores__isnull=False) & Q(submitted_at__isnull=False)),
                name="submitted_diagnostic_has_scores",
            ),
            models.CheckConstraint(
                condition=Q(overall_score__isnull=True) | Q(overall_score__gte=0, overall_score__lte=5),
                name="overall_score_between_0_and_5",
            ),
        ]
        indexes = [models.Index(fields=["is_latest", "company"], name="diagnostic_latest_idx")]

    def __str__(self):
        return f"{self.company} – {self.referential} ({self.get_status_display()})"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def report_figures_taken_at(self):
        """When the report's peer group and next steps were frozen, or None before."""
        taken_at = (self.report_snapshot or {}).get("taken_at")
        return datetime.fromisoformat(taken_at) if taken_at else None


class Answer(models.Model):
    """One question's answer: a level 0..5, or not applicable where the question allows it."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "question"], name="one_answer_per_question"),
            models.CheckConstraint(condition=Q(level__isnull=True) | Q(level__lte=5), name="answer_level_0_to_5"),
            models.CheckConstraint(
                condition=~(Q(level__isnull=False) & Q(not_applicable=True)),
                name="answer_level_or_not_applicable",
            ),
        ]

    def __str__(self):
        return f"{self.question.code}: {self.level if not self.not_applicable else 'n/a'}"

    @property
    def is_complete(self):
        return self.level is not None or self.not_applicable


class AxisScore(models.Model):
    """One axis's score in a submitted diagnostic: a row per axis so that benchmarks sum in SQL."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="axis_scores")
    axis_code = models.CharField(max_length=40)
    score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["diagnostic", "axis_code"], name="one_score_per_axis")]

    def __str__(self):
        return f"{self.axis_code}: {self.score}"
