"""The diagnostics part of `manage.py seed_demo`: the demo company's results and enough peers to benchmark it.

The demo company (NAF division 25, 10 to 49 employees, Bretagne) gets two submitted diagnostics a
year apart on the current published referential, so its results page shows the progress over time.
Forty generated peer companies surround it so that the closest peer group is published:

    12 peers in the same division, size and region (13 companies with the demo company)
     8 more in the same division and size, other regions   (division and size, all France: 21)
    10 more of the same size, other divisions               (section and size, all France: 31)
    10 more of other sizes                                  (all manufacturing companies: 41)

Each nested group differs from the next by at least five companies, as the benchmark's
differencing rule requires, so the demo shows a figure for the closest group. Idempotent: the
peers have fixed SIRETs and are created only when missing; the demo company's diagnostics only when
it has no submitted diagnostic yet.
"""

import random
import sys
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics.models import Diagnostic
from diagnostics.selectors.referential import current_published_referential
from portal.models import Company
from seeding import peer_companies as peers

DEMO_PEER_SIRET_BASE = 55_100_000  # below peers.RANDOM_SIREN_RANGE: seed_peers never draws these
SAME_CELL, SAME_DIVISION_ELSEWHERE, SAME_BAND_OTHER_DIVISIONS, OTHER_BANDS = 12, 8, 10, 10
# The demo company's profile across the axes, in the referential's order: clear strengths and weaknesses.
DEMO_AXIS_OFFSETS = [0.9, 0.3, -0.2, -1.1, 0.7, -0.6, 0.2, -0.4]


def demo_peer_profiles(company_profile):
    """The 40 demo peers' profiles around the demo company's (division, band, region)."""
    division, band, region = company_profile.division, company_profile.band, company_profile.region
    other_regions = [code for code in peers.REGION_WEIGHTS if code != region]
    other_divisions = [code for code in peers.DIVISION_WEIGHTS if code != division]
    other_bands = [code for code in ("1-9", "50-249", "250-4999") if code != band]
    profiles = [peers.Profile(division, band, region) for _ in range(SAME_CELL)]
    profiles += [
        peers.Profile(division, band, other_regions[i % len(other_regions)]) for i in range(SAME_DIVISION_ELSEWHERE)
    ]
    profiles += [
        peers.Profile(
            other_divisions[(3 * i) % len(other_divisions)], band, other_regions[(5 * i) % len(other_regions)]
        )
        for i in range(SAME_BAND_OTHER_DIVISIONS)
    ]
    profiles += [
        peers.Profile(
            other_divisions[(7 * i) % len(other_divisions)],
            other_bands[i % len(other_bands)],
            other_regions[(3 * i) % len(other_regions)],
        )
        for i in range(OTHER_BANDS)
    ]
    return profiles


def seed_demo_diagnostics(accounts, *, out=None):
    """The demo company's two submitted diagnostics and its forty peers; creates only what is missing."""
    out = out or sys.stdout
    referential = current_published_referential()
    if referential is None:
        out.write(
            _(
                "Diagnostics demo skipped: no published referential. Load it first: "
                "manage.py load_referential diagnostics/referentials/industrie-du-futur.yaml --publish"
            )
            + "\n"
        )
        return None
    content = peers.ReferentialContent(referential)
    company, sme = accounts["company"], accounts["sme"]
    now = timezone.now()
    planned = []

    if not Diagnostic.objects.filter(company=company, status=Diagnostic.Status.SUBMITTED).exists():
        rng = random.Random("demo-company")
        offsets = {axis.code: DEMO_AXIS_OFFSETS[i % len(DEMO_AXIS_OFFSETS)] for i, axis in enumerate(content.axes)}
        planned.append(
            peers.PlannedCompany(
                company_id=company.pk,
                owner_id=sme.pk,
                diagnostics=[
                    peers.PlannedDiagnostic(now - timedelta(days=380), content.draw_levels(rng, 1.6, offsets)),
                    peers.PlannedDiagnostic(now - timedelta(days=12), content.draw_levels(rng, 2.3, offsets)),
                ],
            )
        )

    profile = peers.Profile(company.naf_division.code, company.headcount_band, company.region.code)
    sirets = [peers.siret_for(DEMO_PEER_SIRET_BASE + i) for i in range(len(demo_peer_profiles(profile)))]
    existing = set(Company.objects.filter(siret__in=sirets).values_list("siret", flat=True))
    for index, (peer_profile, siret) in enumerate(zip(demo_peer_profiles(profile), sirets, strict=True)):
        if siret in existing:
            continue
        rng = random.Random(f"demo-peer:{index}")
        planned += peers.plan_companies(content, rng, [peer_profile], [siret], counts=[rng.choice([1, 1, 2])], now=now)

    stats = peers.write(content, planned) if planned else peers.SeedStats()
    if stats.diagnostics:
        out.write(
            _("Diagnostics demo: %(companies)d peer companies and %(diagnostics)d submitted diagnostics created.")
            % {"companies": stats.companies, "diagnostics": stats.diagnostics}
            + "\n"
        )
    return stats
