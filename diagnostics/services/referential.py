"""Writes of the referential: load a checked document, publish, retire, derive a new draft.

A version's lifecycle is `diagnostics.models.referential.LIFECYCLE` (draft → published → retired);
every move is checked under a row lock and recorded as a `ReferentialTransition`.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics import selectors
from diagnostics.documents import referential_to_document, with_defaults
from diagnostics.exceptions import IllegalTransition, ReferentialInvalid, ReferentialVersionExists
from diagnostics.models import (
    Axis,
    LevelDescriptor,
    MaturityBand,
    Module,
    ModuleRule,
    Question,
    QuestionTheme,
    Recommendation,
    Referential,
    TechnologyTheme,
)
from diagnostics.models.referential import LIFECYCLE, validate_version
from diagnostics.validation import check_referential_document


class LoadAction(StrEnum):
    CREATED = "created"
    REPLACED_DRAFT = "replaced-draft"
    ALREADY_LOCKED = "already-locked"


@dataclass(frozen=True)
class LoadOutcome:
    """What loading a document did. `differs` tells, for an already published version, whether the file changed."""

    referential: Referential
    action: LoadAction
    differs: bool = False


def _locked(referential):
    return Referential.objects.select_for_update().get(pk=referential.pk)


def referential_problems(referential):
    """Every problem of a version's content, as if it were a file (a draft edited in the admin may be incomplete)."""
    with_rows = selectors.with_content(Referential.objects.filter(pk=referential.pk)).get()
    return check_referential_document(referential_to_document(with_rows), theme_codes=selectors.theme_codes())


@transaction.atomic
def publish_referential(*, referential, by=None, comment=""):
    """Publish a complete draft; from then on it never changes. Raises `ReferentialInvalid` if it is incomplete."""
    row = _locked(referential)
    if row.status == Referential.Status.DRAFT:
        problems = referential_problems(row)
        if problems:
            raise ReferentialInvalid(problems)
    LIFECYCLE.move(row, Referential.Status.PUBLISHED, by=by, comment=comment, published_at=timezone.now())
    return row


@transaction.atomic
def retire_referential(*, referential, by=None, comment=""):
    """Retire a published version: no new diagnostic starts on it; the diagnostics made on it stay readable."""
    row = _locked(referential)
    LIFECYCLE.move(row, Referential.Status.RETIRED, by=by, comment=comment, retired_at=timezone.now())
    return row


@transaction.atomic
def derive_draft(*, referential, new_version, by=None):
    """A new draft `new_version`: a deep copy of the published (or retired) `referential`, ready to be edited."""
    validate_version(new_version)
    source = selectors.with_content(Referential.objects.filter(pk=referential.pk)).get()
    if source.is_draft:
        raise IllegalTransition(_("A new draft is derived from a published or retired version, not from a draft."))
    if Referential.objects.filter(code=source.code, version=new_version).exists():
        raise ReferentialVersionExists(
            _("Version %(version)s of %(code)s already exists.") % {"version": new_version, "code": source.code}
        )
    document = {**referential_to_document(source), "version": new_version}
    comment = _("Derived from version %(version)s.") % {"version": source.version}
    return _create_draft(document, by=by, comment=comment)


@transaction.atomic
def load_referential_document(*, document, publish=False, by=None, comment=""):
    """Write a checked document (see `validation.read_referential_file`) as a draft, published if asked.

    A version already published or retired is left as it is (loading is idempotent); a draft of the
    same version is replaced.
    """
    existing = (
        Referential.objects.select_for_update().filter(code=document["code"], version=document["version"]).first()
    )
    if existing is not None and existing.is_locked:
        stored = referential_to_document(selectors.with_content(Referential.objects.filter(pk=existing.pk)).get())
        return LoadOutcome(existing, LoadAction.ALREADY_LOCKED, differs=stored != with_defaults(document))
    if existing is not None:
        existing.delete()
    referential = _create_draft(document, by=by, comment=comment)
    if publish:
        referential = publish_referential(referential=referential, by=by, comment=comment)
    action = LoadAction.CREATED if existing is None else LoadAction.REPLACED_DRAFT
    return LoadOutcome(referential, action)


