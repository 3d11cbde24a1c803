"""Results of a submitted diagnostic: the roadmap (its plan) first, then scores, radar, peer benchmark,
strengths and weaknesses, and the full list of actions."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from diagnostics import rules
from diagnostics.extensions import results_panels_for
from diagnostics.models import DiagnosticAccess, PlanAction, Respondent
from diagnostics.radar import radar_svg
from diagnostics.selectors import diagnostics_visible_to
from diagnostics.selectors.plan import plan_view
from diagnostics.selectors.results import (
    RESULTS_FRAGMENT_SECONDS,
    referential_axes,
    results_for,
    results_fragment_key,
)
from diagnostics.selectors.trend import company_trend
from diagnostics.services import plan as plans
from diagnostics.services import record_access
from diagnostics.services import report as reports
from diagnostics.trend_chart import trend_chart
from portal.http import found

ACTIONS_SHOWN_FIRST = 10  # the rest of the plan is one click away
MIN_RADAR_AXES = 3  # with fewer axes a radar means nothing: the table alone shows the scores


def _previous_plan_actions(condition):
    """The number of actions of the previous diagnostic's plan that meet `condition` (a subquery)."""
    counted = (
        PlanAction.objects.filter(condition, plan__diagnostic_id=OuterRef("previous_id"))
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@require_GET
def results(request, pk):
    """A submitted diagnostic's results; a draft sends to its questionnaire. Not visible: 404."""
    user = request.user
    diagnostic = (
        diagnostics_visible_to(user)
        .filter(pk=pk)
        .select_related(
            "company__naf_division__section",
            "company__region",
            "referential",
            "previous",
            "sharing_changed_by",
            "action_plan__validated_by",
        )
        # The ids of its latest report and latest ready report: both rows are then read in one query.
        .annotate(
            has_respondents=Exists(Respondent.objects.filter(diagnostic=OuterRef("pk"))),
            # How far the previous diagnostic's plan went, beside the change of maturity ("4 of 6 actions done").
            previous_plan_done=_previous_plan_actions(Q(status=PlanAction.Status.DONE)),
            previous_plan_actions=_previous_plan_actions(~Q(status=PlanAction.Status.DROPPED)),
            **reports.latest_report_annotations(),
        )
        .first()
    )
    found(diagnostic, _("No diagnostic you may see has this number."))
    if diagnostic.is_draft:
        return redirect("diagnostics:detail", pk=diagnostic.pk)
    record_access(diagnostic=diagnostic, user=user, what=DiagnosticAccess.What.RESULTS)
    # The fixed part (scores, radar, peers, strengths, actions) is cached as fragments under
    # `results_fragment_key`: `results` and the radar are computed only when a fragment is missing.
    results = SimpleLazyObject(lambda: results_for(diagnostic))
    radar = SimpleLazyObject(lambda: _radar(diagnostic, results))
    axes = referential_axes(diagnostic.referential)
    # Made on submit; a diagnostic submitted before plans existed gets its plan on this first view.
    plan = getattr(diagnostic, "action_plan", None) or plans.ensure_plan(diagnostic=diagnostic, by=user)
    report, ready_report = reports.latest_reports(diagnostic)
    # The company's own history: its members (and staff, who see every submitted one) get it.
    trend = (
        company_trend(diagnostic, axes=axes)
        if rules.is_diagnostic_company_member.test(user, diagnostic) or user.is_staff
        else []
    )
    context = {
        "report": report,
        "ready_report": report if report is None or report.is_ready else ready_report,
        "diagnostic": diagnostic,
        "company": diagnostic.company,
        "results": results,
        "plan_view": plan_view(plan),
        "radar": radar,
        "first_actions": SimpleLazyObject(lambda: results.actions[:ACTIONS_SHOWN_FIRST]),
        "more_actions": SimpleLazyObject(lambda: results.actions[ACTIONS_SHOWN_FIRST:]),
        "more_actions_start": ACTIONS_SHOWN_FIRST + 1,
        "fragment_key": results_fragment_key(diagnostic),
        "fragment_seconds": RESULTS_FRAGMENT_SECONDS,
        "axes": axes,
        # The referential's axes, in order, given to the panels (the expert review reads them instead of querying).
        "panels": results_panels_for(request, diagnostic, axes=axes),
        "trend": trend,
        "trend_chart": trend_chart(trend, company_name=diagnostic.company.name),
        "can_share": rules.can_share_diagnostic.test(user, diagnostic),  # no query: reads the request's viewer
        # Who answered what, when colleagues answered on their own: queried only then.
        "can_view_divergence": diagnostic.has_respondents and rules.can_view_divergence.test(user, diagnostic),
    }
    return render(request, "diagnostics/results.html", context)


def _radar(diagnostic, results):
    if len(results.axes) < MIN_RADAR_AXES:
        return None
    return radar_svg(
        results.radar_axes(),
        title=_("Maturity per axis of %(company)s, from 0 to 5") % {"company": diagnostic.company.name},
    )
