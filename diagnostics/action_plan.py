"""The action plan and the strengths and weaknesses of a submitted diagnostic: pure functions of its
score snapshot and of the referential's content (no query; the callers fetch what they read)."""

from dataclasses import dataclass
from decimal import Decimal

from diagnostics.scoring import MAX_LEVEL


@dataclass(frozen=True)
class ActionItem:
    question: object
    axis: object
    recommendation: object
    current_level: int
    priority: Decimal


def action_plan(axes, answers_by_question):
    """The next-level recommendation of every question below level 5, ranked by gap × weight.

    `axes` carry their questions and each question its recommendations (prefetched); priority is
    (5 − level) × question weight × axis weight; ties go to the lower level, then to the referential's order.
    """
    items = []
    for axis_rank, axis in enumerate(axes):
        for question_rank, question in enumerate(axis.questions.all()):
            answer = answers_by_question.get(question.pk)
            if answer is None or answer.level is None or answer.level >= MAX_LEVEL:
                continue
            recommendation = next(
                (r for r in question.recommendations.all() if r.target_level == answer.level + 1), None
            )
            if recommendation is None:
                continue
            priority = (MAX_LEVEL - answer.level) * question.weight * axis.weight
            items.append((priority, answer.level, axis_rank, question_rank, axis, question, recommendation))
    items.sort(key=lambda item: (-item[0], item[1], item[2], item[3]))
    return [
        ActionItem(question=question, axis=axis, recommendation=rec, current_level=level, priority=priority)
        for priority, level, _a, _q, axis, question, rec in items
    ]


def axis_scores(diagnostic):
    """{axis code: Decimal score or None} from the stored snapshot."""
    return {
        code: None if values["score"] is None else Decimal(values["score"])
        for code, values in (diagnostic.scores or {}).get("axes", {}).items()
    }


def strengths_and_weaknesses(axes, scores, count=3):
    """The `count` best and worst scored axes, as (axis, score) pairs."""
    scored = [(axis, scores[axis.code]) for axis in axes if scores.get(axis.code) is not None]
    ranked = sorted(scored, key=lambda pair: (-pair[1], pair[0].order))
    weakest = sorted(scored, key=lambda pair: (pair[1], pair[0].order))
    return ranked[:count], weakest[:count]


@dataclass(frozen=True)
class AnswerLevel:
    """What `action_plan` reads of an answer: its level (None when not applicable)."""

    level: int | None
