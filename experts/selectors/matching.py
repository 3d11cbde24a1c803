"""Experts matched to a company: candidates from its weakest axes and its top action themes, the regional hard filter, conflicts of interest."""

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)

from diagnostics.models import (
    Answer,
    Axis,
    Diagnostic,
    Recommendation,
    TechnologyTheme,
)
from diagnostics.selectors import diagnostics_visible_to, latest_submitted
from experts.matching import DEFAULT_LIMIT, Candidate, rank_experts, weakest_axes
from experts.models import (
    Assignment,
    ConflictOfInterest,
    Expert,
    ExpertSkill,
)
from experts.selectors.directory import with_free_places
from portal.models import Region


def candidates_for(company, weak_axes, top_themes):
    """Referenced experts with a free place, not already under way in the company nor in a declared
    conflict of interest with it, who cover at least one of the weak axes or themes (all of them when
    none is given), with their skills and regions.

    Three queries: the experts (free places computed in SQL), their skills, their regions.
    """
    live_here = Assignment.objects.filter(expert=OuterRef("pk"), company=company, status__in=Assignment.LIVE)
    experts = (
        with_free_places(Expert.objects.referenced())
        .filter(free_places__gt=0)
        .exclude(Exists(live_here))
        .exclude(Exists(ConflictOfInterest.objects.filter(expert=OuterRef("pk"), siren=company.siren)))
        .select_related("user")
    )
    if weak_axes or top_themes:
        relevant = ExpertSkill.objects.filter(expert=OuterRef("pk")).filter(
            Q(axis_code__in=list(weak_axes)) | Q(theme__code__in=list(top_themes))
        )
        experts = experts.filter(Exists(relevant))
    return experts.prefetch_related(
        Prefetch("skills", queryset=ExpertSkill.objects.select_related("theme")),
        Prefetch("regions", queryset=Region.objects.only("id", "code")),
    )


def matching_experts_for(
    company, weak_axes, top_themes, limit=DEFAULT_LIMIT, *, region=None, region_only=False, diagnostic=None
):
    """The best referenced experts for `company`, as ranked `matching.Proposal`s (`.expert`, `.reason`).

    `weak_axes`: the company's weakest axis codes, weakest first; `top_themes`: the technology theme
    codes of its top actions. Suspended, expired and full experts are never proposed. `region`: the
    region the experts should serve (a programme's; the company's by default), only its experts
    with `region_only`. With `diagnostic`, the reasons name its axes and the themes by their titles
    (two queries more). Four queries.
    """
    weak_axes, top_themes = list(weak_axes or []), list(top_themes or [])
    if region is None:
        region = company.region if company.region_id else None
    axis_titles, theme_titles = {}, {}
    if diagnostic is not None:
        axis_titles = {
            axis.code: axis.title
            for axis in Axis.objects.filter(referential_id=diagnostic.referential_id, code__in=weak_axes)
        }
        theme_titles = {theme.code: theme.name for theme in TechnologyTheme.objects.filter(code__in=top_themes)}
    candidates = [
        Candidate(
            expert_id=expert.pk,
            name=expert.name,
            axis_levels={skill.axis_code: skill.level for skill in expert.skills.all() if skill.axis_code},
            theme_levels={skill.theme.code: skill.level for skill in expert.skills.all() if skill.theme_id},
            region_codes=frozenset(region.code for region in expert.regions.all()),
            free_places=expert.free_places,
            expert=expert,
        )
        for expert in candidates_for(company, weak_axes, top_themes)
    ]
    return rank_experts(
        weak_axes=weak_axes,
        top_themes=top_themes,
        region_code=region.code if region else None,
        region_name=region.label if region else "",
        candidates=candidates,
        limit=limit,
        region_only=region_only,
        axis_titles=axis_titles,
        theme_titles=theme_titles,
    )


TOP_ACTIONS = 10


def top_action_themes(diagnostic, count=TOP_ACTIONS):
    """The technology theme codes of the diagnostic's top `count` actions, in plan order, once each.

    The actions are ranked as on the results page: the next-level recommendation of every answered
    question below level 5, by (5 − level) × question weight × axis weight. One query.
    """
    next_level = Recommendation.objects.filter(question=OuterRef("question"), target_level=OuterRef("level") + 1)
    rows = (
        Answer.objects.filter(diagnostic_id=diagnostic.pk, level__isnull=False, level__lt=5)
        .filter(Exists(next_level))
        .annotate(
            priority=(Value(5) - F("level")) * F("question__weight") * F("question__axis__weight"),
            theme_code=Subquery(next_level.values("theme__code")[:1]),
        )
        .order_by(
            "-priority", "level", "question__axis__order", "question__axis__pk", "question__order", "question__pk"
        )
        .values_list("theme_code", flat=True)[:count]
    )
    return list(dict.fromkeys(code for code in rows if code))


def matching_inputs_of(diagnostic):
    """(the diagnostic, its weakest axis codes, the themes of its top actions), or (None, [], []) for
    no diagnostic. One query."""
    if diagnostic is None:
        return None, [], []
    return diagnostic, weakest_axes(diagnostic.scores), top_action_themes(diagnostic)


def matching_inputs_for(company, viewer=None):
    """`matching_inputs_of` the company's latest submitted diagnostic, or (None, [], []) when it has not
    submitted one yet. Two queries.

    With `viewer`, the latest submitted diagnostic the viewer may see (for an officer, the one
    attached to an application or shared with the region; none for a company that did neither): no
    other diagnostic's content shows through the matching."""
    if viewer is None:
        diagnostic = latest_submitted(company)
    else:
        diagnostic = (
            diagnostics_visible_to(viewer)
            .filter(company=company, status=Diagnostic.Status.SUBMITTED)
            .order_by("-submitted_at", "-pk")
            .first()
        )
    return matching_inputs_of(diagnostic)
