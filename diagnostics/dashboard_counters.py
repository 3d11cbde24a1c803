"""What the companies' diagnostics add to the dashboards' counters (`portal.models.RegionFunnelCount`,
`RegionQuarterCount`): the companies with a diagnostic started, with one submitted, and per quarter
(Europe/Paris) the diagnostics submitted with an overall score, the sum of those scores and the companies.

- A company's `contribution` is read from its own diagnostics (one indexed query on the company). A
  diagnostic's save that may change it (created, or saving its status, submission time, score) and a
  diagnostic's deletion (the purge of abandoned drafts) add the difference between the contribution
  after and before, in the same transaction: the start and the submit services, the purge, the tests'
  factories and the admin all go through these receivers (a statement deleting several diagnostics of a
  company counts the company's difference once). A company counts once per step and per quarter,
  however many diagnostics it has.
- A company moved to another region takes its contribution along (`portal.services.dashboard_counters`
  counts the company itself).
- Not covered, and repaired by `rebuild_dashboard_counters` (`manage.py rebuild_dashboard_counters`):
  bulk writes (`bulk_create`, `QuerySet.update` of those fields, raw SQL): the seeders rebuild at their end.
"""

from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count, DateField, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncQuarter
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from diagnostics.models import Diagnostic
from portal.models import Company, RegionFunnelCount, RegionQuarterCount
from portal.services.dashboard_counters import add_to_funnel, add_to_quarters, quarter_of, region_move

SUBMITTED = Diagnostic.Status.SUBMITTED
COUNTED_FIELDS = {"company", "company_id", "status", "submitted_at", "overall_score"}
CENT = Decimal("0.01")


class Contribution(NamedTuple):
    """What one company adds to its region: started and submitted (0 or 1), and {quarter: (diagnostics,
    sum of overall scores, 1)} for the quarters it submitted a scored diagnostic in."""

    started: int
    submitted: int
    quarters: dict


NOTHING = Contribution(0, 0, {})


def contribution(company_id):
    """The company's contribution, from its diagnostics (one query)."""
    started = submitted = 0
    quarters = {}
    rows = Diagnostic.objects.filter(company_id=company_id).values_list("status", "submitted_at", "overall_score")
    for status, submitted_at, score in rows:
        started = 1
        if status != SUBMITTED:
            continue
        submitted = 1
        if submitted_at is not None and score is not None:
            quarter = quarter_of(submitted_at)
            diagnostics, total, _company = quarters.get(quarter, (0, Decimal(0), 1))
            quarters[quarter] = (diagnostics + 1, total + score, 1)
    return Contribution(started, submitted, quarters)


def _add_difference(region_id, before, after):
    add_to_funnel(region_id, started=after.started - before.started, submitted=after.submitted - before.submitted)
    empty = (0, Decimal(0), 0)
    add_to_quarters(
        region_id,
        {
            quarter: tuple(
                a - b
                for a, b in zip(after.quarters.get(quarter, empty), before.quarters.get(quarter, empty), strict=True)
            )
            for quarter in before.quarters.keys() | after.quarters.keys()
        },
    )


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a diagnostic is saved: its company's contribution as it stands (unless the save cannot change it)."""
    instance._counted_before = None
    if raw or (update_fields is not None and not COUNTED_FIELDS & set(update_fields)):
        return
    instance._counted_before = contribution(instance.company_id)


def _after_save(sender, instance, raw=False, **kwargs):
    before = getattr(instance, "_counted_before", None)
    instance._counted_before = None
    if not raw and before is not None:
        _count_change(instance.company_id, before)


def _count_change(company_id, before):
    """The difference between the company's contribution now and `before` goes to its region's counters."""
    after = contribution(company_id)
    if after != before:
        region_id = Company.objects.filter(pk=company_id).values_list("region_id", flat=True).get()
        _add_difference(region_id, before, after)


def _contributions_before_deletion(instance, origin):
    """{company id: contribution before} of one deletion (a model instance's or a queryset's, `origin`):
    a statement deleting several diagnostics of a company counts the company's difference once."""
    holder = origin if origin is not None else instance
    return holder.__dict__.setdefault("_counted_before_deletion", {})


def _before_delete(sender, instance, origin=None, **kwargs):
    pending = _contributions_before_deletion(instance, origin)
    if instance.company_id not in pending:
        pending[instance.company_id] = contribution(instance.company_id)


