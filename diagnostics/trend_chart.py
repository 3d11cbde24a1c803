"""The company's overall maturity over its submitted diagnostics as a line (`portal.charts`): above the
trend table of the results page, which gives the figures per axis, and above the company's list of
diagnostics, which gives each one's score. Drawn from rows the pages already read (no query)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.charts import Point, line_chart_svg

# As the results page's trend table (`selectors.trend.TREND_LENGTH`): the most recent ones.
HISTORY_LENGTH = 12


def _month(moment):
    return date_format(timezone.localtime(moment), "m/Y")


def _chart(points, *, company_name, description):
    return line_chart_svg(
        points,
        chart_id="trend-chart",
        title=_("Overall maturity of %(company)s at each diagnostic, from 0 to 5") % {"company": company_name},
        description=description,
    )


def trend_chart(trend, *, company_name):
    """SVG of the overall score of each `TrendPoint` (oldest first), labelled with its month and its
    measurement point (T0, T1, T2) when it has one; None without a history."""
    if not trend:
        return None
    points = [
        Point(" ".join(filter(None, [point.label, _month(point.submitted_at)])), point.overall) for point in trend
    ]
    return _chart(
        points, company_name=company_name, description=_("Oldest first; the table below gives the score of each axis.")
    )


def history_chart(diagnostics, *, company_name):
    """SVG of the overall score of the submitted ones among `diagnostics` (latest first, as the company's
    list), oldest first; None with fewer than two."""
    submitted = [d for d in diagnostics if not d.is_draft and d.submitted_at is not None][:HISTORY_LENGTH]
    if len(submitted) < 2:
        return None
    points = [Point(_month(d.submitted_at), d.overall_score) for d in reversed(submitted)]
    return _chart(
        points,
        company_name=company_name,
        description=_("Oldest first; the table below gives the date and score of each diagnostic."),
    )
