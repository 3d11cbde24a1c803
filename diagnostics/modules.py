"""Which deep-dive modules to suggest to a company, and why: a pure function over plain values.

A module is suggested when any of its opening rules (written in the referential file) matches:

- `core_answer`: the company answered the named core question at the rule's level or below
  (a "not applicable" answer or no answer matches nothing);
- `headcount_band`: the company's headcount band is one of the rule's bands;
- `naf_division`: the company's NAF division (two digits) is one of the rule's divisions.

Each suggestion carries every rule that matched, so the page can say "because you answered level 2
or below to STRAT-1". Suggesting never opens anything: the company decides (`ModuleDecision`).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

CORE_ANSWER = "core_answer"
HEADCOUNT_BAND = "headcount_band"
NAF_DIVISION = "naf_division"


@dataclass(frozen=True)
class RuleSpec:
    kind: str
    question_code: str = ""
    question_text: str = ""
    level: int | None = None
    values: tuple = ()


@dataclass(frozen=True)
class ModuleSpec:
    code: str
    rules: tuple = ()


@dataclass(frozen=True)
class CompanyProfile:
    headcount_band: str
    naf_division: str


@dataclass(frozen=True)
class Reason:
    """One matched rule, and what of the company matched it."""

    rule: RuleSpec
    answered_level: int | None = None

    def __str__(self):
        if self.rule.kind == CORE_ANSWER:
            return _("you answered level %(answered)s to “%(question)s” (%(code)s), level %(level)s or below") % {
                "answered": self.answered_level,
                "question": self.rule.question_text or self.rule.question_code,
                "code": self.rule.question_code,
                "level": self.rule.level,
            }
        if self.rule.kind == HEADCOUNT_BAND:
            return _("companies of your headcount often gain from it")
        return _("companies of your sector (NAF division %(division)s) often gain from it") % {
            "division": ", ".join(self.rule.values)
        }


def _reason(rule, answers, company):
    if rule.kind == CORE_ANSWER:
        level = answers.get(rule.question_code)
        if level is not None and rule.level is not None and level <= rule.level:
            return Reason(rule=rule, answered_level=level)
        return None
    if rule.kind == HEADCOUNT_BAND:
        return Reason(rule=rule) if company.headcount_band in rule.values else None
    if rule.kind == NAF_DIVISION:
        if company.naf_division in rule.values:
            # The reason names the company's own division, not the rule's whole list.
            return Reason(rule=RuleSpec(kind=rule.kind, values=(company.naf_division,)))
        return None
    raise ValueError(f"unknown module rule kind {rule.kind!r}")


@dataclass(frozen=True)
class Suggestion:
    module_code: str
    reasons: tuple


def suggested_modules(modules, *, answers, company):
    """The modules any of whose rules matches, in the given order, each with every matching rule.

    `modules`: `ModuleSpec`s; `answers`: {core question code: level, or None when not applicable};
    `company`: a `CompanyProfile`.
    """
    suggestions = []
    for module in modules:
        reasons = tuple(reason for rule in module.rules if (reason := _reason(rule, answers, company)) is not None)
        if reasons:
            suggestions.append(Suggestion(module_code=module.code, reasons=reasons))
    return suggestions
