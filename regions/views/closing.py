"""Closing a programme for good (a confirmation page) and its closing statement (page, PDF, CSV, XLSX):
the officers of the programme's region and staff. Another region's programme: 404; a programme not
closed for good has no statement: 404."""

import logging

from django.contrib import messages
from django.db.models import F
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.http import allowed, found, reported
from portal.money import ZERO
from portal.spreadsheets import csv_layout
from portal.storage import StoredFileMissing, download_response
from regions import selectors, services
from regions.closing import closing_statement
from regions.exports import FORMATS, statement_response
from regions.forms import SettleForm
from regions.models import ClosingStatement, Programme
from regions.rules import can_read_closing_statement, can_settle_programme
from regions.services.settlement import pending_claims, pending_decisions, unspent_commitments
from regions.workflows import PROGRAMME

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def programme_settle(request, pk):
    """The confirmation page of closing a programme for good: what waits for a decision, what goes back."""
    programme = found(selectors.programme_for_officer(request.user, pk))
    allowed(can_settle_programme, request.user, programme)
    if programme.status == Programme.Status.SETTLED:
        return redirect("regions:closing_statement", pk=programme.pk)
    if not PROGRAMME.allows(programme.status, Programme.Status.SETTLED):
        messages.error(request, _("Open the programme before closing it for good."))
        return redirect("regions:programme_detail", pk=programme.pk)
    form = SettleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with reported(request, form) as outcome:
            services.settle_programme(programme=programme, by=request.user, comment=form.cleaned_data["comment"])
        if outcome.ok:
            messages.success(request, _("The programme is closed for good; its closing statement is being drawn."))
            return redirect("regions:closing_statement", pk=programme.pk)
    releases = list(
        unspent_commitments(programme)
        .annotate(unspent=F("committed_amount") - F("spent_total") - F("certified_total"))
        .select_related("company")
        .order_by("company__name", "pk")
    )
    context = {
        "programme": programme,
        "form": form,
        "pending": pending_decisions(programme),
        "pending_claims": pending_claims(programme),
        "releases": releases,
        "release_total": sum((e.unspent for e in releases), ZERO),
    }
    return render(request, "regions/programme_settle.html", context, status=400 if form.errors else 200)


def _settled_programme(request, pk):
    programme = found(selectors.programme_for_officer(request.user, pk))
    allowed(can_read_closing_statement, request.user, programme)
    if programme.status != Programme.Status.SETTLED:
        raise Http404(_("This programme is not closed for good: it has no closing statement yet."))
    return programme


@require_GET
def statement(request, pk):
    """The closing statement on screen, with its downloads."""
    programme = _settled_programme(request, pk)
    context = {
        "programme": programme,
        "statement": closing_statement(programme),
        "pdf": ClosingStatement.objects.filter(programme=programme).first(),
    }
    return render(request, "regions/closing_statement.html", context)


@require_GET
def statement_pdf(request, pk):
    """The PDF drawn by the report workers, once it is ready."""
    programme = _settled_programme(request, pk)
    pdf = found(
        ClosingStatement.objects.filter(programme=programme, status=ClosingStatement.Status.READY).first(),
        _("The closing statement's PDF is not ready yet."),
    )
    filename = f"{slugify(_('closing statement'))}-{slugify(programme.name)[:80]}.pdf"
    try:
        return download_response(pdf.file.storage, pdf.file.name, filename=filename, content_type="application/pdf")
    except StoredFileMissing as error:
        logger.error("closing statement %s is ready but its file %s is missing", pdf.pk, pdf.file.name)
        raise Http404(_("The closing statement's file is missing; tell the portal's team.")) from error


@require_GET
def statement_export(request, pk, fmt):
    """The closing statement as CSV (the user's spreadsheet layout) or XLSX."""
    programme = _settled_programme(request, pk)
    if fmt not in FORMATS:
        raise Http404
    layout = csv_layout(get_language(), request.GET.get("format", ""))
    if layout is None:
        return HttpResponseBadRequest(_("Unknown export format: use csv-standard or csv-local."))
    return statement_response(statement=closing_statement(programme), fmt=fmt, layout=layout)