def _texts(document, field, name=None):
    text = document.get(field) or {"fr": "", "en": ""}
    name = name or field
    return {f"{name}_fr": text["fr"], f"{name}_en": text["en"]}


def _create_draft(document, *, by, comment):
    """Create a draft and its content with one bulk insert per table."""
    themes = {theme.code: theme for theme in TechnologyTheme.objects.all()}
    referential = Referential.objects.create(
        code=document["code"],
        version=document["version"],
        **_texts(document, "title"),
        **_texts(document, "description"),
    )
    LIFECYCLE.start(referential, by=by, comment=comment)
    MaturityBand.objects.bulk_create(
        MaturityBand(
            referential=referential, level=band["level"], **_texts(band, "name"), **_texts(band, "description")
        )
        for band in document["bands"]
    )
    axes = Axis.objects.bulk_create(
        Axis(
            referential=referential,
            code=axis["code"],
            order=position,
            weight=Decimal(str(axis["weight"])),
            **_texts(axis, "title"),
            **_texts(axis, "description"),
            **_texts(axis, "weight_rationale"),
        )
        for position, axis in enumerate(document["axes"], start=1)
    )
    modules = {
        row.code: row
        for row in Module.objects.bulk_create(
            Module(
                referential=referential,
                code=module["code"],
                order=position,
                minutes=module["minutes"],
                **_texts(module, "title"),
                **_texts(module, "description"),
            )
            for position, module in enumerate(document.get("modules", []), start=1)
        )
    }
    question_documents = [
        (axis_row, position, question)
        for axis_row, axis in zip(axes, document["axes"], strict=True)
        for position, question in enumerate(axis["questions"], start=1)
    ]
    questions = Question.objects.bulk_create(
        Question(
            axis=axis_row,
            referential=referential,
            code=question["code"],
            order=position,
            weight=Decimal(str(question["weight"])),
            allows_not_applicable=question.get("allows_not_applicable", False),
            module=modules[question["module"]] if question.get("module") else None,
            minutes=question.get("minutes", 1),
            **_texts(question, "text"),
            **_texts(question, "help"),
        )
        for axis_row, position, question in question_documents
    )
    pairs = list(zip(questions, (question for _axis, _position, question in question_documents), strict=True))
    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(
            question=row,
            level=level["level"],
            evidence_expected=level.get("evidence_expected", False),
            **_texts(level, "description"),
        )
        for row, question in pairs
        for level in question["levels"]
    )
    Recommendation.objects.bulk_create(
        Recommendation(
            question=row,
            target_level=recommendation["target_level"],
            effort=recommendation["effort"],
            impact=recommendation["impact"],
            theme=themes[recommendation["theme"]] if recommendation.get("theme") else None,
            expert_skill=recommendation["expert_skill"],
            cost_min=recommendation["cost"]["min"] if "cost" in recommendation else None,
            cost_max=recommendation["cost"]["max"] if "cost" in recommendation else None,
            depends_on=list(recommendation.get("depends_on", [])),
            **_texts(recommendation, "action"),
        )
        for row, question in pairs
        for recommendation in question["recommendations"]
    )
    QuestionTheme.objects.bulk_create(
        QuestionTheme(question=row, theme=themes[code], order=position)
        for row, question in pairs
        for position, code in enumerate(question.get("themes", []), start=1)
    )
    by_code = {row.code: row for row in questions}
    ModuleRule.objects.bulk_create(
        _module_rule(modules[module["code"]], position, rule, by_code)
        for module in document.get("modules", [])
        for position, rule in enumerate(module.get("opens_when", []), start=1)
    )
    return referential


def _module_rule(module, order, rule, questions):
    """The row of one opening rule of the file (a mapping with one key, checked by the validation)."""
    if "core_answer" in rule:
        return ModuleRule(
            module=module,
            order=order,
            kind=ModuleRule.Kind.CORE_ANSWER,
            question=questions[rule["core_answer"]["question"]],
            level=rule["core_answer"]["at_most"],
        )
    if "headcount_bands" in rule:
        return ModuleRule(
            module=module, order=order, kind=ModuleRule.Kind.HEADCOUNT_BAND, values=rule["headcount_bands"]
        )
    return ModuleRule(module=module, order=order, kind=ModuleRule.Kind.NAF_DIVISION, values=rule["naf_divisions"])
