"""Reading and checking a referential file before anything is written.

`read_referential_file()` parses the YAML, checks it against the committed JSON Schema
(`referentials/referential.schema.json`) and then checks the rules a schema cannot express. It
collects every problem, each with its place in the document (`axes[2].questions[3].levels[4].description.en`)
and, when the place exists in the file, its line, and raises `ReferentialInvalid` with all of them.
Indexes count from 0, as in the YAML lists. `check_referential_document()` runs the same checks on a
document built from the database (a draft about to be published).
"""

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from diagnostics.dependency_graph import cycles
from diagnostics.exceptions import ReferentialInvalid
from diagnostics.models.referential import (
    CONTENT_CODE_PATTERN,
    RECOMMENDATION_CODE_PATTERN,
    SLUG_PATTERN,
    VERSION_PATTERN,
    recommendation_code,
)
from diagnostics.validation_modules import NAF_DIVISION_MESSAGE_PATTERN, module_problems
from portal.file_limits import FileRejected, decode_text, load_yaml, read_limited

SCHEMA_PATH = Path(__file__).resolve().parent / "referentials" / "referential.schema.json"
LEVELS = list(range(6))
TARGET_LEVELS = list(range(1, 6))


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a referential document, at one place."""

    line: int | None
    place: str
    message: str

    def __str__(self):
        if self.line is None:
            return f"{self.place}: {self.message}"
        return _("%(place)s: %(message)s (line %(line)s)") % {
            "place": self.place,
            "message": self.message,
            "line": self.line,
        }


def shown(value, limit=60):
    """A value quoted in a message, cut to `limit` characters: a problem line stays a line."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listing(values, limit=20):
    """Known values listed in a message: the first `limit`, then how many more."""
    values = [str(value) for value in values]
    text = ", ".join(values[:limit])
    if len(values) > limit:
        text += " " + _("(and %(count)d more)") % {"count": len(values) - limit}
    return text


def place_of(path):
    """`["axes", 2, "questions", 3]` → `axes[2].questions[3]`; the top level is `(top level)`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{shown(part)}" if text else shown(part)
    return text or _("(top level)")


@cache
def referential_schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


class _LineIndex:
    """Finds the line of a place in the YAML node tree; a missing place gets the line of its closest parent."""

    def __init__(self, root_node=None):
        self.root = root_node
        self._keys = {}  # id of a mapping node -> {key text: value node}, built once per mapping

    def _child_by_key(self, node, key):
        keys = self._keys.get(id(node))
        if keys is None:
            keys = {}
            for key_node, value in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    keys.setdefault(key_node.value, value)
            self._keys[id(node)] = keys
        return keys.get(key)

    def line_of(self, path):
        node = self.root
        if node is None:
            return None
        for part in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                child = self._child_by_key(node, str(part))
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                child = node.value[part]
            if child is None:
                break
            node = child
        return node.start_mark.line + 1


def _file_problem(error):
    return ReferentialInvalid([Problem(error.line, _("(file)"), error.message)])


def parse_referential_text(text):
    """The document and the index of its lines; a YAML syntax error raises `ReferentialInvalid` with its line.

    Anchors, aliases and deep nesting are refused while parsing (`portal.file_limits.load_yaml`).
    """
    try:
        return load_yaml(text)
    except FileRejected as error:
        raise _file_problem(error) from None


def read_referential_file(path, *, theme_codes):
    """The checked document of the referential file at `path`, or `ReferentialInvalid` with every problem.

    The file goes through the limits of every accepted file first (size before reading, UTF-8 text
    without NUL nor control characters), so a hostile file is refused before any walk.
    """
    try:
        text = decode_text(read_limited(path))
    except FileRejected as error:
        raise _file_problem(error) from None
    document, node = parse_referential_text(text)
    problems = _duplicate_keys(node, []) if node is not None else []
    problems += check_referential_document(document, theme_codes=theme_codes, lines=_LineIndex(node))
    if problems:
        raise ReferentialInvalid(sorted(set(problems), key=lambda p: (p.line or 0, p.place, p.message)))
    return document


def check_referential_document(document, *, theme_codes, lines=None):
    """Every problem of a parsed document: the JSON Schema's, then the rules across items."""
    lines = lines or _LineIndex()
    if document is None:
        return [Problem(None, _("(file)"), _("the file is empty"))]
    found = [
        Problem(lines.line_of(path), place_of(path), message)
        for path, message in [*_schema_problems(document), *_cross_item_problems(document, theme_codes)]
    ]
    return sorted(set(found), key=lambda p: (p.line or 0, p.place, p.message))


def _duplicate_keys(node, path):
    """YAML silently keeps the last of two equal keys; an author always means something else."""
    problems = []
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            name = key.value
            if name in seen:
                problems.append(
                    Problem(
                        key.start_mark.line + 1,
                        place_of([*path, name]),
                        _("the key “%(key)s” appears twice in the same mapping") % {"key": name},
                    )
                )
            seen.add(name)
            problems += _duplicate_keys(value, [*path, name])
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _duplicate_keys(item, [*path, index])
    return problems


# --- JSON Schema -------------------------------------------------------------------------------


def _type_phrase(json_type):
    return {
        "object": _("a mapping (key: value lines)"),
        "array": _("a list (lines starting with “- ”)"),
        "string": _("a text"),
        "number": _("a number"),
        "integer": _("a whole number"),
        "boolean": _("true or false"),
    }.get(json_type, json_type)


