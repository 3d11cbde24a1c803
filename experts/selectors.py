"""Reads of the experts app, already scoped to what a user may see.

- the directory lists referenced experts only (accreditation referenced and valid today);
- an expert sees their own assignments; officers the assignments in their regions; a company's
  members their company's ones; staff all of them;
- a review in progress (draft) is seen by its author only; a submitted review by whoever sees the
  assignment.
Every function runs a fixed number of queries whatever the number of experts.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from diagnostics.models import (
    DEFAULT_REFERENTIAL_CODE,
    Answer,
    Axis,
    Diagnostic,
    Recommendation,
    Referential,
    TechnologyTheme,
)
from diagnostics.selectors import diagnostics_visible_to, latest_submitted
from experts.matching import DEFAULT_LIMIT, Candidate, rank_experts, weakest_axes
from experts.models import (
    Accreditation,
    AccreditationTransition,
    Assignment,
    ConflictOfInterest,
    Expert,
    ExpertLanguage,
    ExpertReview,
    ExpertSkill,
    ReviewAction,
    ReviewAxis,
)
from portal.cache_versions import bump, versions
from portal.models import Company, Membership, Region, RegionOfficer

# --- Profiles and the directory ---------------------------------------------------------------------


def active_assignment_count(expert_ref=None):
    """A subquery: how many accepted or in-progress assignments the expert (default: the outer row) has."""
    return Coalesce(
        Subquery(
            Assignment.objects.filter(expert=expert_ref or OuterRef("pk"), status__in=Assignment.ACTIVE)
            .order_by()
            .values("expert")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_free_places(experts):
    """Experts annotated with `active_count` and `free_places` (capacity − active assignments), in the same query."""
    return experts.annotate(active_count=active_assignment_count()).annotate(
        free_places=F("capacity") - F("active_count")
    )


def with_profile(experts):
    """Experts with their user, accreditation, regions, languages and skills (four queries in all)."""
    return experts.select_related("user", "accreditation").prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("label_fr")),
        Prefetch("languages", queryset=ExpertLanguage.objects.order_by("code")),
        Prefetch("skills", queryset=ExpertSkill.objects.select_related("theme").order_by("-level", "axis_code", "pk")),
    )


def directory_experts():
    """Referenced experts, by name, with free places and their profile prefetched."""
    return with_profile(with_free_places(Expert.objects.referenced())).order_by(
        "user__last_name", "user__first_name", "pk"
    )


def directory_profile(user, pk):
    """One expert's profile as `user` may see it, or None: referenced experts for everyone; any expert
    for staff and for the expert themselves."""
    experts = with_profile(with_free_places(Expert.objects.filter(pk=pk)))
    if not (user.is_authenticated and (user.is_staff or Expert.objects.filter(pk=pk, user=user).exists())):
        experts = experts.referenced()
    return experts.first()


def profile_of(user):
    """The user's own expert profile, with its skills, or None."""
    if not user.is_authenticated:
        return None
    return with_profile(with_free_places(Expert.objects.filter(user=user))).first()


# The directory's labels (the axes' titles, the codes experts declared) and its rendered filters are
# cached under this version, which a profile's update bumps; a new published referential's titles show
# within DIRECTORY_LABELS_SECONDS.
DIRECTORY_LABELS_VERSION = "experts:directory_labels"
DIRECTORY_LABELS_SECONDS = 60 * 60


def forget_directory_labels():
    bump(DIRECTORY_LABELS_VERSION)


def directory_labels_key():
    """The version of the directory's labels in the active language (the key of their cache entries)."""
    (version,) = versions(DIRECTORY_LABELS_VERSION)
    return f"{version}:{get_language()}"


def axis_choices():
    """(code, title) of the axes experts may declare: those of the current published referential,
    plus any code already declared by an expert (a retired axis stays readable). From the cache, or
    one query (a UNION)."""
    key = f"experts:axis_choices:{directory_labels_key()}"
    choices = cache.get(key)
    if choices is None:
        choices = _axis_choices()
        cache.set(key, choices, DIRECTORY_LABELS_SECONDS)
    return choices


