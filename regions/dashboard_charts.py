"""The dashboards' pictures beyond the budget: the companies' funnel from sign-up to a completed support,
the average maturity per quarter, and the national calibration gap, each as an SVG chart
(`portal.charts`) with the rows of its data table.

The funnel's first steps and the quarters are read from the counters per region that the writes keep
(`portal.models.RegionFunnelCount`, `RegionQuarterCount`: `portal.services.dashboard_counters`,
`diagnostics.dashboard_counters`), and the funnel's later steps from the enrolments: a few rows per
region, whatever the number of companies (two queries for the funnel, one for the quarters).

Scope: a regional officer's charts cover the companies of their regions; staff's cover every company.
Quarterly averages follow statistical secrecy (`diagnostics.benchmark.MIN_COMPANIES` distinct
companies behind each, or withheld), as the calibration gap does.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from diagnostics.benchmark import MIN_COMPANIES
from diagnostics.radar import short_label
from portal.charts import Bar, Point, bar_chart_svg, diverging_bar_chart_svg, line_chart_svg
from portal.models import RegionFunnelCount, RegionQuarterCount
from regions.models import Enrolment
from regions.selectors import officer_region_ids, programmes_visible_to

S = Enrolment.Status
ENROLLED = [S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED]
QUARTERS_SHOWN = 12  # three years: an older history would crowd the chart
AXIS_LABEL_LENGTH = 48  # characters on one line of the calibration chart (the table gives the whole title)


@dataclass(frozen=True)
class Chart:
    svg: str
    rows: list  # the data table's rows (dicts), in the chart's order


def _region_scope(user, *, national):
    """The regions a dashboard speaks of: None for every region (staff, the national view), else the
    officer's regions (a programme takes only its region's companies)."""
    if national or user.is_staff:
        return None
    return officer_region_ids(user)


def _in_scope(rows, region_ids, field="region_id"):
    return rows if region_ids is None else rows.filter(**{f"{field}__in": region_ids})


def _percent(part, whole):
    return f"{number_format(round(100 * part / whole))}\u202f%" if whole else "–"


def company_funnel(user, *, national=False):
    """Companies registered → diagnostic started → submitted → applied → accepted → support completed
    (two queries: the regions' counters, the enrolments of the programmes visible to `user`); each step's
    share of the registered companies beside its count."""
    region_ids = _region_scope(user, national=national)
    counts = _in_scope(RegionFunnelCount.objects.all(), region_ids).aggregate(
        registered=Coalesce(Sum("companies"), 0),
        started=Coalesce(Sum("started"), 0),
        submitted=Coalesce(Sum("submitted"), 0),
    )
    enrolments = Enrolment.objects.filter(programme__in=programmes_visible_to(user).values("pk"))
    counts |= _in_scope(enrolments, region_ids, "company__region_id").aggregate(
        applied=Count("company", distinct=True),
        accepted=Count("company", distinct=True, filter=Q(status__in=ENROLLED)),
        completed=Count("company", distinct=True, filter=Q(status=S.COMPLETED)),
    )
    steps = [
        ("registered", _("Companies registered")),
        ("started", _("Diagnostic started")),
        ("submitted", _("Diagnostic submitted")),
        ("applied", _("Application made")),
        ("accepted", _("Application accepted")),
        ("completed", _("Support completed")),
    ]
    registered = counts["registered"]
    rows = [
        {"key": key, "label": label, "count": counts[key], "share": _percent(counts[key], registered)}
        for key, label in steps
    ]
    bars = [Bar(row["label"], row["count"], f"{number_format(row['count'])} ({row['share']})") for row in rows]
    svg = bar_chart_svg(
        bars,
        chart_id="funnel-chart",
        title=_("From sign-up to a completed support"),
        description=_("Number of companies at each step, and their share of the companies registered."),
    )
    return Chart(svg=svg, rows=rows)


def quarter_label(day):
    return _("Q%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}


def maturity_by_quarter(user, *, national=False):
    """The average overall maturity of the diagnostics submitted each quarter (the last twelve quarters
    with a diagnostic), by the companies in scope (one query on the regions' quarter counters). A quarter
    with fewer than MIN_COMPANIES companies is withheld: a gap in the line, "withheld" in the table.
    None without any diagnostic."""
    quarters = list(
        _in_scope(RegionQuarterCount.objects.all(), _region_scope(user, national=national))
        .values("quarter")
        .annotate(diagnostics=Sum("diagnostics"), total=Sum("score_total"), companies=Sum("companies"))
        .filter(diagnostics__gt=0)
        .order_by("-quarter")[:QUARTERS_SHOWN]
    )
    if not quarters:
        return None
    rows = []
    for row in reversed(quarters):
        shown = row["companies"] >= MIN_COMPANIES
        average = (Decimal(row["total"]) / row["diagnostics"]).quantize(Decimal("0.01")) if shown else None
        rows.append({"label": quarter_label(row["quarter"]), "average": average, "companies": row["companies"]})
    svg = line_chart_svg(
        [Point(row["label"], row["average"]) for row in rows],
        chart_id="maturity-chart",
        title=_("Average overall maturity of the diagnostics submitted each quarter, from 0 to 5"),
        description=_("A quarter with too few companies is withheld (statistical secrecy): a gap in the line."),
    )
    return Chart(svg=svg, rows=rows)


def signed(gap):
    """+0,42 / −0,30 / 0,00: the sign always written, a true minus sign as on the calibration table."""
    sign = "+" if gap > 0 else "\u2212" if gap < 0 else ""
    return sign + number_format(abs(gap), 2)


def calibration_chart(calibration):
    """The national calibration gap per axis (`regions.calibration.national_calibration` rows) as bars
    either side of zero; None when no review was submitted."""
    if not calibration:
        return None
    bars = [
        Bar(
            short_label(row.title, AXIS_LABEL_LENGTH),
            row.mean_gap,
            _("withheld") if row.mean_gap is None else signed(row.mean_gap),
        )
        for row in calibration
    ]
    return diverging_bar_chart_svg(
        bars,
        chart_id="calibration-chart",
        title=_("Calibration gap per axis: self-assessment minus the expert's score"),
        description=_(
            "Bars to the right: companies rate themselves higher than their expert; to the left, lower. "
            "The table gives the figures."
        ),
    )
