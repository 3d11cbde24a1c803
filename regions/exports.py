"""CSV and XLSX exports of enrolments and expenses. Rows come from the dashboard's filtered queryset,
read with `iterator()` (constant memory); every cell goes through `portal.spreadsheets` (text that a
spreadsheet would run as a formula is neutralised)."""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.spreadsheets import csv_cell, xlsx_cell
from regions.models import Expense

FORMATS = {"csv", "xlsx"}


def _enrolment_rows(enrolments):
    header = [
        _("Application"),
        _("Programme"),
        _("Region"),
        _("Company"),
        _("SIRET"),
        _("NAF division"),
        _("NAF section"),
        _("Headcount"),
        _("Status"),
        _("Requested (EUR)"),
        _("Committed (EUR)"),
        _("Spent (EUR)"),
        _("Applied at"),
        _("Decided at"),
    ]
    rows = (
        enrolments.select_related("programme__region", "company__naf_division__section")
        .order_by("programme__name", "company__name", "pk")
        .iterator(chunk_size=2000)
    )

    def values():
        for e in rows:
            division = e.company.naf_division
            yield [
                e.pk,
                e.programme.name,
                e.programme.region.code,
                e.company.name,
                e.company.siret,
                division.code,
                division.section.code if division.section_id else "",
                e.company.headcount_band,
                e.get_status_display(),
                e.requested_amount,
                e.committed_amount,
                e.spent_total,
                _local(e.applied_at),
                _local(e.decided_at),
            ]

    return header, values()


def _expense_rows(enrolments):
    header = [
        _("Expense"),
        _("Application"),
        _("Programme"),
        _("Company"),
        _("Kind"),
        _("Label"),
        _("Date"),
        _("Amount (EUR)"),
        _("Cancelled"),
        _("Source"),
        _("Booked at"),
    ]
    rows = (
        Expense.objects.filter(enrolment__in=enrolments.values("pk"))
        .select_related("enrolment__programme", "enrolment__company")
        .order_by("enrolment__programme__name", "incurred_on", "pk")
        .iterator(chunk_size=2000)
    )

    def values():
        for x in rows:
            yield [
                x.pk,
                x.enrolment_id,
                x.enrolment.programme.name,
                x.enrolment.company.name,
                x.get_kind_display(),
                x.label,
                x.incurred_on,
                x.amount,
                _("yes") if x.cancelled_at else _("no"),
                x.source_reference,
                _local(x.booked_at),
            ]

    return header, values()


def _local(moment):
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


class _Echo:
    def write(self, value):
        return value


def export_response(*, kind, fmt, enrolments):
    header, rows = _enrolment_rows(enrolments) if kind == "enrolments" else _expense_rows(enrolments)
    stamp = timezone.localdate().isoformat()
    filename = f"{'candidatures' if kind == 'enrolments' else 'depenses'}-{stamp}.{fmt}"
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # the BOM lets spreadsheets read UTF-8
            yield writer.writerow([csv_cell(str(title)) for title in header])
            for row in rows:
                yield writer.writerow([csv_cell(value) for value in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(_("Applications") if kind == "enrolments" else _("Expenses"))[:31])
        sheet.append([xlsx_cell(str(title)) for title in header])
        for row in rows:
            sheet.append([xlsx_cell(value) for value in row])
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        workbook.save(response)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