def _axis_choices():
    published = (
        Referential.objects.published()
        .filter(code=DEFAULT_REFERENTIAL_CODE)
        .order_by("-published_at", "-pk")
        .values("pk")[:1]
    )
    axes = (
        Axis.objects.filter(referential=Subquery(published))
        .annotate(is_axis=Value(1, output_field=IntegerField()))
        .order_by()
        .values_list("is_axis", "code", "title_fr", "title_en", "order", "pk")
    )
    declared = (
        ExpertSkill.objects.exclude(axis_code="")
        .annotate(
            is_axis=Value(0, output_field=IntegerField()),
            no_fr=Value("", output_field=CharField()),
            no_en=Value("", output_field=CharField()),
            no_order=Value(0, output_field=IntegerField()),
            no_pk=Value(0, output_field=IntegerField()),
        )
        .order_by()
        .values_list("is_axis", "axis_code", "no_fr", "no_en", "no_order", "no_pk")
    )
    rows = list(axes.union(declared))
    english = (get_language() or "fr").startswith("en")
    published_axes = sorted((row for row in rows if row[0]), key=lambda row: (row[4], row[5]))
    choices = [
        (code, (title_en or title_fr) if english else title_fr)
        for _a, code, title_fr, title_en, _o, _p in published_axes
    ]
    known = {code for code, _title in choices}
    choices += [(code, code) for code in sorted({row[1] for row in rows if not row[0]} - known)]
    return choices


def axis_titles():
    """{axis code: title} of the current published referential (one query)."""
    return dict(axis_choices())


@dataclass(frozen=True)
class SkillLabel:
    label: str
    level: int
    level_label: str
    is_theme: bool


def label_skills(experts, titles):
    """Set `skill_labels` on each expert (prefetched skills): axis titles from `titles`, theme names. No query."""
    for expert in experts:
        expert.skill_labels = [
            SkillLabel(
                label=skill.theme.name if skill.theme_id else titles.get(skill.axis_code, skill.axis_code),
                level=skill.level,
                level_label=skill.get_level_display(),
                is_theme=bool(skill.theme_id),
            )
            for skill in expert.skills.all()
        ]
    return experts


def themes():
    return TechnologyTheme.objects.order_by("order", "code")


# --- Matching ---------------------------------------------------------------------------------------


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


# --- Accreditations (staff) ------------------------------------------------------------------------


# The staff's accreditation filters: the status as it stands today (a referenced accreditation past its
# date counts as expired, like `Accreditation.effective_status`), or no accreditation yet.
ACCREDITATION_FILTERS = ("referenced", "suspended", "expired", "none")


def _accreditation_filter(status):
    today = timezone.localdate()
    referenced = Q(accreditation__status=Accreditation.Status.REFERENCED)
    return {
        "referenced": referenced & Q(accreditation__valid_until__gte=today),
        "suspended": Q(accreditation__status=Accreditation.Status.SUSPENDED),
        "expired": Q(accreditation__status=Accreditation.Status.EXPIRED)
        | (referenced & Q(accreditation__valid_until__lt=today)),
        "none": Q(accreditation__isnull=True),
    }[status]


