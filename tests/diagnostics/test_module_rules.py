"""Which deep-dive modules are suggested, and why (diagnostics/modules.py): each kind of opening rule."""

import pytest
from django.utils import translation

from diagnostics.modules import (
    CORE_ANSWER,
    HEADCOUNT_BAND,
    NAF_DIVISION,
    CompanyProfile,
    ModuleSpec,
    RuleSpec,
    suggested_modules,
)

SMALL_METALWORKER = CompanyProfile(headcount_band="10-49", naf_division="25")


def core_answer(question, at_most):
    return RuleSpec(kind=CORE_ANSWER, question_code=question, question_text=f"Text of {question}", level=at_most)


def suggested(modules, answers=None, company=SMALL_METALWORKER):
    return {
        suggestion.module_code: suggestion.reasons
        for suggestion in suggested_modules(modules, answers=answers or {}, company=company)
    }


@pytest.mark.parametrize(("level", "expected"), [(0, True), (2, True), (3, False), (5, False)])
def test_a_core_answer_at_or_below_the_level_suggests_the_module(level, expected):
    module = ModuleSpec(code="M-OPS", rules=(core_answer("OPS-1", 2),))
    assert ("M-OPS" in suggested([module], {"OPS-1": level})) is expected


def test_an_unanswered_or_not_applicable_core_question_suggests_nothing():
    module = ModuleSpec(code="M-OPS", rules=(core_answer("OPS-1", 5),))
    assert suggested([module], {}) == {}
    assert suggested([module], {"OPS-1": None}) == {}


def test_a_headcount_band_of_the_rule_suggests_the_module():
    module = ModuleSpec(code="M-STRAT", rules=(RuleSpec(kind=HEADCOUNT_BAND, values=("10-49", "50-249")),))
    assert "M-STRAT" in suggested([module])
    assert suggested([module], company=CompanyProfile(headcount_band="1-9", naf_division="25")) == {}


def test_a_naf_division_of_the_rule_suggests_the_module_naming_the_companys_division():
    module = ModuleSpec(code="M-TECH", rules=(RuleSpec(kind=NAF_DIVISION, values=("22", "25", "28")),))
    (reason,) = suggested([module])["M-TECH"]
    assert reason.rule.values == ("25",)
    with translation.override("en"):
        assert str(reason) == "companies of your sector (NAF division 25) often gain from it"
    assert suggested([module], company=CompanyProfile(headcount_band="10-49", naf_division="10")) == {}


def test_every_matching_rule_is_a_reason_and_the_order_of_modules_is_kept():
    first = ModuleSpec(code="M-B", rules=(core_answer("B-1", 2), RuleSpec(kind=HEADCOUNT_BAND, values=("10-49",))))
    second = ModuleSpec(code="M-A", rules=(core_answer("A-1", 1),))
    result = suggested_modules([first, second], answers={"B-1": 1, "A-1": 1}, company=SMALL_METALWORKER)
    assert [suggestion.module_code for suggestion in result] == ["M-B", "M-A"]
    assert len(result[0].reasons) == 2


def test_the_reason_of_a_core_answer_says_what_was_answered():
    module = ModuleSpec(code="M-OPS", rules=(core_answer("OPS-1", 2),))
    (reason,) = suggested([module], {"OPS-1": 1})["M-OPS"]
    with translation.override("en"):
        assert str(reason) == "you answered level 1 to “Text of OPS-1” (OPS-1), level 2 or below"


def test_a_module_without_rules_is_never_suggested():
    assert suggested([ModuleSpec(code="M-X")], {"X-1": 0}) == {}
