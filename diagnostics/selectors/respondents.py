"""Reads of a diagnostic's respondents: who is asked, each one's own questionnaire, the divergence
between them and what the consensus step shows. The callers pass a diagnostic they already fetched
through the scoped `visible_diagnostic`; every function runs a fixed number of queries whatever the
number of respondents, questions and answers.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from diagnostics.models import Answer, Axis, ConsensusDecision, Module, Question, Respondent, RespondentAnswer
from diagnostics.selectors.diagnostic import COMPLETE_ANSWER, QuestionnairePage, axis_questions, overall_progress
from diagnostics.selectors.modules import in_scope

# Two respondents two levels apart or more disagree on what the company does: the question is flagged.
DIVERGENCE_THRESHOLD = 2


def respondents_of(diagnostic):
    """The diagnostic's respondents in the order they were invited, each with its user (one query)."""
    return list(Respondent.objects.filter(diagnostic_id=diagnostic.pk).select_related("user"))


def respondent_of(diagnostic, user):
    """`user`'s respondent row on the diagnostic (matched by account, or by the invited e-mail address), or None."""
    return (
        Respondent.objects.filter(diagnostic_id=diagnostic.pk)
        .filter(Q(user_id=user.pk) | Q(user__isnull=True, email__iexact=user.email))
        .first()
    )


def _own_answers_per_axis(diagnostic, user, scope):
    return (
        RespondentAnswer.objects.filter(
            diagnostic_id=diagnostic.pk, respondent_id=user.pk, question__axis=OuterRef("pk")
        )
        .filter(COMPLETE_ANSWER)
        .filter(scope)
        .order_by()
        .values("question__axis")
        .annotate(n=Count("pk"))
        .values("n")
    )


def axes_with_respondent_progress(diagnostic, user, first_axis_codes=()):
    """The referential's axes with the progress fields of `axes_with_progress` (the questionnaire's
    questions: the core and the opened modules; the core alone), counting `user`'s own answers; the
    axes in `first_axis_codes` (the ones assigned to the respondent) come first (one query)."""
    core = Q(questions__module__isnull=True)
    axes = list(
        Axis.objects.filter(referential_id=diagnostic.referential_id)
        .annotate(
            question_count=Count("questions", filter=in_scope(diagnostic, "questions__")),
            answered_count=Coalesce(
                Subquery(
                    _own_answers_per_axis(diagnostic, user, in_scope(diagnostic, "question__")),
                    output_field=IntegerField(),
                ),
                0,
            ),
            core_count=Count("questions", filter=core),
            core_answered=Coalesce(
                Subquery(
                    _own_answers_per_axis(diagnostic, user, Q(question__module__isnull=True)),
                    output_field=IntegerField(),
                ),
                0,
            ),
            core_minutes=Coalesce(Sum("questions__minutes", filter=core), 0),
            has_modules=Exists(Module.objects.filter(referential_id=OuterRef("referential_id"))),
        )
        .order_by("order", "pk")
    )
    first = set(first_axis_codes)
    for axis in axes:
        axis.assigned = axis.code in first
    return sorted(axes, key=lambda axis: not axis.assigned)


def respondent_questionnaire_page(diagnostic, axis_code, user, first_axis_codes=()):
    """One axis of the questionnaire as `user` answers it on their own: their answers and progress,
    their assigned axes first. None if the referential has no such axis. Four queries."""
    axes = axes_with_respondent_progress(diagnostic, user, first_axis_codes)
    axis = next((axis for axis in axes if axis.code == axis_code), None)
    if axis is None:
        return None
    questions = axis_questions(axis, diagnostic)
    answers = RespondentAnswer.objects.filter(
        diagnostic_id=diagnostic.pk, respondent_id=user.pk, question__in=[question.pk for question in questions]
    ).select_related("respondent")
    return QuestionnairePage(
        diagnostic=diagnostic,
        axes=axes,
        axis=axis,
        questions=questions,
        answers={answer.question_id: answer for answer in answers},
        progress=overall_progress(axes),
    )


@dataclass(frozen=True)
class RespondentView:
    """One respondent's answer as the divergence shows it."""

    user_id: int
    name: str
    function: str  # the translated label, "" for a member who was not invited
    level: int | None
    not_applicable: bool
    comment: str


