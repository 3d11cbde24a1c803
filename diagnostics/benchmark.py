"""Peer benchmark under statistical secrecy.

A peer figure is shown only when at least `MIN_COMPANIES` distinct companies stand behind it. The
peer group starts as close as possible to the company (same NAF division, headcount band and
region) and widens along `LADDER` until it reaches a group that may be published.

Which groups may be published is decided once for the whole population, the same for every viewer
(`published_groups`), so that the figures anyone can collect together never reveal a few companies:

1. primary secrecy: a group needs `MIN_COMPANIES` companies;
2. pairwise rule: two groups of `MIN_COMPANIES` or more, nested in each other and differing by 1 to
   `MIN_COMPANIES - 1` companies, are both passed over (subtracting one figure from the other
   would reveal those few companies; INSEE's secondary secrecy);
3. differencing by several groups: the ladder's groups nest (each rung merges whole groups of the
   rung before), so going from the narrowest rung to the widest, a group is published only when the
   companies it holds outside its largest published subgroups number 0 or at least
   `MIN_COMPANIES`. Then, for any published group and any published subgroups disjoint from each
   other, the group minus their sum is 0 or at least `MIN_COMPANIES` companies (each subgroup's own
   remainder is 0 or at least `MIN_COMPANIES` by the same rule, one rung before).

Each axis figure is a statistic of its own, over the companies that scored that axis: the same three
rules apply to the axis counts, within the published groups.

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


# From the narrowest group to the widest; each rung's groups are unions of the previous rung's.
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


def mean(total, count):
    return (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class _Totals:
    companies: int = 0
    overall_sum: Decimal = Decimal(0)
    axis_counts: dict = field(default_factory=lambda: defaultdict(int))
    axis_sums: dict = field(default_factory=lambda: defaultdict(Decimal))


def _aggregate(cells):
    """Totals of every group of every rung, keyed by (rung key, group key), in the ladder's order."""
    groups = {}
    for rung in LADDER:
        for cell in cells:
            totals = groups.setdefault((rung.key, rung.group_key(cell)), _Totals())
            totals.companies += cell.companies
            totals.overall_sum += cell.overall_sum
            for axis, count in cell.axis_counts.items():
                totals.axis_counts[axis] += count
                totals.axis_sums[axis] += cell.axis_sums.get(axis, Decimal(0))
    return groups


@dataclass(frozen=True)
class _Nesting:
    """How the ladder's groups nest in one population, worked out once for every figure's decision."""

    pairs: frozenset  # (narrow key, wide key): a group and a wider group holding it
    members: dict  # group key -> its cells' indexes


def _nesting(cells):
    pairs, members = set(), defaultdict(list)
    for index, cell in enumerate(cells):
        # The keys of the groups holding the cell, narrowest first (one per rung).
        chain = [(rung.key, rung.group_key(cell)) for rung in LADDER]
        for position, narrow in enumerate(chain):
            if narrow not in members:  # a group's wider groups are the same from any of its cells
                pairs.update((narrow, wide) for wide in chain[position + 1 :])
            members[narrow].append(index)
    return _Nesting(pairs=frozenset(pairs), members=members)


def _secret(keys, counts, nesting):
    """The keys (in the ladder's order) of the groups whose figure may be published.

    `counts[key]` is the number of companies behind the figure of group `key`, for every key of `keys`.
    """
    candidates = {key for key in keys if counts[key] >= MIN_COMPANIES}
    # Pairwise rule: nested groups (a group and a wider one holding it) differing by 1 to 4.
    passed_over = set()
    for narrow, wide in nesting.pairs:
        if narrow in candidates and wide in candidates and 0 < counts[wide] - counts[narrow] < MIN_COMPANIES:
            passed_over.update((narrow, wide))
    # Differencing by several groups, narrowest rung first.
    published = set()
    top = {}  # cell index -> key of the widest published group holding it so far
    for key in keys:
        if key not in candidates or key in passed_over:
            continue
        members = nesting.members[key]
        largest = {top[index] for index in members if index in top}
        remainder = counts[key] - sum(counts[sub] for sub in largest)
        if remainder == 0 or remainder >= MIN_COMPANIES:
            published.add(key)
            for index in members:
                top[index] = key
    return published


@dataclass(frozen=True)
class Publication:
    """What may be published of a population: the groups' totals, the groups and each axis's groups."""

    groups: dict  # (rung key, group key) -> _Totals
    published: frozenset  # keys of the groups whose overall figure may be shown
    axes: dict  # axis code -> frozenset of the keys whose figure on that axis may be shown


def published_groups(cells):
    """Decide, for the whole population, which group figures may be published."""
    cells = [cell for cell in cells if cell.companies > 0]
    groups = _aggregate(cells)
    nesting = _nesting(cells)
    keys = list(groups)
    published = _secret(keys, {key: totals.companies for key, totals in groups.items()}, nesting)
    axis_codes = {axis for cell in cells for axis in cell.axis_counts}
    axes = {}
    within = [key for key in keys if key in published]
    for axis in sorted(axis_codes):
        counts = {key: groups[key].axis_counts.get(axis, 0) for key in within}
        axes[axis] = frozenset(_secret(within, counts, nesting))
    return Publication(groups=groups, published=frozenset(published), axes=axes)


def choose_peer_group(cells, *, division, section, band, region, publication=None):
    """The narrowest peer group that may be published for this company profile, or None."""
    publication = publication or published_groups(cells)
    probe = Cell(division, section, band, region, 0, Decimal(0))
    for rung in LADDER:
        key = (rung.key, rung.group_key(probe))
        if key not in publication.published:
            continue
        totals = publication.groups[key]
        axes = {
            axis: mean(totals.axis_sums[axis], count)
            for axis, count in totals.axis_counts.items()
            if key in publication.axes.get(axis, ())
        }
        return PeerGroup(
            rung=rung, companies=totals.companies, overall=mean(totals.overall_sum, totals.companies), axes=axes
        )
    return None