def _after_delete(sender, instance, origin=None, **kwargs):
    """Every diagnostic of the deletion is gone by now: the first one of a company counts its difference."""
    before = _contributions_before_deletion(instance, origin).pop(instance.company_id, None)
    if before is not None:
        _count_change(instance.company_id, before)


def _company_saved(sender, instance, raw=False, **kwargs):
    """A company moved to another region takes its diagnostics' contribution along."""
    move = None if raw else region_move(instance)
    if move is None:
        return
    before, after = move
    moved = contribution(instance.pk)
    _add_difference(before, moved, NOTHING)
    _add_difference(after, NOTHING, moved)


def register():
    uid = "diagnostics.dashboard_counters"
    pre_save.connect(_before_save, sender=Diagnostic, dispatch_uid=f"{uid}.before_save")
    post_save.connect(_after_save, sender=Diagnostic, dispatch_uid=f"{uid}.after_save")
    pre_delete.connect(_before_delete, sender=Diagnostic, dispatch_uid=f"{uid}.before_delete")
    post_delete.connect(_after_delete, sender=Diagnostic, dispatch_uid=f"{uid}.after_delete")
    post_save.connect(_company_saved, sender=Company, dispatch_uid=f"{uid}.company_saved")


# --- From the whole population: the reference, for repair and after bulk writes -------------------


def expected_counters():
    """({region id: (companies, started, submitted)}, {(region id, quarter): (diagnostics, sum, companies)})
    computed from every company and diagnostic: two aggregate queries."""
    diagnostics = Diagnostic.objects.filter(company=OuterRef("pk"))
    funnel = {
        row["region_id"]: (row["companies"], row["started"], row["submitted"])
        for row in Company.objects.values("region_id")
        .annotate(
            companies=Count("pk"),
            started=Count("pk", filter=Q(Exists(diagnostics))),
            submitted=Count("pk", filter=Q(Exists(diagnostics.filter(status=SUBMITTED)))),
        )
        .order_by()
    }
    rows = (
        Diagnostic.objects.filter(status=SUBMITTED, submitted_at__isnull=False, overall_score__isnull=False)
        .annotate(
            quarter=TruncQuarter("submitted_at", output_field=DateField(), tzinfo=timezone.get_default_timezone())
        )
        .values("company__region_id", "quarter")
        .annotate(diagnostics=Count("pk"), total=Sum("overall_score"), companies=Count("company", distinct=True))
        .order_by()
    )
    quarters = {
        (row["company__region_id"], row["quarter"]): (
            row["diagnostics"],
            Decimal(row["total"]).quantize(CENT),
            row["companies"],
        )
        for row in rows
    }
    return funnel, quarters


def stored_counters():
    """The counters' rows in the shape of `expected_counters` (rows at zero left out)."""
    funnel = {
        row.region_id: (row.companies, row.started, row.submitted)
        for row in RegionFunnelCount.objects.all()
        if (row.companies, row.started, row.submitted) != (0, 0, 0)
    }
    quarters = {
        (row.region_id, row.quarter): (row.diagnostics, row.score_total.quantize(CENT), row.companies)
        for row in RegionQuarterCount.objects.all()
        if (row.diagnostics, row.score_total, row.companies) != (0, 0, 0)
    }
    return funnel, quarters


@transaction.atomic
def rebuild_dashboard_counters():
    """Replace every counter by `expected_counters`; returns the number of rows written.

    On PostgreSQL the tables are locked against writes first: a change running meanwhile waits, then
    adds its difference to the rebuilt rows (its own rows, not yet committed, are not in the aggregates)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (RegionFunnelCount, RegionQuarterCount):
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN EXCLUSIVE MODE")
    funnel, quarters = expected_counters()
    RegionFunnelCount.objects.all().delete()
    RegionQuarterCount.objects.all().delete()
    RegionFunnelCount.objects.bulk_create(
        RegionFunnelCount(region_id=region_id, companies=companies, started=started, submitted=submitted)
        for region_id, (companies, started, submitted) in funnel.items()
    )
    RegionQuarterCount.objects.bulk_create(
        (
            RegionQuarterCount(
                region_id=region_id, quarter=quarter, diagnostics=count, score_total=total, companies=companies
            )
            for (region_id, quarter), (count, total, companies) in quarters.items()
        ),
        batch_size=1000,
    )
    return len(funnel) + len(quarters)
