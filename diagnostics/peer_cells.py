"""The peer cells (`models.PeerCell`) kept in step with the companies' latest submitted diagnostics.

- `count_submit`: in the submit's transaction, the new latest diagnostic enters its company's cell
  and the one it replaces leaves it. Two statements per cell touched (create the missing rows, then
  one F() update of the cell's rows), whatever the number of companies: the per-submit cost no longer
  grows with the population.
- A company whose profile (division, band, region) changes takes its latest diagnostic to its new
  cell (`_profile_saved`, a receiver: the admin edits companies).
- `aggregate_cells` computes the same figures from the diagnostics themselves (the whole population,
  one aggregate query) and `rebuild_peer_cells` replaces the rows by them: for repair
  (`manage.py rebuild_peer_cells`), after bulk seeding, and in tests as the reference.
"""

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, DecimalField, F, IntegerField, Sum, Value, When
from django.db.models.signals import post_save, pre_save

from diagnostics.models import AxisScore, Diagnostic, PeerCell
from diagnostics.models.peers import OVERALL
from portal.models import Company

PROFILE_FIELDS = ("naf_division", "naf_division_id", "headcount_band", "region", "region_id")
TOTAL = DecimalField(max_digits=14, decimal_places=2)


class Profile(NamedTuple):
    """Where a company's diagnostic is counted: its NAF division (and section), headcount band, region."""

    division: str
    section: str
    band: str
    region: str


_PROFILE_COLUMNS = ("naf_division__code", "naf_division__section__code", "headcount_band", "region__code")


def profile_of(company_id):
    """The company's current profile (one query)."""
    row = Company.objects.filter(pk=company_id).values_list(*_PROFILE_COLUMNS).get()
    return _profile(row)


def _profile(row):
    division, section, band, region = row
    return Profile(division, section or "", band, region)


def contributions(overall, axis_scores):
    """What one latest diagnostic adds to its cell: {axis: (companies, sum)}, the overall row ("") counting
    every diagnostic, an axis row only the diagnostics with a score on that axis."""
    rows = {OVERALL: (1, Decimal(overall or 0))}
    rows.update({code: (1, Decimal(score)) for code, score in axis_scores.items() if score is not None})
    return rows


def stored_contributions(diagnostic):
    """`contributions` of a stored diagnostic, from its score rows (one query)."""
    scores = dict(AxisScore.objects.filter(diagnostic_id=diagnostic.pk).values_list("axis_code", "score"))
    return contributions(diagnostic.overall_score, scores)


class Changes:
    """Deltas to add to the cells, gathered and then written in one go, a cell at a time in a fixed
    order (two transactions touching the same two cells lock them in the same order)."""

    def __init__(self):
        self.deltas = defaultdict(lambda: [0, Decimal(0)])

    def add(self, referential_code, profile, rows, sign):
        for axis, (companies, total) in rows.items():
            delta = self.deltas[(referential_code, profile, axis)]
            delta[0] += sign * companies
            delta[1] += sign * total

    def write(self):
        by_cell = defaultdict(dict)
        for (code, profile, axis), (companies, total) in self.deltas.items():
            if companies or total:
                by_cell[(code, profile)][axis] = (companies, total)
        for (code, profile), rows in sorted(by_cell.items()):
            _write_cell(code, profile, rows)


def _write_cell(referential_code, profile, rows):
    key = {
        "referential_code": referential_code,
        "division": profile.division,
        "band": profile.band,
        "region": profile.region,
    }
    # Rows first (a concurrent submit creating the same ones is ignored), so that the update finds them all.
    PeerCell.objects.bulk_create(
        [PeerCell(**key, section=profile.section, axis=axis) for axis in sorted(rows)], ignore_conflicts=True
    )
    PeerCell.objects.filter(**key, axis__in=list(rows)).update(
        companies=F("companies")
        + Case(*(When(axis=axis, then=Value(c)) for axis, (c, _t) in rows.items()), output_field=IntegerField()),
        total=F("total")
        + Case(*(When(axis=axis, then=Value(t)) for axis, (_c, t) in rows.items()), output_field=TOTAL),
    )


def count_submit(*, diagnostic, axis_scores, previous):
    """In the submit's transaction: `diagnostic` (with `axis_scores`, {axis code: score}) becomes its
    company's latest diagnostic in place of `previous` (or None)."""
    profile = profile_of(diagnostic.company_id)
    code = diagnostic.referential.code
    changes = Changes()
    if previous is not None:
        previous_code = code
        if previous.referential_id != diagnostic.referential_id:
            previous_code = Diagnostic.objects.filter(pk=previous.pk).values_list("referential__code", flat=True).get()
        changes.add(previous_code, profile, stored_contributions(previous), -1)
    changes.add(code, profile, contributions(diagnostic.overall_score, axis_scores), +1)
    changes.write()


