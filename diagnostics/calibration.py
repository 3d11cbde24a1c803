"""The calibration gap: how far a company's self-assessment sits from what the expert validated.

Pure functions on plain values (no query), so the results page, the PDF report and the national view
compute the same figures. Per axis, the gap is the self-assessed score minus the expert's validated
score, both on the 0..5 scale: positive when the company rated itself higher than the expert did,
negative when lower, None when either side has no score (an axis all "not applicable").
"""

from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def _decimal(value):
    if value is None or value == "":
        return None
    return Decimal(str(value))


def calibration_gap(self_scores, expert_scores):
    """{axis code: self minus expert (Decimal, two places) or None}, for every axis of `self_scores`.

    `self_scores` and `expert_scores` map axis codes to scores (Decimal, number, numeric text or None).
    """
    gaps = {}
    for code, own in self_scores.items():
        own, expert = _decimal(own), _decimal(expert_scores.get(code))
        gaps[code] = None if own is None or expert is None else (own - expert).quantize(TWO_PLACES, ROUND_HALF_UP)
    return gaps


def mean_gaps(gaps_by_company, *, min_companies):
    """{axis code: (mean gap, number of companies)} over the companies' gaps (`{company: {axis: gap}}`),
    for the axes where at least `min_companies` distinct companies have a gap (statistical secrecy):
    the other axes are left out. The mean is rounded half-up to two places."""
    values = {}
    for gaps in gaps_by_company.values():
        for code, gap in gaps.items():
            if gap is not None:
                values.setdefault(code, []).append(Decimal(gap))
    return {
        code: ((sum(items, Decimal(0)) / len(items)).quantize(TWO_PLACES, ROUND_HALF_UP), len(items))
        for code, items in values.items()
        if len(items) >= min_companies
    }
