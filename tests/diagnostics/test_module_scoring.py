"""The coverage rule of the one scoring function (docs/scoring.md, "Coverage"), by property tests."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from diagnostics.scoring import AnswerSpec, AxisSpec, compute_scores

AXES = ["A", "B", "C"]
MODULES = ["M-1", "M-2", "M-3"]


@st.composite
def answered_questionnaires(draw):
    """Axes, answers (core and module questions, some not applicable) and the opened modules."""
    axes = [AxisSpec(code, Decimal(draw(st.integers(1, 3)))) for code in AXES]
    answers = []
    for axis in AXES:
        answers.append(  # every axis keeps a core question, as the file format requires
            AnswerSpec(f"{axis}-0", axis, Decimal(draw(st.integers(1, 3))), draw(st.integers(0, 5)))
        )
        for number in range(1, draw(st.integers(1, 5))):
            answers.append(
                AnswerSpec(
                    question_code=f"{axis}-{number}",
                    axis_code=axis,
                    weight=Decimal(draw(st.integers(1, 3))),
                    level=draw(st.one_of(st.none(), st.integers(0, 5))),
                    module_code=draw(st.one_of(st.none(), st.sampled_from(MODULES))),
                )
            )
    opened = draw(st.sets(st.sampled_from(MODULES)))
    return axes, answers, opened


@given(answered_questionnaires())
def test_coverage_never_claims_a_module_that_is_not_opened_and_answered(case):
    axes, answers, opened = case
    coverage = compute_scores(axes, answers, opened_modules=opened).coverage
    answered_modules = {answer.module_code for answer in answers if answer.module_code is not None}
    assert set(coverage.modules) <= opened & answered_modules
    assert set(coverage.modules) == opened & answered_modules  # and it claims every one that is


@given(answered_questionnaires())
def test_a_score_with_no_module_opened_is_the_core_questions_score(case):
    axes, answers, _opened = case
    core_only = [answer for answer in answers if answer.module_code is None]
    without_modules = compute_scores(axes, answers, opened_modules=())
    assert without_modules == compute_scores(axes, core_only)
    assert without_modules.coverage.label == "core"


@given(answered_questionnaires())
def test_answers_of_modules_not_opened_change_nothing(case):
    axes, answers, opened = case
    counted = [answer for answer in answers if answer.module_code is None or answer.module_code in opened]
    assert compute_scores(axes, answers, opened_modules=opened) == compute_scores(axes, counted, opened_modules=opened)


@given(answered_questionnaires())
def test_a_referential_without_modules_scores_as_before(case):
    """Every question in the core (an older version): the snapshot is the one computed before modules existed."""
    axes, answers, _opened = case
    all_core = [AnswerSpec(answer.question_code, answer.axis_code, answer.weight, answer.level) for answer in answers]
    snapshot = compute_scores(axes, all_core)
    by_axis = {}
    for answer in all_core:
        if answer.level is not None:
            by_axis.setdefault(answer.axis_code, []).append((answer.weight, Decimal(answer.level)))
    for axis in axes:
        pairs = by_axis.get(axis.code)
        if pairs is None:
            assert snapshot.axes[axis.code].score is None
            continue
        mean = sum(w * level for w, level in pairs) / sum(w for w, _level in pairs)
        assert snapshot.axes[axis.code].score == mean.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert snapshot.coverage.modules == ()
    assert snapshot.as_json()["coverage"] == {"label": "core", "modules": []}


def test_coverage_names_the_opened_modules_that_were_answered():
    axes = [AxisSpec("A", Decimal(1))]
    answers = [
        AnswerSpec("A-1", "A", Decimal(1), 2),
        AnswerSpec("A-2", "A", Decimal(1), 4, module_code="M-2"),
        AnswerSpec("A-3", "A", Decimal(1), None, module_code="M-1"),
    ]
    snapshot = compute_scores(axes, answers, opened_modules={"M-1", "M-2", "M-3"})
    assert snapshot.coverage.modules == ("M-1", "M-2")
    assert snapshot.coverage.label == "core + modules: M-1, M-2"
    assert snapshot.axes["A"].score == Decimal("3.00")  # (2 + 4) / 2; M-1's question is not applicable
