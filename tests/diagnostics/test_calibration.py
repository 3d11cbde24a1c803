"""The calibration gap (self minus expert, per axis) and its mean under statistical secrecy: pure functions."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from diagnostics.calibration import calibration_gap, mean_gaps

D = Decimal


def test_the_gap_is_the_self_assessment_minus_the_experts_score():
    gaps = calibration_gap({"STRAT": D("3.50"), "PROD": D("1.00")}, {"STRAT": D("2.00"), "PROD": D("1.75")})
    assert gaps == {"STRAT": D("1.50"), "PROD": D("-0.75")}


def test_an_axis_without_a_score_on_either_side_has_no_gap():
    gaps = calibration_gap({"STRAT": None, "PROD": D("2"), "RH": D("4")}, {"STRAT": D("2"), "PROD": None})
    assert gaps == {"STRAT": None, "PROD": None, "RH": None}


def test_scores_read_from_a_snapshot_as_text_or_a_whole_level_are_accepted():
    assert calibration_gap({"STRAT": "2.50"}, {"STRAT": 2}) == {"STRAT": D("0.50")}


scores = st.decimals(min_value=0, max_value=5, places=2, allow_nan=False, allow_infinity=False)


@given(scores, scores)
def test_the_gap_is_antisymmetric_and_bounded(own, expert):
    gap = calibration_gap({"A": own}, {"A": expert})["A"]
    assert gap == -calibration_gap({"A": expert}, {"A": own})["A"]
    assert D(-5) <= gap <= D(5)
    assert (gap == 0) == (own == expert)


def test_a_mean_needs_enough_distinct_companies():
    gaps = {company: {"STRAT": D("1.00"), "PROD": D("-0.50") if company < 4 else None} for company in range(5)}
    assert mean_gaps(gaps, min_companies=5) == {"STRAT": (D("1.00"), 5)}


def test_the_mean_is_rounded_half_up_to_two_places():
    gaps = {1: {"A": D("0.01")}, 2: {"A": D("0.00")}}
    assert mean_gaps(gaps, min_companies=2) == {"A": (D("0.01"), 2)}
