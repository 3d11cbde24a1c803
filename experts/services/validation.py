"""The expert's validation per question: each question's level confirmed, or adjusted with a reason.

The expert validates the diagnostic the review is about, question by question, on one page
(`experts.views.validation`). A level different from the company's needs a reason. The axis's
validated score is never typed in: it follows from `diagnostics.scoring.compute_scores`, the one
scoring function, applied to the validated levels (a question not validated yet counts at the
company's level), and is stored on the review's axis rows (`ReviewAxis.validated_score`) beside the
company's own scores, never over them. Validation happens while the review is a draft; submitting the
review (`services.reviews`) freezes it.
"""

from dataclasses import dataclass, replace

from django.db import transaction
from django.utils.translation import gettext as _

from diagnostics.models import Answer, Question
from diagnostics.scoring import compute_scores
from diagnostics.selectors.modules import opened_module_ids, scoring_inputs
from diagnostics.selectors.results import forget_results
from experts.exceptions import IllegalTransition, InvalidInput, NotAllowed
from experts.models import Assignment, ExpertReview, ReviewAxis, ReviewQuestion
from experts.rules import can_write_review
from experts.services.assignments import _locked_assignment
from experts.services.reviews import reviewed_diagnostic

REASON_MAX_LENGTH = ReviewQuestion._meta.get_field("reason").max_length


@dataclass(frozen=True)
class QuestionVerdict:
    """What the expert says of one question: `level` 0..5, or None for not applicable; `reason` why
    (required when the level differs from the company's)."""

    level: int | None
    reason: str = ""


def _self_level(answer):
    return None if answer is None or answer.not_applicable else answer.level


def validated_axis_scores(review, diagnostic):
    """{axis code: Decimal or None}: the axes' scores from the review's validated question levels (the
    company's level where a question is not validated yet), by the one scoring function on the inputs
    the company's own scores came from (its answers, the opened modules), so that the two sides differ
    only by the expert's verdicts; {} while the review validated no question. Three queries."""
    validated = {row.question_code: row.validated_level for row in review.questions.all()}
    if not validated:
        return {}
    axes, answers, opened_modules = scoring_inputs(diagnostic)
    answers = [
        replace(answer, level=validated[answer.question_code]) if answer.question_code in validated else answer
        for answer in answers
    ]
    snapshot = compute_scores(axes, answers, opened_modules=opened_modules)
    return {code: axis.score for code, axis in snapshot.axes.items()}


def _check_verdict(question, answer, verdict):
    level = verdict.level
    if level is None:
        if not question.allows_not_applicable:
            raise InvalidInput(
                _("Question %(code)s cannot be “not applicable”: give a level from 0 to 5.") % {"code": question.code}
            )
    elif isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 5:
        raise InvalidInput(_("A validated level is a whole number from 0 to 5 (%(code)s).") % {"code": question.code})
    reason = (verdict.reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(
            _("The reason for %(code)s is too long (%(max)s characters at most).")
            % {"code": question.code, "max": REASON_MAX_LENGTH}
        )
    if level != _self_level(answer) and not reason:
        raise InvalidInput(
            _("Give a reason for adjusting question %(code)s: the company answered %(self)s, you validate %(level)s.")
            % {
                "code": question.code,
                "self": _("not applicable") if _self_level(answer) is None else _self_level(answer),
                "level": _("not applicable") if level is None else level,
            }
        )
    return reason


@transaction.atomic
def validate_questions(*, assignment, by, verdicts):
    """Record the expert's verdict on the questions of `verdicts` ({question code: QuestionVerdict}) and
    derive the axes' validated scores. Checks every verdict first and writes nothing if one is refused.
    Returns the (draft) review."""
    row = _locked_assignment(assignment.pk)
    if not can_write_review.test(by, row):
        raise NotAllowed(_("Only the assigned expert may validate the diagnostic."))
    if row.status != Assignment.Status.IN_PROGRESS:
        raise IllegalTransition(_("The questions are validated while the assignment is in progress."))
    review = ExpertReview.objects.select_for_update().filter(assignment=row).first()
    if review is not None and review.is_submitted:
        raise IllegalTransition(_("This review has already been submitted."))
    diagnostic = review.diagnostic if review is not None and review.diagnostic_id else reviewed_diagnostic(row)
    if diagnostic is None or diagnostic.is_draft:
        raise InvalidInput(_("The company has no submitted diagnostic to validate yet."))

    questions = {
        question.code: question
        for question in Question.objects.filter(referential_id=diagnostic.referential_id).select_related("axis")
    }
    unknown = set(verdicts) - set(questions)
    if unknown:
        raise InvalidInput(_("Unknown question: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    answers = {answer.question_id: answer for answer in Answer.objects.filter(diagnostic=diagnostic)}
    # Only what the company's score counted is validated: the core and the opened modules' answered questions.
    opened = set(opened_module_ids(diagnostic).values_list("module_id", flat=True))
    scored = {
        code
        for code, question in questions.items()
        if (question.module_id is None or question.module_id in opened)
        and answers.get(question.pk) is not None
        and answers[question.pk].is_complete
    }
    outside = sorted(set(verdicts) - scored)
    if outside:
        raise InvalidInput(
            _("The company's score does not count these questions (a module not opened, or no answer): %(codes)s.")
            % {"codes": ", ".join(outside)}
        )
    rows = []
    for code, verdict in verdicts.items():
        question = questions[code]
        answer = answers.get(question.pk)
        reason = _check_verdict(question, answer, verdict)
        rows.append(
            ReviewQuestion(
                question_code=code,
                axis_code=question.axis.code,
                self_level=_self_level(answer),
                validated_level=verdict.level,
                reason=reason,
            )
        )

    if review is None:
        review = ExpertReview.objects.create(assignment=row, diagnostic=diagnostic)
    ReviewQuestion.objects.filter(review=review, question_code__in=list(verdicts)).delete()
    for item in rows:
        item.review = review
    ReviewQuestion.objects.bulk_create(rows)
    store_validated_scores(review, diagnostic)
    forget_results(diagnostic.pk)
    return review


def store_validated_scores(review, diagnostic):
    """Write the axes' validated scores (from the validated questions) on the review's axis rows."""
    scores = validated_axis_scores(review, diagnostic)
    existing = {axis.axis_code: axis for axis in ReviewAxis.objects.filter(review=review)}
    for code, score in scores.items():
        axis_row = existing.get(code)
        if axis_row is None:
            ReviewAxis.objects.create(review=review, axis_code=code, validated_score=score)
        elif axis_row.validated_score != score:
            axis_row.validated_score = score
            axis_row.save(update_fields=["validated_score"])
    return scores
