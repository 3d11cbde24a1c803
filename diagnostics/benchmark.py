"""Peer benchmark under statistical secrecy.

A peer figure is shown only when at least `MIN_COMPANIES` distinct companies stand behind it. The
peer group starts as close as possible to the company (same NAF division, headcount band and
region) and widens along `LADDER` until it is large enough. A group is also passed over when a
nested group that someone else may see differs from it by fewer than `MIN_COMPANIES` companies:
subtracting the two published figures would otherwise reveal those few companies (INSEE's
secondary-secrecy rule).

Pure: the caller gives per-cell counts and sums (one aggregate query), this module decides.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

MIN_COMPANIES = 5


@dataclass(frozen=True)
class Cell:
    """Latest submitted diagnostics of the companies sharing one division, band and region."""

    division: str
    section: str
    band: str
    region: str
    companies: int
    overall_sum: Decimal
    axis_counts: dict = field(default_factory=dict)  # axis code -> companies with a score on it
    axis_sums: dict = field(default_factory=dict)  # axis code -> sum of their scores


@dataclass(frozen=True)
class Rung:
    """One peer-group definition: which of the company's attributes the group keeps."""

    key: str
    sector: str  # "division", "section" or "industry"
    by_region: bool
    by_band: bool
    label: object

    def group_key(self, cell):
        sector = {"division": cell.division, "section": cell.section, "industry": "*"}[self.sector]
        return (sector, cell.region if self.by_region else "*", cell.band if self.by_band else "*")


LADDER = [
    Rung("division-band-region", "division", True, True, _("same activity (NAF division), size and region")),
    Rung("division-band", "division", False, True, _("same activity (NAF division) and size, all France")),
    Rung("section-band", "section", False, True, _("same NAF section and size, all France")),
    Rung("industry-band", "industry", False, True, _("all manufacturing companies of the same size, all France")),
    Rung("industry", "industry", False, False, _("all manufacturing companies, all France")),
]


@dataclass(frozen=True)
class PeerGroup:
    rung: Rung
    companies: int
    overall: Decimal
    axes: dict  # axis code -> mean score, only where enough companies answered the axis


def _mean(total, count):
    return (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class _Totals:
    companies: int = 0
    overall_sum: Decimal = Decimal(0)
    axis_counts: dict = field(default_factory=lambda: defaultdict(int))
    axis_sums: dict = field(default_factory=lambda: defaultdict(Decimal))
    cells: set = field(default_factory=set)


def _aggregate(cells):
    """Totals of every group of every rung, keyed by (rung key, group key)."""
    groups = defaultdict(_Totals)
    for index, cell in enumerate(cells):
        for rung in LADDER:
            totals = groups[(rung.key, rung.group_key(cell))]
            totals.companies += cell.companies
            totals.overall_sum += cell.overall_sum
            totals.cells.add(index)
            for axis, count in cell.axis_counts.items():
                totals.axis_counts[axis] += count
                totals.axis_sums[axis] += cell.axis_sums.get(axis, Decimal(0))
    return groups


def _safe_against_differencing(candidate, groups):
    """No other publishable group nested with this one differs from it by 1 to MIN_COMPANIES - 1 companies."""
    for other in groups.values():
        if other is candidate or other.companies < MIN_COMPANIES:
            continue
        nested = other.cells <= candidate.cells or candidate.cells <= other.cells
        if nested and 0 < abs(other.companies - candidate.companies) < MIN_COMPANIES:
            return False
    return True


def choose_peer_group(cells, *, division, section, band, region):
    """The narrowest peer group that may be published for this company profile, or None."""
    groups = _aggregate(cells)
    probe = Cell(division, section, band, region, 0, Decimal(0))
    for rung in LADDER:
        totals = groups.get((rung.key, rung.group_key(probe)))
        if totals is None or totals.companies < MIN_COMPANIES or not _safe_against_differencing(totals, groups):
            continue
        axes = {
            axis: _mean(totals.axis_sums[axis], count)
            for axis, count in totals.axis_counts.items()
            if count >= MIN_COMPANIES
        }
        return PeerGroup(
            rung=rung, companies=totals.companies, overall=_mean(totals.overall_sum, totals.companies), axes=axes
        )
    return None
