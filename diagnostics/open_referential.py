"""The open referential: every published or retired version for anyone to download, reuse and compare.

The content of the referential (texts, levels, recommendations, weights) is published under the
Licence Ouverte / Open Licence 2.0 (Etalab): anyone may reuse it, commercially too, naming its
source and the date of the version. The portal's code is under the EUPL-1.2 (LICENSE).

- `yaml_file`: the version in the format `load_referential` reads (docs/referential-format.md), the
  licence in a comment at the top; loading it and exporting it again gives the same file;
- `json_file`: `{"licence": {...}, "referential": <the same document>}`;
- `xlsx_file`: one sheet per level of the content, the licence on the first sheet, the deep-dive
  modules and their opening rules on the last;
- `compare`: what changed between two versions (axes, questions and modules added, removed or changed).
"""

import io
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from diagnostics.documents import dump_yaml
from portal.spreadsheets import xlsx_cell

LICENCE_NAME = "Licence Ouverte / Open Licence 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LICENCE_SPDX = "etalab-2.0"
PRODUCER = "Alliance Industrie du Futur"
FORMATS = {
    "yaml": "application/yaml; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def source_url(document):
    return settings.SITE_URL.rstrip("/") + reverse("diagnostics:referential") + f"?version={document['version']}"


def licence(document):
    """The licence and the attribution to give when reusing this version."""
    return {
        "name": LICENCE_NAME,
        "spdx": LICENCE_SPDX,
        "url": LICENCE_URL,
        "producer": PRODUCER,
        "source": source_url(document),
        "version": document["version"],
    }


def filename(document, fmt):
    return f"{document['code']}-{document['version']}.{fmt}"


def yaml_file(document):
    """The version as YAML, with the licence and the source in a comment on top (ignored when loaded)."""
    header = (
        f"# {document['title']['fr']} / {document['title']['en']}, version {document['version']}\n"
        f"# Licence : {LICENCE_NAME} ({LICENCE_SPDX}), {LICENCE_URL}\n"
        f"# Producteur / producer : {PRODUCER}. Source : {source_url(document)}\n"
    )
    return (header + dump_yaml(document)).encode("utf-8")


def json_file(document):
    return json.dumps({"licence": licence(document), "referential": document}, ensure_ascii=False, indent=2).encode(
        "utf-8"
    )


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([xlsx_cell(sheet, str(name)) for name in header])
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])


