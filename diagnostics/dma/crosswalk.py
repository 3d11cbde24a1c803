"""The crosswalk from the portal's referential to the DMA's items: data, one file per referential version.

A crosswalk file (diagnostics/referentials/dma/<referential code>-<version>.yaml) gives, for every
item of the DMA questionnaire (`model.ITEMS`), the question of our referential it is read from and
the levels that count:

    dual:      {question: OFFER-2, already_from: 3, plan_from: 2}  # already if level >= 3, planned if 2
    checkbox:  {question: STRAT-1, from: 2}                         # ticked if level >= 2
    negative:  {question: DIGIT-2, below: 2}                        # ticked if level < 2
    scale:     {question: TECH-1, offset: 0}                        # step = max(0, level - offset)
    tristate:  {question: ENERGY-1, partial_from: 2, yes_from: 3}   # no / partly / yes
    unmapped:  {question: null, reason: {fr: …, en: …}}             # never claimed

A question left unanswered or marked "not applicable" claims nothing (no box ticked, step 0).
`derive` is pure: plain levels in, item values out.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from diagnostics.dma.model import ITEMS, QUESTIONS, Kind

CROSSWALK_DIR = Path(__file__).resolve().parent.parent / "referentials" / "dma"
LEVELS = range(6)
RULE_KEYS = {
    Kind.DUAL: {"already_from", "plan_from"},
    Kind.CHECKBOX: {"from"},
    Kind.NEGATIVE: {"below"},
    Kind.SCALE: {"offset"},
    Kind.TRISTATE: {"partial_from", "yes_from"},
}
NOT_CLAIMED = {Kind.DUAL: (False, False), Kind.CHECKBOX: False, Kind.NEGATIVE: False, Kind.SCALE: 0, Kind.TRISTATE: 0}


class CrosswalkError(ValueError):
    """A crosswalk file is malformed; the message names the item and the problem."""


@dataclass(frozen=True)
class Rule:
    item: str
    kind: Kind
    question: str | None  # None: the item is never claimed (our referential does not ask about it)
    thresholds: dict = field(default_factory=dict)
    reason: dict = field(default_factory=dict)

    def value(self, level):
        """The item's value for the level of its question (None: unanswered or not applicable)."""
        if self.question is None or level is None:
            return NOT_CLAIMED[self.kind]
        rule = self.thresholds
        if self.kind == Kind.DUAL:
            already = level >= rule["already_from"]
            return already, not already and level >= rule["plan_from"]
        if self.kind == Kind.CHECKBOX:
            return level >= rule["from"]
        if self.kind == Kind.NEGATIVE:
            return level < rule["below"]
        if self.kind == Kind.SCALE:
            return max(0, level - rule.get("offset", 0))
        return 2 if level >= rule["yes_from"] else 1 if level >= rule["partial_from"] else 0


@dataclass(frozen=True)
class Crosswalk:
    code: str
    version: str
    referential_code: str
    referential_version: str
    limits: dict
    rules: dict  # item code -> Rule

    @property
    def label(self):
        return f"{self.code} {self.version}"

    @property
    def questions(self):
        """The codes of our questions the crosswalk reads."""
        return {rule.question for rule in self.rules.values() if rule.question}


def _rule(item_code, entry):
    if item_code not in ITEMS:
        raise CrosswalkError(f"{item_code}: not an item of the DMA questionnaire")
    kind = ITEMS[item_code].kind
    if not isinstance(entry, dict) or "question" not in entry:
        raise CrosswalkError(f"{item_code}: give the question it is read from (or null with a reason)")
    question = entry["question"]
    if question is None:
        reason = entry.get("reason")
        if not (isinstance(reason, dict) and reason.get("fr") and reason.get("en")):
            raise CrosswalkError(f"{item_code}: an unmapped item needs a reason in French and English")
        return Rule(item=item_code, kind=kind, question=None, reason=reason)
    thresholds = {key: value for key, value in entry.items() if key != "question"}
    expected = RULE_KEYS[kind]
    required = expected - {"offset"}
    if not required <= set(thresholds) <= expected:
        raise CrosswalkError(f"{item_code}: a {kind} item takes {', '.join(sorted(expected))}")
    if not all(isinstance(value, int) and value in LEVELS for value in thresholds.values()):
        raise CrosswalkError(f"{item_code}: levels are whole numbers from 0 to 5")
    if kind == Kind.DUAL and thresholds["plan_from"] > thresholds["already_from"]:
        raise CrosswalkError(f"{item_code}: plan_from cannot be above already_from")
    if kind == Kind.TRISTATE and thresholds["partial_from"] > thresholds["yes_from"]:
        raise CrosswalkError(f"{item_code}: partial_from cannot be above yes_from")
    return Rule(item=item_code, kind=kind, question=question, thresholds=thresholds)


def parse(document):
    """A Crosswalk from a parsed file; raises CrosswalkError on any problem. Every DMA item needs a rule."""
    try:
        referential = document["referential"]
        crosswalk = Crosswalk(
            code=document["crosswalk"],
            version=str(document["version"]),
            referential_code=referential["code"],
            referential_version=str(referential["version"]),
            limits=document["limits"],
            rules={code: _rule(code, entry) for code, entry in document["items"].items()},
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise CrosswalkError(f"missing or malformed part: {error}") from error
    missing = sorted(set(ITEMS) - set(crosswalk.rules))
    if missing:
        raise CrosswalkError(f"items without a rule: {', '.join(missing)}")
    return crosswalk


def path_for(referential_code, referential_version):
    return CROSSWALK_DIR / f"{referential_code}-{referential_version}.yaml"


@lru_cache(maxsize=16)
def crosswalk_for(referential_code, referential_version):
    """The crosswalk of a referential version, or None when it has none (read once per process)."""
    path = path_for(referential_code, referential_version)
    if not path.is_file():
        return None
    crosswalk = parse(yaml.safe_load(path.read_text(encoding="utf-8")))
    if (crosswalk.referential_code, crosswalk.referential_version) != (referential_code, referential_version):
        raise CrosswalkError(f"{path.name} names another referential version")
    return crosswalk


def derive(crosswalk, levels):
    """The DMA items' values from our answers: `levels` maps question codes to a level 0-5, or None when
    unanswered or not applicable. A ticked "none of these" box clears the other boxes of its question
    (the DMA makes it exclusive)."""
    values = {code: rule.value(levels.get(rule.question)) for code, rule in crosswalk.rules.items()}
    for question in QUESTIONS:
        negatives = [item.code for item in question.items if item.kind == Kind.NEGATIVE]
        if any(values[code] for code in negatives):
            for item in question.items:
                if item.kind != Kind.NEGATIVE:
                    values[item.code] = NOT_CLAIMED[item.kind]
    return values


def csv_value(kind, value):
    """An item's value as the EU tool's CSV writes it: "1|0" for a dual row, 1/0 for a box, 0-10 for a step."""
    if kind == Kind.DUAL:
        return f"{int(value[0])}|{int(value[1])}"
    if kind in (Kind.CHECKBOX, Kind.NEGATIVE):
        return int(value)
    if kind == Kind.SCALE:
        return 2 * value
    return 5 * value
