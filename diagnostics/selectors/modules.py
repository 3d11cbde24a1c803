"""Reads of the deep-dive modules of a diagnostic: which questions are in scope, what to suggest, the first score.

A diagnostic's questionnaire is its referential's core plus the modules the company opened
(`ModuleDecision.opened`); the core alone is what a submit requires.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from diagnostics.models import Answer, Axis, Module, ModuleDecision, ModuleRule
from diagnostics.modules import CompanyProfile, ModuleSpec, RuleSpec, suggested_modules
from diagnostics.scoring import AnswerSpec, AxisSpec, compute_scores
from portal.models import NafCode


def opened_module_ids(diagnostic):
    """A subquery: the ids of the modules the company opened in this diagnostic."""
    return ModuleDecision.objects.filter(diagnostic_id=diagnostic.pk, opened=True).values("module_id")


def in_scope(diagnostic, prefix=""):
    """A Q over questions (through `prefix`, e.g. "question__"): the core and the opened modules' questions."""
    return Q(**{f"{prefix}module__isnull": True}) | Q(**{f"{prefix}module__in": opened_module_ids(diagnostic)})


def undecided_modules_exist(diagnostic):
    """Whether the referential has a module the company has neither opened nor put off (one query)."""
    return (
        Module.objects.filter(referential_id=diagnostic.referential_id)
        .exclude(pk__in=ModuleDecision.objects.filter(diagnostic_id=diagnostic.pk).values("module_id"))
        .exists()
    )


def scoring_inputs(diagnostic):
    """The axes, the answers and the opened modules' codes, as `compute_scores` takes them (three queries)."""
    axes = [
        AxisSpec(code=code, weight=weight)
        for code, weight in Axis.objects.filter(referential_id=diagnostic.referential_id)
        .order_by("order", "pk")
        .values_list("code", "weight")
    ]
    answers = [
        AnswerSpec(
            question_code=answer.question.code,
            axis_code=answer.question.axis.code,
            weight=answer.question.weight,
            level=None if answer.not_applicable else answer.level,
            module_code=answer.question.module.code if answer.question.module_id else None,
        )
        for answer in Answer.objects.filter(diagnostic_id=diagnostic.pk)
        .filter(Q(level__isnull=False) | Q(not_applicable=True))
        .select_related("question__axis", "question__module")
    ]
    opened = list(
        ModuleDecision.objects.filter(diagnostic_id=diagnostic.pk, opened=True).values_list("module__code", flat=True)
    )
    return axes, answers, opened


@dataclass(frozen=True)
class ModuleOffer:
    """One module on the modules page: the row (with `question_count`, `answered_count`), why it is suggested, the decision."""

    module: Module
    reasons: tuple
    decision: ModuleDecision | None

    @property
    def suggested(self):
        return bool(self.reasons)

    @property
    def opened(self):
        return self.decision is not None and self.decision.opened

    @property
    def put_off(self):
        return self.decision is not None and not self.decision.opened


@dataclass(frozen=True)
class ModulesPage:
    offers: list
    core_complete: bool
    score: object  # scoring.ScoreSnapshot of the answers so far, or None before the core is complete

    @property
    def suggested(self):
        return [offer for offer in self.offers if offer.suggested]

    @property
    def others(self):
        return [offer for offer in self.offers if not offer.suggested]

    @property
    def covered_titles(self):
        """The titles of the modules the first score covers (its coverage names them by code)."""
        covered = set(self.score.coverage.modules) if self.score is not None else set()
        return [offer.module.title for offer in self.offers if offer.module.code in covered]


def _company_profile(company):
    division = NafCode.objects.filter(pk=company.naf_division_id).values_list("code", flat=True).first()
    return CompanyProfile(headcount_band=company.headcount_band, naf_division=division or "")


def _module_rows(diagnostic):
    # A subquery over this diagnostic's answers: joining the modules to their questions' answers would
    # read every company's answers.
    answered = (
        Answer.objects.filter(diagnostic_id=diagnostic.pk, question__module=OuterRef("pk"))
        .filter(Q(level__isnull=False) | Q(not_applicable=True))
        .order_by()
        .values("question__module")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Module.objects.filter(referential_id=diagnostic.referential_id)
        .annotate(
            question_count=Count("questions"),
            answered_count=Coalesce(Subquery(answered, output_field=IntegerField()), 0),
        )
        .prefetch_related(
            Prefetch("rules", queryset=ModuleRule.objects.select_related("question").order_by("order", "pk"))
        )
        .order_by("order", "pk")
    )


def modules_page(diagnostic):
    """Everything the modules page shows, in a fixed number of queries (eight) whatever the number of modules.

    The company must be loaded on the diagnostic (`visible_diagnostic` does).
    """
    modules = _module_rows(diagnostic)
    decisions = {
        decision.module_id: decision for decision in ModuleDecision.objects.filter(diagnostic_id=diagnostic.pk)
    }
    axes, answers, opened = scoring_inputs(diagnostic)
    core_levels = {answer.question_code: answer.level for answer in answers if answer.module_code is None}
    core_missing = (
        diagnostic.referential.questions.filter(module__isnull=True).exclude(code__in=list(core_levels)).exists()
    )
    specs = [
        ModuleSpec(
            code=module.code,
            rules=tuple(
                RuleSpec(
                    kind=rule.kind,
                    question_code=rule.question.code if rule.question_id else "",
                    question_text=rule.question.text if rule.question_id else "",
                    level=rule.level,
                    values=tuple(rule.values),
                )
                for rule in module.rules.all()
            ),
        )
        for module in modules
    ]
    reasons = {
        suggestion.module_code: suggestion.reasons
        for suggestion in suggested_modules(specs, answers=core_levels, company=_company_profile(diagnostic.company))
    }
    offers = [
        ModuleOffer(module=module, reasons=reasons.get(module.code, ()), decision=decisions.get(module.pk))
        for module in modules
    ]
    score = None if core_missing else compute_scores(axes, answers, opened_modules=opened)
    return ModulesPage(offers=offers, core_complete=not core_missing, score=score)
