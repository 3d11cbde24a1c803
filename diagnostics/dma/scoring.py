"""The DMA score of a set of item values: one pure function, following hassanzouhar/dmsa's
specification (`_arch/docs/spec.md` §3.2 and §12):

- a question scores 0 to 10: checkboxes 10 × ticked / items; dual rows 10 × (1 per "already",
  0.5 per "planned" only) / rows; scale rows 10 × Σ steps / (rows × 5); no/partly/yes rows
  10 × Σ (0, 0.5, 1) / rows;
- a dimension scores 0 to 100: 10 × the mean of its questions (dimension 5 has one question);
- the overall score is the mean of the six dimensions, rounded half up to a whole number;
- the band: up to 25 Basic, up to 50 Average, up to 75 Moderately advanced, above Advanced, read on
  the unrounded overall score.

Exact arithmetic (fractions); dimension scores are rounded half up to one decimal only for display.
The exclusive "none of these" box of Q7 scores nothing, and Q7 is scored over its seven other items
(docs/dma-crosswalk.md says why).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from diagnostics.dma.model import DIMENSIONS, QUESTIONS, Kind

BANDS = ((25, "basic"), (50, "average"), (75, "moderately_advanced"), (100, "advanced"))


@dataclass(frozen=True)
class DmaScore:
    questions: dict  # "Q1".."Q11" -> Fraction 0..10
    dimensions: dict  # 1..6 -> Fraction 0..100
    overall_exact: Fraction
    band: str

    @property
    def overall(self):
        """The overall score, a whole number 0-100 (rounded half up)."""
        return int(_round(self.overall_exact, "1"))

    def dimension(self, number):
        """A dimension's score, rounded half up to one decimal."""
        return _round(self.dimensions[number], "0.1")


def _round(value, places):
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _question_score(question, values):
    items = [item for item in question.items if item.kind != Kind.NEGATIVE]
    if question.kind == Kind.DUAL:
        points = sum(
            (Fraction(1) if values[i.code][0] else Fraction(1, 2) if values[i.code][1] else Fraction(0) for i in items),
            Fraction(0),
        )
        return 10 * points / len(items)
    if question.kind == Kind.CHECKBOX:
        return Fraction(10 * sum(1 for item in items if values[item.code]), len(items))
    if question.kind == Kind.SCALE:
        return Fraction(10 * sum(values[item.code] for item in items), len(items) * 5)
    return Fraction(10 * sum(values[item.code] for item in items), len(items) * 2)  # tristate: 0, 1, 2 halves


def band_of(overall):
    return next(name for limit, name in BANDS if overall <= limit)


def dma_scores(values):
    """The DMA score of `values` ({item code: value}, as `crosswalk.derive` returns them)."""
    questions = {question.code: _question_score(question, values) for question in QUESTIONS}
    dimensions = {}
    for dimension in DIMENSIONS:
        scores = [questions[q.code] for q in QUESTIONS if q.dimension == dimension.number]
        dimensions[dimension.number] = 10 * sum(scores, Fraction(0)) / len(scores)
    overall = sum(dimensions.values(), Fraction(0)) / len(dimensions)
    return DmaScore(questions=questions, dimensions=dimensions, overall_exact=overall, band=band_of(overall))
