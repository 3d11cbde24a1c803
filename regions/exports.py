"""CSV and XLSX exports of enrolments, expenses and payment claims (with their payments). Rows come from the dashboard's filtered queryset,
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
from regions.models import Enrolment, Expense, PaymentClaim

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


def _claim_rows(enrolments):
    header = [
        _("Payment claim"),
        _("Application"),
        _("Programme"),
        _("Company"),
        _("SIRET"),
        _("Status"),
        _("Costs claimed"),
        _("Claim sent on"),
        _("Amount claimed (EUR)"),
        _("Amount certified (EUR)"),
        _("Decided at"),
        _("Payment date"),
        _("Payment reference"),
        _("Amount paid (EUR)"),
    ]
    rows = (
        PaymentClaim.objects.filter(enrolment__in=enrolments.values("pk"))
        .select_related("enrolment__programme", "enrolment__company", "payment")
        .order_by("enrolment__programme__name", "submitted_at", "pk")
        .iterator(chunk_size=2000)
    )

    def values():
        for claim in rows:
            payment = getattr(claim, "payment", None)
            yield [
                claim.pk,
                claim.enrolment_id,
                claim.enrolment.programme.name,
                claim.enrolment.company.name,
                claim.enrolment.company.siret,
                claim.get_status_display(),
                claim.description,
                _local(claim.submitted_at),
                claim.amount_claimed,
                claim.certified_amount,
                _local(claim.decided_at),
                payment.paid_on if payment else None,
                payment.reference if payment else "",
                payment.amount if payment else None,
            ]

    return header, values()


# kind -> (its rows, its file name, its sheet's title)
KINDS = {
    "enrolments": (_enrolment_rows, "candidatures", lambda: _("Applications")),
    "expenses": (_expense_rows, "depenses", lambda: _("Expenses")),
    "payments": (_claim_rows, "paiements", lambda: _("Payment claims")),
}


def _local(moment):
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


class _Echo:
    def write(self, value):
        return value


def export_response(*, kind, fmt, enrolments, layout=STANDARD_CSV):
    make_rows, name, title = KINDS[kind]
    header, rows = make_rows(enrolments)
    stamp = timezone.localdate().isoformat()
    filename = f"{name}-{stamp}.{fmt}"
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
        sheet = workbook.create_sheet(title=str(title())[:31])
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
