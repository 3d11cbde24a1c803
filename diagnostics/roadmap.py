"""The roadmap of a submitted diagnostic: 5 to 8 actions in three horizons, chosen by one pure function.

`choose_plan()` reads plain values only (`Candidate`s, the axes' scores, the peers' axis means and the
answered levels), so that it is deterministic and tested by properties (tests/diagnostics/test_roadmap.py);
`candidates_from()` builds the candidates from the referential rows the results page already holds.
The rules, with a worked example, are in docs/scoring.md ("The action plan").
"""

from dataclasses import dataclass, field
from decimal import Decimal

from diagnostics.scoring import MAX_LEVEL

MIN_ACTIONS = 5
MAX_ACTIONS = 8
WEAKEST_AXES_REPRESENTED = 2  # the two lowest-scored axes get an action each, when they have one
MAX_PER_AXIS = 3  # no axis takes more than three actions while other axes have some to offer
IMPACT_POINTS = {"low": 1, "medium": 2, "high": 3}
EASE_POINTS = {"low": 3, "medium": 2, "high": 1}  # the lower the effort, the sooner it pays
PEER_SCALE = Decimal(MAX_LEVEL)


class Horizon:
    """The three horizons of a plan; their value is the number of months they span."""

    QUICK_WINS = 3
    YEAR = 12
    TWO_YEARS = 24
    BY_EFFORT = {"low": QUICK_WINS, "medium": YEAR, "high": TWO_YEARS}
    ALL = (QUICK_WINS, YEAR, TWO_YEARS)


@dataclass(frozen=True)
class Candidate:
    """A next-level recommendation the plan may choose: the question's answer is `level`, it targets `level + 1`."""

    code: str  # the recommendation's code, "PROD-1/3"
    axis_code: str
    axis_order: int
    axis_weight: Decimal
    question_code: str
    question_order: int
    question_weight: Decimal
    level: int
    effort: str
    impact: str
    depends_on: tuple = ()
    recommendation: object = field(default=None, compare=False, repr=False)  # the row, for the pages


@dataclass(frozen=True)
class PlannedAction:
    candidate: Candidate
    horizon: int  # months: Horizon.QUICK_WINS, YEAR or TWO_YEARS
    priority: Decimal


def priority(candidate, *, axis_score=None, peer_mean=None):
    """(5 − level) × impact × ease × question weight × axis weight × (1 + how far the axis lags its peers / 5).

    The peer term counts only when the peers' mean of the axis is known and above the company's score.
    """
    value = (
        (MAX_LEVEL - candidate.level)
        * IMPACT_POINTS[candidate.impact]
        * EASE_POINTS[candidate.effort]
        * Decimal(candidate.question_weight)
        * Decimal(candidate.axis_weight)
    )
    if axis_score is not None and peer_mean is not None and peer_mean > axis_score:
        value *= 1 + (Decimal(peer_mean) - Decimal(axis_score)) / PEER_SCALE
    return value


def is_met(code, levels):
    """A dependency is met when its question's answer already reaches its target level (or does not apply)."""
    question_code, _slash, target = code.rpartition("/")
    if question_code not in levels:
        return False
    level = levels[question_code]
    return level is None or level >= int(target)


def plan_size(candidates):
    """One action per axis that has one, but never fewer than 5 nor more than 8 (nor more than there are)."""
    axes = {candidate.axis_code for candidate in candidates}
    return min(len(candidates), max(MIN_ACTIONS, min(MAX_ACTIONS, len(axes))))


