"""The staff's view of experts and their accreditations."""

from django.db.models import (
    Q,
)
from django.utils import timezone

from experts.models import (
    Accreditation,
    AccreditationTransition,
    Expert,
)
from experts.selectors.directory import with_free_places

# The staff's accreditation filters: the status as it stands today (a referenced accreditation past its
# date counts as expired, like `Accreditation.effective_status`), or no accreditation yet.
ACCREDITATION_FILTERS = ("referenced", "suspended", "expired", "none")


def _accreditation_filter(status):
    today = timezone.localdate()
    referenced = Q(accreditation__status=Accreditation.Status.REFERENCED)
    return {
        "referenced": referenced & Q(accreditation__valid_until__gte=today),
        "suspended": Q(accreditation__status=Accreditation.Status.SUSPENDED),
        "expired": Q(accreditation__status=Accreditation.Status.EXPIRED)
        | (referenced & Q(accreditation__valid_until__lt=today)),
        "none": Q(accreditation__isnull=True),
    }[status]


def experts_for_staff(*, status="", search=""):
    """Every expert, referenced or not, with accreditation and free places, by name (one query);
    `status` one of ACCREDITATION_FILTERS, `search` a part of the name, e-mail or organisation."""
    experts = Expert.objects.all()
    if status in ACCREDITATION_FILTERS:
        experts = experts.filter(_accreditation_filter(status))
    if search:
        experts = experts.filter(
            Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(organisation__icontains=search)
        )
    return (
        with_free_places(experts)
        .select_related("user", "accreditation")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def accreditation_history(expert):
    return AccreditationTransition.objects.filter(expert=expert).select_related("by").order_by("-at", "-pk")


def expert_for_staff(pk):
    """One expert, referenced or not, with their account, for the staff's accreditation page; or None."""
    return Expert.objects.select_related("user").filter(pk=pk).first()


def current_accreditation(expert):
    return Accreditation.objects.filter(expert=expert).first()
