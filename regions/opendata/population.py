"""The contributions behind each open-data table, read from the whole population (nightly work only).

Each table maps its cells to {company id: contribution} (ids and values as text, so that a release's
state compares with the next one's):
- maturity by region, NAF section and size band: the overall score (0-5) of each company's latest
  submitted diagnostic;
- gain between T0 and T1 by region: for each company with a completed enrolment measured at T0 and
  T1 (regions.dma), the overall score at T1 minus at T0 (its latest such enrolment);
- money by region: for each company, the amounts committed to and paid (spent) on its enrolments in
  the region's programmes.
"""

from collections import defaultdict

from django.db.models import Sum

from diagnostics.models import Diagnostic
from regions.dma import time_points
from regions.models import Enrolment, EnrolmentTransition

MATURITY_TABLES = {
    "maturity_by_region": "company__region__code",
    "maturity_by_section": "company__naf_division__section__code",
    "maturity_by_size": "company__headcount_band",
}


def maturity_tables():
    """{table: {cell: {company: (score,)}}} for the three maturity tables (one query)."""
    tables = {name: defaultdict(dict) for name in MATURITY_TABLES}
    rows = Diagnostic.objects.filter(is_latest=True, overall_score__isnull=False).values_list(
        "company_id", "overall_score", *MATURITY_TABLES.values()
    )
    for company_id, score, *cells in rows.iterator(chunk_size=5000):
        for name, cell in zip(MATURITY_TABLES, cells, strict=True):
            tables[name][cell][str(company_id)] = (str(score),)
    return {name: dict(cells) for name, cells in tables.items()}


def gain_table():
    """{region: {company: (gain,)}}: overall score at T1 minus at T0, per company (four queries)."""
    completed = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED)
    completed_at = dict(
        EnrolmentTransition.objects.filter(enrolment__in=completed, to_status=Enrolment.Status.COMPLETED).values_list(
            "enrolment_id", "at"
        )
    )
    regions = dict(completed.values_list("pk", "programme__region__code"))
    companies = dict(completed.values_list("pk", "company_id"))
    chosen = {}  # company -> (completed at, enrolment, T0 id, T1 id): the latest completed enrolment measured twice
    for enrolment_id, points in time_points(completed).items():
        by_name = {point.name: point.diagnostic_id for point in points}
        if "T0" in by_name and "T1" in by_name:
            candidate = (completed_at.get(enrolment_id), enrolment_id, by_name["T0"], by_name["T1"])
            company = companies[enrolment_id]
            if company not in chosen or candidate[:2] > chosen[company][:2]:
                chosen[company] = candidate
    scores = dict(
        Diagnostic.objects.filter(pk__in={pk for _at, _e, t0, t1 in chosen.values() for pk in (t0, t1)}).values_list(
            "pk", "overall_score"
        )
    )
    table = defaultdict(dict)
    for company, (_at, enrolment_id, t0, t1) in chosen.items():
        if scores.get(t0) is not None and scores.get(t1) is not None:
            table[regions[enrolment_id]][str(company)] = (str(scores[t1] - scores[t0]),)
    return dict(table)


def money_table():
    """{region: {company: (committed, paid)}} over the funded enrolments (one query)."""
    rows = (
        Enrolment.objects.filter(status__in=Enrolment.FUNDED)
        .values("programme__region__code", "company_id")
        .annotate(committed=Sum("committed_amount"), paid=Sum("spent_total"))
        .order_by()
    )
    table = defaultdict(dict)
    for row in rows.iterator(chunk_size=5000):
        table[row["programme__region__code"]][str(row["company_id"])] = (str(row["committed"]), str(row["paid"]))
    return dict(table)


def population():
    """Every table's contributions: {table: {cell: {company: contribution}}}."""
    return {**maturity_tables(), "gain_by_region": gain_table(), "money_by_region": money_table()}
