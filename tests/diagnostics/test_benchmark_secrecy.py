"""Property tests of the peer benchmark's statistical secrecy over random populations.

Whoever looks (every possible company profile, with or without peers), the figures the benchmark
publishes together must never reveal fewer than five companies: each figure stands on at least five
distinct companies, and no hidden figure can be recomputed by subtracting published groups nested in
a published group (one group, a chain of groups, or several disjoint groups at once), on the overall
score and on each axis.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.benchmark import LADDER, MIN_COMPANIES, Cell, choose_peer_group, published_groups

SECTION_OF = {"10": "C", "11": "C", "24": "C", "25": "C", "35": "D", "36": "D"}
BANDS = ["1-9", "10-49", "50-249"]
REGIONS = ["11", "53", "84", "93"]
AXES = ["STRAT", "ENERGY"]


@dataclass(frozen=True)
class Company:
    ident: int
    division: str
    band: str
    region: str
    overall: Decimal
    axes: tuple  # ((axis code, score), ...) for the axes the company scored


scores = st.integers(min_value=0, max_value=500).map(lambda n: Decimal(n) / 100)


@st.composite
def populations(draw):
    # Few values per attribute so that groups nest a lot; cells of 0 to 7 companies, around the threshold.
    divisions = draw(st.lists(st.sampled_from(sorted(SECTION_OF)), min_size=1, max_size=4, unique=True))
    bands = draw(st.lists(st.sampled_from(BANDS), min_size=1, max_size=2, unique=True))
    regions = draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3, unique=True))
    companies = []
    for division, band, region in product(divisions, bands, regions):
        for _n in range(draw(st.integers(min_value=0, max_value=7))):
            axes = draw(st.lists(st.tuples(st.sampled_from(AXES), scores), max_size=2, unique_by=lambda pair: pair[0]))
            companies.append(Company(len(companies), division, band, region, draw(scores), tuple(axes)))
    return companies


def cells_of(companies):
    """The per-cell counts and sums the results page gives the benchmark (one aggregate query)."""
    grouped = {}
    for company in companies:
        grouped.setdefault((company.division, company.band, company.region), []).append(company)
    cells = []
    for (division, band, region), members in grouped.items():
        axis_counts, axis_sums = Counter(), Counter()
        for company in members:
            for axis, score in company.axes:
                axis_counts[axis] += 1
                axis_sums[axis] += score
        cells.append(
            Cell(
                division=division,
                section=SECTION_OF[division],
                band=band,
                region=region,
                companies=len(members),
                overall_sum=sum((c.overall for c in members), Decimal(0)),
                axis_counts=dict(axis_counts),
                axis_sums=dict(axis_sums),
            )
        )
    return cells


def members_of(companies, rung, division, band, region):
    """The companies of the peer group `rung` for this profile, straight from the population."""

    def keeps(company):
        sector_ok = {
            "division": company.division == division,
            "section": SECTION_OF[company.division] == SECTION_OF[division],
            "industry": True,
        }[rung.sector]
        return (
            sector_ok
            and (not rung.by_region or company.region == region)
            and (not rung.by_band or company.band == band)
        )

    return frozenset(company.ident for company in companies if keeps(company))


def published_figures(companies):
    """Every figure any viewer may be shown: {statistic: set of published populations}.

    A statistic is "overall" or an axis code; a population is the frozenset of the companies behind a
    figure. Viewers are all profiles of the attribute values, including profiles without any company.
    """
    cells = cells_of(companies)
    publication = published_groups(cells)
    figures = {"overall": set(), **{axis: set() for axis in AXES}}
    for division, band, region in product(sorted(SECTION_OF), BANDS, REGIONS):
        group = choose_peer_group(
            cells,
            division=division,
            section=SECTION_OF[division],
            band=band,
            region=region,
            publication=publication,
        )
        if group is None:
            continue
        population = members_of(companies, group.rung, division, band, region)
        by_ident = {company.ident: company for company in companies}
        # The figure shown is the truth about that population (so the checks below bear on real figures).
        assert group.companies == len(population)
        total = sum((by_ident[i].overall for i in population), Decimal(0))
        assert group.overall == (total / len(population)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        figures["overall"].add(population)
        for axis in group.axes:
            figures[axis].add(frozenset(i for i in population if axis in dict(by_ident[i].axes)))
    return figures


def disjoint_family_sums(group, published):
    """Sizes of every union of published populations strictly inside `group` that are pairwise disjoint.

    Requires the published populations to be laminar (nested or disjoint), checked by the caller: the
    disjoint families are then the choices, down a tree, of whole subtrees.
    """
    inside = sorted({p for p in published if p < group}, key=len, reverse=True)

    def sums_within(node, candidates):
        children = [c for c in candidates if c < node and not any(c < other < node for other in candidates)]
        return combine(children, candidates) | {len(node)}

    def combine(roots, candidates):
        sums = {0}
        for root in roots:
            sums = {a + b for a in sums for b in sums_within(root, candidates) | {0}}
        return sums

    roots = [p for p in inside if not any(p < other for other in inside)]
    return combine(roots, inside)


def check_secrecy(figures):
    for statistic, published in figures.items():
        for population in published:
            assert len(population) >= MIN_COMPANIES, (statistic, sorted(population))
        for a in published:
            for b in published:
                assert a <= b or b <= a or not (a & b), f"{statistic}: overlapping groups"
        for group in published:
            for subtracted in disjoint_family_sums(group, published):
                remainder = len(group) - subtracted
                assert remainder == 0 or remainder >= MIN_COMPANIES, (statistic, len(group), subtracted)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations())
def test_published_figures_never_reveal_fewer_than_five_companies(companies):
    check_secrecy(published_figures(companies))


def test_two_disjoint_regions_cannot_be_subtracted_from_france():
    # Brittany 5 and Île-de-France 5 are published; France (12) minus both would reveal the 2 of PACA.
    companies = [
        Company(n, "25", "10-49", region, Decimal(2), ())
        for n, region in enumerate(["53"] * 5 + ["11"] * 5 + ["93"] * 2)
    ]
    figures = published_figures(companies)
    assert len(figures["overall"]) == 2
    assert all(len(population) == 5 for population in figures["overall"])
    check_secrecy(figures)


def test_groups_along_a_chain_stay_at_least_five_apart():
    # Division 25 in two regions (5 + 5), division 24 (5), division 35 (2): the section (15) and all
    # industry (17) differ by 2, so both are passed over; division 25 in France (10) minus its two
    # regions leaves 0 and is published.
    companies = [
        Company(n, division, "10-49", region, Decimal(2), ())
        for n, (division, region) in enumerate(
            [("25", "53")] * 5 + [("25", "11")] * 5 + [("24", "84")] * 5 + [("35", "84")] * 2
        )
    ]
    figures = published_figures(companies)
    assert sorted(len(population) for population in figures["overall"]) == [5, 5, 5, 10]
    check_secrecy(figures)


def test_the_ladder_nests_each_rung_in_the_next():
    # The benchmark's multi-group rule relies on it: each rung's groups are unions of the previous rung's.
    cells = [Cell(d, SECTION_OF[d], b, r, 1, Decimal(0)) for d, b, r in product(sorted(SECTION_OF), BANDS, REGIONS)]
    for narrow, wide in zip(LADDER, LADDER[1:], strict=False):
        parent = {}
        for cell in cells:
            assert parent.setdefault(narrow.group_key(cell), wide.group_key(cell)) == wide.group_key(cell)
