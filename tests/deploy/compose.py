"""docker-compose.yml read as Compose reads it (variable interpolation, `<<` merges), so that the tests
can check its layout and run its services' commands natively (no Docker engine on CI)."""

import re
from pathlib import Path

import yaml

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
VARIABLE = re.compile(r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*))")


class MissingVariable(Exception):
    """Compose refuses to start: a required variable (`${VAR:?message}`) is not set."""


def interpolate(text, env):
    def replace(match):
        if match["escaped"]:
            return "$"
        if match["named"]:
            return env.get(match["named"], "")
        expression = match["braced"]
        name, operator, argument = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(:?[-?]|)(.*)", expression, re.S).groups()
        value = env.get(name)
        empty_counts = operator.startswith(":")
        missing = value is None or (empty_counts and value == "")
        if operator.endswith("?") and missing:
            raise MissingVariable(f"{name}: {argument}")
        if operator.endswith("-") and missing:
            return argument
        return value or ""

    return VARIABLE.sub(replace, text)


def _interpolated(node, env):
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [_interpolated(item, env) for item in node]
    if isinstance(node, dict):
        return {key: _interpolated(value, env) for key, value in node.items()}
    return node


def load(env):
    """The compose file with `env` interpolated, as a dict (raises MissingVariable like compose does)."""
    document = yaml.safe_load(COMPOSE_FILE.read_text())
    return _interpolated(document, env)


def variables():
    """Every variable the compose file reads, with its operator ("" for a plain ${VAR})."""
    found = {}
    for match in VARIABLE.finditer(COMPOSE_FILE.read_text()):
        if match["braced"]:
            name, operator = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(:?[-?]|)", match["braced"]).groups()
            found.setdefault(name, set()).add(operator)
    return found
