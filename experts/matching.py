"""Matching experts to a company: one pure ranking function, tested on hand-built cases.

`rank_experts` takes plain values (the company's weakest axis codes, the themes of its top actions,
its region, and the candidates' skills, regions and free places) and returns ranked proposals, each
with the one-line reason shown to officers, staff and in the report. It reads no database: the
selector `selectors.matching_experts_for` loads the candidates and calls it.

Ranking, best first:
1. coverage: how many of the weakest axes and top-action themes the expert's skills cover;
2. depth: the sum of the expert's levels (1-3) on what they cover;
3. region: experts who serve the company's region first;
4. free capacity: more free places first;
then by name, for a stable order.

Experts with no free place are never proposed; when the company has weak axes or themes, experts
who cover none of them are left out. For a regional programme, only the experts who serve its region
are proposed unless the officer widens the search (`region_only`). The reason names the axes and
themes covered, each with the expert's level (1 to 3).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DEFAULT_WEAK_AXES = 4
DEFAULT_LIMIT = 5


@dataclass(frozen=True)
class Candidate:
    """What the ranking needs to know about one expert."""

    expert_id: int
    name: str
    axis_levels: Mapping[str, int]  # axis code -> level 1..3
    theme_levels: Mapping[str, int]  # theme code -> level 1..3
    region_codes: frozenset
    free_places: int
    expert: object = field(default=None, compare=False, repr=False)  # passed through, e.g. the Expert row


@dataclass(frozen=True)
class Proposal:
    """A ranked expert, with what they cover and why they are proposed."""

    candidate: Candidate
    rank: int
    covered_axes: tuple
    covered_themes: tuple
    serves_region: bool
    reason: str

    @property
    def expert(self):
        return self.candidate.expert

    @property
    def coverage(self):
        return len(self.covered_axes) + len(self.covered_themes)


def _unique(values):
    return list(dict.fromkeys(value for value in values if value))


def _levels(codes, levels, titles):
    """ "Strategy (level 3 of 3), Production (level 2 of 3)": what is covered, named, with the expert's level."""
    return ", ".join(
        _("%(name)s (level %(level)s of 3)") % {"name": titles.get(code) or code, "level": levels[code]}
        for code in codes
    )


def _reason(
    *,
    covered_axes,
    weak_axes,
    covered_themes,
    top_themes,
    serves_region,
    region_name,
    free_places,
    candidate,
    axis_titles,
    theme_titles,
):
    parts = []
    if covered_axes:
        parts.append(
            ngettext(
                "covers your weak axis %(axes)s",
                "covers your weak axes %(axes)s",
                len(covered_axes),
            )
            % {"axes": _levels(covered_axes, candidate.axis_levels, axis_titles)}
        )
    if covered_themes:
        parts.append(
            ngettext(
                "covers the theme of your top actions %(themes)s",
                "covers the themes of your top actions %(themes)s",
                len(covered_themes),
            )
            % {"themes": _levels(covered_themes, candidate.theme_levels, theme_titles)}
        )
    if region_name:
        if serves_region:
            parts.append(_("serves %(region)s") % {"region": region_name})
        else:
            parts.append(_("does not serve %(region)s") % {"region": region_name})
    parts.append(ngettext("%(count)s place free", "%(count)s places free", free_places) % {"count": free_places})
    return ", ".join(parts)


def rank_experts(
    *,
    weak_axes: Iterable[str],
    top_themes: Iterable[str],
    region_code: str | None,
    region_name: str = "",
    candidates: Iterable[Candidate],
    limit: int | None = None,
    region_only: bool = False,
    axis_titles: Mapping[str, str] | None = None,
    theme_titles: Mapping[str, str] | None = None,
) -> list[Proposal]:
    """The candidates worth proposing, best first (see the module's docstring for the order).

    `region_only`: only the experts who serve `region_code` (a regional programme's own experts);
    `axis_titles` and `theme_titles` name what the reasons list (codes otherwise)."""
    weak_axes = _unique(weak_axes)
    top_themes = _unique(top_themes)
    looking_for_something = bool(weak_axes or top_themes)
    scored = []
    for candidate in candidates:
        if candidate.free_places <= 0:
            continue
        if region_only and region_code is not None and region_code not in candidate.region_codes:
            continue
        covered_axes = tuple(code for code in weak_axes if code in candidate.axis_levels)
        covered_themes = tuple(code for code in top_themes if code in candidate.theme_levels)
        coverage = len(covered_axes) + len(covered_themes)
        if looking_for_something and coverage == 0:
            continue
        depth = sum(candidate.axis_levels[code] for code in covered_axes) + sum(
            candidate.theme_levels[code] for code in covered_themes
        )
        serves_region = region_code is not None and region_code in candidate.region_codes
        key = (
            -coverage,
            -depth,
            not serves_region,
            -candidate.free_places,
            candidate.name.casefold(),
            candidate.expert_id,
        )
        scored.append((key, candidate, covered_axes, covered_themes, serves_region))
    scored.sort(key=lambda item: item[0])
    if limit is not None:
        scored = scored[:limit]
    return [
        Proposal(
            candidate=candidate,
            rank=rank,
            covered_axes=covered_axes,
            covered_themes=covered_themes,
            serves_region=serves_region,
            reason=_reason(
                covered_axes=covered_axes,
                weak_axes=weak_axes,
                covered_themes=covered_themes,
                top_themes=top_themes,
                serves_region=serves_region,
                region_name=region_name,
                free_places=candidate.free_places,
                candidate=candidate,
                axis_titles=axis_titles or {},
                theme_titles=theme_titles or {},
            ),
        )
        for rank, (_key, candidate, covered_axes, covered_themes, serves_region) in enumerate(scored, start=1)
    ]


def weakest_axes(scores, count=DEFAULT_WEAK_AXES):
    """The codes of the `count` lowest-scored axes of a score snapshot, weakest first.

    `scores` is a diagnostic's stored snapshot ({"axes": {"STRAT": {"score": "2.67", ...}, ...}});
    axes without a score (all questions not applicable) are skipped; ties go to the code's order.
    """
    ranked = []
    for code, values in ((scores or {}).get("axes") or {}).items():
        raw = (values or {}).get("score")
        if raw is None:
            continue
        try:
            ranked.append((Decimal(str(raw)), code))
        except InvalidOperation:
            continue
    ranked.sort()
    return [code for _score, code in ranked[:count]]