def choose_plan(candidates, *, axis_scores, peer_means, levels):
    """The plan: `PlannedAction`s ordered by horizon, then priority, every dependency placed before its dependents.

    `axis_scores` and `peer_means` map axis codes to Decimals (missing when unknown); `levels` maps
    every question code to its answered level (None: not applicable). The two weakest scored axes
    are served first, then the highest priorities; a candidate comes with the unmet dependencies it
    needs (when each is a candidate: the next level of its question), or not at all.
    """
    priorities = {
        c.code: priority(c, axis_score=axis_scores.get(c.axis_code), peer_mean=peer_means.get(c.axis_code))
        for c in candidates
    }
    by_code = {c.code: c for c in candidates}
    ranked = sorted(
        candidates,
        key=lambda c: (-priorities[c.code], c.level, c.axis_order, c.question_order, c.code),
    )
    size = plan_size(candidates)
    chosen = []  # in an order where dependencies come first

    def take(candidate):
        needed = _with_prerequisites(candidate, by_code, levels, {c.code for c in chosen})
        if needed is None or len(chosen) + len(needed) > size:
            return False
        chosen.extend(needed)
        return True

    for axis_code in weakest_axes(candidates, axis_scores):
        for candidate in ranked:
            if candidate.axis_code == axis_code and take(candidate):
                break
    for cap in (MAX_PER_AXIS, size):
        for candidate in ranked:
            if len(chosen) >= size:
                break
            taken = sum(1 for c in chosen if c.axis_code == candidate.axis_code)
            if candidate.code not in {c.code for c in chosen} and taken < cap:
                take(candidate)
    return _in_horizons(chosen, priorities, levels)


def weakest_axes(candidates, axis_scores):
    """The codes of the lowest-scored axes that have candidates (ties: the referential's order)."""
    orders = {c.axis_code: c.axis_order for c in candidates}
    scored = sorted(
        (axis_scores[code], order, code) for code, order in orders.items() if axis_scores.get(code) is not None
    )
    return [code for _score, _order, code in scored[:WEAKEST_AXES_REPRESENTED]]


def _with_prerequisites(candidate, by_code, levels, chosen_codes, visiting=frozenset()):
    """`candidate` after the unmet dependencies it needs and the plan does not hold yet, or None when one
    of them cannot be in the plan (it is not the next step of its question, or the chain loops)."""
    if candidate.code in chosen_codes:
        return []
    if candidate.code in visiting:
        return None
    needed = []
    for code in candidate.depends_on:
        if is_met(code, levels) or code in chosen_codes or code in {c.code for c in needed}:
            continue
        dependency = by_code.get(code)
        if dependency is None:
            return None
        before = _with_prerequisites(
            dependency, by_code, levels, chosen_codes | {c.code for c in needed}, visiting | {candidate.code}
        )
        if before is None:
            return None
        needed.extend(before)
    return [*needed, candidate]


def _in_horizons(chosen, priorities, levels):
    """Each action in the horizon of its effort, or later when a dependency of it lies later; ordered
    by horizon, then by priority among the actions whose dependencies are already placed."""
    horizons = {}
    for candidate in chosen:  # dependencies come first in `chosen`
        own = Horizon.BY_EFFORT[candidate.effort]
        after = [horizons[code] for code in candidate.depends_on if code in horizons and not is_met(code, levels)]
        horizons[candidate.code] = max([own, *after])
    placed, plan = set(), []
    remaining = sorted(
        chosen,
        key=lambda c: (horizons[c.code], -priorities[c.code], c.level, c.axis_order, c.question_order, c.code),
    )
    while remaining:
        ready = next(c for c in remaining if all(code in placed or code not in horizons for code in c.depends_on))
        remaining.remove(ready)
        placed.add(ready.code)
        plan.append(PlannedAction(candidate=ready, horizon=horizons[ready.code], priority=priorities[ready.code]))
    return plan


def levels_by_code(axes, levels_by_question_pk):
    """{question code: answered level or None} of the questions of `axes`, what `choose_plan` reads."""
    return {question.code: levels_by_question_pk.get(question.pk) for axis in axes for question in axis.questions.all()}


def candidates_from(axes, levels_by_question_pk):
    """The candidates of the rows the results page reads (`selectors.results.results_content`): each axis
    with its questions, each question with the recommendation of the level after its answer."""
    candidates = []
    for axis in axes:
        for question in axis.questions.all():
            level = levels_by_question_pk.get(question.pk)
            if level is None or level >= MAX_LEVEL:
                continue
            recommendation = next((r for r in question.recommendations.all() if r.target_level == level + 1), None)
            if recommendation is None:
                continue
            candidates.append(
                Candidate(
                    code=f"{question.code}/{recommendation.target_level}",
                    axis_code=axis.code,
                    axis_order=axis.order,
                    axis_weight=axis.weight,
                    question_code=question.code,
                    question_order=question.order,
                    question_weight=question.weight,
                    level=level,
                    effort=recommendation.effort,
                    impact=recommendation.impact,
                    depends_on=tuple(recommendation.depends_on or ()),
                    recommendation=recommendation,
                )
            )
    return candidates
