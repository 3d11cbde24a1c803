"""The directory of referenced experts and their profiles: free places, labels of axes and themes (cached under a version bumped by a profile's update)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from diagnostics.models import (
    DEFAULT_REFERENTIAL_CODE,
    Axis,
    Referential,
    TechnologyTheme,
)
from experts.models import (
    Assignment,
    Expert,
    ExpertLanguage,
    ExpertSkill,
)
from portal.cache_versions import bump, versions
from portal.models import Region


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
