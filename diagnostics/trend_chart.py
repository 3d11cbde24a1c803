"""The company's maturity over its submitted diagnostics as a line (`portal.charts`), drawn above the
trend table of the results page, which gives the figures per axis."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.charts import Point, line_chart_svg


def trend_chart(trend, *, company_name):
    """SVG of the overall score of each `TrendPoint` (oldest first), labelled with its month and its
    measurement point (T0, T1, T2) when it has one; None without a history."""
    if not trend:
        return None
    points = [
        Point(
            " ".join(filter(None, [point.label, date_format(timezone.localtime(point.submitted_at), "m/Y")])),
            point.overall,
        )
        for point in trend
    ]
    return line_chart_svg(
        points,
        chart_id="trend-chart",
        title=_("Overall maturity of %(company)s at each diagnostic, from 0 to 5") % {"company": company_name},
        description=_("Oldest first; the table below gives the score of each axis."),
    )
