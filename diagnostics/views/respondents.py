"""Several respondents on a diagnostic: who is asked (and inviting more), the divergence, the consensus step.

The diagnostic comes through the scoped `visible_diagnostic` (not visible: 404). The divergence
names the company's people: whoever may see the diagnostic without the right to see it gets a 404
too. Inviting and settling the consensus are the lead's (diagnostics.rules): other members get a 403.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from diagnostics import rules, selectors, services
from diagnostics.forms import AnswerForm
from diagnostics.models import Axis
from diagnostics.respondent_forms import RespondentInviteForm
from portal.http import allowed, found
from portal.models import User
from portal.rules import can_invite_colleague

UNDISPUTED = "undisputed"  # the consensus step's action: keep every answer nobody disputes


def _visible_diagnostic(request, pk):
    return found(selectors.visible_diagnostic(request.user, pk), _("No diagnostic you may see has this number."))


def _invite_form(request, diagnostic, respondents, data=None):
    asked = {respondent.user_id for respondent in respondents} | {r.email.lower() for r in respondents}
    members = [
        user
        for user in User.objects.filter(memberships__company_id=diagnostic.company_id).order_by("last_name", "email")
        if user.pk not in asked and user.email.lower() not in asked
    ]
    axes = Axis.objects.filter(referential_id=diagnostic.referential_id).order_by("order", "pk")
    return RespondentInviteForm(
        data,
        members=members,
        axes=axes,
        may_invite_by_email=can_invite_colleague.test(request.user, diagnostic.company),
    )


@require_http_methods(["GET", "POST"])
def respondents(request, pk):
    """Who answers the diagnostic (members see the list); its lead invites more while it is a draft."""
    diagnostic = _visible_diagnostic(request, pk)
    if not rules.is_diagnostic_company_member.test(request.user, diagnostic):
        raise Http404(_("No diagnostic you may see has this number."))
    can_manage = rules.can_manage_respondents.test(request.user, diagnostic)
    respondents = selectors.respondents_of(diagnostic)
    status = 200
    form = None
    if request.method == "POST":
        allowed(
            rules.is_diagnostic_lead,
            request.user,
            diagnostic,
            message=_("Only the diagnostic's lead may invite respondents."),
        )
        if not diagnostic.is_draft:
            messages.error(request, _("This diagnostic has been submitted: its answers can no longer change."))
            return redirect("diagnostics:respondents", pk=diagnostic.pk)
        form = _invite_form(request, diagnostic, respondents, request.POST)
        if form.is_valid():
            try:
                respondent = services.invite_respondent(
                    diagnostic=diagnostic,
                    function=form.cleaned_data["function"],
                    user=form.cleaned_data["user"],
                    email=form.cleaned_data.get("email") or "",
                    axis_codes=form.cleaned_data["axes"],
                    by=request.user,
                )
            except (services.DiagnosticNotDraft, services.RespondentRefused) as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(who)s is invited to answer the diagnostic.") % {"who": respondent.user or respondent.email},
                )
                return redirect("diagnostics:respondents", pk=diagnostic.pk)
        status = 400
    elif can_manage:
        form = _invite_form(request, diagnostic, respondents)
    context = {
        "diagnostic": diagnostic,
        "respondents": respondents,
        "form": form,
        "can_manage": can_manage,
    }
    return render(request, "diagnostics/respondents.html", context, status=status)


@require_GET
def divergence(request, pk):
    """Who answered what, per axis and question, with the spread; the widest disagreements flagged."""
    diagnostic = _visible_diagnostic(request, pk)
    if not rules.can_view_divergence.test(request.user, diagnostic):
        raise Http404(_("No diagnostic you may see has this number."))
    axes = selectors.divergence_for(diagnostic)
    context = {
        "diagnostic": diagnostic,
        "axes": axes,
        "threshold": selectors.DIVERGENCE_THRESHOLD,
        "diverging_count": sum(axis.diverging_count for axis in axes),
        "can_set_consensus": rules.can_set_consensus.test(request.user, diagnostic),
    }
    return render(request, "diagnostics/divergence.html", context)


def _consensus_form(row, data=None):
    """The consensus of one question: the level and the note, prefilled with the company's answer once
    set, else the lead's own answer or the median (`selectors.ConsensusRow`)."""
    question = row.divergence.question
    if row.answer is not None and row.decision is not None:
        initial = row.answer
    else:
        initial = _Prefill(level=row.prefill_level, not_applicable=row.prefill_not_applicable, comment="")
    if initial.not_applicable and not question.allows_not_applicable:
        initial = _Prefill(level=None, not_applicable=False, comment=initial.comment)
    return AnswerForm(data, question=question, answer=initial)


