"""Reading and checking a referential file before anything is written.

`read_referential_file()` parses the YAML, checks it against the committed JSON Schema
(`referentials/referential.schema.json`) and then checks the rules a schema cannot express. It
collects every problem, each with its place in the document (`axes[2].questions[3].levels[4].description.en`)
and, when the place exists in the file, its line, and raises `ReferentialInvalid` with all of them.
Indexes count from 0, as in the YAML lists. `check_referential_document()` runs the same checks on a
document built from the database (a draft about to be published).
"""

import json
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from diagnostics.exceptions import ReferentialInvalid
from diagnostics.models.referential import (
    CONTENT_CODE_PATTERN,
    RECOMMENDATION_CODE_PATTERN,
    SLUG_PATTERN,
    VERSION_PATTERN,
)
from diagnostics.validation_items import cross_item_problems
from diagnostics.validation_modules import NAF_DIVISION_MESSAGE_PATTERN
from diagnostics.validation_problems import Problem, listing, place_of, shown
from portal.file_limits import FileRejected, decode_text, load_yaml, read_limited

SCHEMA_PATH = Path(__file__).resolve().parent / "referentials" / "referential.schema.json"


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
        for path, message in [*_schema_problems(document), *cross_item_problems(document, theme_codes)]
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
