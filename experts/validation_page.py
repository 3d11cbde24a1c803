"""Reads of the expert's validation page (beside `experts.selectors`, which is long enough): everything
one page shows to validate a diagnostic question by question, in a fixed number of queries whatever
the number of questions and of evidence.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from diagnostics.models import Answer, Axis, LevelDescriptor, Question
from diagnostics.selectors import divergence_for, evidence_by_question
from diagnostics.selectors.modules import in_scope
from experts.models import ReviewAxis, ReviewQuestion


@dataclass
class QuestionRow:
    question: Question
    answer: Answer | None
    chosen: LevelDescriptor | None
    evidence: list
    verdict: ReviewQuestion | None
    divergence: object = None  # the respondents' own answers (diagnostics.selectors.divergence_for), if any

    @property
    def self_level(self):
        return None if self.answer is None or self.answer.not_applicable else self.answer.level


@dataclass
class AxisBlock:
    axis: Axis
    self_score: object
    validated_score: object
    rows: list = field(default_factory=list)


def validation_page(diagnostic, review):
    """The axes of the diagnostic's referential, each with the questions its score counted (the core and
    the opened modules' questions the company answered), each with its levels, the company's answer,
    the respondents' own answers where colleagues answered on their own, the evidence, the expert's
    verdict so far. Nine queries: axes, questions, levels, answers, respondents and their answers,
    evidence, the review's verdicts and axis rows (two fewer without a review)."""
    axes = list(Axis.objects.filter(referential_id=diagnostic.referential_id).order_by("order", "pk"))
    questions = list(
        Question.objects.filter(referential_id=diagnostic.referential_id)
        .filter(in_scope(diagnostic))
        .prefetch_related(Prefetch("levels", queryset=LevelDescriptor.objects.order_by("level")))
        .order_by("order", "pk")
    )
    answers = {
        answer.question_id: answer
        for answer in Answer.objects.filter(diagnostic=diagnostic).select_related("answered_by")
    }
    evidence = evidence_by_question(diagnostic.pk)
    divergence = {item.question.pk: item for block in divergence_for(diagnostic) for item in block.questions}
    verdicts, validated = {}, {}
    if review is not None:
        verdicts = {row.question_code: row for row in ReviewQuestion.objects.filter(review=review)}
        validated = dict(ReviewAxis.objects.filter(review=review).values_list("axis_code", "validated_score"))
    self_scores = {
        code: (values or {}).get("score") for code, values in ((diagnostic.scores or {}).get("axes") or {}).items()
    }
    blocks = {axis.pk: AxisBlock(axis, self_scores.get(axis.code), validated.get(axis.code)) for axis in axes}
    for question in questions:
        answer = answers.get(question.pk)
        if answer is None or not answer.is_complete:
            continue  # a question of an opened module left unanswered: the company's score has no level for it
        level = answer.level
        blocks[question.axis_id].rows.append(
            QuestionRow(
                question=question,
                answer=answer,
                chosen=next((d for d in question.levels.all() if d.level == level), None),
                evidence=evidence.get(question.pk, []),
                verdict=verdicts.get(question.code),
                divergence=divergence.get(question.pk),
            )
        )
    return [blocks[axis.pk] for axis in axes]
