"""The checks of a referential document's deep-dive modules that a schema cannot express.

Called by `diagnostics.validation` after the JSON Schema; yields `(path, message)` pairs like the
other cross-item checks. Every reference is checked: a question's module exists, an opening rule
names a question of the file and of the core, each module has questions, each axis keeps at least
one core question (the core must give every axis a first score).
"""

from django.utils.translation import gettext as _

from diagnostics.validation_problems import mappings, place_of

NAF_DIVISION_MESSAGE_PATTERN = "^[0-9]{2}$"


def module_problems(document):
    """Every module reference problem of `document` (a mapping already past the schema's type checks)."""
    modules = {}
    for m, module in mappings(document.get("modules")):
        code = module.get("code")
        if not isinstance(code, str):
            continue
        if code in modules:
            yield (
                ["modules", m, "code"],
                _("duplicate module code “%(code)s” (already used at %(place)s)")
                % {"code": code, "place": place_of(["modules", modules[code]])},
            )
        else:
            modules[code] = m

    questions = {}  # code -> module code or None (core)
    used_modules = set()
    for a, axis in mappings(document.get("axes")):
        axis_has_core = False
        axis_questions = mappings(axis.get("questions"))
        for q, question in axis_questions:
            module = question.get("module")
            if isinstance(question.get("code"), str):
                questions.setdefault(question["code"], module if isinstance(module, str) else None)
            if module is None:
                axis_has_core = True
            elif isinstance(module, str):
                used_modules.add(module)
                if module not in modules:
                    yield (
                        ["axes", a, "questions", q, "module"],
                        _("unknown module “%(code)s”; the modules of this file are: %(known)s")
                        % {"code": module, "known": ", ".join(modules) or _("none")},
                    )
        if axis_questions and not axis_has_core:
            yield (
                ["axes", a, "questions"],
                _("every question of this axis is in a module: at least one must stay in the core"),
            )

    for code, m in modules.items():
        if code not in used_modules:
            yield (
                ["modules", m],
                _("the module “%(code)s” has no question (give it questions or remove it)") % {"code": code},
            )
        module = document["modules"][m]
        for r, rule in mappings(module.get("opens_when")):
            answer = rule.get("core_answer")
            if not isinstance(answer, dict) or not isinstance(answer.get("question"), str):
                continue
            question = answer["question"]
            path = ["modules", m, "opens_when", r, "core_answer", "question"]
            if question not in questions:
                yield path, _("unknown question code “%(code)s” in an opening rule") % {"code": question}
            elif questions[question] is not None:
                yield (
                    path,
                    _(
                        "the question “%(code)s” is in the module “%(module)s”, not in the core: a rule reads core answers"
                    )
                    % {"code": question, "module": questions[question]},
                )
