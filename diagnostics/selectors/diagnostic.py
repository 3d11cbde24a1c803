"""Reads of diagnostics and answers, scoped to what a user may see.

Least privilege: each role reads what its work needs, no more. Members of a company see all its
diagnostics, drafts included; Alliance staff see every submitted diagnostic (a draft is the
company's work in progress, never anyone else's); the officers of the company's region see the
submitted ones its members chose to share with them (`shared_with_region`); the apps above add
their own rules through `extensions.register_diagnostic_access` (`experts`: the diagnostics of an
expert's assignments; `regions`: the diagnostic attached to an application to the officer's region).
Every function here runs a fixed number of queries whatever the size of the referential.
"""

import re
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from diagnostics.extensions import diagnostic_access_filters
from diagnostics.models import Answer, Axis, Diagnostic, LevelDescriptor, Question
from diagnostics.models.referential import CONTENT_CODE_PATTERN
from portal.models import Membership, RegionOfficer

COMPLETE_ANSWER = Q(level__isnull=False) | Q(not_applicable=True)


def shared_with_officer(user):
    """A Q over Diagnostic: the submitted diagnostics shared with the region of one of `user`'s officer posts."""
    return Q(
        shared_with_region=True,
        status=Diagnostic.Status.SUBMITTED,
        company__region_id__in=RegionOfficer.objects.filter(user=user).values("region_id"),
    )


def diagnostics_visible_to(user):
    """The diagnostics `user` may see: their companies' ones; the ones shared with their region (officers);
    every submitted one for staff; plus the extensions' rules."""
    if user is None or not user.is_authenticated:
        return Diagnostic.objects.none()
    # Neither rule joins to many rows (subqueries, and company is a foreign key).
    visible = Q(company__in=Membership.objects.filter(user=user).values("company_id"))
    if user.is_staff:
        return Diagnostic.objects.filter(visible | Q(status=Diagnostic.Status.SUBMITTED))
    visible |= shared_with_officer(user)
    extras = diagnostic_access_filters(user)
    for extra in extras:
        visible |= extra
    if not extras:
        return Diagnostic.objects.filter(visible)
    # The extensions' rules may join to many rows: keep one row per diagnostic.
    return Diagnostic.objects.filter(pk__in=Diagnostic.objects.filter(visible).values("pk"))


def visible_diagnostic(user, pk):
    """One diagnostic the user may see, with its company and referential, or None (one query).

    The rules then read the user's memberships from the request's viewer (`portal.viewer`), not from the row.
    """
    return diagnostics_visible_to(user).filter(pk=pk).select_related("company", "referential").first()


def company_diagnostics(company, viewer):
    """The diagnostics of `company` that `viewer` may see, latest first, each with its referential, who
    started / submitted it and its progress (staff: the submitted ones; members: all).

    One query: `answered_count` and `question_count` are subqueries.
    """
    answered = (
        Answer.objects.filter(diagnostic=OuterRef("pk"))
        .filter(COMPLETE_ANSWER)
        .order_by()
        .values("diagnostic")
        .annotate(n=Count("pk"))
        .values("n")
    )
    questions = (
        Question.objects.filter(referential=OuterRef("referential"))
        .order_by()
        .values("referential")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        diagnostics_visible_to(viewer)
        .filter(company=company)
        .select_related("referential", "started_by", "submitted_by")
        .annotate(
            answered_count=Coalesce(Subquery(answered, output_field=IntegerField()), 0),
            question_count=Coalesce(Subquery(questions, output_field=IntegerField()), 0),
        )
        .order_by("-started_at", "-pk")
    )


def draft_of(company):
    """The company's draft diagnostic, or None."""
    return Diagnostic.objects.filter(company=company, status=Diagnostic.Status.DRAFT).first()


def latest_submitted(company):
    """The company's latest submitted diagnostic (the one peers count), or None."""
    return Diagnostic.objects.filter(company=company, is_latest=True).first()


def axes_with_progress(diagnostic):
    """The axes of the diagnostic's referential, in order, each with `question_count` and `answered_count` (one query).

    The answered count is a subquery over this diagnostic's answers (the (diagnostic, question) unique
    index): joining the axes to every answer of their questions would read every company's answers.
    """
    answered = (
        Answer.objects.filter(diagnostic_id=diagnostic.pk, question__axis=OuterRef("pk"))
        .filter(COMPLETE_ANSWER)
        .order_by()
        .values("question__axis")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Axis.objects.filter(referential_id=diagnostic.referential_id)
        .annotate(
            question_count=Count("questions"),
            answered_count=Coalesce(Subquery(answered, output_field=IntegerField()), 0),
        )
        .order_by("order", "pk")
    )


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def complete(self):
        return self.answered >= self.total

    @property
    def percent(self):
        return round(100 * self.answered / self.total) if self.total else 100


