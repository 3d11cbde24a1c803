"""A referential version as a document in the file format of docs/referential-format.md, and back to YAML.

`referential_to_document()` is the inverse of `services.load_referential_document()`: loading a file,
exporting it and loading the export gives the same rows.
"""

import copy
from decimal import Decimal

import yaml

DEFAULT_QUESTION_MINUTES = 1


def _text(row, field):
    return {"fr": getattr(row, f"{field}_fr"), "en": getattr(row, f"{field}_en")}


def _number(value):
    """Decimal weights as YAML numbers: 1, not 1.00; 1.5, not 1.50."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def _question_document(question):
    document = {"code": question.code, "text": _text(question, "text")}
    if question.help_fr or question.help_en:
        document["help"] = _text(question, "help")
    if question.module_id is not None:
        document["module"] = question.module.code
    document.update(
        {
            "weight": _number(question.weight),
            "allows_not_applicable": question.allows_not_applicable,
            "themes": [theme.code for theme in question.ordered_themes],
            "levels": [_level_document(level) for level in question.levels.all()],
            "recommendations": [_recommendation_document(r) for r in question.recommendations.all()],
        }
    )
    if question.minutes != DEFAULT_QUESTION_MINUTES:
        document["minutes"] = question.minutes
    return document


def _level_document(level):
    document = {"level": level.level, "description": _text(level, "description")}
    if level.evidence_expected:  # written only when set, so documents of versions without it stay as they were
        document["evidence_expected"] = True
    return document


def _recommendation_document(recommendation):
    document = {
        "target_level": recommendation.target_level,
        "action": _text(recommendation, "action"),
        "effort": recommendation.effort,
        "impact": recommendation.impact,
    }
    if recommendation.theme is not None:
        document["theme"] = recommendation.theme.code
    document["expert_skill"] = recommendation.expert_skill
    if recommendation.has_cost:
        document["cost"] = {"min": recommendation.cost_min, "max": recommendation.cost_max}
    if recommendation.depends_on:
        document["depends_on"] = list(recommendation.depends_on)
    return document


def _rule_document(rule):
    if rule.kind == "core_answer":
        return {"core_answer": {"question": rule.question.code, "at_most": rule.level}}
    key = "headcount_bands" if rule.kind == "headcount_band" else "naf_divisions"
    return {key: list(rule.values)}


def _module_document(module):
    return {
        "code": module.code,
        "title": _text(module, "title"),
        "description": _text(module, "description"),
        "minutes": module.minutes,
        "opens_when": [_rule_document(rule) for rule in module.rules.all()],
    }


def _axis_document(axis):
    document = {
        "code": axis.code,
        "title": _text(axis, "title"),
        "description": _text(axis, "description"),
        "weight": _number(axis.weight),
    }
    if (
        axis.weight_rationale_fr or axis.weight_rationale_en
    ):  # written only when set, as versions before 2026.2 have none
        document["weight_rationale"] = _text(axis, "weight_rationale")
    document["questions"] = [_question_document(question) for question in axis.questions.all()]
    return document


def referential_to_document(referential):
    """The document of a referential; pass one from `selectors.with_content()` to read it in a fixed number of queries.

    `modules` is written only when the version has some, so that a version without modules exports
    as it always did.
    """
    document = {
        "code": referential.code,
        "version": referential.version,
        "title": _text(referential, "title"),
        "description": _text(referential, "description"),
        "bands": [
            {"level": band.level, "name": _text(band, "name"), "description": _text(band, "description")}
            for band in referential.bands.all()
        ],
        "axes": [_axis_document(axis) for axis in referential.axes.all()],
    }
    modules = [_module_document(module) for module in referential.modules.all()]
    if modules:
        document["modules"] = modules
    return document


class _ReadableDumper(yaml.SafeDumper):
    """Indented lists and multi-line texts as literal blocks, so an export stays readable and diffable."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_text(dumper, value):
    style = "|" if "\n" in value.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ReadableDumper.add_representer(str, _represent_text)


def dump_yaml(document):
    return yaml.dump(document, Dumper=_ReadableDumper, sort_keys=False, allow_unicode=True, width=100)


def with_defaults(document):
    """A copy of a file's document as an export would write it: optional keys filled in, recommendations by level."""
    document = copy.deepcopy(document)
    if not document.get("modules"):
        document.pop("modules", None)
    for module in document.get("modules", []):
        module.setdefault("opens_when", [])
    for axis in document["axes"]:
        for question in axis["questions"]:
            question.setdefault("allows_not_applicable", False)
            question.setdefault("themes", [])
            # Written only when it differs from the default, so that older files export unchanged.
            if question.get("minutes") == DEFAULT_QUESTION_MINUTES:
                del question["minutes"]
            question["recommendations"].sort(key=lambda recommendation: recommendation["target_level"])
    return document
