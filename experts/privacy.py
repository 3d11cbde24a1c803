"""The experts app's part of a company's data: the assignments concerning the company, their steps,
visits and reviews (export), and what the closure erases among them."""

from experts.models import (
    Assignment,
    AssignmentTransition,
    ExpertReview,
    ReviewAction,
    ReviewAxis,
    ReviewQuestion,
    Visit,
)
from portal.privacy import CompanyData, ExportPart, register_company_data


def export_assignments(company):
    assignments = (
        Assignment.objects.filter(company=company).select_related("expert__user").order_by("proposed_at", "pk")
    )
    transitions, visits, reviews = {}, {}, {}
    for step in AssignmentTransition.objects.filter(assignment__company=company).order_by("at", "pk"):
        transitions.setdefault(step.assignment_id, []).append(
            {"from": step.from_status, "to": step.to_status, "by": step.by_id, "at": step.at, "comment": step.comment}
        )
    for visit in Visit.objects.filter(assignment__company=company).order_by("date", "pk"):
        visits.setdefault(visit.assignment_id, []).append(
            {
                "id": visit.pk,
                "date": visit.date,
                "days": visit.days,
                "summary": visit.summary,
                "day_rate": visit.day_rate,
                "cost": visit.cost,
                "logged_at": visit.logged_at,
            }
        )
    axes, actions = {}, {}
    for axis in ReviewAxis.objects.filter(review__assignment__company=company).order_by("pk"):
        axes.setdefault(axis.review_id, []).append(
            {
                "axis": axis.axis_code,
                "validated_level": axis.validated_level,
                "validated_score": axis.validated_score,
                "comment": axis.comment,
            }
        )
    questions = {}
    for question in ReviewQuestion.objects.filter(review__assignment__company=company).order_by("pk"):
        questions.setdefault(question.review_id, []).append(
            {
                "question": question.question_code,
                "self_level": question.self_level,
                "validated_level": question.validated_level,
                "reason": question.reason,
            }
        )
    for action in ReviewAction.objects.filter(review__assignment__company=company).order_by("order", "pk"):
        actions.setdefault(action.review_id, []).append(
            {"recommendation": action.recommendation, "owner": action.owner, "due_date": action.due_date}
        )
    # A draft review is its author's until submitted: only submitted reviews are the company's.
    for review in ExpertReview.objects.filter(assignment__company=company, status=ExpertReview.Status.SUBMITTED):
        reviews[review.assignment_id] = {
            "diagnostic": review.diagnostic_id,
            "summary": review.summary,
            "submitted_at": review.submitted_at,
            "axes": axes.get(review.pk, []),
            "questions": questions.get(review.pk, []),
            "actions": actions.get(review.pk, []),
        }
    data = {
        "assignments": [
            {
                "id": assignment.pk,
                "expert": {"name": assignment.expert.name, "organisation": assignment.expert.organisation},
                "diagnostic": assignment.diagnostic_id,
                "status": assignment.status,
                "due_date": assignment.due_date,
                "brief": assignment.brief,
                "decline_reason": assignment.decline_reason,
                "proposed_at": assignment.proposed_at,
                "steps": transitions.get(assignment.pk, []),
                "visits": visits.get(assignment.pk, []),
                "review": reviews.get(assignment.pk),
            }
            for assignment in assignments
        ]
    }
    return ExportPart(data=data)


def erase_assignments(*, company, user_ids):
    """The action plan's owners (people of the company) go; visits, days and costs stay (the region's
    budget books them); other texts are scrubbed of the erased people's names by the closure."""
    ReviewAction.objects.filter(review__assignment__company=company).exclude(owner="").update(owner="")


def register():
    register_company_data(
        CompanyData(
            key="experts",
            models=(
                "experts.Assignment",
                "experts.AssignmentTransition",
                "experts.Visit",
                "experts.ExpertReview",
                "experts.ReviewAxis",
                "experts.ReviewQuestion",
                "experts.ReviewAction",
            ),
            export=export_assignments,
            erase=erase_assignments,
            order=20,
        )
    )
