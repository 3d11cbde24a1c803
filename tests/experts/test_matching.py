"""The pure ranking function, on hand-built cases (no database)."""

from experts.matching import Candidate, rank_experts, weakest_axes

WEAK = ["OPS", "DIGIT", "TECH", "STRAT"]
THEMES = ["digital-iot", "automation-robotics"]


def candidate(expert_id, name, *, axes=(), themes=(), regions=("53",), free=1, level=2):
    return Candidate(
        expert_id=expert_id,
        name=name,
        axis_levels=dict.fromkeys(axes, level),
        theme_levels=dict.fromkeys(themes, level),
        region_codes=frozenset(regions),
        free_places=free,
    )


def rank(candidates, *, weak=WEAK, themes=THEMES, region="53", limit=None):
    return rank_experts(
        weak_axes=weak,
        top_themes=themes,
        region_code=region,
        region_name="Bretagne",
        candidates=candidates,
        limit=limit,
    )


def names(proposals):
    return [proposal.candidate.name for proposal in proposals]


def test_the_expert_covering_more_weak_axes_ranks_first():
    narrow = candidate(1, "Narrow", axes=["OPS"])
    broad = candidate(2, "Broad", axes=["OPS", "DIGIT", "TECH"])
    assert names(rank([narrow, broad])) == ["Broad", "Narrow"]


def test_themes_of_the_top_actions_count_as_coverage():
    axis_only = candidate(1, "Axis", axes=["OPS"])
    axis_and_theme = candidate(2, "Axis and theme", axes=["OPS"], themes=["digital-iot"])
    assert names(rank([axis_only, axis_and_theme])) == ["Axis and theme", "Axis"]


def test_at_equal_coverage_the_deeper_skill_ranks_first():
    confirmed = candidate(1, "Confirmed", axes=["OPS"], level=2)
    expert = candidate(2, "Expert", axes=["OPS"], level=3)
    assert names(rank([confirmed, expert])) == ["Expert", "Confirmed"]


def test_at_equal_coverage_the_expert_serving_the_region_ranks_first():
    elsewhere = candidate(1, "Elsewhere", axes=["OPS"], regions=["84"], free=3)
    here = candidate(2, "Here", axes=["OPS"], regions=["53"], free=1)
    assert names(rank([elsewhere, here])) == ["Here", "Elsewhere"]


def test_then_more_free_places_rank_first():
    busy = candidate(1, "Busy", axes=["OPS"], free=1)
    free = candidate(2, "Free", axes=["OPS"], free=3)
    assert names(rank([busy, free])) == ["Free", "Busy"]


def test_coverage_outranks_region_and_capacity():
    local_narrow = candidate(1, "Local", axes=["OPS"], regions=["53"], free=5)
    distant_broad = candidate(2, "Distant", axes=["OPS", "DIGIT"], regions=["84"], free=1)
    assert names(rank([local_narrow, distant_broad])) == ["Distant", "Local"]


def test_a_full_expert_is_never_proposed():
    full = candidate(1, "Full", axes=WEAK, themes=THEMES, free=0)
    assert rank([full]) == []


def test_an_expert_covering_nothing_asked_is_left_out():
    unrelated = candidate(1, "Unrelated", axes=["TERR"])
    assert rank([unrelated]) == []


def test_without_weak_axes_nor_themes_experts_rank_by_region_then_free_places():
    a = candidate(1, "A", regions=["84"], free=3)
    b = candidate(2, "B", regions=["53"], free=1)
    c = candidate(3, "C", regions=["53"], free=2)
    assert names(rank([a, b, c], weak=[], themes=[])) == ["C", "B", "A"]


def test_ties_are_broken_by_name_for_a_stable_order():
    assert names(rank([candidate(2, "Zoé", axes=["OPS"]), candidate(1, "Anne", axes=["OPS"])])) == ["Anne", "Zoé"]


def test_limit_keeps_the_best():
    candidates = [candidate(i, f"E{i}", axes=WEAK[: i % 4 + 1]) for i in range(12)]
    proposals = rank(candidates, limit=3)
    assert len(proposals) == 3
    assert [p.rank for p in proposals] == [1, 2, 3]
    assert all(p.coverage == 4 for p in proposals)


def test_the_reason_names_the_axes_covered_with_their_level_the_region_and_free_places(english):
    proposal = rank_experts(
        weak_axes=WEAK,
        top_themes=[],
        region_code="53",
        region_name="Bretagne",
        candidates=[candidate(1, "E", axes=["OPS", "DIGIT"], free=2, level=3)],
        axis_titles={"OPS": "Operations", "DIGIT": "Digital"},
    )[0]
    assert proposal.reason == (
        "covers your weak axes Operations (level 3 of 3), Digital (level 3 of 3), serves Bretagne, 2 places free"
    )


def test_the_reason_names_a_theme_and_a_region_not_served(english):
    proposal = rank([candidate(1, "E", themes=["digital-iot"], regions=["84"], free=1)])[0]
    assert proposal.reason == (
        "covers the theme of your top actions digital-iot (level 2 of 3), does not serve Bretagne, 1 place free"
    )


def test_region_only_keeps_the_experts_of_the_programme_region():
    here = candidate(1, "Here", axes=["OPS"], regions=["53"])
    elsewhere = candidate(2, "Elsewhere", axes=["OPS", "DIGIT"], regions=["84"])
    proposals = rank_experts(
        weak_axes=WEAK, top_themes=[], region_code="53", candidates=[here, elsewhere], region_only=True
    )
    assert names(proposals) == ["Here"]
    widened = rank_experts(weak_axes=WEAK, top_themes=[], region_code="53", candidates=[here, elsewhere])
    assert names(widened) == ["Elsewhere", "Here"]


def test_weakest_axes_reads_the_score_snapshot_weakest_first():
    scores = {
        "overall": "2.50",
        "band": 2,
        "axes": {
            "STRAT": {"score": "2.67", "applicable": 2},
            "OPS": {"score": "1.00", "applicable": 3},
            "TECH": {"score": None, "applicable": 0},
            "DIGIT": {"score": "1.50", "applicable": 3},
            "PEOPLE": {"score": "4.00", "applicable": 3},
        },
    }
    assert weakest_axes(scores, count=3) == ["OPS", "DIGIT", "STRAT"]
    assert weakest_axes(None) == []
