from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diagnostics.scoring import AnswerSpec, AxisSpec, ScoringError, compute_scores


def answer(code, axis, weight, level):
    return AnswerSpec(question_code=code, axis_code=axis, weight=Decimal(weight), level=level)


def test_worked_example_of_the_documentation():
    axes = [AxisSpec("STRAT", Decimal(1)), AxisSpec("DIGIT", Decimal(2)), AxisSpec("ENERGY", Decimal(1))]
    answers = [
        answer("STRAT-1", "STRAT", 1, 2),
        answer("STRAT-2", "STRAT", 2, 3),
        answer("STRAT-3", "STRAT", 1, None),
        answer("DIGIT-1", "DIGIT", 1, 1),
        answer("DIGIT-2", "DIGIT", 1, 4),
        answer("ENERGY-1", "ENERGY", 1, None),
        answer("ENERGY-2", "ENERGY", 1, None),
    ]
    snapshot = compute_scores(axes, answers)
    assert snapshot.axes["STRAT"].score == Decimal("2.67")
    assert snapshot.axes["DIGIT"].score == Decimal("2.50")
    assert snapshot.axes["ENERGY"].score is None
    assert snapshot.overall == Decimal("2.56")
    assert snapshot.band == 2
    assert snapshot.as_json()["axes"]["STRAT"] == {"score": "2.67", "applicable": 2}


def test_level_outside_zero_to_five_is_refused():
    with pytest.raises(ScoringError, match="level 9"):
        compute_scores([AxisSpec("A", Decimal(1))], [answer("A-1", "A", 1, 9)])


def test_question_of_an_unknown_axis_is_refused():
    with pytest.raises(ScoringError, match="no scored axis"):
        compute_scores([AxisSpec("A", Decimal(1))], [answer("B-1", "B", 1, 2)])


def test_all_questions_not_applicable_gives_zero_overall_and_no_axis_score():
    snapshot = compute_scores([AxisSpec("A", Decimal(1))], [answer("A-1", "A", 1, None)])
    assert snapshot.overall == Decimal("0.00")
    assert snapshot.axes["A"].score is None


weights = st.integers(min_value=1, max_value=5).map(Decimal)
levels = st.one_of(st.none(), st.integers(min_value=0, max_value=5))


@st.composite
def referential_answers(draw):
    axis_count = draw(st.integers(min_value=1, max_value=6))
    axes = [AxisSpec(f"AX{i}", draw(weights)) for i in range(axis_count)]
    answers = []
    for axis in axes:
        for q in range(draw(st.integers(min_value=1, max_value=6))):
            answers.append(answer(f"{axis.code}-{q}", axis.code, draw(weights), draw(levels)))
    return axes, answers


@given(referential_answers())
def test_scores_stay_within_zero_and_five_and_within_the_axis_levels(case):
    axes, answers = case
    snapshot = compute_scores(axes, answers)
    assert Decimal(0) <= snapshot.overall <= Decimal(5)
    assert 0 <= snapshot.band <= 5
    for axis in axes:
        answered = [a.level for a in answers if a.axis_code == axis.code and a.level is not None]
        score = snapshot.axes[axis.code].score
        if answered:
            assert min(answered) <= score <= max(answered)
        else:
            assert score is None


@given(referential_answers(), st.data())
def test_raising_one_answer_never_lowers_a_score(case, data):
    axes, answers = case
    raisable = [i for i, a in enumerate(answers) if a.level is not None and a.level < 5]
    if not raisable:
        return
    index = data.draw(st.sampled_from(raisable))
    before = compute_scores(axes, answers)
    raised = list(answers)
    old = raised[index]
    raised[index] = answer(old.question_code, old.axis_code, old.weight, data.draw(st.integers(old.level + 1, 5)))
    after = compute_scores(axes, raised)
    assert after.overall >= before.overall
    assert after.axes[old.axis_code].score >= before.axes[old.axis_code].score


@given(referential_answers(), st.integers(min_value=0, max_value=5))
def test_answering_every_question_at_one_level_gives_that_level(case, level):
    axes, answers = case
    uniform = [answer(a.question_code, a.axis_code, a.weight, level) for a in answers]
    snapshot = compute_scores(axes, uniform)
    assert snapshot.overall == Decimal(level)
    assert snapshot.band == level
