"""The PDF report of a submitted diagnostic: its live status (htmx), its download, a new render.

The diagnostic comes through the scoped selector: a diagnostic the user may not see is a 404, and
so is its report, before any link is signed (no public media URL exists: the file is only served
here, streamed from local disk or through a short-lived presigned URL of the object storage). Asking for a new
render is for the company's owners and Alliance staff (403 for the other viewers); updating the
report with today's figures (its peer group and next steps are otherwise frozen at submit), for the
company's owners.
"""

import logging

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diagnostics import rules, selectors
from diagnostics.models import DiagnosticAccess
from diagnostics.services import record_access, report_figures
from diagnostics.services import report as reports
from portal.http import allowed, found
from portal.storage import StoredFileMissing, download_response

logger = logging.getLogger(__name__)
STATUS_TEMPLATE = "diagnostics/report/status.html"
STATUS_PAGE_TEMPLATE = "diagnostics/report/status_page.html"
MISSING_TEMPLATE = "diagnostics/report/missing.html"


def _submitted_diagnostic(request, pk):
    diagnostic = selectors.visible_diagnostic(request.user, pk)
    return found(
        diagnostic if diagnostic is not None and not diagnostic.is_draft else None,
        _("No submitted diagnostic matches this address."),
    )


def _status(request, diagnostic, report=None):
    report = report or reports.latest_report(diagnostic)
    ready = report if report is None or report.is_ready else reports.latest_ready_report(diagnostic)
    context = {"diagnostic": diagnostic, "report": report, "ready_report": ready}
    # htmx swaps the block in the results page; opened directly, it is a whole page (title, heading).
    response = render(request, STATUS_TEMPLATE if request.htmx else STATUS_PAGE_TEMPLATE, context)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def report_status(request, pk):
    """The status fragment, polled by htmx while the report is being prepared; a page when opened directly."""
    return _status(request, _submitted_diagnostic(request, pk))


def download_name(diagnostic):
    """A readable file name: "rapport-diagnostic-<company>-<date>.pdf" in the user's language."""
    date = timezone.localtime(diagnostic.submitted_at).date().isoformat() if diagnostic.submitted_at else ""
    parts = [slugify(_("diagnostic report")), slugify(diagnostic.company.name)[:80], date]
    return "-".join(part for part in parts if part) + ".pdf"


@require_GET
def report_download(request, pk):
    """The latest ready PDF of a diagnostic the user may see."""
    diagnostic = _submitted_diagnostic(request, pk)
    report = found(reports.latest_ready_report(diagnostic), _("This diagnostic's report is not ready yet."))
    try:
        response = download_response(
            report.file.storage, report.file.name, filename=download_name(diagnostic), content_type="application/pdf"
        )
    except StoredFileMissing:
        logger.error("report %s is ready but its file %s is missing from the storage", report.pk, report.file.name)
        return render(request, MISSING_TEMPLATE, {"diagnostic": diagnostic, "report": report}, status=404)
    record_access(diagnostic=diagnostic, user=request.user, what=DiagnosticAccess.What.REPORT)
    return response


def _ask_for_report(request, pk, *, rule, refused, ask, up_to_date, preparing):
    """Find the submitted diagnostic (404), check `rule` (403 with `refused`), `ask(diagnostic)` for its
    report, and answer with the status block (htmx) or back on the results page with a message."""
    diagnostic = _submitted_diagnostic(request, pk)
    allowed(rule, request.user, diagnostic, message=refused)
    report = ask(diagnostic)
    if request.htmx:
        return _status(request, diagnostic, report)
    if report.is_ready:
        messages.info(request, up_to_date)
    else:
        messages.success(request, preparing)
    return redirect("diagnostics:results", pk=diagnostic.pk)


@require_POST
def report_rerender(request, pk):
    """Ask for the report of the diagnostic's current inputs (a no-op when the ready one is up to date)."""
    return _ask_for_report(
        request,
        pk,
        rule=reports.can_rerender_report,
        refused=_("Only the company's owner or the Alliance team can ask for a new report."),
        ask=lambda diagnostic: reports.request_report(diagnostic, by=request.user),
        up_to_date=_("The report is up to date."),
        preparing=_("The report is being prepared. We e-mail you when it is ready."),
    )


@require_POST
def update_report_figures(request, pk):
    """Take the report's peer group and next steps again, as of today, and ask for the report made from them."""
    return _ask_for_report(
        request,
        pk,
        rule=rules.can_update_report_figures,
        refused=_("Only the company's owner can update the report with today's figures."),
        ask=lambda diagnostic: report_figures.update_report_figures(diagnostic=diagnostic, by=request.user),
        up_to_date=_("The report already has today's figures."),
        preparing=_("The report is being prepared with today's figures. We e-mail you when it is ready."),
    )
