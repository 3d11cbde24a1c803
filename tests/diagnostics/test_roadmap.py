"""The plan function: the worked example of docs/scoring.md and its properties over random diagnostics."""

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from diagnostics.roadmap import MAX_ACTIONS, MIN_ACTIONS, Candidate, Horizon, choose_plan, is_met, priority


def candidate(code, axis, axis_order, axis_weight, level, effort, impact, depends_on=()):
    question_code = code.split("/")[0]
    return Candidate(
        code=code,
        axis_code=axis,
        axis_order=axis_order,
        axis_weight=Decimal(axis_weight),
        question_code=question_code,
        question_order=int(question_code.rsplit("-", 1)[1]),
        question_weight=Decimal(1),
        level=level,
        effort=effort,
        impact=impact,
        depends_on=tuple(depends_on),
    )


WORKED_EXAMPLE = [
    candidate("STRAT-1/4", "STRAT", 1, "1", 3, "medium", "high"),
    candidate("STRAT-2/4", "STRAT", 1, "1", 3, "low", "low"),
    candidate("PROD-1/2", "PROD", 2, "1.5", 1, "medium", "high", depends_on=["PROD-3/2"]),
    candidate("PROD-2/2", "PROD", 2, "1.5", 1, "low", "low"),
    candidate("PROD-3/2", "PROD", 2, "1.5", 1, "medium", "medium"),
    candidate("PEOPLE-1/3", "PEOPLE", 3, "1", 2, "low", "medium"),
    candidate("PEOPLE-2/3", "PEOPLE", 3, "1", 2, "medium", "low"),
]
WORKED_SCORES = {"STRAT": Decimal("3.67"), "PROD": Decimal("1.00"), "PEOPLE": Decimal("2.00")}
WORKED_PEERS = {"STRAT": Decimal("3.00"), "PROD": Decimal("2.50")}
WORKED_LEVELS = {"STRAT-1": 3, "STRAT-2": 3, "STRAT-3": 5, "PROD-1": 1, "PROD-2": 1, "PROD-3": 1}
WORKED_LEVELS |= {"PEOPLE-1": 2, "PEOPLE-2": 2}


def test_worked_example_of_the_documentation():
    plan = choose_plan(WORKED_EXAMPLE, axis_scores=WORKED_SCORES, peer_means=WORKED_PEERS, levels=WORKED_LEVELS)

    assert [(action.candidate.code, action.horizon, action.priority) for action in plan] == [
        ("PROD-2/2", Horizon.QUICK_WINS, Decimal("23.4")),
        ("PEOPLE-1/3", Horizon.QUICK_WINS, Decimal("18")),
        ("PROD-3/2", Horizon.YEAR, Decimal("31.2")),
        ("PROD-1/2", Horizon.YEAR, Decimal("46.8")),
        ("STRAT-1/4", Horizon.YEAR, Decimal("12")),
    ]


def test_peer_term_is_ignored_when_the_company_is_ahead_or_the_mean_unknown():
    strat = WORKED_EXAMPLE[0]
    assert priority(strat, axis_score=Decimal("3.67"), peer_mean=Decimal("3.00")) == Decimal("12")
    assert priority(strat, axis_score=Decimal("3.67"), peer_mean=None) == Decimal("12")
    assert priority(strat, axis_score=Decimal("2.00"), peer_mean=Decimal("4.50")) == Decimal("18")


def test_dependency_of_a_question_answered_above_its_target_is_met():
    assert is_met("PROD-3/2", {"PROD-3": 2})
    assert is_met("PROD-3/2", {"PROD-3": None})
    assert not is_met("PROD-3/2", {"PROD-3": 1})
    assert not is_met("PROD-3/2", {})


def test_a_candidate_whose_dependency_cannot_be_in_the_plan_is_left_out():
    mes = candidate("PROD-1/2", "PROD", 1, "1", 1, "low", "high", depends_on=["PROD-3/3"])
    others = [candidate(f"PEOPLE-{n}/2", "PEOPLE", 2, "1", 1, "low", "low") for n in range(1, 6)]
    plan = choose_plan(
        [mes, *others], axis_scores={}, peer_means={}, levels={"PROD-1": 1, "PROD-3": 1}
    )  # PROD-3/3 is two steps away: not a candidate
    assert "PROD-1/2" not in [action.candidate.code for action in plan]


# --- properties -----------------------------------------------------------------------------------

SCALE = ["low", "medium", "high"]


