"""The expert validates the reviewed diagnostic question by question, on one page: the company's
answer, its evidence (downloaded through the diagnostics app's permission-checked view) and, per
question, the level confirmed or adjusted with a reason. The axes' validated scores follow."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from experts import selectors, services
from experts.forms import ValidationForm
from experts.models import Assignment
from experts.rules import can_write_review
from experts.services.reviews import reviewed_diagnostic
from experts.validation_page import validation_page
from experts.views.assignments import visible_assignment
from portal.http import allowed, reported


@require_http_methods(["GET", "POST"])
def validation(request, pk):
    """The assigned expert confirms or adjusts each question's level (a reason for each change)."""
    assignment = visible_assignment(request, pk)
    allowed(can_write_review, request.user, assignment)
    if assignment.status != Assignment.Status.IN_PROGRESS:
        messages.info(request, _("The questions are validated while the assignment is in progress."))
        return redirect("experts:assignment", pk=assignment.pk)
    review = selectors.review_of(assignment)
    diagnostic = review.diagnostic if review is not None and review.diagnostic_id else reviewed_diagnostic(assignment)
    if diagnostic is None or diagnostic.is_draft:
        messages.info(request, _("The company has no submitted diagnostic to validate yet."))
        return redirect("experts:assignment", pk=assignment.pk)
    if review is not None and review.is_submitted:
        messages.info(request, _("This review has already been submitted."))
        return redirect("experts:assignment", pk=assignment.pk)
    blocks = validation_page(diagnostic, review)
    form = ValidationForm(request.POST or None, blocks=blocks)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with reported(request, form) as outcome:
                services.validate_questions(
                    assignment=assignment,
                    by=request.user,
                    verdicts={
                        code: services.QuestionVerdict(level=level, reason=reason)
                        for code, (level, reason) in form.verdicts().items()
                    },
                )
            if outcome.ok:
                messages.success(request, _("Your validation is saved; the axes' validated scores follow from it."))
                return redirect("experts:validation", pk=assignment.pk)
        status = 400
    context = {"assignment": assignment, "diagnostic": diagnostic, "blocks": blocks, "form": form, "review": review}
    return render(request, "experts/validation.html", context, status=status)