class _Prefill:
    def __init__(self, *, level, not_applicable, comment):
        self.level, self.not_applicable, self.comment = level, not_applicable, comment


@require_http_methods(["GET", "POST"])
def consensus(request, pk):
    """The consensus step: for each question the respondents answered, the lead sets the company's answer
    with a note. POST settles one question (its pk in `question`) and comes back to it."""
    diagnostic = _visible_diagnostic(request, pk)
    if not rules.is_diagnostic_company_member.test(request.user, diagnostic):
        raise Http404(_("No diagnostic you may see has this number."))
    allowed(
        rules.is_diagnostic_lead,
        request.user,
        diagnostic,
        message=_("Only the diagnostic's lead settles the company's answers."),
    )
    if not diagnostic.is_draft:
        messages.info(request, _("This diagnostic has been submitted: its answers can no longer change."))
        return redirect("diagnostics:results", pk=diagnostic.pk)
    if request.method == "POST" and request.POST.get("action") == UNDISPUTED:
        return _settle_undisputed(request, diagnostic)
    rows = selectors.consensus_rows(diagnostic, request.user)
    status = 200
    posted = _posted_question(request, rows) if request.method == "POST" else None
    if request.method == "POST" and posted is None:
        messages.error(request, _("Nothing was saved: this question is not one the respondents answered."))
        status = 400
    forms = {}
    for _axis, axis_rows in rows:
        for row in axis_rows:
            question = row.divergence.question
            forms[question.pk] = _consensus_form(row, request.POST if question.pk == posted else None)
    if posted is not None:
        form = forms[posted]
        if form.is_valid():
            try:
                services.set_consensus(
                    diagnostic=diagnostic,
                    question=form.question,
                    level=form.cleaned_data["level"],
                    not_applicable=form.cleaned_data["not_applicable"],
                    note=form.cleaned_data["comment"],
                    by=request.user,
                )
            except services.DiagnosticNotDraft as error:
                messages.error(request, str(error))
                return redirect("diagnostics:detail", pk=diagnostic.pk)
            except services.InvalidAnswer as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The company's answer to “%(question)s” is set.") % {"question": form.question.text}
                )
                url = reverse("diagnostics:consensus", args=[diagnostic.pk])
                return redirect(f"{url}#q-{form.question.code}")
        status = 400
    context = {
        "diagnostic": diagnostic,
        "axes": [(axis, [(row, forms[row.divergence.question.pk]) for row in axis_rows]) for axis, axis_rows in rows],
        "pending": sum(1 for _axis, axis_rows in rows for row in axis_rows if row.decision is None),
        "undisputed": sum(1 for _axis, axis_rows in rows for row in axis_rows if row.undisputed),
        "has_errors": status == 400,
    }
    return render(request, "diagnostics/consensus.html", context, status=status)


def _settle_undisputed(request, diagnostic):
    """Keep, in one step, the answer of every question nobody disputes; back to the consensus step."""
    try:
        decisions = services.settle_undisputed(diagnostic=diagnostic, by=request.user)
    except services.DiagnosticNotDraft as error:
        messages.error(request, str(error))
        return redirect("diagnostics:detail", pk=diagnostic.pk)
    if decisions:
        messages.success(
            request,
            ngettext(
                "The company's answer is set to the one the respondents gave for %(count)s question.",
                "The company's answer is set to the one the respondents gave for %(count)s questions.",
                len(decisions),
            )
            % {"count": len(decisions)},
        )
    else:
        messages.info(request, _("No question awaiting the company's answer is undisputed."))
    return redirect("diagnostics:consensus", pk=diagnostic.pk)


def _posted_question(request, rows):
    """The pk of the question posted if it is one of the consensus step's, else None."""
    raw = request.POST.get("question", "")
    pks = {row.divergence.question.pk for _axis, axis_rows in rows for row in axis_rows}
    return int(raw) if raw.isdigit() and int(raw) in pks else None