def _profile_before(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a company is saved: remember the profile its latest diagnostic is counted under."""
    instance._peer_profile = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(PROFILE_FIELDS):
        return
    row = Company.objects.filter(pk=instance.pk).values_list(*_PROFILE_COLUMNS).first()
    instance._peer_profile = _profile(row) if row else None


def _profile_saved(sender, instance, raw=False, **kwargs):
    """After a company is saved: its latest diagnostic moves to the cell of its new profile."""
    before = getattr(instance, "_peer_profile", None)
    if raw or before is None:
        return
    after = profile_of(instance.pk)
    if after == before:
        return
    latest = Diagnostic.objects.select_related("referential").filter(company_id=instance.pk, is_latest=True).first()
    if latest is None:
        return
    rows = stored_contributions(latest)
    changes = Changes()
    changes.add(latest.referential.code, before, rows, -1)
    changes.add(latest.referential.code, after, rows, +1)
    changes.write()


def register():
    pre_save.connect(_profile_before, sender=Company, dispatch_uid="diagnostics.peer_cells.profile_before")
    post_save.connect(_profile_saved, sender=Company, dispatch_uid="diagnostics.peer_cells.profile_saved")


# --- From the whole population: the reference, for repair --------------------------------------


def aggregate_cells(referential_code):
    """{(division, section, band, region, axis): (companies, sum)} computed from the companies' latest
    submitted diagnostics: one aggregate query (the overall sums and the per-axis sums, as a UNION ALL)."""
    group_by = (
        "company__naf_division__code",
        "company__naf_division__section__code",
        "company__headcount_band",
        "company__region__code",
    )
    overall_rows = (
        Diagnostic.objects.filter(is_latest=True, referential__code=referential_code)
        .annotate(axis=Value(OVERALL, output_field=CharField()))
        .values(*group_by, "axis")
        # One latest diagnostic per company (constraint one_latest_diagnostic_per_company): counting rows counts companies.
        .annotate(companies=Count("pk"), total=Sum("overall_score"))
        .order_by()  # a compound statement's parts take no ORDER BY (SQLite)
    )
    axis_rows = (
        AxisScore.objects.filter(
            diagnostic__is_latest=True, diagnostic__referential__code=referential_code, score__isnull=False
        )
        .values(*(f"diagnostic__{field}" for field in group_by), "axis_code")
        # … and one score per axis of a diagnostic (constraint one_score_per_axis).
        .annotate(companies=Count("pk"), total=Sum("score"))
        .order_by()
    )
    cells = {}
    for row in overall_rows.union(axis_rows, all=True):  # rows named after the first query's columns
        profile = _profile(tuple(row[field] for field in group_by))
        cells[(*profile, row["axis"])] = (row["companies"], Decimal(row["total"] or 0).quantize(Decimal("0.01")))
    return cells


def stored_cells(referential_code):
    """The rows of the table in the shape of `aggregate_cells` (rows at 0 companies left out)."""
    return {
        (row.division, row.section, row.band, row.region, row.axis): (
            row.companies,
            row.total.quantize(Decimal("0.01")),
        )
        for row in PeerCell.objects.filter(referential_code=referential_code, companies__gt=0)
    }


def referential_codes():
    """The referential codes that have latest diagnostics or cells."""
    codes = set(Diagnostic.objects.filter(is_latest=True).values_list("referential__code", flat=True).distinct())
    return sorted(codes | set(PeerCell.objects.values_list("referential_code", flat=True).distinct()))


@transaction.atomic
def rebuild_peer_cells(referential_code):
    """Replace the cells of a referential code by `aggregate_cells`. Returns the number of rows written.

    On PostgreSQL the table is locked against writes first: a submit running meanwhile waits, then adds
    its change to the rebuilt rows (its diagnostic, not yet committed, is not in the aggregate)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(PeerCell._meta.db_table)} IN EXCLUSIVE MODE")
    PeerCell.objects.filter(referential_code=referential_code).delete()
    rows = [
        PeerCell(
            referential_code=referential_code,
            division=division,
            section=section,
            band=band,
            region=region,
            axis=axis,
            companies=companies,
            total=total,
        )
        for (division, section, band, region, axis), (companies, total) in aggregate_cells(referential_code).items()
    ]
    PeerCell.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
