"""What the results page and the PDF report show, computed from a submitted diagnostic's snapshot.

Reads only: the scores were computed once on submit. Every function here runs a fixed number of
queries whatever the number of questions, answers or peers.
"""

import logging
import math
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.cache import cache
from django.db.models import (
    CharField,
    Count,
    F,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
)

from diagnostics.benchmark import Cell, PeerGroup, Publication, choose_peer_group, published_groups
from diagnostics.models import Answer, AxisScore, Diagnostic, MaturityBand, Question, Recommendation
from diagnostics.radar import RadarAxis
from diagnostics.scoring import MAX_LEVEL

logger = logging.getLogger(__name__)

PEER_CELLS_CACHE_SECONDS = 600
BANDS_CACHE_SECONDS = 24 * 3600  # a locked referential's bands never change: the entry only saves memory
# How long a background refresh of the peer publication holds its lock (it takes about 1 s at 50,000
# companies): a refresh whose worker died lets the next one run after this.
PEER_REFRESH_LOCK_SECONDS = 120
PEER_REFRESH_ROUNDS = 3  # rounds a refresh runs at most when submits keep arriving while it computes
OVERALL_ROW = ""  # the axis column of the overall rows (axis codes start with a capital letter)


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

    One aggregate query (the overall sums and the per-axis sums, as a UNION ALL). Pages read the
    cached `peer_publication` instead.
    """
    group_by = (
        "company__naf_division__code",
        "company__naf_division__section__code",
        "company__headcount_band",
        "company__region__code",
    )
    overall_rows = (
        Diagnostic.objects.filter(is_latest=True, referential__code=referential_code)
        .annotate(axis=Value(OVERALL_ROW, output_field=CharField()))
        .values(*group_by, "axis")
        # One latest diagnostic per company (constraint one_latest_diagnostic_per_company), so counting
        # rows counts companies: no DISTINCT, which would sort every row instead of hashing the groups.
        .annotate(companies=Count("pk"), total=Sum("overall_score"))
        .order_by()  # a compound statement's parts take no ORDER BY (SQLite)
    )
    axis_rows = (
        AxisScore.objects.filter(
            diagnostic__is_latest=True, diagnostic__referential__code=referential_code, score__isnull=False
        )
        .values(*(f"diagnostic__{field}" for field in group_by), "axis_code")
        # … and one score per axis of a diagnostic (constraint one_score_per_axis).
        .annotate(companies=Count("pk"), total=Sum("score"))
        .order_by()
    )
    overall, axis_counts, axis_sums = {}, {}, {}
    for row in overall_rows.union(axis_rows, all=True):  # rows named after the first query's columns
        cell_key = tuple(row[field] for field in group_by)
        if row["axis"] == OVERALL_ROW:
            overall[cell_key] = row
        else:
            axis_counts.setdefault(cell_key, {})[row["axis"]] = row["companies"]
            axis_sums.setdefault(cell_key, {})[row["axis"]] = row["total"]
    cells = [
        Cell(
            division=cell_key[0],
            section=cell_key[1],
            band=cell_key[2],
            region=cell_key[3],
            companies=row["companies"],
            overall_sum=Decimal(row["total"] or 0),
            axis_counts=axis_counts.get(cell_key, {}),
            axis_sums=axis_sums.get(cell_key, {}),
        )
        for cell_key, row in overall.items()
    ]
    return cells


def peer_publication(referential_code):
    """What of the peer cells may be published (`benchmark.published_groups`, which walks the whole
    population), decided once and cached for a few minutes under `peer_cells_cache_key`. Only the
    published groups' totals are kept: the entry stays small, so reading it costs a few milliseconds
    where deciding it again would cost about a second at national scale (the aggregate and the secrecy).

    A submit does not clear the entry: it enqueues `refresh_peer_publication` after commit, which
    replaces it in the background (see there). Only a request finding no entry at all (the first one,
    or after the entry expired) computes it in the request, as it always did.
    """
    key = peer_cells_cache_key(referential_code)
    publication = cache.get(key)
    if isinstance(publication, Publication):
        return publication
    return _compute_peer_publication(referential_code)


def _compute_peer_publication(referential_code):
    publication = _slim(published_groups(peer_cells(referential_code)))
    cache.set(peer_cells_cache_key(referential_code), publication, PEER_CELLS_CACHE_SECONDS)
    return publication


def refresh_peer_publication(referential_code):
    """Recompute the peer publication and replace its cache entry; run by a Celery task after each submit.

    Why not clear the entry on submit: at national scale the recomputation takes about a second, and
    every results page and report opened between a submit and the next cached entry paid it (during a
    deadline rush, every submit made the next requests recompute it, several at once). Instead pages
    keep reading the previous figures (one diagnostic short, at most for the time of a refresh) while
    one process computes the new ones.

    One refresh at a time: a lock taken with `cache.add` (atomic in Redis); a refresh finding it taken
    marks the entry stale and returns None, and the refresh holding the lock computes again once it is
    done (at most PEER_REFRESH_ROUNDS rounds), so the submits it missed are counted. The lock expires
    after PEER_REFRESH_LOCK_SECONDS should its worker die; the entry also expires after
    PEER_CELLS_CACHE_SECONDS, which bounds how long a missed refresh leaves figures behind.
    Returns the publication computed last, or None when another refresh holds the lock.
    """
    key = peer_cells_cache_key(referential_code)
    lock_key, stale_key = f"{key}:refreshing", f"{key}:stale"
    if not cache.add(lock_key, True, PEER_REFRESH_LOCK_SECONDS):
        cache.set(stale_key, True, PEER_REFRESH_LOCK_SECONDS)
        return None
    try:
        for _round in range(PEER_REFRESH_ROUNDS):
            cache.delete(stale_key)
            publication = _compute_peer_publication(referential_code)
            if not cache.get(stale_key):
                break
        return publication
    finally:
        cache.delete(lock_key)


def enqueue_peer_refresh(referential_code):
    """Publish the peer refresh task (called after a submit commits). Should the broker be down, the
    entry is cleared instead, as before: the next request computes the figures itself."""
    from diagnostics.tasks import refresh_peer_publication_task

    try:
        refresh_peer_publication_task.apply_async(
            (referential_code,),
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1},
        )
    except Exception:
        logger.warning(
            "peer refresh of %s not enqueued; the cached figures are cleared", referential_code, exc_info=True
        )
        cache.delete(peer_cells_cache_key(referential_code))
        return False
    return True


def _slim(publication):
    """The publication with only what `choose_peer_group` reads (the published groups' totals, without
    their cells): a fraction of the size, so that reading it from the cache stays quick."""
    return Publication(
        groups={
            key: replace(
                publication.groups[key],
                axis_counts=dict(publication.groups[key].axis_counts),
                axis_sums=dict(publication.groups[key].axis_sums),
                cells=set(),
            )
            for key in publication.published
        },
        published=publication.published,
        axes=publication.axes,
    )


def peer_cells_cache_key(referential_code):
    return f"diagnostics:peer-publication:{referential_code}"


def peer_group_for(diagnostic) -> PeerGroup | None:
    """The peer group shown beside this diagnostic, under statistical secrecy, or None."""
    company = diagnostic.company
    return choose_peer_group(
        [],
        publication=peer_publication(diagnostic.referential.code),
        division=company.naf_division.code,
        section=company.naf_division.section.code,
        band=company.headcount_band,
        region=company.region.code,
    )


# --- The results page, assembled from the snapshot in a fixed number of queries -------------------

# The radar writes each axis title on one line beside its spoke; titles are cut to the room there is
# (the data table gives them in full). Geometry of `radar_svg` at its default size: a drawing 420
# high and 740 wide, labels anchored 186 from the centre; DejaVu Sans at 12px is about 6.6 wide per character.
RADAR_HALF_WIDTH, RADAR_LABEL_RADIUS, RADAR_CHARACTER_WIDTH = 370, 186, 6.6
RADAR_LABEL_MAX = 60
DANGLING_WORDS = {"et", "de", "des", "du", "la", "le", "les", "à", "and", "of", "the", "to", "in"}
SUMMARY_COUNT = 3  # strengths, weaknesses


@dataclass(frozen=True)
class AnswerLevel:
    """What `action_plan` reads of an answer: its level (None when not applicable)."""

    level: int | None


@dataclass(frozen=True)
class AxisResult:
    """One axis on the results page: the score and its band, the previous diagnostic's and the peers'."""

    axis: object
    score: Decimal | None
    band: object  # the MaturityBand named by the score's whole part, or None when not applicable
    applicable_questions: int
    previous: Decimal | None = None
    peers: Decimal | None = None

    @property
    def delta(self):
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


@dataclass(frozen=True)
class Results:
    """Everything the results page shows about one submitted diagnostic."""

    diagnostic: Diagnostic
    referential: object
    band: object  # the MaturityBand of the overall score
    bands: list
    axes: list  # AxisResult, in the referential's order
    previous: Diagnostic | None
    peer_group: PeerGroup | None
    strengths: list  # AxisResult
    weaknesses: list  # AxisResult
    actions: list  # ActionItem, ranked

    @property
    def overall(self):
        return self.diagnostic.overall_score

    @property
    def previous_overall(self):
        return self.previous.overall_score if self.previous is not None else None

    @property
    def overall_delta(self):
        if self.previous is None or self.previous.overall_score is None:
            return None
        return self.diagnostic.overall_score - self.previous.overall_score

    @property
    def has_deltas(self):
        return any(result.delta is not None for result in self.axes)

    @property
    def has_peer_axes(self):
        return any(result.peers is not None for result in self.axes)

    def radar_axes(self):
        count = len(self.axes)
        return [
            RadarAxis(
                label=short_label(result.axis.title, radar_label_room(index, count)),
                score=result.score,
                previous=result.previous,
                peers=result.peers,
            )
            for index, result in enumerate(self.axes)
        ]


def radar_label_room(index, count):
    """How many characters fit beside the `index`-th of `count` spokes of the radar."""
    dx = abs(RADAR_LABEL_RADIUS * math.cos(-math.pi / 2 + 2 * math.pi * index / count))
    if dx < 10:  # centred above or below the chart
        return RADAR_LABEL_MAX
    return min(RADAR_LABEL_MAX, int((RADAR_HALF_WIDTH - dx) / RADAR_CHARACTER_WIDTH))


def short_label(title, length):
    """The title cut at a word boundary to fit `length` characters, with an ellipsis when cut."""
    if len(title) <= length:
        return title
    words = title[: length - 1].split(" ")
    if title[length - 1] != " ":
        words = words[:-1]  # the last word was cut
    while len(words) > 1 and words[-1].lower().rstrip(",;:-–") in DANGLING_WORDS:
        words = words[:-1]
    return " ".join(words).rstrip(" ,;:-–") + "…"


def results_content(diagnostic):
    """What the results page reads of the pinned version, as (bands, axes): the bands, and the axes in
    order, each with its questions (`axis.questions.all()`), each question with `answer_level` (the
    diagnostic's level for it, None when not applicable) and only the recommendation of the level
    after that answer, with its theme (`question.recommendations.all()`).

    At most three queries whatever the size of the referential: the bands (cached for a published or
    retired version, see `referential_bands`); the questions with their axis
    (`select_related`: every axis has questions, the referential's file format requires it) and
    their answer's level; the next-level recommendations.
    """
    next_level = (
        Recommendation.objects.filter(
            question__answers__diagnostic=diagnostic, target_level=F("question__answers__level") + 1
        )
        .select_related("theme")
        .order_by("target_level")
    )
    answer_level = Answer.objects.filter(diagnostic=diagnostic, question=OuterRef("pk")).values("level")[:1]
    questions = (
        Question.objects.filter(referential_id=diagnostic.referential_id)
        .select_related("axis")
        .annotate(answer_level=Subquery(answer_level))
        .prefetch_related(Prefetch("recommendations", next_level))
        .order_by("axis__order", "axis__pk", "order", "pk")
    )
    axes = []
    for question in questions:
        if not axes or axes[-1].pk != question.axis_id:
            axes.append(question.axis)
            # What `prefetch_related("questions")` would store: `axis.questions.all()` reads it, no query.
            question.axis._prefetched_objects_cache = {"questions": []}
        question.axis = axes[-1]
        axes[-1]._prefetched_objects_cache["questions"].append(question)
    return referential_bands(diagnostic.referential), axes


def referential_bands(referential):
    """The maturity bands of a referential version, by level. A published or retired version's content
    is frozen (`ReferentialPart`): its bands are read once and cached; a draft's are read every time."""
    if referential.status == referential.Status.DRAFT:
        return list(MaturityBand.objects.filter(referential_id=referential.pk).order_by("level"))
    key = f"diagnostics:bands:{referential.pk}:{referential.code}:{referential.version}"
    bands = cache.get(key)
    if bands is None:
        bands = list(MaturityBand.objects.filter(referential_id=referential.pk).order_by("level"))
        cache.set(key, bands, BANDS_CACHE_SECONDS)
    return bands


def results_for(diagnostic):
    """The results of a submitted diagnostic, fetched with its company (division, section, region),
    referential and previous diagnostic (`select_related`).

    Four queries whatever the number of questions, answers and peers: the bands, the questions with
    their axis and the answers' levels, the next-level recommendations, and the peer cells (cached).
    """
    bands, axes = results_content(diagnostic)
    band_by_level = {band.level: band for band in bands}
    snapshot_axes = (diagnostic.scores or {}).get("axes", {})
    scores = axis_scores(diagnostic)
    previous = diagnostic.previous if diagnostic.previous_id else None
    previous_scores = axis_scores(previous) if previous is not None else {}
    peer_group = peer_group_for(diagnostic)
    peer_axes = peer_group.axes if peer_group is not None else {}

    results = [
        AxisResult(
            axis=axis,
            score=scores.get(axis.code),
            band=None if scores.get(axis.code) is None else band_by_level.get(int(scores[axis.code])),
            applicable_questions=snapshot_axes.get(axis.code, {}).get("applicable", 0),
            previous=previous_scores.get(axis.code),
            peers=peer_axes.get(axis.code),
        )
        for axis in axes
    ]
    by_code = {result.axis.code: result for result in results}
    scored = sum(1 for result in results if result.score is not None)
    count = min(SUMMARY_COUNT, max(1, scored // 2))
    strengths, weaknesses = strengths_and_weaknesses(axes, scores, count=count)

    answers = {question.pk: AnswerLevel(question.answer_level) for axis in axes for question in axis.questions.all()}
    return Results(
        diagnostic=diagnostic,
        referential=diagnostic.referential,
        band=band_by_level.get(diagnostic.band),
        bands=bands,
        axes=results,
        previous=previous,
        peer_group=peer_group,
        strengths=[by_code[axis.code] for axis, _score in strengths],
        weaknesses=[by_code[axis.code] for axis, _score in weaknesses],
        actions=action_plan(axes, answers),
    )
