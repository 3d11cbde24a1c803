"""De minimis (Regulation (EU) 2023/2831): the aid an undertaking (a SIREN) receives over any rolling
three years stays within `settings.DE_MINIMIS_CEILING` (300,000 EUR by default).

What counts: every amount committed on the portal to the companies of the same SIREN, accepted in the
last three years (what a completed or withdrawn enrolment released is no longer counted: its committed
amount went down), plus the aid received elsewhere that the application declares.
"""

from datetime import date

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from portal.models import Company
from portal.money import cents


def window_start(today=None):
    """The first day of the rolling three years ending `today` (29 February → 28 February)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - 3)
    except ValueError:
        return date(today.year - 3, today.month, 28)


def lock_undertaking(siren):
    """Lock the rows of every company of `siren`, in primary-key order (see `accept_enrolment` for the
    place of this lock in the order of locks). SQLite's IMMEDIATE transactions serialise writers already."""
    return list(Company.objects.select_for_update().filter(siret__startswith=siren).order_by("pk"))


def aid_on_portal(siren, *, since):
    """Σ committed to the companies of `siren` by decisions taken since `since` (a date)."""
    from regions.models import Enrolment

    total = Enrolment.objects.filter(
        company__siret__startswith=siren,
        status__in=Enrolment.FUNDED,
        decided_at__date__gte=since,
    ).aggregate(total=Sum("committed_amount"))["total"]
    return cents(total)


def ceiling():
    return settings.DE_MINIMIS_CEILING
