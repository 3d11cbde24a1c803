"""A company's diagnostics and the questionnaire: start, one page per axis with autosave, review, submit.

Objects come through the scoped selectors (not visible: 404); actions the user may not take are
a 403 (Alliance staff read every diagnostic but never answer). Writes go through the services.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from diagnostics import rules, selectors, services
from diagnostics.forms import AnswerForm
from diagnostics.models import DiagnosticAccess
from diagnostics.trend_chart import history_chart
from portal.http import allowed, found
from portal.selectors import companies_visible_to


def _visible_diagnostic(request, pk):
    return found(selectors.visible_diagnostic(request.user, pk), _("No diagnostic you may see has this number."))


def _visible_company(request, company_pk):
    return found(companies_visible_to(request.user).filter(pk=company_pk).first())


def _answers_on_own(request, diagnostic):
    """With several respondents (diagnostics.models.respondents) each member answers on their own while
    the diagnostic is a draft; once submitted, everyone reads the company's answers."""
    return (
        bool(diagnostic.has_respondents)
        and diagnostic.is_draft
        and rules.is_diagnostic_company_member.test(request.user, diagnostic)
    )


def _assigned_axis_codes(request, diagnostic):
    respondent = selectors.respondent_of(diagnostic, request.user)
    return respondent.axis_codes if respondent is not None else []


def _questionnaire_page(request, diagnostic, axis_code):
    """The member's own answers (their assigned axes first) with several respondents, else the company's."""
    if _answers_on_own(request, diagnostic):
        codes = _assigned_axis_codes(request, diagnostic)
        return selectors.respondent_questionnaire_page(diagnostic, axis_code, request.user, codes)
    return selectors.questionnaire_page(diagnostic, axis_code)


def _axis_url(diagnostic, axis, anchor=""):
    url = reverse("diagnostics:axis", args=[diagnostic.pk, axis.code])
    return f"{url}#{anchor}" if anchor else url


@require_GET
def company_diagnostics(request, company_pk):
    """The company's diagnostics, latest first, with the buttons to start one."""
    company = _visible_company(request, company_pk)
    diagnostics = list(selectors.company_diagnostics(company, request.user))
    draft = next((d for d in diagnostics if d.is_draft), None)
    context = {
        "company": company,
        "diagnostics": diagnostics,
        "draft": draft,
        "has_submitted": any(not d.is_draft for d in diagnostics),
        "history_chart": history_chart(diagnostics, company_name=company.name),
        "can_start": rules.can_start_diagnostic.test(request.user, company),
    }
    return render(request, "diagnostics/company_diagnostics.html", context)


@require_POST
def start(request, company_pk):
    """Start a draft (from the previous answers when `from_previous` is posted)."""
    company = _visible_company(request, company_pk)
    allowed(
        rules.can_start_diagnostic,
        request.user,
        company,
        message=_("Only the company's members may start a diagnostic."),
    )
    try:
        diagnostic = services.start_diagnostic(
            company=company, by=request.user, from_previous=request.POST.get("from_previous") == "1"
        )
    except services.DraftAlreadyExists as error:
        messages.info(request, str(error))
        if error.draft is not None:
            return redirect("diagnostics:detail", pk=error.draft.pk)
        return redirect("diagnostics:company_diagnostics", company_pk=company.pk)
    except services.DiagnosticError as error:
        messages.error(request, str(error))
        return redirect("diagnostics:company_diagnostics", company_pk=company.pk)
    messages.success(request, _("Your diagnostic has started. Your answers are saved as you go."))
    return redirect("diagnostics:detail", pk=diagnostic.pk)


