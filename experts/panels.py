"""What the experts app plugs into the diagnostics app (registered in `ExpertsConfig.ready()`):

- `expert_diagnostic_access`: an expert reads the submitted diagnostic of each of their accepted,
  in-progress or done assignments (not the company's other diagnostics);
- `expert_plan_editor`: the expert of an accepted or in-progress assignment edits and validates the
  action plan of its diagnostic;
- `expert_review_panel`: on a diagnostic's results page, the submitted expert reviews of that
  diagnostic, beside the self-assessment, with a radar showing both outlines. Shown to whoever may
  see the review's assignment (the company's members, the region's officers, the expert, staff);
- `expert_report_reviews`: the submitted expert reviews of a diagnostic, for its PDF report (summary,
  the expert's score per axis; the report adds the calibration gap);
- `experts_next_steps`: in the PDF report's next steps, the referenced experts matched to the
  diagnostic's weakest axes and the themes of its top actions, each with the reason in one line.
"""

import re
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from diagnostics.calibration import calibration_gap
from diagnostics.extensions import NextStepItem, NextStepsSection, ReportReview, ResultsPanel, ViewerRole
from diagnostics.models import Axis
from diagnostics.radar import RadarAxis, radar_label_room, radar_svg, short_label
from experts.matching import weakest_axes
from experts.models import Assignment, Expert, ExpertReview, ReviewAction, ReviewAxis
from experts.selectors import (
    assignment_diagnostics_of_expert,
    assignments_visible_to,
    matching_experts_for,
    submitted_reviews_for,
    top_action_themes,
)

PANEL_ORDER = 40
REVIEW_ANCHOR = "expert-reviews-title"  # the id of the panel's heading (experts/_review_panel.html)
NEXT_STEPS_ORDER = 50
NEXT_STEPS_EXPERTS = 3


def expert_diagnostic_access(user):
    """A Q over Diagnostic: the submitted diagnostics of the user's assignments as an expert."""
    if user is None or not user.is_authenticated:
        return None
    return assignment_diagnostics_of_expert(user) & Q(status="submitted")


def expert_plan_editor(user):
    """A Q over Diagnostic: the submitted diagnostics whose action plan the user edits and validates,
    those of their accepted or in-progress assignments (not once the mission is done)."""
    if user is None or not user.is_authenticated:
        return None
    return assignment_diagnostics_of_expert(user, statuses=Assignment.ACTIVE) & Q(status="submitted")


def expert_viewer_role(user):
    """How an expert is named in a company's "who viewed my diagnostic" log: with their organisation."""
    profile = Expert.objects.filter(user=user).only("organisation").first()
    return ViewerRole("expert", profile.organisation) if profile else None


def self_assessment(diagnostic):
    """{axis code: Decimal score or None} from a diagnostic's score snapshot (no query)."""
    scores = {}
    for code, values in ((getattr(diagnostic, "scores", None) or {}).get("axes") or {}).items():
        raw = (values or {}).get("score")
        try:
            scores[code] = None if raw is None else Decimal(str(raw))
        except InvalidOperation:
            scores[code] = None
    return scores


def _relabel(svg, *, prefix, description):
    """Give the radar its own ids (the results page has another radar) and a description naming both outlines."""
    svg = str(svg).replace('id="radar-title"', f'id="{prefix}-title"').replace('id="radar-desc"', f'id="{prefix}-desc"')
    svg = svg.replace('aria-labelledby="radar-title radar-desc"', f'aria-labelledby="{prefix}-title {prefix}-desc"')
    desc = f'<desc id="{prefix}-desc">{escape(description)}</desc>'
    svg = re.sub(r"<desc id=\"[^\"]*\">.*?</desc>", lambda _match: desc, svg, count=1, flags=re.S)
    return mark_safe(svg)  # radar_svg's escaped markup with our escaped text


def review_rows(review, axes, self_scores):
    """One row per axis: title, self-assessed score, the expert's validated score (from the validation
    per question, else the level given for the axis), the calibration gap (self minus expert) and comment."""
    by_code = {row.axis_code: row for row in review.axes.all()}
    validated = {code: row.expert_score for code, row in by_code.items()}
    gaps = calibration_gap({axis.code: self_scores.get(axis.code) for axis in axes}, validated)
    rows = []
    for axis in axes:
        row = by_code.get(axis.code)
        rows.append(
            {
                "code": axis.code,
                "title": axis.title,
                "self_score": self_scores.get(axis.code),
                "validated": validated.get(axis.code),
                "gap": gaps.get(axis.code),
                "gap_magnitude": None if gaps.get(axis.code) is None else abs(gaps[axis.code]),
                "comment": "" if row is None else row.comment,
            }
        )
    return rows