def overall_progress(axes):
    """Answered / total over axes annotated by `axes_with_progress` (no query)."""
    return Progress(answered=sum(axis.answered_count for axis in axes), total=sum(axis.question_count for axis in axes))


def axis_questions(axis):
    """The questions of one axis, in order, with their six level descriptors prefetched (two queries)."""
    return list(
        Question.objects.filter(axis=axis)
        .prefetch_related(Prefetch("levels", queryset=LevelDescriptor.objects.order_by("level")))
        .order_by("order", "pk")
    )


def answers_by_question(diagnostic, questions):
    """{question pk: Answer} for the given questions, each with who answered it (one query).

    An answer given before the diagnostic started was copied from the previous one: it has `copied` True.
    """
    answers = list(
        Answer.objects.filter(diagnostic=diagnostic, question__in=[q.pk for q in questions]).select_related(
            "answered_by"
        )
    )
    started_at = diagnostic.started_at
    for answer in answers:
        answer.copied = started_at is not None and answer.answered_at < started_at
    return {answer.question_id: answer for answer in answers}


@dataclass(frozen=True)
class QuestionnairePage:
    diagnostic: Diagnostic
    axes: list
    axis: Axis
    questions: list
    answers: dict
    progress: Progress

    @property
    def previous_axis(self):
        index = self.axes.index(self.axis)
        return self.axes[index - 1] if index > 0 else None

    @property
    def next_axis(self):
        index = self.axes.index(self.axis)
        return self.axes[index + 1] if index + 1 < len(self.axes) else None


def questionnaire_page(diagnostic, axis_code):
    """Everything one axis page shows, or None if the referential has no such axis.

    Four queries whatever the number of axes, questions and answers: the axes with their progress
    (one aggregate), the axis's questions, their level descriptors, the existing answers.
    """
    axes = axes_with_progress(diagnostic)
    axis = next((axis for axis in axes if axis.code == axis_code), None)
    if axis is None:
        return None
    questions = axis_questions(axis)
    return QuestionnairePage(
        diagnostic=diagnostic,
        axes=axes,
        axis=axis,
        questions=questions,
        answers=answers_by_question(diagnostic, questions),
        progress=overall_progress(axes),
    )


def missing_questions(diagnostic):
    """The questions not yet answered nor marked not applicable, with their axis, in the referential's order (one query)."""
    complete = Answer.objects.filter(diagnostic=diagnostic, question=OuterRef("pk")).filter(COMPLETE_ANSWER)
    return list(
        Question.objects.filter(referential_id=diagnostic.referential_id)
        .exclude(Exists(complete))
        .select_related("axis")
        .order_by("axis__order", "axis__pk", "order", "pk")
    )


@dataclass(frozen=True)
class AnswerTarget:
    """What an autosave needs, read in one query: the diagnostic (partial: ids and status), the question,
    and whether the user is a member of the diagnostic's company."""

    diagnostic: Diagnostic
    question: Question


def answer_target(user, *, diagnostic_pk, question_pk=None, question_code=None):
    """The question `question_pk` (or the question coded `question_code`) of the diagnostic
    `diagnostic_pk`, if the user may see that diagnostic and the question belongs to its referential;
    else None. One query.

    The returned diagnostic carries only its ids and status: enough for the rules (which read the
    request's viewer) and for `services.save_answer`.
    """
    visible = diagnostics_visible_to(user).filter(pk=diagnostic_pk)
    questions = Question.objects.filter(referential__in=visible.values("referential_id"))
    if question_pk is not None:
        questions = questions.filter(pk=question_pk)
    elif isinstance(question_code, str) and re.fullmatch(CONTENT_CODE_PATTERN, question_code):
        questions = questions.filter(code=question_code)
    else:
        return None
    question = questions.annotate(
        diagnostic_status=Subquery(visible.values("status")[:1]),
        diagnostic_company_id=Subquery(visible.values("company_id")[:1]),
    ).first()
    if question is None:
        return None
    diagnostic = Diagnostic(
        pk=diagnostic_pk,
        company_id=question.diagnostic_company_id,
        referential_id=question.referential_id,
        status=question.diagnostic_status,
    )
    return AnswerTarget(diagnostic=diagnostic, question=question)
