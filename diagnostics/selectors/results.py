"""What the results page shows of a submitted diagnostic, read from its snapshot in a fixed number of
queries whatever the number of questions, answers or peers."""

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.utils.translation import get_language

from diagnostics.action_plan import AnswerLevel, action_plan, axis_scores, strengths_and_weaknesses
from diagnostics.benchmark import PeerGroup
from diagnostics.models import Answer, Axis, Diagnostic, MaturityBand, Question, Recommendation
from diagnostics.peer_publication import peer_group_for, version_key
from diagnostics.radar import RadarAxis, radar_label_room, short_label
from portal.cache_versions import bump, versions

BANDS_CACHE_SECONDS = 24 * 3600  # a locked referential's bands never change: the entry only saves memory
SUMMARY_COUNT = 3  # strengths, weaknesses
# The results page's fixed part (scores, radar, peers, strengths, actions) is cached as fragments for
# this long at most; `forget_results` and a new peer publication replace it sooner.
RESULTS_FRAGMENT_SECONDS = 24 * 3600


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
    def has_modules(self):
        """Whether the pinned version has deep-dive modules (a version without them is all core)."""
        return any(question.module_id for result in self.axes for question in result.axis.questions.all())

    @property
    def covered_titles(self):
        """The titles of the modules the score covers (its snapshot's coverage), in the referential's order."""
        codes = set((self.diagnostic.scores or {}).get("coverage", {}).get("modules", []))
        modules = {
            question.module.code: question.module
            for result in self.axes
            for question in result.axis.questions.all()
            if question.module_id and question.module.code in codes
        }
        return [module.title for module in sorted(modules.values(), key=lambda module: (module.order, module.pk))]

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
        .select_related("axis", "module")
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


def referential_axes(referential):
    """The axes of a referential version, in order; cached like its bands for a published or retired version."""
    if referential.status == referential.Status.DRAFT:
        return list(Axis.objects.filter(referential_id=referential.pk).order_by("order", "pk"))
    key = f"diagnostics:axes:{referential.pk}:{referential.code}:{referential.version}"
    axes = cache.get(key)
    if axes is None:
        axes = list(Axis.objects.filter(referential_id=referential.pk).order_by("order", "pk"))
        cache.set(key, axes, BANDS_CACHE_SECONDS)
    return axes


def _results_version(diagnostic_id):
    return f"diagnostics:results:{diagnostic_id}"


def forget_results(diagnostic_id):
    """The diagnostic changed (submitted, applied with, validated by an expert): its results page's
    cached fixed part is computed afresh at the next view."""
    bump(_results_version(diagnostic_id))


def results_fragment_key(diagnostic):
    """The key the results page's fixed part is cached under: the diagnostic and its version
    (`forget_results`), the peer figures' generation, the company's profile (which picks the peer
    group) and name (in the radar's title), and the language. A diagnostic fetched as `results_for` needs it."""
    (version,) = versions(_results_version(diagnostic.pk))
    peers = cache.get(version_key(diagnostic.referential.code))
    if peers is None:  # no figures published (first request, cleared, evicted): computed now, their generation kept
        peer_group_for(diagnostic)
        peers = cache.get(version_key(diagnostic.referential.code))
    # Without a generation (the figures could not be published) the fragments are not found again.
    generation = peers["generation"] if peers else secrets.token_hex(6)
    company = diagnostic.company
    profile = f"{company.naf_division_id}:{company.headcount_band}:{company.region_id}:{company.name}"
    return f"{diagnostic.pk}:{version}:{generation}:{profile}:{get_language()}"


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
