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

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from diagnostics.extensions import diagnostic_access_filters
from diagnostics.models import Answer, Axis, Diagnostic, LevelDescriptor, Module, ModuleDecision, Question, Respondent
from diagnostics.models.referential import CONTENT_CODE_PATTERN
from diagnostics.selectors.modules import in_scope
from portal.models import Membership, RegionOfficer
from portal.viewer import viewer_of

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
    """One diagnostic the user may see, with its company and referential, or None (one query; two for a
    member of a company asking for another company's diagnostic).

    The rules then read the user's memberships from the request's viewer (`portal.viewer`), not from the row.
    `has_respondents`: whether colleagues were invited to answer on their own (diagnostics.models.respondents).
    """
    return _members_first(
        user,
        lambda diagnostics: (
            diagnostics.filter(pk=pk)
            .select_related("company", "referential")
            .annotate(has_respondents=Exists(Respondent.objects.filter(diagnostic=OuterRef("pk"))))
            .first()
        ),
    )


def _members_first(user, read):
    """`read(diagnostics)` over the diagnostics of the user's companies, then, when it found nothing,
    over every diagnostic the user may see. A member's own diagnostic (every questionnaire page, every
    autosave) is so found with a query short to build, whatever the apps' other rules; anyone else's
    costs one query more for a member, none for a user without a company."""
    company_ids = viewer_of(user).company_ids
    if company_ids:
        found = read(Diagnostic.objects.filter(company_id__in=company_ids))
        if found is not None:
            return found
    return read(diagnostics_visible_to(user))