def review_radar(review, rows, *, company_name):
    """The self-assessment (filled outline) and the expert's validated levels (dashed outline), or None
    when the referential has fewer than three axes."""
    if len(rows) < 3:
        return None
    axes = [
        RadarAxis(
            label=short_label(row["title"], radar_label_room(index, len(rows))),  # as on the results page's radar
            score=row["self_score"],
            previous=None if row["validated"] is None else Decimal(row["validated"]),
        )
        for index, row in enumerate(rows)
    ]
    description = "; ".join(
        _("%(axis)s: self-assessment %(self)s, validated by the expert %(validated)s")
        % {
            "axis": row["title"],
            "self": "–" if row["self_score"] is None else row["self_score"],
            "validated": "–" if row["validated"] is None else row["validated"],
        }
        for row in rows
    )
    svg = radar_svg(
        axes,
        title=_("%(company)s: self-assessment and levels validated by the expert, from 0 to 5")
        % {"company": company_name},
    )
    return _relabel(svg, prefix=f"expert-review-{review.pk}-radar", description=description)


def expert_review_panel(request, diagnostic, *, axes=None):
    """The submitted expert reviews of `diagnostic` the user may read, as a results-page panel, or None.

    `diagnostic` needs `.pk`, `.company` and the score snapshot `.scores`. Four queries when there is a
    review to show (reviews, their axes, actions, the referential's axes), one otherwise; three when the
    results page gave the referential's axes in order (`axes`).
    """
    user = request.user
    if not user.is_authenticated:
        return None
    reviews = list(
        ExpertReview.objects.filter(
            diagnostic_id=diagnostic.pk,
            status=ExpertReview.Status.SUBMITTED,
            assignment__in=assignments_visible_to(user).values("pk"),
        )
        .select_related("assignment__expert__user")
        .prefetch_related(
            Prefetch("axes", queryset=ReviewAxis.objects.order_by("pk")),
            Prefetch("actions", queryset=ReviewAction.objects.order_by("order", "pk")),
        )
        .order_by("-submitted_at", "-pk")
    )
    if not reviews:
        return None
    if axes is None:  # the results page gives them: no query
        axes = list(Axis.objects.filter(referential__diagnostics__pk=diagnostic.pk).order_by("order", "pk"))
    self_scores = self_assessment(diagnostic)
    company_name = diagnostic.company.name
    blocks = []
    for review in reviews:
        rows = review_rows(review, axes, self_scores)
        blocks.append(
            {
                "review": review,
                "expert": review.assignment.expert,
                "rows": rows,
                "radar": review_radar(review, rows, company_name=company_name),
                "actions": list(review.actions.all()),
            }
        )
    return ResultsPanel(
        template_name="experts/_review_panel.html",
        context={"reviews": blocks},
        order=PANEL_ORDER,
        anchor=REVIEW_ANCHOR,
        contents_label=_("The expert's validated view"),  # the panel's heading
    )


def experts_next_steps(diagnostic):
    """The report's "next steps" section of matched referenced experts, or None when none matches.

    Reads the diagnostic's score snapshot (weakest axes) and its top actions' themes; about five queries.
    """
    proposals = matching_experts_for(
        diagnostic.company,
        weakest_axes(diagnostic.scores),
        top_action_themes(diagnostic),
        limit=NEXT_STEPS_EXPERTS,
        diagnostic=diagnostic,
    )
    if not proposals:
        return None
    return NextStepsSection(
        title=_("Referenced experts who can help you"),
        items=[
            NextStepItem(
                title=f"{proposal.expert.name} – {proposal.expert.organisation}",
                detail=proposal.reason[:1].upper() + proposal.reason[1:],
            )
            for proposal in proposals
        ],
        order=NEXT_STEPS_ORDER,
    )


def expert_report_reviews(diagnostic):
    """The submitted expert reviews of `diagnostic`, oldest first, as the PDF report prints them (four queries)."""
    return [
        ReportReview(
            expert=review.assignment.expert.name,
            organisation=review.assignment.expert.organisation,
            submitted_on=timezone.localtime(review.submitted_at).date().isoformat(),
            summary=review.summary,
            axes={
                row.axis_code: None if row.expert_score is None else str(row.expert_score) for row in review.axes.all()
            },
        )
        for review in reversed(submitted_reviews_for(diagnostic))
    ]
