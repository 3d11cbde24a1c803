"""The expert's review of an in-progress assignment: levels beside the self-assessment, comments, actions."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from experts import selectors, services
from experts.forms import ActionFormSet, ReviewForm, review_error_summary
from experts.models import Assignment
from experts.panels import self_assessment
from experts.rules import can_write_review
from experts.services.reviews import reviewed_diagnostic
from experts.views.assignments import visible_assignment
from portal.http import allowed, reported


@require_http_methods(["GET", "POST"])
def review(request, pk):
    """The assigned expert writes the review; "save" keeps a draft only they see, whatever is still
    missing; "submit" checks that nothing is (each error beside its field, listed at the top) and,
    with the closing confirmed, closes the assignment."""
    assignment = visible_assignment(request, pk)
    allowed(can_write_review, request.user, assignment)
    if assignment.status != Assignment.Status.IN_PROGRESS:
        messages.info(request, _("A review is written while the assignment is in progress."))
        return redirect("experts:assignment", pk=assignment.pk)
    existing = selectors.review_of(assignment)
    diagnostic = existing.diagnostic if existing and existing.diagnostic_id else reviewed_diagnostic(assignment)
    axes = services.expected_review_axes(assignment, existing)
    submit = request.method == "POST" and "submit" in request.POST
    form = ReviewForm(
        request.POST or None,
        initial=ReviewForm.initial_for(existing) if existing else None,
        axes=axes,
        self_scores=self_assessment(diagnostic),
        validated_scores={
            row.axis_code: row.validated_score
            for row in (existing.axes.all() if existing else [])
            if row.validated_score is not None
        },
        submitting=submit,
    )
    if request.method == "POST":
        formset = ActionFormSet(request.POST, prefix="actions", form_kwargs={"submitting": submit})
    else:
        actions = existing.actions.all() if existing else []
        formset = ActionFormSet(
            prefix="actions",
            initial=[{"recommendation": a.recommendation, "owner": a.owner, "due_date": a.due_date} for a in actions],
        )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        write = services.submit_review if submit else services.save_review_draft
        with reported(request, form) as outcome:
            write(
                assignment=assignment,
                by=request.user,
                levels=form.levels(),
                comments=form.comments(),
                summary=form.cleaned_data["summary"],
                actions=[action.cleaned_data for action in formset.forms if action.cleaned_data],
            )
        if outcome.ok:
            if submit:
                messages.success(request, _("Your review is submitted and the assignment is closed. Thank you!"))
                return redirect("experts:assignment", pk=assignment.pk)
            messages.success(request, _("Your draft is saved; only you can see it."))
            return redirect("experts:review", pk=assignment.pk)
    context = {
        "assignment": assignment,
        "diagnostic": diagnostic,
        "form": form,
        "formset": formset,
        "review": existing,
        "error_summary": review_error_summary(form, formset) if request.method == "POST" else [],
    }
    return render(request, "experts/review_form.html", context)
