"""The rules of a referential document that its JSON Schema cannot express, across items: level
sequences, weights, themes, recommendations and their dependencies, and (`validation_modules`) the
deep-dive modules. Yields `(path, message)` pairs; `diagnostics.validation` places them in the file."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from diagnostics.dependency_graph import cycles
from diagnostics.models.questions import recommendation_code
from diagnostics.validation_modules import module_problems
from diagnostics.validation_problems import listing, mappings, place_of, shown

LEVELS = list(range(6))
TARGET_LEVELS = list(range(1, 6))


# --- Rules across items ------------------------------------------------------------------------


def cross_item_problems(document, theme_codes):
    if not isinstance(document, dict):
        return
    yield from _level_sequence_problems(document.get("bands"), ["bands"], "level", LEVELS)

    axis_codes = {}
    question_codes = {}
    for a, axis in mappings(document.get("axes")):
        axis_path = ["axes", a]
        code = axis.get("code")
        if isinstance(code, str):
            if code in axis_codes:
                yield (
                    [*axis_path, "code"],
                    _("duplicate axis code “%(code)s” (already used at %(place)s)")
                    % {"code": shown(code), "place": place_of(axis_codes[code])},
                )
            else:
                axis_codes[code] = axis_path
        yield from _weight_decimals(axis.get("weight"), [*axis_path, "weight"])

    for a, axis in mappings(document.get("axes")):
        for q, question in mappings(axis.get("questions")):
            question_path = ["axes", a, "questions", q]
            code = question.get("code")
            if isinstance(code, str):
                if code in question_codes:
                    yield (
                        [*question_path, "code"],
                        _("duplicate question code “%(code)s” (already used at %(place)s)")
                        % {"code": shown(code), "place": place_of(question_codes[code])},
                    )
                else:
                    question_codes[code] = question_path
            yield from _weight_decimals(question.get("weight"), [*question_path, "weight"])
            yield from _theme_list_problems(question.get("themes"), [*question_path, "themes"], theme_codes)
            yield from _level_sequence_problems(question.get("levels"), [*question_path, "levels"], "level", LEVELS)
            yield from _recommendation_problems(
                question.get("recommendations"), [*question_path, "recommendations"], axis_codes, theme_codes
            )
    yield from module_problems(document)
    yield from _dependency_problems(document)


def _weight_decimals(weight, path):
    if isinstance(weight, int | float) and not isinstance(weight, bool):
        try:
            exponent = Decimal(str(weight)).as_tuple().exponent
        except InvalidOperation:
            return
        if isinstance(exponent, int) and exponent < -2:
            yield path, _("at most two decimals; got %(value)s") % {"value": weight}


def _unknown_theme_message(code, theme_codes):
    return _("unknown technology theme “%(code)s”; known themes: %(known)s") % {
        "code": shown(code),
        "known": listing(sorted(theme_codes)),
    }


def _theme_list_problems(themes, path, theme_codes):
    if not isinstance(themes, list):
        return
    seen = set()
    for index, code in enumerate(themes):
        if not isinstance(code, str):
            continue
        if theme_codes is not None and code not in theme_codes:
            yield [*path, index], _unknown_theme_message(code, theme_codes)
        if code in seen:
            yield [*path, index], _("the theme “%(code)s” is listed twice") % {"code": shown(code)}
        seen.add(code)


def _level_sequence_problems(items, path, key, expected):
    """Levels listed once each, all of `expected`, in order."""
    entries = [(index, item.get(key)) for index, item in mappings(items)]
    entries = [(index, level) for index, level in entries if isinstance(level, int) and not isinstance(level, bool)]
    first_index = {}
    for index, level in entries:
        if level in first_index:
            yield (
                [*path, index, key],
                _("level %(level)s appears twice (already at %(place)s)")
                % {"level": level, "place": place_of([*path, first_index[level]])},
            )
        else:
            first_index[level] = index
    if isinstance(items, list):
        for level in expected:
            if level not in first_index:
                yield (
                    path,
                    _("level %(level)s is missing (expected levels %(first)s to %(last)s, once each, in order)")
                    % {"level": level, "first": expected[0], "last": expected[-1]},
                )
    levels_in_file = [level for _index, level in entries]
    in_order = sorted(levels_in_file)
    if len(set(levels_in_file)) == len(levels_in_file) and levels_in_file != in_order:
        for position, (index, level) in enumerate(entries):
            if level != in_order[position]:
                yield (
                    [*path, index, key],
                    _("out of order: level %(level)s found where level %(expected)s should be (list levels in order)")
                    % {"level": level, "expected": in_order[position]},
                )


def _recommendation_problems(recommendations, path, axis_codes, theme_codes):
    entries = mappings(recommendations)
    first_index = {}
    for index, recommendation in entries:
        target = recommendation.get("target_level")
        if isinstance(target, int) and not isinstance(target, bool):
            if target in first_index:
                yield (
                    [*path, index, "target_level"],
                    _("a recommendation for target level %(level)s already exists at %(place)s")
                    % {"level": target, "place": place_of([*path, first_index[target]])},
                )
            else:
                first_index[target] = index
        skill = recommendation.get("expert_skill")
        if isinstance(skill, str) and skill not in axis_codes:
            yield (
                [*path, index, "expert_skill"],
                _("“%(skill)s” is not the code of an axis of this file; expected one of: %(codes)s")
                % {"skill": shown(skill), "codes": listing(axis_codes)},
            )
        theme = recommendation.get("theme")
        if isinstance(theme, str) and theme_codes is not None and theme not in theme_codes:
            yield [*path, index, "theme"], _unknown_theme_message(theme, theme_codes)
        cost = recommendation.get("cost")
        if _is_cost_range(cost) and cost["min"] > cost["max"]:
            yield (
                [*path, index, "cost"],
                _("the minimum cost (%(min)s) is above the maximum (%(max)s)")
                % {"min": cost["min"], "max": cost["max"]},
            )
    if isinstance(recommendations, list):
        for level in TARGET_LEVELS:
            if level not in first_index:
                yield (
                    path,
                    _("no recommendation for target level %(level)s (each question needs one for each level 1 to 5)")
                    % {"level": level},
                )


def _is_cost_range(cost):
    return isinstance(cost, dict) and _is_whole(cost.get("min")) and _is_whole(cost.get("max"))


def _is_whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _dependency_problems(document):
    """`depends_on` names recommendations of the file, never its own, and the dependencies make no cycle."""
    places = {}  # recommendation code -> path in the document
    dependencies = {}  # recommendation code -> [(index in depends_on, code named)]
    for a, axis in mappings(document.get("axes")):
        for q, question in mappings(axis.get("questions")):
            question_code = question.get("code")
            for r, recommendation in mappings(question.get("recommendations")):
                target = recommendation.get("target_level")
                if not isinstance(question_code, str) or not _is_whole(target):
                    continue
                code = recommendation_code(question_code, target)
                places.setdefault(code, ["axes", a, "questions", q, "recommendations", r])
                named = recommendation.get("depends_on")
                if isinstance(named, list):
                    dependencies[code] = [(i, item) for i, item in enumerate(named) if isinstance(item, str)]
    for code, named in dependencies.items():
        for index, other in named:
            path = [*places[code], "depends_on", index]
            if other == code:
                yield path, _("a recommendation cannot depend on itself (“%(code)s”)") % {"code": shown(code)}
            elif other not in places:
                yield (
                    path,
                    _("“%(code)s” names no recommendation of this file (a question code, a slash, a target level)")
                    % {"code": shown(other)},
                )
    edges = {
        code: sorted({other for _index, other in named if other in places and other != code})
        for code, named in dependencies.items()
    }
    for cycle in cycles(edges):
        first = cycle[0]
        yield (
            [*places[first], "depends_on"],
            _("the dependencies make a cycle: %(cycle)s") % {"cycle": " → ".join([*cycle, first])},
        )
