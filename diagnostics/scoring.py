"""The one scoring function of the referential (documented with a worked example in docs/scoring.md).

Pure: it takes plain values and returns a snapshot, so every deployment, page and report computes
the same result. Scores are computed once, on submit, and stored; pages read the stored snapshot.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MIN_LEVEL = 0
MAX_LEVEL = 5
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class AxisSpec:
    code: str
    weight: Decimal


@dataclass(frozen=True)
class AnswerSpec:
    """One answered question: `level` is 0..5, or None when the company marked it not applicable.

    `module_code` is None for a core question, else the code of the deep-dive module it belongs to.
    """

    question_code: str
    axis_code: str
    weight: Decimal
    level: int | None
    module_code: str | None = None


@dataclass(frozen=True)
class Coverage:
    """What a score stands on: the core, plus the opened modules that have at least one answer counted."""

    modules: tuple[str, ...] = ()

    @property
    def label(self):
        """A stable text, "core" or "core + modules: A, B" (pages show a translated sentence instead)."""
        return "core + modules: " + ", ".join(self.modules) if self.modules else "core"

    def as_json(self):
        return {"label": self.label, "modules": list(self.modules)}


@dataclass(frozen=True)
class AxisScore:
    score: Decimal | None  # None when every question of the axis was not applicable
    applicable_questions: int


@dataclass(frozen=True)
class ScoreSnapshot:
    overall: Decimal
    band: int
    axes: dict[str, AxisScore] = field(default_factory=dict)
    coverage: Coverage = field(default_factory=Coverage)

    def as_json(self):
        """The snapshot as stored on the diagnostic (JSON: decimals as strings)."""
        return {
            "overall": str(self.overall),
            "band": self.band,
            "axes": {
                code: {
                    "score": None if axis.score is None else str(axis.score),
                    "applicable": axis.applicable_questions,
                }
                for code, axis in self.axes.items()
            },
            "coverage": self.coverage.as_json(),
        }


class ScoringError(ValueError):
    """The answers cannot be scored (a level out of range, an unknown axis, a missing weight)."""


def _weighted_mean(pairs):
    total_weight = sum((weight for weight, _value in pairs), Decimal(0))
    return sum((weight * value for weight, value in pairs), Decimal(0)) / total_weight


def _round(value):
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def compute_scores(axes, answers, *, opened_modules=()):
    """Score a set of answers: the core questions' and those of the `opened_modules` (codes).

    - an answer to a question of a module the company did not open counts for nothing;
    - the coverage lists the opened modules with at least one answer counted (a level or not
      applicable), so it never claims a module nobody answered;
    - a question scores its level, 0 to 5; a question marked not applicable counts for nothing;
    - an axis scores the weighted mean of its applicable questions (None if it has none);
    - the overall score is the weighted mean of the axes that have a score;
    - scores are rounded half-up to two decimals, and the band is the overall score's whole part.
    """
    axis_weights = {axis.code: Decimal(axis.weight) for axis in axes}
    by_axis = {code: [] for code in axis_weights}
    opened_modules = set(opened_modules)
    covered_modules = set()
    for answer in answers:
        if answer.module_code is not None:
            if answer.module_code not in opened_modules:
                continue
            covered_modules.add(answer.module_code)
        if answer.axis_code not in by_axis:
            raise ScoringError(f"question {answer.question_code} belongs to no scored axis ({answer.axis_code})")
        if Decimal(answer.weight) <= 0:
            raise ScoringError(f"question {answer.question_code} has a weight of {answer.weight}")
        if answer.level is None:
            continue
        if not MIN_LEVEL <= answer.level <= MAX_LEVEL:
            raise ScoringError(f"question {answer.question_code} has level {answer.level}, outside 0..5")
        by_axis[answer.axis_code].append((Decimal(answer.weight), Decimal(answer.level)))

    axis_scores = {}
    scored_axes = []
    for code, pairs in by_axis.items():
        if not pairs:
            axis_scores[code] = AxisScore(score=None, applicable_questions=0)
            continue
        exact = _weighted_mean(pairs)
        axis_scores[code] = AxisScore(score=_round(exact), applicable_questions=len(pairs))
        scored_axes.append((axis_weights[code], exact))

    overall = _round(_weighted_mean(scored_axes)) if scored_axes else Decimal("0.00")
    return ScoreSnapshot(
        overall=overall, band=int(overall), axes=axis_scores, coverage=Coverage(modules=tuple(sorted(covered_modules)))
    )
