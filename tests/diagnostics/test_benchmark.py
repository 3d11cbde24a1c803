from decimal import Decimal

from diagnostics.benchmark import MIN_COMPANIES, Cell, choose_peer_group

PROFILE = {"division": "25", "section": "C", "band": "10-49", "region": "53"}


def cell(companies, division="25", band="10-49", region="53", score=2, axis_counts=None):
    axis_counts = axis_counts if axis_counts is not None else {"STRAT": companies}
    return Cell(
        division=division,
        section="C",
        band=band,
        region=region,
        companies=companies,
        overall_sum=Decimal(score) * companies,
        axis_counts=axis_counts,
        axis_sums={axis: Decimal(score) * count for axis, count in axis_counts.items()},
    )


def test_five_companies_in_the_closest_group_are_shown_as_that_group():
    group = choose_peer_group([cell(5)], **PROFILE)
    assert group.rung.key == "division-band-region"
    assert group.companies == 5
    assert group.overall == Decimal("2.00")


def test_four_companies_are_never_shown():
    assert choose_peer_group([cell(4)], **PROFILE) is None


def test_four_in_the_region_widens_to_france_and_says_so():
    group = choose_peer_group([cell(4), cell(4, region="11", score=4)], **PROFILE)
    assert group.rung.key == "division-band"
    assert group.companies == 8
    assert group.overall == Decimal("3.00")


def test_widens_to_the_section_then_all_industry():
    cells = [cell(2), cell(3, division="28", band="10-49", region="11")]
    assert choose_peer_group(cells, **PROFILE).rung.key == "section-band"
    cells = [cell(2), cell(3, division="28", band="50-249", region="11")]
    assert choose_peer_group(cells, **PROFILE).rung.key == "industry"


def test_group_differing_from_a_nested_published_group_by_fewer_than_five_is_passed_over():
    # Bretagne's group (5) is published for Breton companies. France would hold 5 + 3 = 8: publishing
    # both would reveal the 3 others by subtraction, so the Île-de-France company sees no figure.
    cells = [cell(5), cell(3, region="11")]
    assert choose_peer_group(cells, **{**PROFILE, "region": "11"}) is None


def test_wider_group_is_published_once_it_exceeds_every_nested_group_by_five():
    cells = [cell(5), cell(3, region="11"), cell(2, region="84")]
    group = choose_peer_group(cells, **{**PROFILE, "region": "11"})
    assert group.rung.key == "division-band"
    assert group.companies == 5 + MIN_COMPANIES


def test_axis_figure_is_hidden_when_fewer_than_five_companies_scored_that_axis():
    group = choose_peer_group([cell(6, axis_counts={"STRAT": 6, "ENERGY": 4})], **PROFILE)
    assert "STRAT" in group.axes
    assert "ENERGY" not in group.axes
