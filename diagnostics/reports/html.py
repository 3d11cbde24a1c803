"""The report's printable HTML: our print templates and stylesheet, the radar of the results page."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from diagnostics.radar import RadarAxis, radar_svg

TEMPLATE = "diagnostics/report/report.html"


def _decimal(figure):
    return Decimal(figure.value) if figure is not None and figure.value is not None else None


def report_radar(content):
    """The results page's SVG radar for the report's axes, with the previous diagnostic and the peers if known."""
    axes = [
        RadarAxis(
            label=axis.title, score=_decimal(axis.score), previous=_decimal(axis.previous), peers=_decimal(axis.peers)
        )
        for axis in content.axes
    ]
    if len(axes) < 3:
        return ""
    return radar_svg(axes, title=_("Maturity per axis, from 0 to 5"))


def report_html(content):
    """The complete HTML document of a report (a `diagnostics.reports.content.ReportContent`)."""
    with translation.override(content.language):
        return render_to_string(TEMPLATE, {"report": content, "radar": report_radar(content)})
