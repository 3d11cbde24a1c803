"""What the results page and the PDF report show, computed from a submitted diagnostic's snapshot.

Reads only: the scores were computed once on submit. Every function here runs a fixed number of
queries whatever the number of questions, answers or peers.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Sum

from diagnostics.benchmark import Cell, PeerGroup, choose_peer_group
from diagnostics.models import AxisScore, Diagnostic
from diagnostics.scoring import MAX_LEVEL

PEER_CELLS_CACHE_SECONDS = 600


@dataclass(frozen=True)
class ActionItem:
    question: object
    axis: object
    recommendation: object
    current_level: int
    priority: Decimal


def action_plan(axes, answers_by_question):
    """The next-level recommendation of every question below level 5, ranked by gap × weight.

    `axes` carry their questions and each question its recommendations (prefetched); priority is
    (5 − level) × question weight × axis weight; ties go to the lower level, then to the referential's order.
    """
    items = []
    for axis_rank, axis in enumerate(axes):
        for question_rank, question in enumerate(axis.questions.all()):
            answer = answers_by_question.get(question.pk)
            if answer is None or answer.level is None or answer.level >= MAX_LEVEL:
                continue
            recommendation = next(
                (r for r in question.recommendations.all() if r.target_level == answer.level + 1), None
            )
            if recommendation is None:
                continue
            priority = (MAX_LEVEL - answer.level) * question.weight * axis.weight
            items.append((priority, answer.level, axis_rank, question_rank, axis, question, recommendation))
    items.sort(key=lambda item: (-item[0], item[1], item[2], item[3]))
    return [
        ActionItem(question=question, axis=axis, recommendation=rec, current_level=level, priority=priority)
        for priority, level, _a, _q, axis, question, rec in items
    ]


def axis_scores(diagnostic):
    """{axis code: Decimal score or None} from the stored snapshot."""
    return {
        code: None if values["score"] is None else Decimal(values["score"])
        for code, values in (diagnostic.scores or {}).get("axes", {}).items()
    }


def strengths_and_weaknesses(axes, scores, count=3):
    """The `count` best and worst scored axes, as (axis, score) pairs."""
    scored = [(axis, scores[axis.code]) for axis in axes if scores.get(axis.code) is not None]
    ranked = sorted(scored, key=lambda pair: (-pair[1], pair[0].order))
    weakest = sorted(scored, key=lambda pair: (pair[1], pair[0].order))
    return ranked[:count], weakest[:count]


def peer_cells(referential_code):
    """Per (division, band, region) counts and sums of the companies' latest submitted diagnostics.

    Two aggregate queries, cached for a few minutes (submitting a diagnostic clears the cache).
    """
    key = peer_cells_cache_key(referential_code)
    cells = cache.get(key)
    if cells is not None:
        return cells
    group_by = (
        "company__naf_division__code",
        "company__naf_division__section__code",
        "company__headcount_band",
        "company__region__code",
    )
    latest = Diagnostic.objects.filter(is_latest=True, referential__code=referential_code)
    overall_rows = latest.values(*group_by).annotate(
        companies=Count("company", distinct=True), total=Sum("overall_score")
    )
    axis_rows = (
        AxisScore.objects.filter(
            diagnostic__is_latest=True, diagnostic__referential__code=referential_code, score__isnull=False
        )
        .values(*(f"diagnostic__{field}" for field in group_by), "axis_code")
        .annotate(companies=Count("diagnostic__company", distinct=True), total=Sum("score"))
    )
    axis_counts, axis_sums = {}, {}
    for row in axis_rows:
        cell_key = tuple(row[f"diagnostic__{field}"] for field in group_by)
        axis_counts.setdefault(cell_key, {})[row["axis_code"]] = row["companies"]
        axis_sums.setdefault(cell_key, {})[row["axis_code"]] = row["total"]
    cells = []
    for row in overall_rows:
        cell_key = tuple(row[field] for field in group_by)
        cells.append(
            Cell(
                division=cell_key[0],
                section=cell_key[1],
                band=cell_key[2],
                region=cell_key[3],
                companies=row["companies"],
                overall_sum=row["total"] or Decimal(0),
                axis_counts=axis_counts.get(cell_key, {}),
                axis_sums=axis_sums.get(cell_key, {}),
            )
        )
    cache.set(key, cells, PEER_CELLS_CACHE_SECONDS)
    return cells


def peer_cells_cache_key(referential_code):
    return f"diagnostics:peer-cells:{referential_code}"


def peer_group_for(diagnostic) -> PeerGroup | None:
    """The peer group shown beside this diagnostic, under statistical secrecy, or None."""
    company = diagnostic.company
    return choose_peer_group(
        peer_cells(diagnostic.referential.code),
        division=company.naf_division.code,
        section=company.naf_division.section.code,
        band=company.headcount_band,
        region=company.region.code,
    )
