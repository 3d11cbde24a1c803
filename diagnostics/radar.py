"""The radar chart, drawn on the server as SVG: one component for the results page and the PDF report.

No JavaScript and no external file: the markup carries its own title and description so screen
readers get the figures, and it prints the same in a browser and in WeasyPrint.

Its look is `STYLE`: on web pages it comes from static/css/portal.css (the Content-Security-Policy
refuses a <style> element inside the page), in the PDF from a <style> inside the SVG
(`embedded_style=True`), because WeasyPrint applies to an inline SVG only the styles it carries.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

MAX_LEVEL = 5
STYLE = (
    ".radar .grid{fill:none;stroke:#c8c8c8;stroke-width:1}"
    ".radar .spoke{stroke:#c8c8c8;stroke-width:1}"
    ".radar .current{fill:rgba(0,0,145,.18);stroke:#000091;stroke-width:2.5}"
    ".radar .previous{fill:none;stroke:#a94600;stroke-width:2;stroke-dasharray:6 4}"
    ".radar .peers{fill:none;stroke:#3a3a3a;stroke-width:1.5;stroke-dasharray:2 3}"
    ".radar text{font:12px 'DejaVu Sans',Arial,sans-serif;fill:#161616}"
)


@dataclass(frozen=True)
class RadarAxis:
    label: str
    score: Decimal | None
    previous: Decimal | None = None
    peers: Decimal | None = None


def _point(center, radius, index, count, value):
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = radius * float(value or 0) / MAX_LEVEL
    return center[0] + distance * math.cos(angle), center[1] + distance * math.sin(angle)


def _polygon(center, radius, values, css_class):
    count = len(values)
    points = " ".join("{:.1f},{:.1f}".format(*_point(center, radius, i, count, v)) for i, v in enumerate(values))
    return f'<polygon class="{css_class}" points="{points}"/>'


def radar_svg(axes, *, title, size=420, embedded_style=False):
    """SVG markup of a radar of 0..5 scores, with the previous diagnostic and peers as outlines if given.

    `embedded_style`: carry `STYLE` in a <style> of its own (for WeasyPrint; never on a web page)."""
    count = len(axes)
    if count < 3:
        raise ValueError("a radar needs at least three axes")
    width = size + 320  # room for the axis labels on both sides
    center = (width / 2, size / 2)
    radius = size / 2 - 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar" viewBox="0 0 {width} {size}" '
        f'width="{width}" height="{size}" role="img" aria-labelledby="radar-title radar-desc">',
        f'<title id="radar-title">{escape(title)}</title>',
        '<desc id="radar-desc">'
        + escape(
            "; ".join(
                f"{axis.label}: {axis.score if axis.score is not None else _('not applicable')}"
                + (f" ({_('previous')}: {axis.previous})" if axis.previous is not None else "")
                + (f" ({_('peers')}: {axis.peers})" if axis.peers is not None else "")
                for axis in axes
            )
        )
        + "</desc>",
    ]
    if embedded_style:
        parts.append(f"<style>{STYLE}</style>")
    for level in range(1, MAX_LEVEL + 1):
        parts.append(_polygon(center, radius, [level] * count, "grid"))
    for index, axis in enumerate(axes):
        x, y = _point(center, radius, index, count, MAX_LEVEL)
        parts.append(f'<line class="spoke" x1="{center[0]:.1f}" y1="{center[1]:.1f}" x2="{x:.1f}" y2="{y:.1f}"/>')
        lx, ly = _point(center, radius + 16, index, count, MAX_LEVEL)
        ly += 4  # vertical centring of the 12px text on its anchor point
        anchor = "middle" if abs(lx - center[0]) < 10 else ("start" if lx > center[0] else "end")
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{escape(axis.label)}</text>')
    if any(axis.peers is not None for axis in axes):
        parts.append(_polygon(center, radius, [axis.peers for axis in axes], "peers"))
    if any(axis.previous is not None for axis in axes):
        parts.append(_polygon(center, radius, [axis.previous for axis in axes], "previous"))
    parts.append(_polygon(center, radius, [axis.score for axis in axes], "current"))
    parts.append("</svg>")
    return mark_safe("".join(parts))


# The radar writes each axis title on one line beside its spoke; titles are cut to the room there is
# (the data table gives them in full). Geometry of `radar_svg` at its default size: a drawing 420
# high and 740 wide, labels anchored 186 from the centre; DejaVu Sans at 12px is about 6.6 wide per character.
RADAR_HALF_WIDTH, RADAR_LABEL_RADIUS, RADAR_CHARACTER_WIDTH = 370, 186, 6.6
RADAR_LABEL_MAX = 60
DANGLING_WORDS = {"et", "de", "des", "du", "la", "le", "les", "à", "and", "of", "the", "to", "in"}


def radar_label_room(index, count):
    """How many characters fit beside the `index`-th of `count` spokes of the radar."""
    dx = abs(RADAR_LABEL_RADIUS * math.cos(-math.pi / 2 + 2 * math.pi * index / count))
    if dx < 10:  # centred above or below the chart
        return RADAR_LABEL_MAX
    return min(RADAR_LABEL_MAX, int((RADAR_HALF_WIDTH - dx) / RADAR_CHARACTER_WIDTH))


def short_label(title, length):
    """The title cut at a word boundary to fit `length` characters, with an ellipsis when cut."""
    if len(title) <= length:
        return title
    words = title[: length - 1].split(" ")
    if title[length - 1] != " ":
        words = words[:-1]  # the last word was cut
    while len(words) > 1 and words[-1].lower().rstrip(",;:-–") in DANGLING_WORDS:
        words = words[:-1]
    return " ".join(words).rstrip(" ,;:-–") + "…"