def _describe(value):
    if value is None:
        return _("an empty value")
    if isinstance(value, bool):
        return _("the boolean %(value)s") % {"value": str(value).lower()}
    if isinstance(value, int | float):
        return _("the number %(value)s") % {"value": value}
    if isinstance(value, str):
        return _("the text “%(value)s”") % {"value": shown(value)}
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return _("a %(type)s (%(value)s)") % {"type": type(value).__name__, "value": value}


def _type_message(expected, value):
    expected_types = expected if isinstance(expected, list) else [expected]
    message = _("must be %(expected)s, not %(found)s") % {
        "expected": _(" or ").join(str(_type_phrase(t)) for t in expected_types),
        "found": _describe(value),
    }
    if "string" in expected_types and value is not None and not isinstance(value, list | dict):
        message += " " + _("(put it in quotes: YAML reads 2026.1 as a number, yes/no/on/off as booleans)")
    elif {"number", "integer"} & set(expected_types) and isinstance(value, str):
        message += " " + _("(write the number without quotes)")
    return message


def _pattern_message(pattern, value):
    messages = {
        SLUG_PATTERN: _(
            "must use only lower-case letters, digits and hyphens (like industrie-du-futur); got “%(value)s”"
        ),
        CONTENT_CODE_PATTERN: _(
            "must start with an upper-case letter, then use only upper-case letters, digits and hyphens "
            "(like STRAT-1); got “%(value)s”"
        ),
        VERSION_PATTERN: _("must use only letters, digits, dots and hyphens (like “2026.1”); got “%(value)s”"),
        NAF_DIVISION_MESSAGE_PATTERN: _("must be a NAF division, two digits in quotes (like “25”); got “%(value)s”"),
        RECOMMENDATION_CODE_PATTERN: _(
            "must name a recommendation by its question's code, a slash and its target level 1 to 5 "
            "(like PROD-1/3); got “%(value)s”"
        ),
    }
    if pattern in messages:
        return messages[pattern] % {"value": shown(value)}
    return _("must match %(pattern)s; got “%(value)s”") % {"pattern": pattern, "value": shown(value)}


def _schema_problems(document):
    validator = Draft202012Validator(referential_schema())
    for error in validator.iter_errors(document):
        path = list(error.absolute_path)
        kind, value, instance, schema = error.validator, error.validator_value, error.instance, error.schema
        if kind == "required":
            for name in value:
                if isinstance(instance, dict) and name not in instance:
                    yield [*path, name], _("missing")
        elif kind == "additionalProperties":
            allowed = list(schema.get("properties", {}))
            for name in instance:
                if name not in allowed:
                    yield (
                        [*path, str(name)],
                        _("unknown key; expected one of: %(keys)s") % {"keys": listing(allowed)},
                    )
        elif kind == "type":
            yield path, _type_message(value, instance)
        elif kind in ("minLength", "pattern") and schema.get("pattern") == r"\S":
            yield path, _("empty")
        elif kind == "pattern":
            yield path, _pattern_message(value, instance)
        elif kind == "maxLength":
            yield (
                path,
                _("too long: at most %(max)s characters, found %(count)s") % {"max": value, "count": len(instance)},
            )
        elif kind == "enum":
            yield (
                path,
                _("must be one of %(values)s; got %(found)s")
                % {"values": ", ".join(value), "found": _describe(instance)},
            )
        elif kind == "exclusiveMinimum":
            yield path, _("must be greater than %(min)s; got %(value)s") % {"min": value, "value": instance}
        elif kind == "minimum":
            yield path, _("must be at least %(min)s; got %(value)s") % {"min": value, "value": instance}
        elif kind == "maximum":
            yield path, _("must be at most %(max)s; got %(value)s") % {"max": value, "value": instance}
        elif kind in ("minItems", "maxItems") and schema.get("minItems") == schema.get("maxItems"):
            yield (
                path,
                _("must list exactly %(count)s items, found %(found)s") % {"count": value, "found": len(instance)},
            )
        elif kind in ("minProperties", "maxProperties"):
            yield (
                path,
                _("must have exactly one key, one of: %(keys)s") % {"keys": listing(schema.get("properties", {}))},
            )
        elif kind == "minItems":
            yield (
                path,
                _("must list at least %(count)s item(s), found %(found)s") % {"count": value, "found": len(instance)},
            )
        else:
            yield path, error.message


# --- Rules across items ------------------------------------------------------------------------


def _mappings(value):
    """The (index, mapping) pairs of a list, skipping what the schema already reports as malformed."""
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]


def _cross_item_problems(document, theme_codes):
    if not isinstance(document, dict):
        return
    yield from _level_sequence_problems(document.get("bands"), ["bands"], "level", LEVELS)

    axis_codes = {}
    question_codes = {}
    for a, axis in _mappings(document.get("axes")):
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

    for a, axis in _mappings(document.get("axes")):
        for q, question in _mappings(axis.get("questions")):
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
    entries = [(index, item.get(key)) for index, item in _mappings(items)]
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
    entries = _mappings(recommendations)
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
    for a, axis in _mappings(document.get("axes")):
        for q, question in _mappings(axis.get("questions")):
            question_code = question.get("code")
            for r, recommendation in _mappings(question.get("recommendations")):
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
