"""Assignments: the expert's list and answers, the officers' and staff's follow-up and proposals, visits.

An assignment the user may not see is a 404 (`selectors.visible_assignment`); an action they may
not take is a 403 (`rules`); an action the assignment's state forbids is a message on the page.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from diagnostics.selectors import latest_submitted
from experts import selectors, services
from experts.forms import ProposeForm, ReasonForm, VisitForm
from experts.models import Assignment
from experts.panels import review_rows, self_assessment
from experts.rules import (
    can_cancel_assignment,
    can_follow_assignments,
    can_log_visit,
    can_propose_assignment,
    can_respond_to_assignment,
    is_profile_owner,
)
from experts.workflows import ASSIGNMENT
from portal.http import allowed, found, reported

PAGE_SIZE = 25
MATCHES_SHOWN = 10


def visible_assignment(request, pk):
    """The assignment `pk` if the user may see it, else a 404."""
    return found(selectors.visible_assignment(request.user, pk), _("No assignment you may see has this number."))


@require_GET
def my_assignments(request):
    """The expert's assignments: live ones first, with status, company and due date, and their actions.

    Users without an expert profile (superusers included) get 403."""
    expert = selectors.profile_of(request.user)
    allowed(is_profile_owner, request.user, expert)
    rows = []
    for assignment in selectors.assignments_of_expert(expert):
        assignment.expert = expert  # the page's own expert: the rules read it without a query per row
        rows.append((assignment, ASSIGNMENT.available_actions(assignment, request.user)))
    return render(request, "experts/my_assignments.html", {"expert": expert, "assignments": rows})


@require_GET
def assignment_list(request):
    """Officers (their regions) and staff (all): assignments by status, and companies to propose experts to."""
    allowed(can_follow_assignments, request.user)
    assignments = selectors.assignments_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in Assignment.Status.values:
        assignments = assignments.filter(status=status)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    search = request.GET.get("company", "").replace("\x00", "").strip()[:200]  # PostgreSQL refuses NUL
    companies = []
    if search:
        companies = list(selectors.companies_open_for_proposals(request.user).filter(name__icontains=search)[:20])
    return render(
        request,
        "experts/assignment_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Assignment.Status.choices,
            "search": search,
            "companies": companies,
        },
    )


@require_GET
def assignment_detail(request, pk):
    assignment = visible_assignment(request, pk)
    user = request.user
    actions = ASSIGNMENT.available_actions(assignment, user)
    review = selectors.review_visible_to(user, assignment)
    rows = []
    if review is not None:
        rows = review_rows(
            review, services.expected_review_axes(assignment, review), self_assessment(review.diagnostic)
        )
    context = {
        "assignment": assignment,
        "history": selectors.assignment_history(assignment),
        "contacts": selectors.company_contacts(assignment.company),
        "visits": list(assignment.visits.select_related("logged_by").order_by("date", "pk")),
        "review": review,
        "review_rows": rows,
        "actions": actions,
        "can_accept": any(action.name == "accept" for action in actions),
        "can_log_visit": assignment.is_visitable and can_log_visit.test(user, assignment),
    }
    return render(request, "experts/assignment_detail.html", context)


def _expert_moves(request, pk, *, move, done):
    """The assignment's expert makes `move` (a service): 404 if not visible, 403 if not theirs, the
    state's refusal as a message; back on the assignment's page."""
    assignment = visible_assignment(request, pk)
    allowed(can_respond_to_assignment, request.user, assignment)
    with reported(request) as outcome:
        move(assignment=assignment, by=request.user)
    if outcome.ok:
        messages.success(request, done)
    return redirect("experts:assignment", pk=assignment.pk)


@require_POST
def accept(request, pk):
    done = _("You accepted the assignment. Start it when you begin working with the company.")
    return _expert_moves(request, pk, move=services.accept_assignment, done=done)


@require_POST
def start(request, pk):
    return _expert_moves(request, pk, move=services.start_assignment, done=_("The assignment is in progress."))


def _reason_page(request, assignment, form, *, title, button):
    """The page that asks why an assignment is declined or cancelled."""
    context = {"assignment": assignment, "form": form, "title": title, "button": button}
    return render(request, "experts/reason_form.html", context)


@require_http_methods(["GET", "POST"])
def decline(request, pk):
    assignment = visible_assignment(request, pk)
    allowed(can_respond_to_assignment, request.user, assignment)
    form = ReasonForm(request.POST or None, label=_("Why do you decline?"))
    if request.method == "POST" and form.is_valid():
        with reported(request) as outcome:
            services.decline_assignment(assignment=assignment, by=request.user, reason=form.cleaned_data["reason"])
        if outcome.ok:
            messages.success(request, _("You declined the assignment; the officer is told why."))
            return redirect("experts:my_assignments")
        return redirect("experts:assignment", pk=assignment.pk)
    return _reason_page(request, assignment, form, title=_("Decline the assignment"), button=_("Decline"))


@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    assignment = visible_assignment(request, pk)
    allowed(can_cancel_assignment, request.user, assignment)
    form = ReasonForm(request.POST or None, required=False, label=_("Why is it cancelled? (the expert is told)"))
    if request.method == "POST" and form.is_valid():
        with reported(request) as outcome:
            services.cancel_assignment(assignment=assignment, by=request.user, reason=form.cleaned_data["reason"])
        if outcome.ok:
            messages.success(request, _("The assignment is cancelled."))
        return redirect("experts:assignment", pk=assignment.pk)
    return _reason_page(request, assignment, form, title=_("Cancel the assignment"), button=_("Cancel the assignment"))


@require_http_methods(["GET", "POST"])
def log_visit(request, pk):
    assignment = visible_assignment(request, pk)
    allowed(can_log_visit, request.user, assignment)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with reported(request, form) as outcome:
            services.log_visit(assignment=assignment, by=request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("The visit is logged."))
            return redirect("experts:assignment", pk=assignment.pk)
    return render(request, "experts/visit_form.html", {"assignment": assignment, "form": form})


@require_http_methods(["GET", "POST"])
def propose(request, company_pk):
    """Officers of the company's region and staff: the best matched experts, and a proposal form.

    A company the user may not see is a 404; seeing it without the right to propose is a 403.
    """
    company = found(
        selectors.companies_seen_for_assignments(request.user).filter(pk=company_pk).first(),
        _("No company you may see has this number."),
    )
    allowed(can_propose_assignment, request.user, company)
    # Matched on the company's latest diagnostic only if the user may see it (sharing scope).
    diagnostic, weak_axes, top_themes = selectors.matching_inputs_for(company, viewer=request.user)
    proposals = selectors.matching_experts_for(
        company, weak_axes, top_themes, limit=MATCHES_SHOWN, diagnostic=diagnostic
    )
    form = ProposeForm(request.POST or None, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        expert = next(p.expert for p in proposals if p.expert.pk == form.cleaned_data["expert"])
        with reported(request, form) as outcome:
            assignment = services.propose_assignment(
                company=company,
                expert=expert,
                by=request.user,
                due_date=form.cleaned_data["due_date"],
                diagnostic=diagnostic,
                brief=form.cleaned_data["brief"],
            )
        if outcome.ok:
            messages.success(request, _("%(expert)s is proposed; they are told by e-mail.") % {"expert": expert.name})
            return redirect("experts:assignment", pk=assignment.pk)
    axis_titles = selectors.axis_titles()
    return render(
        request,
        "experts/propose.html",
        {
            "company": company,
            "diagnostic": diagnostic,
            "diagnostic_not_shared": diagnostic is None and latest_submitted(company) is not None,
            "weak_axes": [(code, axis_titles.get(code, code)) for code in weak_axes],
            "top_themes": list(selectors.themes().filter(code__in=top_themes)),
            "proposals": proposals,
            "form": form,
        },
    )
