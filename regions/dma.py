"""The EU Digital Maturity Assessment per enrolment: T0, T1 and T2, and a region's export for its hub.

- T0: the diagnostic attached to the application (the state before the support);
- T1: the company's first diagnostic submitted after the support was completed;
- T2: its first diagnostic submitted at least `T2_AFTER` after T1 (the follow-up a year on).
Each time point is scored through its referential version's crosswalk (diagnostics.dma). The export
has one row per company and time point, in the column layout of the EU tool's CSV for SMEs
(`diagnostics.dma.model.CSV_COLUMNS`), for the enrolments of one region's programmes. A fixed
number of queries whatever the number of enrolments.
"""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from diagnostics.dma.crosswalk import crosswalk_for, csv_value, derive
from diagnostics.dma.model import CSV_COLUMNS, ITEMS
from diagnostics.dma.reading import answer_levels
from diagnostics.dma.scoring import dma_scores
from diagnostics.models import Diagnostic
from portal.spreadsheets import csv_cell
from regions.models import Enrolment, EnrolmentTransition

T2_AFTER = timedelta(days=365)
DATE_FORMAT = "%m/%d/%Y"  # as the EU tool's CSV writes maturity_assessment_date


@dataclass(frozen=True)
class TimePoint:
    """One measure of an enrolled company: which time point, which diagnostic, when it was submitted."""

    name: str  # "T0", "T1" or "T2"
    diagnostic_id: int
    submitted_at: object
    referential: tuple  # (code, version)


def choose_time_points(*, attached, completed_at, submitted):
    """Pure: the time points of one enrolment. `attached` is the attached diagnostic (a dict with id,
    submitted_at, referential) or None; `completed_at` when the support was completed, or None;
    `submitted` the company's submitted diagnostics in order of submission."""
    points = []
    if attached is not None and attached["submitted_at"] is not None:
        points.append(TimePoint("T0", attached["id"], attached["submitted_at"], attached["referential"]))
    if completed_at is None:
        return points
    first = next((item for item in submitted if item["submitted_at"] > completed_at), None)
    if first is None:
        return points
    points.append(TimePoint("T1", first["id"], first["submitted_at"], first["referential"]))
    later = next((item for item in submitted if item["submitted_at"] >= first["submitted_at"] + T2_AFTER), None)
    if later is not None:
        points.append(TimePoint("T2", later["id"], later["submitted_at"], later["referential"]))
    return points


def time_points(enrolments):
    """{enrolment id: [TimePoint, …]} for the enrolments (a queryset); three queries."""
    rows = list(
        enrolments.values(
            "pk",
            "company_id",
            "diagnostic_id",
            "diagnostic__submitted_at",
            "diagnostic__referential__code",
            "diagnostic__referential__version",
        )
    )
    completed = dict(
        EnrolmentTransition.objects.filter(
            enrolment_id__in=[row["pk"] for row in rows], to_status=Enrolment.Status.COMPLETED
        ).values_list("enrolment_id", "at")
    )
    submitted = {}
    for item in (
        Diagnostic.objects.filter(
            company_id__in={row["company_id"] for row in rows}, status=Diagnostic.Status.SUBMITTED
        )
        .order_by("submitted_at", "pk")
        .values("id", "company_id", "submitted_at", "referential__code", "referential__version")
    ):
        item["referential"] = (item.pop("referential__code"), item.pop("referential__version"))
        submitted.setdefault(item["company_id"], []).append(item)
    return {
        row["pk"]: choose_time_points(
            attached=None
            if row["diagnostic_id"] is None
            else {
                "id": row["diagnostic_id"],
                "submitted_at": row["diagnostic__submitted_at"],
                "referential": (row["diagnostic__referential__code"], row["diagnostic__referential__version"]),
            },
            completed_at=completed.get(row["pk"]),
            submitted=submitted.get(row["company_id"], []),
        )
        for row in rows
    }


def vat_number(siren):
    """The French intra-community VAT number of a SIREN: FR, a two-digit key, the SIREN."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def export_rows(enrolments):
    """The CSV's rows (header first) for these enrolments: one per company and time point, items as the
    EU tool writes them. Diagnostics on a referential version without a crosswalk are left out."""
    points = time_points(enrolments)
    companies = {row["pk"]: row for row in enrolments.values("pk", "company__name", "company__siret").order_by()}
    levels = answer_levels({point.diagnostic_id for chosen in points.values() for point in chosen})
    yield list(CSV_COLUMNS)
    seen = set()
    for enrolment_id, chosen in sorted(points.items()):
        company = companies[enrolment_id]
        for point in chosen:
            key = (company["company__siret"], point.name, point.diagnostic_id)
            crosswalk = crosswalk_for(*point.referential)
            if key in seen or crosswalk is None:
                continue
            seen.add(key)
            values = derive(crosswalk, levels.get(point.diagnostic_id, {}))
            yield [
                point.name,
                timezone.localtime(point.submitted_at).strftime(DATE_FORMAT),
                csv_cell(company["company__name"]),
                vat_number(company["company__siret"][:9]),
                *(csv_value(ITEMS[code].kind, values[code]) for code in ITEMS),
            ]


def export_csv(enrolments):
    """The export as UTF-8 CSV text with a byte-order mark (as the EU tool's own download)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(export_rows(enrolments))
    return buffer.getvalue()


def enrolment_scores(enrolment):
    """[(TimePoint, crosswalk, DmaScore)] of one enrolment, in order (time points without a crosswalk left out)."""
    chosen = time_points(Enrolment.objects.filter(pk=enrolment.pk)).get(enrolment.pk, [])
    levels = answer_levels({point.diagnostic_id for point in chosen})
    scored = []
    for point in chosen:
        crosswalk = crosswalk_for(*point.referential)
        if crosswalk is not None:
            scored.append((point, crosswalk, dma_scores(derive(crosswalk, levels.get(point.diagnostic_id, {})))))
    return scored