@require_GET
def detail(request, pk):
    """A submitted diagnostic shows its results; a draft opens at the first axis with questions left."""
    diagnostic = _visible_diagnostic(request, pk)
    if not diagnostic.is_draft:
        return redirect("diagnostics:results", pk=diagnostic.pk)
    if _answers_on_own(request, diagnostic):
        codes = _assigned_axis_codes(request, diagnostic)
        axes = selectors.axes_with_respondent_progress(diagnostic, request.user, codes)
    else:
        axes = selectors.axes_with_progress(diagnostic)
    if not axes:
        return redirect("diagnostics:review", pk=diagnostic.pk)
    # The core first, axis by axis; then the modules page (first score, suggestions) until the
    # company has decided on each module; then the opened modules' questions; then the review.
    axis = next((axis for axis in axes if axis.core_answered < axis.core_count), None)
    if axis is not None:
        return redirect(_axis_url(diagnostic, axis))
    if axes[0].has_modules and selectors.undecided_modules_exist(diagnostic):
        return redirect("diagnostics:modules", pk=diagnostic.pk)
    axis = next((axis for axis in axes if axis.answered_count < axis.question_count), None)
    if axis is None:
        return redirect("diagnostics:review", pk=diagnostic.pk)
    return redirect(_axis_url(diagnostic, axis))


def _forms_for(page, data=None):
    return [AnswerForm(data, question=question, answer=page.answers.get(question.pk)) for question in page.questions]


@require_http_methods(["GET", "POST"])
def axis_page(request, pk, axis_code):
    """One axis of the questionnaire. GET shows it; POST (JavaScript off) saves the whole page, then goes on."""
    diagnostic = _visible_diagnostic(request, pk)
    page = found(_questionnaire_page(request, diagnostic, axis_code), _("This referential version has no such axis."))
    can_edit = rules.can_edit_diagnostic.test(request.user, diagnostic)
    status = 200
    if request.method == "POST":
        allowed(
            rules.is_diagnostic_company_member,
            request.user,
            diagnostic,
            message=_("Only the company's members may answer its diagnostic."),
        )
        if not can_edit:
            messages.error(request, _("This diagnostic has been submitted: its answers can no longer change."))
            return redirect("diagnostics:detail", pk=diagnostic.pk)
        forms = _forms_for(page, request.POST)
        if all(form.is_valid() for form in forms):
            changed = [
                services.AnswerInput(
                    question=form.question,
                    level=form.cleaned_data["level"],
                    not_applicable=form.cleaned_data["not_applicable"],
                    comment=form.cleaned_data["comment"],
                )
                for form in forms
                if form.differs_from_stored()
            ]
            save = services.save_respondent_answers if diagnostic.has_respondents else services.save_answers
            try:
                save(diagnostic=diagnostic, answers=changed, by=request.user)
            except services.DiagnosticNotDraft as error:
                messages.error(request, str(error))
                return redirect("diagnostics:detail", pk=diagnostic.pk)
            except services.InvalidAnswer as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your answers to this axis are saved."))
                if page.next_axis is not None:
                    return redirect(_axis_url(diagnostic, page.next_axis))
                if page.axis.has_modules:
                    return redirect("diagnostics:modules", pk=diagnostic.pk)
                return redirect("diagnostics:review", pk=diagnostic.pk)
        status = 400
    else:
        forms = _forms_for(page)
        services.record_access(diagnostic=diagnostic, user=request.user, what=DiagnosticAccess.What.ANSWERS)
    evidence = selectors.evidence_by_question(diagnostic.pk, [question.pk for question in page.questions])
    context = {
        "diagnostic": diagnostic,
        "page": page,
        "questions": [
            (question, form, evidence.get(question.pk, []))
            for question, form in zip(page.questions, forms, strict=True)
        ],
        "can_edit": can_edit,
        "is_member": rules.is_diagnostic_company_member.test(request.user, diagnostic),
        "has_errors": status == 400,
        "answers_on_own": _answers_on_own(request, diagnostic),
    }
    return render(request, "diagnostics/axis.html", context, status=status)


def _status_fragment(request, *, answer=None, error=None, status=200):
    context = {"answer": answer, "error": error, "saved_now": answer is not None}
    return render(request, "diagnostics/_save_status.html", context, status=status)


