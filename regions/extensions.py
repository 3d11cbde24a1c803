"""What the regions app plugs into the apps below it (called from RegionsConfig.ready())."""

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.money import format_eur
from portal.viewer import viewer_of
from regions.board_cache import BOARD_CACHE_SECONDS, bump_board_version, region_version
from regions.models import Enrolment


def officer_diagnostic_access(user):
    """Officers see the diagnostic attached to an application to one of their region's programmes,
    while the application is under consideration or funded (not once refused, nor withdrawn before
    any decision), and never the company's other diagnostics nor a draft."""
    if user is None or not user.is_authenticated:
        return None
    return Q(pk__in=applications_opening_their_diagnostic(user).values("diagnostic_id"), status="submitted")


def applications_opening_their_diagnostic(user):
    """The applications to `user`'s regions whose attached diagnostic `user` may read as an officer."""
    return (
        Enrolment.objects.filter(programme__region__officers__user=user, diagnostic__isnull=False)
        .exclude(status=Enrolment.Status.REFUSED)
        .exclude(status=Enrolment.Status.WITHDRAWN, decided_at__isnull=True)
    )


def programmes_next_steps(diagnostic):
    """The report's next steps: the open programmes of the region the company may apply to."""
    from diagnostics.extensions import NextStepItem, NextStepsSection
    from regions.selectors import eligible_open_programmes

    programmes = eligible_open_programmes(diagnostic.company)
    if not programmes:
        return None
    return NextStepsSection(
        title=_("Regional programmes you may apply to"),
        items=[
            NextStepItem(
                title=programme.name,
                detail=_("Until %(date)s, up to %(cap)s per company.")
                % {"date": programme.end_date.strftime("%d/%m/%Y"), "cap": format_eur(programme.cap_per_company)},
            )
            for programme in programmes
        ],
        order=60,
    )


def programmes_funding(diagnostic):
    """The open programmes of the company's region it may apply to, as funding of its action plan: the
    share of the eligible cost each pays, its cap per company and its closing date."""
    from diagnostics.extensions import FundingOffer
    from regions.selectors import eligible_open_programmes

    return [
        FundingOffer(
            name=programme.name,
            rate=programme.funding_rate,
            detail=_("Up to %(cap)s per company, until %(date)s.")
            % {"cap": format_eur(programme.cap_per_company), "date": date_format(programme.end_date, "DATE_FORMAT")},
        )
        for programme in eligible_open_programmes(diagnostic.company)
    ]


def programmes_results_panel(request, diagnostic, *, axes=None):
    """On the results page, the company's members see the programmes open to their company."""
    from diagnostics.extensions import ResultsPanel
    from regions.selectors import programmes_for_company

    if not viewer_of(request.user).is_member_of(diagnostic.company_id):
        return None
    if diagnostic.is_latest:
        offers = _latest_offers(diagnostic, programmes_for_company)
    else:
        offers = programmes_for_company(diagnostic.company)
    if not offers:
        return None
    return ResultsPanel(template_name="regions/_results_panel.html", context={"offers": offers}, order=60)


def _latest_offers(diagnostic, programmes_for_company):
    """The offers beside the company's latest diagnostic, cached under its region's board version (which
    the programme and application services bump), the company's profile, the day and the language."""
    company = diagnostic.company
    profile = f"{company.region_id}:{company.naf_division_id}:{company.headcount_band}"
    key = (
        f"regions:offers:{company.pk}:{region_version(company.region_id)}:{diagnostic.pk}:{profile}:"
        f"{timezone.localdate().isoformat()}:{get_language()}"
    )
    offers = cache.get(key)
    if offers is None:
        offers = programmes_for_company(company, latest_diagnostic=diagnostic)
        cache.set(key, offers, BOARD_CACHE_SECONDS)
    return offers


def boards_after_submit(diagnostic_id):
    """The on-submit hook: a re-assessment of an enrolled company moves the maturity gained on the boards
    of the regions it is enrolled in (one query)."""
    regions = (
        Enrolment.objects.filter(company__diagnostics=diagnostic_id)
        .order_by()
        .values_list("programme__region_id", flat=True)
        .distinct()
    )
    for region_id in regions:
        bump_board_version(region_id)