def company_diagnostics(company, viewer):
    """The diagnostics of `company` that `viewer` may see, latest first, each with its referential, who
    started / submitted it and its progress (staff: the submitted ones; members: all).

    One query: `answered_count` and `question_count` are subqueries.
    """
    # The questionnaire of each diagnostic: the core and the modules it opened.
    opened = ModuleDecision.objects.filter(diagnostic=OuterRef(OuterRef("pk")), opened=True).values("module_id")
    answered = (
        Answer.objects.filter(diagnostic=OuterRef("pk"))
        .filter(COMPLETE_ANSWER)
        .filter(Q(question__module__isnull=True) | Q(question__module__in=opened))
        .order_by()
        .values("diagnostic")
        .annotate(n=Count("pk"))
        .values("n")
    )
    questions = (
        Question.objects.filter(referential=OuterRef("referential"))
        .filter(Q(module__isnull=True) | Q(module__in=opened))
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


def first_diagnostic_state(company):
    """(whether the company ever submitted a diagnostic, the pk of its draft or None), in one query."""
    row = Diagnostic.objects.filter(company=company).aggregate(
        submitted=Count("pk", filter=Q(status=Diagnostic.Status.SUBMITTED)),
        draft=Max("pk", filter=Q(status=Diagnostic.Status.DRAFT)),
    )
    return bool(row["submitted"]), row["draft"]


def latest_submitted(company):
    """The company's latest submitted diagnostic (the one peers count), or None."""
    return Diagnostic.objects.filter(company=company, is_latest=True).first()


def _answered_per_axis(diagnostic, scope):
    return (
        Answer.objects.filter(diagnostic_id=diagnostic.pk, question__axis=OuterRef("pk"))
        .filter(COMPLETE_ANSWER)
        .filter(scope)
        .order_by()
        .values("question__axis")
        .annotate(n=Count("pk"))
        .values("n")
    )


def axes_with_progress(diagnostic):
    """The axes of the diagnostic's referential, in order, each with its progress (one query):

    `question_count` / `answered_count` over the diagnostic's questionnaire (the core and the opened
    modules), `core_count` / `core_answered` over the core alone, `core_minutes` the estimated time
    of the axis's core, and `has_modules` whether the referential has deep-dive modules at all.

    The answered counts are subqueries over this diagnostic's answers (the (diagnostic, question) unique
    index): joining the axes to every answer of their questions would read every company's answers.
    """
    core = Q(questions__module__isnull=True)
    return list(
        Axis.objects.filter(referential_id=diagnostic.referential_id)
        .annotate(
            question_count=Count("questions", filter=in_scope(diagnostic, "questions__")),
            answered_count=Coalesce(
                Subquery(
                    _answered_per_axis(diagnostic, in_scope(diagnostic, "question__")), output_field=IntegerField()
                ),
                0,
            ),
            core_count=Count("questions", filter=core),
            core_answered=Coalesce(
                Subquery(_answered_per_axis(diagnostic, Q(question__module__isnull=True)), output_field=IntegerField()),
                0,
            ),
            core_minutes=Coalesce(Sum("questions__minutes", filter=core), 0),
            has_modules=Exists(Module.objects.filter(referential_id=OuterRef("referential_id"))),
        )
        .order_by("order", "pk")
    )


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int
    core_answered: int = 0
    core_total: int = 0
    core_minutes: int = 0

    @property
    def core_complete(self):
        return self.core_answered >= self.core_total

    @property
    def complete(self):
        return self.answered >= self.total

    @property
    def percent(self):
        return round(100 * self.answered / self.total) if self.total else 100


def overall_progress(axes):
    """Answered / total over axes annotated by `axes_with_progress` (no query)."""
    return Progress(
        answered=sum(axis.answered_count for axis in axes),
        total=sum(axis.question_count for axis in axes),
        core_answered=sum(axis.core_answered for axis in axes),
        core_total=sum(axis.core_count for axis in axes),
        core_minutes=sum(axis.core_minutes for axis in axes),
    )


def axis_questions(axis, diagnostic=None):
    """The questions of one axis, in order, with their six level descriptors prefetched (two queries).

    With `diagnostic`, only its questionnaire's: the core first, then the opened modules' questions.
    """
    questions = Question.objects.filter(axis=axis)
    if diagnostic is not None:
        questions = questions.filter(in_scope(diagnostic))
    return list(
        questions.select_related("module")
        .prefetch_related(Prefetch("levels", queryset=LevelDescriptor.objects.order_by("level")))
        .order_by(F("module__order").asc(nulls_first=True), "order", "pk")
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
    questions = axis_questions(axis, diagnostic)
    return QuestionnairePage(
        diagnostic=diagnostic,
        axes=axes,
        axis=axis,
        questions=questions,
        answers=answers_by_question(diagnostic, questions),
        progress=overall_progress(axes),
    )


def missing_questions(diagnostic):
    """The core questions not yet answered nor marked not applicable, with their axis, in the referential's
    order (one query). A submit needs the core only; a referential without modules is all core."""
    complete = Answer.objects.filter(diagnostic=diagnostic, question=OuterRef("pk")).filter(COMPLETE_ANSWER)
    return list(
        Question.objects.filter(referential_id=diagnostic.referential_id, module__isnull=True)
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
    else None. One query for a member of the diagnostic's company (the one who may answer: every
    autosave); another, under every visibility rule, for anyone else.

    The returned diagnostic carries only its ids, status and `has_respondents`: enough for the rules
    (which read the request's viewer) and for `services.save_answer` / `services.save_respondent_answer`;
    the question carries `module_opened` (whether the company opened its module; a core question has none).
    """
    if question_pk is None and not (
        isinstance(question_code, str) and re.fullmatch(CONTENT_CODE_PATTERN, question_code)
    ):
        return None
    return _members_first(
        user,
        lambda diagnostics: _answer_target(
            diagnostics.filter(pk=diagnostic_pk), diagnostic_pk, question_pk, question_code
        ),
    )


def _answer_target(visible, diagnostic_pk, question_pk, question_code):
    questions = Question.objects.filter(referential__in=visible.values("referential_id"))
    questions = questions.filter(pk=question_pk) if question_pk is not None else questions.filter(code=question_code)
    question = questions.annotate(
        diagnostic_status=Subquery(visible.values("status")[:1]),
        diagnostic_company_id=Subquery(visible.values("company_id")[:1]),
        has_respondents=Exists(Respondent.objects.filter(diagnostic_id=diagnostic_pk)),
        module_opened=Exists(
            ModuleDecision.objects.filter(diagnostic_id=diagnostic_pk, module=OuterRef("module"), opened=True)
        ),
    ).first()
    if question is None:
        return None
    diagnostic = Diagnostic(
        pk=diagnostic_pk,
        company_id=question.diagnostic_company_id,
        referential_id=question.referential_id,
        status=question.diagnostic_status,
    )
    diagnostic.has_respondents = question.has_respondents
    return AnswerTarget(diagnostic=diagnostic, question=question)
