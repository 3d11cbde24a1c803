"""The expert's review: validated levels per axis beside the self-assessment, comments and the action plan.

An axis's level is either typed in for the whole axis, or follows from the validation per question
(`services.validation`: the scoring function applied to the validated levels), which then needs no
level typed in; both are kept beside the company's scores, never over them.

A review is written while the assignment is in progress; the expert may save it as a draft (only
they see it) and submit it, which freezes it and closes the assignment (done) in one transaction.
The company's self-assessment is never changed: the review keeps its own rows.
"""

from datetime import date as date_type
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics.models import Axis
from diagnostics.selectors import current_published_referential, latest_submitted
from diagnostics.selectors.results import forget_results
from diagnostics.services.report import request_report_after_submit
from experts import audit
from experts.events import SUBMITTED_REVIEWS_VERSION
from experts.exceptions import IllegalTransition, InvalidInput, NotAllowed
from experts.models import Assignment, ExpertReview, ReviewAction, ReviewAxis
from experts.rules import can_write_review
from experts.services.assignments import _locked_assignment
from experts.workflows import ASSIGNMENT
from portal.audit import record
from portal.cache_versions import bump


def reviewed_diagnostic(assignment):
    """The diagnostic a review of this assignment validates: the one named at proposal, else the
    company's latest submitted one, else None."""
    if assignment.diagnostic_id:
        return assignment.diagnostic
    return latest_submitted(assignment.company)


def expected_review_axes(assignment, review=None):
    """The axes a review of the assignment gives a level for, in the referential's order: those of the
    reviewed diagnostic's referential, else of the current published referential (one or two queries)."""
    diagnostic = review.diagnostic if review is not None and review.diagnostic_id else reviewed_diagnostic(assignment)
    referential_id = diagnostic.referential_id if diagnostic is not None else None
    if referential_id is None:
        referential = current_published_referential()
        if referential is None:
            return []
        referential_id = referential.pk
    return list(Axis.objects.filter(referential_id=referential_id).order_by("order", "pk"))


def _clean_actions(actions, *, complete):
    """The action lines to keep, empty lines left out. A draft keeps an incomplete line as it is (the
    expert finishes it later); submitting (`complete`) needs a recommendation, an owner and a due date on each."""
    cleaned = []
    for number, action in enumerate(actions, start=1):
        recommendation = (action.get("recommendation") or "").strip()
        owner = (action.get("owner") or "").strip()
        due_date = action.get("due_date")
        if due_date is not None and not isinstance(due_date, date_type):
            raise InvalidInput(_("The due date of action %(number)s is not a date.") % {"number": number})
        if not (recommendation or owner or due_date):
            continue  # an empty line of the form
        if complete and not (recommendation and owner and due_date):
            raise InvalidInput(
                _("Action %(number)s needs a recommendation, an owner and a due date.") % {"number": number}
            )
        cleaned.append({"recommendation": recommendation, "owner": owner, "due_date": due_date})
    return cleaned


def _write_review(*, assignment, by, levels, comments, summary, actions, submit, notify=True):
    row = _locked_assignment(assignment.pk)
    if not can_write_review.test(by, row):
        raise NotAllowed(_("Only the assigned expert may write the review."))
    if row.status != Assignment.Status.IN_PROGRESS:
        raise IllegalTransition(_("A review is written while the assignment is in progress."))
    review = ExpertReview.objects.select_for_update().filter(assignment=row).first()
    if review is not None and review.is_submitted:
        raise IllegalTransition(_("This review has already been submitted."))

    axes = expected_review_axes(row, review)
    codes = [axis.code for axis in axes]
    levels = {code: level for code, level in (levels or {}).items() if level not in (None, "")}
    comments = {code: (text or "").strip() for code, text in (comments or {}).items()}
    unknown = (set(levels) | {code for code, text in comments.items() if text}) - set(codes)
    if unknown:
        raise InvalidInput(_("Unknown axis: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    for code, level in levels.items():
        if not (isinstance(level, int) and 0 <= level <= 5):
            raise InvalidInput(_("A validated level is a whole number from 0 to 5 (%(axis)s).") % {"axis": code})
    # Axes whose score follows from the validation per question (services.validation) need no level typed in.
    validated_scores = {}
    if review is not None:
        validated_scores = dict(
            ReviewAxis.objects.filter(review=review, validated_score__isnull=False).values_list(
                "axis_code", "validated_score"
            )
        )
    if submit:
        missing = [code for code in codes if code not in levels and code not in validated_scores]
        if missing:
            raise InvalidInput(
                _("Give a validated level for every axis before submitting; missing: %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
    actions = _clean_actions(actions or [], complete=submit)

    if review is None:
        review = ExpertReview.objects.create(assignment=row, diagnostic=reviewed_diagnostic(row))
    review.summary = (summary or "").strip()
    fields = ["summary", "updated_at"]
    if submit:
        review.status = ExpertReview.Status.SUBMITTED
        review.submitted_at = timezone.now()
        review.submitted_by = by
        fields += ["status", "submitted_at", "submitted_by"]
    review.save(update_fields=fields)
    ReviewAxis.objects.filter(review=review).delete()
    ReviewAxis.objects.bulk_create(
        ReviewAxis(
            review=review,
            axis_code=code,
            validated_level=levels.get(code),
            comment=comments.get(code, ""),
            validated_score=validated_scores.get(code),
        )
        for code in codes
        if code in levels or comments.get(code) or code in validated_scores
    )
    ReviewAction.objects.filter(review=review).delete()
    ReviewAction.objects.bulk_create(
        ReviewAction(review=review, order=index, **action) for index, action in enumerate(actions)
    )
    if submit:
        # One entry for the whole change: the review submitted and the assignment done.
        record(
            action=audit.REVIEW,
            subject=row,
            by=by,
            before={"status": row.status},
            after={
                "status": Assignment.Status.DONE,
                "review": review.pk,
                "levels": {code: levels.get(code) for code in codes},
                "validated_scores": {code: str(score) for code, score in validated_scores.items()},
                "summary": review.summary,
            },
            region=row.company.region_id,
        )
        ASSIGNMENT.move(row, Assignment.Status.DONE, by=by, comment=_("Review submitted."), notify=notify)
        bump(SUBMITTED_REVIEWS_VERSION)  # the national view's calibration gap
        if review.diagnostic_id:
            forget_results(review.diagnostic_id)
        if review.diagnostic_id:
            # The company's PDF report now prints the review and the calibration gap: a new one is made.
            transaction.on_commit(partial(request_report_after_submit, review.diagnostic_id))
    return review


@transaction.atomic
def save_review_draft(*, assignment, by, levels, comments=None, summary="", actions=()):
    """Save the review as a draft (only its author sees it); levels may still be missing and action
    lines incomplete."""
    return _write_review(
        assignment=assignment, by=by, levels=levels, comments=comments, summary=summary, actions=actions, submit=False
    )


@transaction.atomic
def submit_review(*, assignment, by, levels, comments=None, summary="", actions=(), notify=True):
    """Submit the review, with a level for every axis and every action line complete: it is frozen and
    the assignment is done."""
    return _write_review(
        assignment=assignment,
        by=by,
        levels=levels,
        comments=comments,
        summary=summary,
        actions=actions,
        submit=True,
        notify=notify,
    )
