"""The owner's "update with today's figures": the report's frozen figures (peer group, next steps) are
taken again and the report of the new inputs is asked for (rendered once, as any report)."""

from django.utils.translation import gettext as _

from diagnostics.exceptions import ReportError
from diagnostics.reports.snapshot import freeze_report_figures
from diagnostics.services.report import request_report


def update_report_figures(*, diagnostic, by):
    """Take the report's figures again now and ask for the report made from them. Returns the report
    row: a new one, queued, when the figures moved; the ready one when nothing changed since.
    Raises ReportError for a draft."""
    if diagnostic.is_draft:
        raise ReportError(_("Only a submitted diagnostic has a report."))
    row = freeze_report_figures(diagnostic=diagnostic)
    return request_report(row, by=by)
