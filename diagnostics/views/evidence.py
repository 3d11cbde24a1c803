"""Evidence on answers: the page of one question's evidence (add a file or a link, remove), and the download.

The diagnostic comes through the scoped selector, so another company's evidence is a 404 for
everyone outside it; adding and removing are for the company's members while it is a draft (403 for
the others who may read it). Files are streamed by `evidence_download` only, never from a public
address: whoever may read the diagnostic (its members, the assigned expert, staff once submitted…).
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from diagnostics import rules, selectors, services
from diagnostics.forms import EvidenceFileForm, EvidenceLinkForm
from diagnostics.models import DiagnosticAccess
from portal.http import allowed, found, reported
from portal.storage import StoredFileMissing, stream_response

logger = logging.getLogger(__name__)
FILE, LINK = "file", "link"


def _visible_diagnostic(request, pk):
    return found(selectors.visible_diagnostic(request.user, pk), _("No diagnostic you may see has this number."))


def _may_manage(request, diagnostic):
    allowed(
        rules.can_manage_evidence,
        request.user,
        diagnostic,
        message=_("Only the company's members may add or remove evidence, while the diagnostic is a draft."),
    )


@require_http_methods(["GET", "POST"])
def evidence(request, pk, question_pk):
    """One question's answer and its evidence; members of the company add a file or a link while it is a draft."""
    diagnostic = _visible_diagnostic(request, pk)
    question = found(
        selectors.diagnostic_question(diagnostic, question_pk), _("This referential version has no such question.")
    )
    file_form = EvidenceFileForm(prefix=FILE)
    link_form = EvidenceLinkForm(prefix=LINK)
    status = 200
    if request.method == "POST":
        _may_manage(request, diagnostic)
        kind = request.POST.get("kind")
        if kind == FILE:
            file_form = EvidenceFileForm(request.POST, request.FILES, prefix=FILE)
            form = file_form
        elif kind == LINK:
            link_form = EvidenceLinkForm(request.POST, prefix=LINK)
            form = link_form
        else:
            form = None
            messages.error(request, _("Choose a file or give a link."))
        if form is not None and form.is_valid():
            with reported(request, form) as outcome:
                if kind == FILE:
                    services.attach_evidence_file(
                        diagnostic=diagnostic, question=question, upload=form.cleaned_data["file"], by=request.user
                    )
                else:
                    services.attach_evidence_link(
                        diagnostic=diagnostic,
                        question=question,
                        url=form.cleaned_data["url"],
                        title=form.cleaned_data["title"],
                        by=request.user,
                    )
            if outcome.ok:
                messages.success(request, _("The evidence is attached to the answer."))
                return redirect("diagnostics:evidence", pk=diagnostic.pk, question_pk=question.pk)
        status = 400
    else:
        services.record_access(diagnostic=diagnostic, user=request.user, what=DiagnosticAccess.What.ANSWERS)
    answer = selectors.answer_of(diagnostic, question)
    chosen = None if answer is None or answer.level is None else answer.level
    context = {
        "diagnostic": diagnostic,
        "question": question,
        "answer": answer,
        "chosen_level": next((level for level in question.levels.all() if level.level == chosen), None),
        "evidence": selectors.evidence_by_question(diagnostic.pk, [question.pk]).get(question.pk, []),
        "can_manage": rules.can_manage_evidence.test(request.user, diagnostic),
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
        "max_count": settings.EVIDENCE_MAX_PER_ANSWER,
        "file_form": file_form,
        "link_form": link_form,
    }
    return render(request, "diagnostics/evidence.html", context, status=status)


@require_POST
def evidence_remove(request, pk, evidence_pk):
    """Remove a piece of evidence (the company's members, while the diagnostic is a draft)."""
    item = found(
        selectors.visible_evidence(request.user, diagnostic_pk=pk, evidence_pk=evidence_pk),
        _("No evidence you may see has this number."),
    )
    diagnostic = _visible_diagnostic(request, pk)
    _may_manage(request, diagnostic)
    question_pk = item.answer.question_id
    with reported(request) as outcome:
        services.remove_evidence(evidence=item, by=request.user)
    if outcome.ok:
        messages.success(request, _("The evidence is removed."))
    return redirect("diagnostics:evidence", pk=pk, question_pk=question_pk)


@require_GET
def evidence_download(request, pk, evidence_pk):
    """A file attached to an answer, streamed to whoever may read the diagnostic (404 for anyone else)."""
    item = found(
        selectors.visible_evidence(request.user, diagnostic_pk=pk, evidence_pk=evidence_pk),
        _("No evidence you may see has this number."),
    )
    if not item.is_file:
        raise Http404(_("This evidence is a link, not a file."))
    try:
        response = stream_response(
            item.file.storage, item.file.name, filename=item.filename, content_type=item.content_type
        )
    except StoredFileMissing:
        logger.error("evidence %s points at %s, missing from the storage", item.pk, item.file.name)
        raise Http404(_("This file is no longer in the storage.")) from None
    services.record_access(diagnostic=item.answer.diagnostic, user=request.user, what=DiagnosticAccess.What.ANSWERS)
    return response