@st.composite
def diagnostics(draw, equal_weights=False):
    """Random axes and answers; each candidate may depend on candidates of questions listed before it
    (so the file has no cycle), on a met recommendation, or on one two steps away."""
    axis_count = draw(st.integers(1, 6))
    levels, candidates, scores = {}, [], {}
    weights = st.just(Decimal(1)) if equal_weights else st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(2)])
    for a in range(axis_count):
        axis = f"AX{a}"
        axis_weight = draw(weights)
        answered = []
        for q in range(draw(st.integers(1, 5))):
            code = f"{axis}-{q + 1}"
            level = draw(st.one_of(st.none(), st.integers(0, 5)))
            levels[code] = level
            if level is not None:
                answered.append(level)
            if level is None or level == 5:
                continue
            options = [c.code for c in candidates]  # earlier questions' next steps: no cycle
            options += [f"{c.question_code}/{c.level + 2}" for c in candidates if c.level <= 3]  # out of reach
            options += [f"{code}/{level}"] if level else []  # already met
            depends_on = draw(st.lists(st.sampled_from(options), max_size=2, unique=True)) if options else []
            candidates.append(
                Candidate(
                    code=f"{code}/{level + 1}",
                    axis_code=axis,
                    axis_order=a,
                    axis_weight=axis_weight,
                    question_code=code,
                    question_order=q,
                    question_weight=draw(weights),
                    level=level,
                    effort=draw(st.sampled_from(SCALE)),
                    impact=draw(st.sampled_from(SCALE)),
                    depends_on=tuple(depends_on),
                )
            )
        if answered:
            scores[axis] = Decimal(sum(answered)) / len(answered)
    peers = {axis: draw(st.sampled_from([Decimal(0), Decimal("2.5"), Decimal(5)])) for axis in scores}
    return candidates, scores, peers, levels


def plan_of(case):
    candidates, scores, peers, levels = case
    return choose_plan(candidates, axis_scores=scores, peer_means=peers, levels=levels)


@settings(max_examples=200, deadline=None)
@given(diagnostics())
def test_the_weakest_axis_is_represented(case):
    candidates, scores, _peers, levels = case
    with_candidates = [c for c in candidates if c.axis_code in scores]
    if not with_candidates:
        return
    weakest = min(with_candidates, key=lambda c: (scores[c.axis_code], c.axis_order)).axis_code
    free = [c for c in candidates if c.axis_code == weakest and all(is_met(d, levels) for d in c.depends_on)]
    if free:
        assert weakest in {action.candidate.axis_code for action in plan_of(case)}


@settings(max_examples=200, deadline=None)
@given(diagnostics())
def test_dependencies_come_before_their_dependents(case):
    _candidates, _scores, _peers, levels = case
    seen = {}
    for action in plan_of(case):
        for code in action.candidate.depends_on:
            if not is_met(code, levels):
                assert code in seen, (action.candidate.code, code)
                assert seen[code] <= action.horizon
        seen[action.candidate.code] = action.horizon


@settings(max_examples=200, deadline=None)
@given(diagnostics())
def test_plan_holds_five_to_eight_actions_or_every_candidate(case):
    candidates = case[0]
    plan = plan_of(case)
    assert len(plan) <= MAX_ACTIONS
    assert len({action.candidate.code for action in plan}) == len(plan)
    reachable = [c for c in candidates if all(is_met(d, case[3]) for d in c.depends_on)]
    assert len(plan) >= min(MIN_ACTIONS, len(reachable))


@settings(max_examples=100, deadline=None)
@given(diagnostics(), st.randoms(use_true_random=False))
def test_plan_is_deterministic_whatever_the_order_of_the_candidates(case, rnd):
    candidates, scores, peers, levels = case
    shuffled = list(candidates)
    random.Random(rnd.random()).shuffle(shuffled)
    assert plan_of(case) == choose_plan(shuffled, axis_scores=scores, peer_means=peers, levels=levels)


@settings(max_examples=100, deadline=None)
@given(diagnostics(equal_weights=True), st.sampled_from([Decimal("0.5"), Decimal(2), Decimal("7.25")]))
def test_plan_with_equal_weights_does_not_depend_on_their_value(case, weight):
    candidates, scores, peers, levels = case
    reweighted = [Candidate(**{**vars(c), "axis_weight": weight, "question_weight": weight}) for c in candidates]
    expected = [(action.candidate.code, action.horizon) for action in plan_of(case)]
    actual = choose_plan(reweighted, axis_scores=scores, peer_means=peers, levels=levels)
    assert [(action.candidate.code, action.horizon) for action in actual] == expected


def test_dependency_cycles_are_found_once_each_from_their_smallest_code():
    from diagnostics.dependency_graph import cycles

    edges = {"B/2": ["A/1"], "A/1": ["C/3"], "C/3": ["B/2"], "D/1": ["D/1"], "E/1": ["A/1"]}
    assert cycles(edges) == [["A/1", "C/3", "B/2"], ["D/1"]]
    assert cycles({"A/1": ["B/1"], "B/1": []}) == []