@dataclass(frozen=True)
class QuestionDivergence:
    """The respondents' answers to one question. `spread` is the highest level minus the lowest
    (None when fewer than one level was given); `diverges` when it reaches `DIVERGENCE_THRESHOLD`."""

    question: Question
    answers: list

    @property
    def levels(self):
        return [answer.level for answer in self.answers if answer.level is not None]

    @property
    def spread(self):
        levels = self.levels
        return max(levels) - min(levels) if levels else None

    @property
    def diverges(self):
        return self.spread is not None and self.spread >= DIVERGENCE_THRESHOLD

    @property
    def median(self):
        """The lower median of the levels given (a level the scale has), or None."""
        levels = sorted(self.levels)
        return levels[(len(levels) - 1) // 2] if levels else None


@dataclass(frozen=True)
class AxisDivergence:
    axis: Axis
    questions: list = field(default_factory=list)

    @property
    def spread(self):
        """The largest spread of the axis's questions, or None if nobody gave a level."""
        spreads = [question.spread for question in self.questions if question.spread is not None]
        return max(spreads) if spreads else None

    @property
    def diverging_count(self):
        return sum(1 for question in self.questions if question.diverges)


def divergence_for(diagnostic):
    """Who answered what, per axis and question, for the questions at least one respondent answered.

    Shape (read by the expert's validation and the PDF report): a list of `AxisDivergence`, in the
    referential's order, each with `axis` (an `Axis`), `spread` (int or None), `diverging_count` and
    `questions`: a list of `QuestionDivergence` in order, each with `question` (a `Question`),
    `answers` (a list of `RespondentView`: user_id, name, function label, level or None,
    not_applicable, comment; invited respondents first, in invitation order), `spread` (max − min of
    the levels, None if only "not applicable"), `diverges` (spread ≥ `DIVERGENCE_THRESHOLD`) and
    `median`. Only complete answers (a level or "not applicable") count. Two queries whatever the
    number of respondents: the respondents, their answers (with the user, question and axis).
    """
    respondents = respondents_of(diagnostic)
    functions = {}
    for respondent in respondents:
        label = respondent.get_function_display()
        functions.setdefault(("user", respondent.user_id), label)
        functions.setdefault(("email", respondent.email.lower()), label)
    rank = {respondent.user_id or respondent.email.lower(): index for index, respondent in enumerate(respondents)}
    answers = (
        RespondentAnswer.objects.filter(diagnostic_id=diagnostic.pk)
        .filter(COMPLETE_ANSWER)
        .select_related("respondent", "question__axis")
        .order_by("question__axis__order", "question__axis__pk", "question__order", "question__pk")
    )
    axes, questions, order_of_user = {}, {}, {}
    for answer in answers:
        user = answer.respondent
        function = functions.get(("user", user.pk)) or functions.get(("email", user.email.lower()), "")
        order_of_user.setdefault(user.pk, rank.get(user.pk, rank.get(user.email.lower(), len(rank))))
        question = questions.get(answer.question_id)
        if question is None:
            question = questions[answer.question_id] = QuestionDivergence(question=answer.question, answers=[])
            axis = answer.question.axis
            axes.setdefault(axis.pk, AxisDivergence(axis=axis)).questions.append(question)
        question.answers.append(
            RespondentView(
                user_id=user.pk,
                name=str(user),
                function=str(function),
                level=None if answer.not_applicable else answer.level,
                not_applicable=answer.not_applicable,
                comment=answer.comment,
            )
        )
    for question in questions.values():
        question.answers.sort(key=lambda view: (order_of_user[view.user_id], view.name))
    return list(axes.values())


@dataclass(frozen=True)
class ConsensusRow:
    """One question of the consensus step: the divergence, the company's answer if set, the decision if
    taken, and the level to prefill (the lead's own answer, else the median)."""

    divergence: QuestionDivergence
    answer: Answer | None
    decision: ConsensusDecision | None
    prefill_level: int | None
    prefill_not_applicable: bool

    @property
    def undisputed(self):
        """Not settled yet, and every respondent who answered gave the same answer (one alone, or all alike)."""
        given = {(view.level, view.not_applicable) for view in self.divergence.answers}
        return self.decision is None and len(given) == 1


def consensus_rows(diagnostic, lead):
    """The consensus step, per axis: [(axis, [ConsensusRow])] for every question a respondent answered.
    Four queries whatever the number of respondents."""
    axes = divergence_for(diagnostic)
    question_pks = [row.question.pk for axis in axes for row in axis.questions]
    answers = {a.question_id: a for a in Answer.objects.filter(diagnostic_id=diagnostic.pk, question__in=question_pks)}
    decisions = {
        d.question_id: d
        for d in ConsensusDecision.objects.filter(diagnostic_id=diagnostic.pk).select_related("decided_by")
    }
    result = []
    for axis in axes:
        rows = []
        for divergence in axis.questions:
            own = next((view for view in divergence.answers if view.user_id == lead.pk), None)
            if own is not None:
                level, not_applicable = own.level, own.not_applicable
            else:
                level, not_applicable = divergence.median, divergence.median is None
            rows.append(
                ConsensusRow(
                    divergence=divergence,
                    answer=answers.get(divergence.question.pk),
                    decision=decisions.get(divergence.question.pk),
                    prefill_level=level,
                    prefill_not_applicable=not_applicable,
                )
            )
        result.append((axis.axis, rows))
    return result


def questions_awaiting_consensus(diagnostic):
    """The questions at least one respondent answered and whose company answer the lead has not settled
    yet (no `ConsensusDecision`), in the referential's order (one query)."""
    answered = RespondentAnswer.objects.filter(diagnostic_id=diagnostic.pk).filter(COMPLETE_ANSWER)
    decided = ConsensusDecision.objects.filter(diagnostic_id=diagnostic.pk)
    return list(
        Question.objects.filter(referential_id=diagnostic.referential_id, pk__in=answered.values("question_id"))
        .exclude(pk__in=decided.values("question_id"))
        .select_related("axis")
        .order_by("axis__order", "axis__pk", "order", "pk")
    )
