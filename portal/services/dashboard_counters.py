"""The dashboards' counters per region (`portal.models.RegionFunnelCount`, `RegionQuarterCount`), added to
in the transaction of the change that moves them, so that the funnel and the quarterly maturity are read
from a few rows instead of every company.

Each addition makes sure its row exists (an insert that a concurrent one may already have made: ignored)
and then adds with one `F()` update: two concurrent changes both count, whatever their order.

The companies are counted here, by receivers of the Company model (the sign-up's `Company.objects.create`,
the admin and the seeders' saves all go through them): a new company counts in its region, a deleted one
leaves it, one whose region changes moves. `diagnostics.dashboard_counters` decides what a diagnostic's
change adds to the other steps and quarters, and rebuilds every counter after a bulk write (a
`bulk_create` sends no signal).
"""

from datetime import date

from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from portal.models import Company, RegionFunnelCount, RegionQuarterCount


def quarter_of(moment):
    """The first day of the quarter `moment` falls in, in the portal's time zone (Europe/Paris)."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return date(local.year, 3 * ((local.month - 1) // 3) + 1, 1)


def add_to_funnel(region_id, *, companies=0, started=0, submitted=0):
    """Add to the region's companies registered, with a diagnostic started, with a diagnostic submitted."""
    if not (companies or started or submitted):
        return
    RegionFunnelCount.objects.bulk_create([RegionFunnelCount(region_id=region_id)], ignore_conflicts=True)
    RegionFunnelCount.objects.filter(region_id=region_id).update(
        companies=F("companies") + companies, started=F("started") + started, submitted=F("submitted") + submitted
    )


def add_to_quarters(region_id, deltas):
    """Add `deltas`, {quarter's first day: (diagnostics, sum of overall scores, companies)}, to the region's
    quarters (in the order of the quarters: two transactions touching the same rows lock them in the same order)."""
    changed = {quarter: delta for quarter, delta in sorted(deltas.items()) if any(delta)}
    if not changed:
        return
    RegionQuarterCount.objects.bulk_create(
        [RegionQuarterCount(region_id=region_id, quarter=quarter) for quarter in changed], ignore_conflicts=True
    )
    for quarter, (diagnostics, score_total, companies) in changed.items():
        RegionQuarterCount.objects.filter(region_id=region_id, quarter=quarter).update(
            diagnostics=F("diagnostics") + diagnostics,
            score_total=F("score_total") + score_total,
            companies=F("companies") + companies,
        )


def region_move(company):
    """(region before, region after) when the save being completed moved `company` to another region,
    else None: for the post_save receivers that move what the company counts elsewhere."""
    before = getattr(company, "_counted_region", None)
    if before is None or before == company.region_id:
        return None
    return before, company.region_id


def _region_before(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a company is saved: remember the region it is counted in (a save that may change it)."""
    instance._counted_region = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"region", "region_id"} & set(update_fields):
        return
    instance._counted_region = Company.objects.filter(pk=instance.pk).values_list("region_id", flat=True).first()


def _company_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        add_to_funnel(instance.region_id, companies=1)
        return
    move = region_move(instance)
    if move is not None:
        before, after = move
        add_to_funnel(before, companies=-1)
        add_to_funnel(after, companies=1)


def _company_deleted(sender, instance, **kwargs):
    add_to_funnel(instance.region_id, companies=-1)


def register():
    pre_save.connect(_region_before, sender=Company, dispatch_uid="portal.dashboard_counters.region_before")
    post_save.connect(_company_saved, sender=Company, dispatch_uid="portal.dashboard_counters.company_saved")
    post_delete.connect(_company_deleted, sender=Company, dispatch_uid="portal.dashboard_counters.company_deleted")