@require_POST
def autosave(request, pk, question_pk):
    """Save one question's answer (htmx, on every change). One request, at most three queries:
    the user, the question of a diagnostic the user may see (with the membership, status and whether it
    has respondents), the upsert: of the company's answer, or with several respondents of the user's own.

    Answers with a small status fragment: saved (who, when) or why not.
    """
    target = found(
        selectors.answer_target(request.user, diagnostic_pk=pk, question_pk=question_pk),
        _("No question of a diagnostic you may see has this number."),
    )
    diagnostic, question = target.diagnostic, target.question
    if not rules.is_diagnostic_company_member.test(request.user, diagnostic):
        return _status_fragment(
            request, error=_("Only the company's members may answer its diagnostic: nothing was saved."), status=403
        )
    if not diagnostic.is_draft:
        return _status_fragment(
            request, error=_("This diagnostic has been submitted: its answers can no longer change."), status=409
        )
    if question.module_id is not None and not question.module_opened:
        return _status_fragment(
            request, error=_("This question belongs to a module that is not open: nothing was saved."), status=409
        )
    form = AnswerForm(request.POST, question=question)
    if not form.is_valid():
        problems = " ".join(str(message) for errors in form.errors.values() for message in errors)
        return _status_fragment(request, error=_("Not saved: %(problems)s") % {"problems": problems}, status=400)
    save = services.save_respondent_answer if diagnostic.has_respondents else services.save_answer
    try:
        answer = save(
            diagnostic=diagnostic,
            question=question,
            level=form.cleaned_data["level"],
            not_applicable=form.cleaned_data["not_applicable"],
            comment=form.cleaned_data["comment"],
            by=request.user,
        )
    except services.DiagnosticNotDraft as error:
        return _status_fragment(request, error=str(error), status=409)
    except services.InvalidAnswer as error:
        return _status_fragment(request, error=_("Not saved: %(problems)s") % {"problems": error}, status=400)
    return _status_fragment(request, answer=answer)


@require_GET
def review(request, pk):
    """What is still missing, with a link to each question, and the submit button."""
    diagnostic = _visible_diagnostic(request, pk)
    services.record_access(diagnostic=diagnostic, user=request.user, what=DiagnosticAccess.What.ANSWERS)
    axes = selectors.axes_with_progress(diagnostic)
    missing = selectors.missing_questions(diagnostic) if diagnostic.is_draft else []
    by_axis = {}
    for question in missing:
        by_axis.setdefault(question.axis_id, []).append(question)
    context = {
        "diagnostic": diagnostic,
        "axes": axes,
        "progress": selectors.overall_progress(axes),
        "missing": missing,
        "missing_by_axis": [(axis, by_axis[axis.pk]) for axis in axes if axis.pk in by_axis],
        "can_edit": rules.can_edit_diagnostic.test(request.user, diagnostic),
        "respondents": _respondents_panel(request, diagnostic),
    }
    return render(request, "diagnostics/review.html", context)


def _respondents_panel(request, diagnostic):
    """What the review page says of the respondents: for members, whether there are some, and for the
    lead how many questions await the consensus (one query, with several respondents only)."""
    if not rules.is_diagnostic_company_member.test(request.user, diagnostic):
        return None
    is_lead = rules.is_diagnostic_lead.test(request.user, diagnostic)
    pending = []
    if diagnostic.has_respondents and diagnostic.is_draft:
        pending = selectors.questions_awaiting_consensus(diagnostic)
    return {"several": diagnostic.has_respondents, "is_lead": is_lead, "pending": pending}


@require_POST
def submit(request, pk):
    """Submit a complete draft: the answers freeze and the scores are computed once; then the results."""
    diagnostic = _visible_diagnostic(request, pk)
    allowed(
        rules.is_diagnostic_company_member,
        request.user,
        diagnostic,
        message=_("Only the company's members may submit its diagnostic."),
    )
    try:
        services.submit_diagnostic(diagnostic=diagnostic, by=request.user)
    except services.DiagnosticNotDraft as error:
        messages.info(request, str(error))
        return redirect("diagnostics:results", pk=diagnostic.pk)
    except services.ConsensusPending as error:
        messages.error(request, str(error))
        return redirect("diagnostics:review", pk=diagnostic.pk)
    except services.IncompleteDiagnostic as error:
        messages.error(
            request,
            _("The diagnostic cannot be submitted yet: %(count)s question(s) have no answer (%(codes)s).")
            % {"count": len(error.missing), "codes": ", ".join(question.code for question in error.missing)},
        )
        return redirect("diagnostics:review", pk=diagnostic.pk)
    messages.success(request, _("Your diagnostic is submitted. Here are your results."))
    return redirect("diagnostics:results", pk=diagnostic.pk)