def xlsx_file(document):
    """The version as a workbook: the version and its licence, bands, axes, questions, levels, recommendations."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    axes = document["axes"]
    questions = [(axis, question) for axis in axes for question in axis["questions"]]
    _sheet(
        workbook,
        _("Version"),
        [_("Field"), _("Value")],
        [
            ("code", document["code"]),
            ("version", document["version"]),
            ("title_fr", document["title"]["fr"]),
            ("title_en", document["title"]["en"]),
            ("description_fr", document["description"]["fr"]),
            ("description_en", document["description"]["en"]),
            (_("Licence"), f"{LICENCE_NAME} – {LICENCE_URL}"),
            (_("Producer"), PRODUCER),
            (_("Source"), source_url(document)),
        ],
    )
    _sheet(
        workbook,
        _("Bands"),
        ["level", "name_fr", "name_en", "description_fr", "description_en"],
        [
            (
                band["level"],
                band["name"]["fr"],
                band["name"]["en"],
                band["description"]["fr"],
                band["description"]["en"],
            )
            for band in document["bands"]
        ],
    )
    _sheet(
        workbook,
        _("Axes"),
        [
            "axis",
            "weight",
            "title_fr",
            "title_en",
            "description_fr",
            "description_en",
            "weight_rationale_fr",
            "weight_rationale_en",
        ],
        [
            (
                axis["code"],
                axis["weight"],
                axis["title"]["fr"],
                axis["title"]["en"],
                axis["description"]["fr"],
                axis["description"]["en"],
                axis.get("weight_rationale", {}).get("fr", ""),
                axis.get("weight_rationale", {}).get("en", ""),
            )
            for axis in axes
        ],
    )
    _sheet(
        workbook,
        _("Questions"),
        [
            "axis",
            "question",
            "weight",
            "allows_not_applicable",
            "themes",
            "text_fr",
            "text_en",
            "help_fr",
            "help_en",
            "module",
            "minutes",
        ],
        [
            (
                axis["code"],
                question["code"],
                question["weight"],
                question["allows_not_applicable"],
                ", ".join(question["themes"]),
                question["text"]["fr"],
                question["text"]["en"],
                question.get("help", {}).get("fr", ""),
                question.get("help", {}).get("en", ""),
                question.get("module", ""),
                question.get("minutes", 1),
            )
            for axis, question in questions
        ],
    )
    _sheet(
        workbook,
        _("Levels"),
        ["question", "level", "description_fr", "description_en"],
        [
            (question["code"], level["level"], level["description"]["fr"], level["description"]["en"])
            for _axis, question in questions
            for level in question["levels"]
        ],
    )
    _sheet(
        workbook,
        _("Recommendations"),
        [
            "question",
            "target_level",
            "effort",
            "impact",
            "theme",
            "expert_skill",
            "action_fr",
            "action_en",
            "cost_min_eur",
            "cost_max_eur",
            "depends_on",
        ],
        [
            (
                question["code"],
                item["target_level"],
                item["effort"],
                item["impact"],
                item.get("theme", ""),
                item["expert_skill"],
                item["action"]["fr"],
                item["action"]["en"],
                item["cost"]["min"] if "cost" in item else None,
                item["cost"]["max"] if "cost" in item else None,
                " ".join(item.get("depends_on", [])),
            )
            for _axis, question in questions
            for item in question["recommendations"]
        ],
    )
    _sheet(
        workbook,
        _("Modules"),
        ["module", "minutes", "title_fr", "title_en", "description_fr", "description_en", "opens_when"],
        [
            (
                module["code"],
                module["minutes"],
                module["title"]["fr"],
                module["title"]["en"],
                module["description"]["fr"],
                module["description"]["en"],
                "; ".join(_rule_text(rule) for rule in module.get("opens_when", [])),
            )
            for module in document.get("modules", [])
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rule_text(rule):
    """An opening rule in one cell: `core_answer STRAT-1 <= 2`, `headcount_bands 10-49, 50-249`…"""
    if "core_answer" in rule:
        return f"core_answer {rule['core_answer']['question']} <= {rule['core_answer']['at_most']}"
    ((key, values),) = rule.items()
    return f"{key} {', '.join(values)}"


RENDERERS = {"yaml": yaml_file, "json": json_file, "xlsx": xlsx_file}


# --- differences between two versions ------------------------------------------------------------


@dataclass
class Change:
    """One changed item: its code, what kind of item, and the fields that differ as (field, before, after)."""

    code: str
    kind: str
    fields: list = field(default_factory=list)


@dataclass
class Comparison:
    older: dict
    newer: dict
    added: list = field(default_factory=list)  # (kind, code, title) present in `newer` only
    removed: list = field(default_factory=list)  # (kind, code, title) present in `older` only
    changed: list = field(default_factory=list)  # Change

    @property
    def identical(self):
        return not (self.added or self.removed or self.changed)


def _flat(value, prefix=""):
    """A nested document part as {dotted path: scalar}, lists indexed by their code or level."""
    if isinstance(value, dict):
        items = {}
        for key, item in value.items():
            items.update(_flat(item, f"{prefix}.{key}" if prefix else key))
        return items
    if isinstance(value, list):
        items = {}
        for index, item in enumerate(value):
            key = item.get("level", item.get("target_level", index)) if isinstance(item, dict) else index
            items.update(_flat(item, f"{prefix}[{key}]"))
        return items
    return {prefix: value}


def _fields_changed(older, newer, skip=()):
    flat_older = _flat({key: value for key, value in older.items() if key not in skip})
    flat_newer = _flat({key: value for key, value in newer.items() if key not in skip})
    return [
        (path, flat_older.get(path), flat_newer.get(path))
        for path in sorted(set(flat_older) | set(flat_newer))
        if flat_older.get(path) != flat_newer.get(path)
    ]


def compare(older, newer):
    """What changed from the document `older` to the document `newer` (pure; codes identify axes and questions)."""
    comparison = Comparison(older=older, newer=newer)
    version_fields = _fields_changed(older, newer, skip=("axes", "version", "modules"))
    if version_fields:
        comparison.changed.append(Change(code=newer["code"], kind="referential", fields=version_fields))
    old_axes = {axis["code"]: axis for axis in older["axes"]}
    new_axes = {axis["code"]: axis for axis in newer["axes"]}
    old_questions = {q["code"]: (axis, q) for axis in older["axes"] for q in axis["questions"]}
    new_questions = {q["code"]: (axis, q) for axis in newer["axes"] for q in axis["questions"]}
    for code, axis in new_axes.items():
        if code not in old_axes:
            comparison.added.append(("axis", code, axis["title"]))
        else:
            fields = _fields_changed(old_axes[code], axis, skip=("questions",))
            if fields:
                comparison.changed.append(Change(code=code, kind="axis", fields=fields))
    comparison.removed += [("axis", code, axis["title"]) for code, axis in old_axes.items() if code not in new_axes]
    for code, (axis, question) in new_questions.items():
        if code not in old_questions:
            comparison.added.append(("question", code, question["text"]))
            continue
        old_axis, old_question = old_questions[code]
        fields = _fields_changed(old_question, question)
        if old_axis["code"] != axis["code"]:
            fields.insert(0, ("axis", old_axis["code"], axis["code"]))
        if fields:
            comparison.changed.append(Change(code=code, kind="question", fields=fields))
    comparison.removed += [
        ("question", code, question["text"])
        for code, (_axis, question) in old_questions.items()
        if code not in new_questions
    ]
    old_modules = {module["code"]: module for module in older.get("modules", [])}
    new_modules = {module["code"]: module for module in newer.get("modules", [])}
    for code, module in new_modules.items():
        if code not in old_modules:
            comparison.added.append(("module", code, module["title"]))
        else:
            fields = _fields_changed(old_modules[code], module)
            if fields:
                comparison.changed.append(Change(code=code, kind="module", fields=fields))
    comparison.removed += [
        ("module", code, module["title"]) for code, module in old_modules.items() if code not in new_modules
    ]
    return comparison
