"""The report's printable HTML: our print templates and stylesheet, the radar of the results page."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from diagnostics.radar import RadarAxis, radar_label_room, radar_svg, short_label

TEMPLATE = "diagnostics/report/report.html"


def _decimal(figure):
    return Decimal(figure.value) if figure is not None and figure.value is not None else None


def report_radar(content):
    """The results page's SVG radar for the report's axes (same component, same labels cut to the room
    beside each spoke; the list below it gives the titles in full), with the previous diagnostic and
    the peers if known."""
    count = len(content.axes)
    if count < 3:
        return ""
    axes = [
        RadarAxis(
            label=short_label(axis.title, radar_label_room(index, count)),
            score=_decimal(axis.score),
            previous=_decimal(axis.previous),
            peers=_decimal(axis.peers),
        )
        for index, axis in enumerate(content.axes)
    ]
    return radar_svg(axes, title=_("Maturity per axis, from 0 to 5"), embedded_style=True)


def report_html(content):
    """The complete HTML document of a report (a `diagnostics.reports.content.ReportContent`)."""
    with translation.override(content.language):
        return render_to_string(TEMPLATE, {"report": content, "radar": report_radar(content)})