def experts_for_staff(*, status="", search=""):
    """Every expert, referenced or not, with accreditation and free places, by name (one query);
    `status` one of ACCREDITATION_FILTERS, `search` a part of the name, e-mail or organisation."""
    experts = Expert.objects.all()
    if status in ACCREDITATION_FILTERS:
        experts = experts.filter(_accreditation_filter(status))
    if search:
        experts = experts.filter(
            Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(organisation__icontains=search)
        )
    return (
        with_free_places(experts)
        .select_related("user", "accreditation")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def accreditation_history(expert):
    return AccreditationTransition.objects.filter(expert=expert).select_related("by").order_by("-at", "-pk")


def expert_for_staff(pk):
    """One expert, referenced or not, with their account, for the staff's accreditation page; or None."""
    return Expert.objects.select_related("user").filter(pk=pk).first()


def current_accreditation(expert):
    return Accreditation.objects.filter(expert=expert).first()


# --- Assignments -----------------------------------------------------------------------------------


def officer_region_ids(user):
    return RegionOfficer.objects.filter(user=user).values("region_id")


def assignments_visible_to(user):
    """The assignments `user` may see: their own as an expert, those in their regions as an officer,
    their company's as a member; every one for staff."""
    if user is None or not user.is_authenticated:
        return Assignment.objects.none()
    assignments = Assignment.objects.select_related("expert__user", "company__region")
    if user.is_staff:
        return assignments
    return assignments.filter(
        Q(expert__user=user)
        | Q(company__region__in=officer_region_ids(user))
        | Q(company__in=Membership.objects.filter(user=user).values("company_id"))
    )


def visible_assignment(user, pk):
    """One assignment the user may see, with its expert, company and proposer, or None (one query)."""
    return assignments_visible_to(user).select_related("proposed_by", "diagnostic").filter(pk=pk).first()


def company_contacts(company):
    """The people to contact at an assignment's company: its owners with their name and e-mail (one query)."""
    return [
        membership.user
        for membership in Membership.objects.filter(company=company, role=Membership.Role.OWNER, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    ]


def assignments_of_expert(expert):
    """An expert's assignments, live ones first then by due date, with their company (one query)."""
    return (
        Assignment.objects.filter(expert=expert)
        .select_related("company__region")
        .annotate(is_live=Case(When(status__in=Assignment.LIVE, then=Value(0)), default=Value(1)))
        .order_by("is_live", F("due_date").asc(nulls_last=True), "-pk")
    )


def assignment_history(assignment):
    return assignment.transitions.select_related("by").order_by("at", "pk")


def companies_open_for_proposals(user):
    """The companies `user` may propose experts to: every one for staff, those of their regions for officers."""
    if user is None or not user.is_authenticated:
        return Company.objects.none()
    companies = Company.objects.select_related("region")
    if user.is_staff:
        return companies
    return companies.filter(region__in=officer_region_ids(user))


def companies_seen_for_assignments(user):
    """Companies the user may look at from the experts pages: those open for proposals, their own, and
    those of their own assignments as an expert."""
    if user is None or not user.is_authenticated:
        return Company.objects.none()
    if user.is_staff:
        return Company.objects.select_related("region")
    return Company.objects.select_related("region").filter(
        Q(region__in=officer_region_ids(user))
        | Q(pk__in=Membership.objects.filter(user=user).values("company_id"))
        | Q(pk__in=Assignment.objects.filter(expert__user=user).values("company_id"))
    )


def assignment_diagnostics_of_expert(user, statuses=Assignment.OPENING_ACCESS):
    """A Q over Diagnostic: the diagnostic each of `user`'s accepted, in-progress or done assignments
    is about, the one a review validates (`services.reviewed_diagnostic`): the one the assignment
    names (chosen at its proposal), else the one its review recorded, else (no review yet) the
    company's latest submitted one. Never a company's other diagnostics. Subqueries only: no join to
    many rows."""
    opened = Assignment.objects.filter(expert__user=user, status__in=statuses)
    unnamed = opened.filter(diagnostic__isnull=True)
    return (
        Q(pk__in=opened.filter(diagnostic__isnull=False).values("diagnostic_id"))
        | Q(pk__in=ExpertReview.objects.filter(assignment__in=unnamed.values("pk")).values("diagnostic_id"))
        | Q(is_latest=True, company_id__in=unnamed.filter(review__isnull=True).values("company_id"))
    )


# --- Reviews ---------------------------------------------------------------------------------------


def review_of(assignment):
    """The assignment's review with its axes and actions, or None (three queries)."""
    return (
        ExpertReview.objects.filter(assignment=assignment)
        .prefetch_related(
            Prefetch("axes", queryset=ReviewAxis.objects.order_by("pk")),
            Prefetch("actions", queryset=ReviewAction.objects.order_by("order", "pk")),
        )
        .first()
    )


def review_visible_to(user, assignment):
    """The assignment's review if `user` may read it: a draft by its author only, a submitted one by
    whoever sees the assignment (the caller fetched it through `visible_assignment`)."""
    review = review_of(assignment)
    if review is None:
        return None
    if review.is_submitted or assignment.expert.user_id == user.pk:
        return review
    return None


def submitted_reviews_for(diagnostic):
    """The submitted expert reviews of a diagnostic, latest first, with expert, axes and actions (four queries)."""
    return list(
        ExpertReview.objects.filter(diagnostic_id=diagnostic.pk, status=ExpertReview.Status.SUBMITTED)
        .select_related("assignment__expert__user")
        .prefetch_related(
            Prefetch("axes", queryset=ReviewAxis.objects.order_by("pk")),
            Prefetch("actions", queryset=ReviewAction.objects.order_by("order", "pk")),
        )
        .order_by("-submitted_at", "-pk")
    )
