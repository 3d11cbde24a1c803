"""The national view's calibration gap: per axis, the mean of the companies' self-assessed score minus
the score their expert validated, over each company's latest submitted expert review.

Statistical secrecy (as for peer benchmarks, `diagnostics.benchmark.MIN_COMPANIES`): an axis's mean is
shown only when at least that many distinct companies stand behind it; the others are listed as
withheld. Two queries (three once there are reviews) whatever the number of reviews: the axes of the
current published referential (in one), the reviews with their diagnostic, their axes. The national
view reads it from the cache (`cached_national_calibration`), under the version of the submitted
reviews that each submit bumps.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Prefetch, Subquery
from django.utils.translation import get_language

from diagnostics.benchmark import MIN_COMPANIES
from diagnostics.calibration import calibration_gap, mean_gaps
from diagnostics.models import DEFAULT_REFERENTIAL_CODE, Axis, Referential
from experts.events import SUBMITTED_REVIEWS_VERSION
from experts.models import ExpertReview, ReviewAxis
from portal.cache_versions import versions

# A bound on what no bump follows (a new referential version's axis titles).
CALIBRATION_CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class AxisCalibration:
    code: str
    title: str
    mean_gap: Decimal | None  # None: fewer than MIN_COMPANIES companies, withheld
    magnitude: Decimal | None
    companies: int


def national_calibration():
    """One `AxisCalibration` per axis met in the reviews, in the current referential's order."""
    reviews = (
        ExpertReview.objects.filter(status=ExpertReview.Status.SUBMITTED, diagnostic__isnull=False)
        .select_related("diagnostic")
        .prefetch_related(Prefetch("axes", queryset=ReviewAxis.objects.order_by("pk")))
        .order_by("submitted_at", "pk")
    )
    gaps_by_company = {}
    for review in reviews:  # the latest review of a company replaces its earlier ones
        own = {
            code: (values or {}).get("score")
            for code, values in ((review.diagnostic.scores or {}).get("axes") or {}).items()
        }
        expert = {row.axis_code: row.expert_score for row in review.axes.all()}
        gaps_by_company[review.diagnostic.company_id] = calibration_gap(own, expert)
    counted = {}
    for gaps in gaps_by_company.values():
        for code, gap in gaps.items():
            if gap is not None:
                counted[code] = counted.get(code, 0) + 1
    means = mean_gaps(gaps_by_company, min_companies=MIN_COMPANIES)
    current = Referential.objects.published().filter(code=DEFAULT_REFERENTIAL_CODE).order_by("-published_at", "-pk")
    order = list(Axis.objects.filter(referential=Subquery(current.values("pk")[:1])).order_by("order", "pk"))
    titles = {axis.code: axis.title for axis in order}
    codes = [axis.code for axis in order if axis.code in counted] + sorted(set(counted) - set(titles))
    return [
        AxisCalibration(
            code=code,
            title=titles.get(code, code),
            mean_gap=means[code][0] if code in means else None,
            magnitude=abs(means[code][0]) if code in means else None,
            companies=counted[code],
        )
        for code in codes
    ]


def cached_national_calibration():
    """`national_calibration()` from the cache, per version of the submitted reviews and language."""
    (version,) = versions(SUBMITTED_REVIEWS_VERSION)
    key = f"regions:calibration:{version}:{get_language()}"
    rows = cache.get(key)
    if rows is None:
        rows = national_calibration()
        cache.set(key, rows, CALIBRATION_CACHE_SECONDS)
    return rows
