"""CSV and XLSX exports of enrolments and expenses. Rows come from the dashboard's filtered queryset,
read with `iterator()` (constant memory); every cell goes through `portal.spreadsheets` (text that a
spreadsheet would run as a formula is neutralised). A CSV file is written in the layout a spreadsheet
of the user's language reads (in French: ";" between columns, a decimal comma), with a BOM so that
it reads UTF-8; `?format=csv-standard` asks for commas and decimal points."""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Region
from portal.money import cents
from portal.spreadsheets import STANDARD_CSV, csv_cell, xlsx_cell
from regions.models import Enrolment, Expense

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
    # Plain tuples, not six model instances a row (application, programme, region, company, division,
    # section): the export of a region's applications spends most of its time building them otherwise.
    rows = (
        enrolments.order_by("programme__name", "company__name", "pk")
        .values_list(
            "pk",
            "programme__name",
            "programme__region__code",
            "company__name",
            "company__siret",
            "company__naf_division__code",
            "company__naf_division__section__code",
            "company__headcount_band",
            "status",
            "requested_amount",
            "committed_amount",
            "spent_total",
            "applied_at",
            "decided_at",
        )
        .iterator(chunk_size=2000)
    )
    status_labels = {status: str(label) for status, label in Enrolment.Status.choices}
    region_names = {region.code: str(region) for region in Region.objects.all()}  # "Bretagne", not "53"

    def values():
        for row in rows:
            (pk, programme, region, company, siret, division, section, headcount, status, *amounts) = row
            requested, committed, spent, applied_at, decided_at = amounts
            yield [
                pk,
                programme,
                region_names.get(region, region),
                company,
                siret,
                division,
                section or "",
                headcount,
                status_labels.get(status, status),
                requested,
                committed,
                spent,
                _local(applied_at),
                _local(decided_at),
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


def export_response(*, kind, fmt, enrolments, layout=STANDARD_CSV):
    header, rows = _enrolment_rows(enrolments) if kind == "enrolments" else _expense_rows(enrolments)
    stamp = timezone.localdate().isoformat()
    filename = f"{'candidatures' if kind == 'enrolments' else 'depenses'}-{stamp}.{fmt}"
    if fmt == "csv":
        writer = csv.writer(_Echo(), delimiter=layout.delimiter)

        def lines():
            yield "\ufeff"  # the BOM lets spreadsheets read UTF-8
            yield writer.writerow([csv_cell(str(title)) for title in header])
            for row in rows:
                yield writer.writerow([csv_cell(value, layout) for value in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(_("Applications") if kind == "enrolments" else _("Expenses"))[:31])
        sheet.append([xlsx_cell(sheet, str(title)) for title in header])
        for row in rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        workbook.save(response)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _statement_rows(statement):
    """The closing statement (`regions.closing.closing_statement`): one row per company, then the totals
    with the programme's budget."""
    header = [
        _("Company"),
        _("SIRET"),
        _("Budget (EUR)"),
        _("Share of the budget (%)"),
        _("Committed (EUR)"),
        _("Spent (EUR)"),
        _("Certified (EUR)"),
        _("Paid (EUR)"),
        _("Released (EUR)"),
        _("Still committed (EUR)"),
    ]

    def amounts(row):
        return [
            cents(value)
            for value in (row.committed, row.spent, row.certified, row.paid, row.released, row.still_committed)
        ]

    rows = [[row.company, row.siret, None, row.budget_share, *amounts(row)] for row in statement.rows]
    rows.append([_("Total"), "", statement.budget, statement.total.budget_share, *amounts(statement.total)])
    return header, rows


def statement_response(*, statement, fmt, layout=STANDARD_CSV):
    """The closing statement as a CSV (in `layout`, with a BOM) or XLSX attachment."""
    header, rows = _statement_rows(statement)
    filename = f"bilan-cloture-{statement.programme.pk}.{fmt}"
    if fmt == "csv":
        writer = csv.writer(_Echo(), delimiter=layout.delimiter)
        lines = ["\ufeff", writer.writerow([csv_cell(str(title)) for title in header])]
        lines += [writer.writerow([csv_cell(value, layout) for value in row]) for row in rows]
        response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(_("Closing statement"))[:31])
        sheet.append([xlsx_cell(sheet, str(title)) for title in header])
        for row in rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        workbook.save(response)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
