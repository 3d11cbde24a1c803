"""The expert's review of an assignment: a validated level per axis, kept beside the company's
self-assessment (never over it), comments, and the action plan agreed with the company."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from experts.models.assignment import Assignment


class ExpertReview(models.Model):
    """A draft only its author sees while the assignment is in progress; submitting it closes the assignment."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="review")
    # The self-diagnostic the review validates (its snapshot is the self-assessment shown beside it).
    diagnostic = models.ForeignKey(
        "diagnostics.Diagnostic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_reviews",
        verbose_name=_("diagnostic reviewed"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("overall opinion"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="submitted_review_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.assignment_id} ({self.get_status_display()})"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED


class ReviewAxis(models.Model):
    """The expert's validated level (0 to 5) for one axis of the referential, with a comment."""

    review = models.ForeignKey(ExpertReview, on_delete=models.CASCADE, related_name="axes")
    axis_code = models.CharField(_("axis"), max_length=40)
    # Empty only in a draft: submitting needs a level for every axis.
    validated_level = models.PositiveSmallIntegerField(
        _("validated level"), null=True, blank=True, validators=[MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    # The axis's score from the validated levels of its questions (`ReviewQuestion`), computed by the
    # one scoring function (diagnostics.scoring); None until the expert validated questions.
    validated_score = models.DecimalField(_("validated score"), max_digits=3, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("validated axis level")
        verbose_name_plural = _("validated axis levels")
        constraints = [
            models.UniqueConstraint(fields=["review", "axis_code"], name="one_validated_level_per_axis"),
            models.CheckConstraint(
                condition=Q(validated_level__isnull=True) | Q(validated_level__lte=5), name="validated_level_0_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.axis_code}: {self.validated_level}"

    @property
    def expert_score(self):
        """What the expert holds the axis at: the score of the validated questions, else the level given
        for the whole axis (reviews written before the validation per question), else None."""
        if self.validated_score is not None:
            return self.validated_score
        return None if self.validated_level is None else Decimal(self.validated_level)


class ReviewQuestion(models.Model):
    """The expert's validated level for one question of the reviewed diagnostic: the company's level
    confirmed, or adjusted with a reason (None: not applicable, where the question allows it)."""

    review = models.ForeignKey(ExpertReview, on_delete=models.CASCADE, related_name="questions")
    question_code = models.CharField(_("question"), max_length=40)
    axis_code = models.CharField(_("axis"), max_length=40)
    # The company's answer when the expert validated it (None: not applicable).
    self_level = models.PositiveSmallIntegerField(_("self-assessed level"), null=True, blank=True)
    validated_level = models.PositiveSmallIntegerField(
        _("validated level"), null=True, blank=True, validators=[MaxValueValidator(5)]
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("validated question level")
        verbose_name_plural = _("validated question levels")
        constraints = [
            models.UniqueConstraint(fields=["review", "question_code"], name="one_validated_level_per_question"),
            models.CheckConstraint(
                condition=Q(validated_level__isnull=True) | Q(validated_level__lte=5),
                name="validated_question_level_0_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.question_code}: {self.validated_level}"

    @property
    def is_adjusted(self):
        return self.validated_level != self.self_level


class ReviewAction(models.Model):
    """One item of the action plan the expert recommends: what, who in the company, by when.

    A draft review may keep a line still incomplete (the expert fills it in later); submitting the
    review needs every line complete (`experts.services.reviews`)."""

    review = models.ForeignKey(ExpertReview, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    recommendation = models.TextField(_("recommendation"), max_length=2000, blank=True)
    owner = models.CharField(
        _("owner"), max_length=200, blank=True, help_text=_("Who in the company carries the action.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("action-plan item")
        verbose_name_plural = _("action-plan items")

    def __str__(self):
        return self.recommendation[:60]
