"""Assignments and expert reviews, scoped: an expert sees their own, officers those of their regions, a company's members their company's, staff all of them; a draft review is seen by its author only."""

from django.db.models import (
    Case,
    F,
    Prefetch,
    Q,
    Value,
    When,
)

from experts.models import (
    Assignment,
    ExpertReview,
    ReviewAction,
    ReviewAxis,
)
from portal.models import Company, Membership, RegionOfficer


def officer_region_ids(user):
    return RegionOfficer.objects.filter(user=user).values("region_id")


def assignments_visible_to(user):
    """The assignments `user` may see: their own as an expert, those in their regions as an officer,
    their company's as a member; every one for staff."""
    if user is None or not user.is_authenticated:
        return Assignment.objects.none()
    assignments = Assignment.objects.select_related("expert__user", "company__region")
    if user.is_staff:
        return assignments
    return assignments.filter(
        Q(expert__user=user)
        | Q(company__region__in=officer_region_ids(user))
        | Q(company__in=Membership.objects.filter(user=user).values("company_id"))
    )


def visible_assignment(user, pk):
    """One assignment the user may see, with its expert, company and proposer, or None (one query)."""
    return assignments_visible_to(user).select_related("proposed_by", "diagnostic").filter(pk=pk).first()


def company_contacts(company):
    """The people to contact at an assignment's company: its owners with their name and e-mail (one query)."""
    return [
        membership.user
        for membership in Membership.objects.filter(company=company, role=Membership.Role.OWNER, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    ]


def assignments_of_expert(expert):
    """An expert's assignments, live ones first then by due date, with their company (one query)."""
    return (
        Assignment.objects.filter(expert=expert)
        .select_related("company__region")
        .annotate(is_live=Case(When(status__in=Assignment.LIVE, then=Value(0)), default=Value(1)))
        .order_by("is_live", F("due_date").asc(nulls_last=True), "-pk")
    )


def assignment_history(assignment):
    return assignment.transitions.select_related("by").order_by("at", "pk")


def companies_open_for_proposals(user):
    """The companies `user` may propose experts to: every one for staff, those of their regions for officers."""
    if user is None or not user.is_authenticated:
        return Company.objects.none()
    companies = Company.objects.select_related("region")
    if user.is_staff:
        return companies
    return companies.filter(region__in=officer_region_ids(user))


def companies_seen_for_assignments(user):
    """Companies the user may look at from the experts pages: those open for proposals, their own, and
    those of their own assignments as an expert."""
    if user is None or not user.is_authenticated:
        return Company.objects.none()
    if user.is_staff:
        return Company.objects.select_related("region")
    return Company.objects.select_related("region").filter(
        Q(region__in=officer_region_ids(user))
        | Q(pk__in=Membership.objects.filter(user=user).values("company_id"))
        | Q(pk__in=Assignment.objects.filter(expert__user=user).values("company_id"))
    )


def assignment_diagnostics_of_expert(user, statuses=Assignment.OPENING_ACCESS):
    """A Q over Diagnostic: the diagnostic each of `user`'s accepted, in-progress or done assignments
    is about, the one a review validates (`services.reviewed_diagnostic`): the one the assignment
    names (chosen at its proposal), else the one its review recorded, else (no review yet) the
    company's latest submitted one. Never a company's other diagnostics. Subqueries only: no join to
    many rows."""
    opened = Assignment.objects.filter(expert__user=user, status__in=statuses)
    unnamed = opened.filter(diagnostic__isnull=True)
    return (
        Q(pk__in=opened.filter(diagnostic__isnull=False).values("diagnostic_id"))
        | Q(pk__in=ExpertReview.objects.filter(assignment__in=unnamed.values("pk")).values("diagnostic_id"))
        | Q(is_latest=True, company_id__in=unnamed.filter(review__isnull=True).values("company_id"))
    )


# --- Reviews ---------------------------------------------------------------------------------------


def review_of(assignment):
    """The assignment's review with its axes and actions, or None (three queries)."""
    return (
        ExpertReview.objects.filter(assignment=assignment)
        .prefetch_related(
            Prefetch("axes", queryset=ReviewAxis.objects.order_by("pk")),
            Prefetch("actions", queryset=ReviewAction.objects.order_by("order", "pk")),
        )
        .first()
    )


def review_visible_to(user, assignment):
    """The assignment's review if `user` may read it: a draft by its author only, a submitted one by
    whoever sees the assignment (the caller fetched it through `visible_assignment`)."""
    review = review_of(assignment)
    if review is None:
        return None
    if review.is_submitted or assignment.expert.user_id == user.pk:
        return review
    return None


def submitted_reviews_for(diagnostic):
    """The submitted expert reviews of a diagnostic, latest first, with expert, axes and actions (four queries)."""
    return list(
        ExpertReview.objects.filter(diagnostic_id=diagnostic.pk, status=ExpertReview.Status.SUBMITTED)
        .select_related("assignment__expert__user")
        .prefetch_related(
            Prefetch("axes", queryset=ReviewAxis.objects.order_by("pk")),
            Prefetch("actions", queryset=ReviewAction.objects.order_by("order", "pk")),
        )
        .order_by("-submitted_at", "-pk")
    )
