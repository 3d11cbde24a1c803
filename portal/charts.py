"""Small charts drawn on the server as SVG, for every app: bars (a funnel), a line over time (maturity)
and bars either side of zero (a calibration gap).

No JavaScript, no external file and no style element (the Content-Security-Policy refuses inline
styles): colours and sizes are SVG presentation attributes, so a chart looks the same on a page and in
WeasyPrint. Each chart is an image with a title and a description (`role="img"`); the page puts the
figures in a table beside it. Coordinates are written with a decimal point whatever the language;
the figures drawn as text are localised (`number_format`).

The drawings are narrow (about 420 units wide) with large text, so that, scaled to a phone's width,
the text stays readable; a long series keeps one label every few points.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.templatetags.french import french_typography

BLUE, ORANGE, GREY, INK, RULE = "#000091", "#a94600", "#3a3a3a", "#161616", "#929292"
FONT = 14  # units; on a 390 px phone the drawing is scaled by about 0.85
MAX_LABELS = 8  # on the time axis: beyond, one label every few points


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal | None  # None: withheld or unknown, drawn as a label without a bar
    text: str  # the figure written beside the bar, already localised ("12 (40 %)", "+0,42", "retenu")


@dataclass(frozen=True)
class Point:
    label: str  # on the time axis ("T1 2026", "12/03/2026")
    value: Decimal | None  # None: no figure for this point (a gap in the line)


def _words(text):
    """The text escaped, with French spacing before : ; ! ? in French (as the templates' `typo`)."""
    text = str(text)
    return escape(french_typography(text) if (get_language() or "").startswith("fr") else text)


def _open(chart_id, width, height, title, description):
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-size="{FONT}" fill="{INK}">',
        f'<title id="{chart_id}-title">{_words(title)}</title>',
        f'<desc id="{chart_id}-desc">{_words(description)}</desc>',
    ]


def _text(x, y, content, *, anchor="start", **attributes):
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{_words(content)}</text>'


def bar_chart_svg(bars, *, chart_id, title, description, width=420, colour=BLUE):
    """Horizontal bars from zero, one a row, the label above its bar and the figure at its end: a
    funnel reads top to bottom. A zero draws a hairline, so that an empty step still shows."""
    row, bar_height, room_for_text = 48, 20, 110
    height = row * len(bars) + 4
    top = max((float(bar.value) for bar in bars if bar.value is not None), default=0) or 1
    parts = _open(chart_id, width, height, title, description)
    for index, bar in enumerate(bars):
        y = index * row
        parts.append(_text(0, y + FONT + 2, bar.label))
        if bar.value is None:
            parts.append(_text(0, y + FONT + 4 + bar_height, bar.text, fill=GREY, font_style="italic"))
            continue
        length = max(2.0, float(bar.value) / top * (width - room_for_text))
        parts.append(
            f'<rect x="0" y="{y + FONT + 6}" width="{length:.1f}" height="{bar_height}" rx="2" fill="{colour}"/>'
        )
        parts.append(_text(length + 6, y + FONT + 6 + bar_height - 5, bar.text, font_weight="700"))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def diverging_bar_chart_svg(bars, *, chart_id, title, description, width=420, positive=ORANGE, negative=BLUE):
    """Bars either side of a zero line in the middle, one a row with its label above: positive values
    to the right, negative to the left, in two colours (the figure beside each bar carries its sign,
    so the colour is never the only cue). The scale is at least one unit each side."""
    row, bar_height = 48, 20
    height = row * len(bars) + 4
    reach = max([abs(float(bar.value)) for bar in bars if bar.value is not None] + [1.0])
    middle, half = width / 2, width / 2 - 64  # room for the figure beyond the longest bar
    parts = _open(chart_id, width, height, title, description)
    parts.append(f'<line x1="{middle:.1f}" y1="0" x2="{middle:.1f}" y2="{height}" stroke="{RULE}" stroke-width="1"/>')
    for index, bar in enumerate(bars):
        y = index * row
        parts.append(_text(0, y + FONT + 2, bar.label))
        bar_top, baseline = y + FONT + 6, y + FONT + 6 + bar_height - 5
        if bar.value is None:
            parts.append(_text(middle + 6, baseline, bar.text, fill=GREY, font_style="italic"))
            continue
        length = max(2.0, abs(float(bar.value)) / reach * half)
        if bar.value >= 0:
            parts.append(
                f'<rect x="{middle:.1f}" y="{bar_top}" width="{length:.1f}" height="{bar_height}" fill="{positive}"/>'
            )
            parts.append(_text(middle + length + 6, baseline, bar.text, font_weight="700"))
        else:
            parts.append(
                f'<rect x="{middle - length:.1f}" y="{bar_top}" width="{length:.1f}" height="{bar_height}" '
                f'fill="{negative}"/>'
            )
            parts.append(_text(middle - length - 6, baseline, bar.text, anchor="end", font_weight="700"))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart_svg(points, *, chart_id, title, description, top=5, width=420, height=240, colour=BLUE):
    """A line through the points on a scale from 0 to `top`, a dot and its figure on each point (the
    figures only while they do not crowd), gaps where a point has no value. One point is drawn in the
    middle; a long series labels one point in every few on the time axis."""
    left, right, above, below = 28, 20, 24, 34
    inner_width, inner_height = width - left - right, height - above - below
    count = len(points)

    def x_of(index):
        return left + inner_width / 2 if count == 1 else left + index * inner_width / (count - 1)

    def y_of(value):
        return above + inner_height * (1 - float(value) / top)

    parts = _open(chart_id, width, height, title, description)
    for level in range(top + 1):
        y = y_of(level)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{RULE}" '
            f'stroke-width="{1 if level == 0 else 0.5}"/>'
        )
        parts.append(_text(left - 8, y + 5, number_format(level), anchor="end", fill=GREY))
    segment = []
    segments = [segment]
    for index, point in enumerate(points):
        if point.value is None:
            segment = []
            segments.append(segment)
        else:
            segment.append(f"{x_of(index):.1f},{y_of(point.value):.1f}")
    for line in segments:
        if len(line) > 1:
            parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="{colour}" stroke-width="3"/>')
    # One label every `every` points, so that labels never touch: about 0.6 of the font size per character.
    label_room = max((len(point.label) for point in points), default=0) * FONT * 0.6 + FONT
    step = inner_width / max(1, count - 1)
    every = max(1, -(-count // MAX_LABELS), math.ceil(label_room / step))
    for index, point in enumerate(points):
        x = x_of(index)
        last = index == count - 1
        # The last point is always labelled (aligned on its end), the ones before it only with room.
        if last or (index % every == 0 and (count - 1 - index) * step >= label_room * 1.5):
            # The end labels align on their point, inside the drawing.
            anchor = "middle" if count == 1 else "start" if index == 0 else "end" if last else "middle"
            parts.append(_text(x, height - 10, point.label, anchor=anchor))
        if point.value is None:
            continue
        y = y_of(point.value)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>')
        if count <= MAX_LABELS:
            # The end figures lean inwards, clear of the scale on the left and of the edge on the right.
            anchor = "middle" if count == 1 or 0 < index < count - 1 else "start" if index == 0 else "end"
            shift = {"start": -6, "end": 6}.get(anchor, 0)
            parts.append(_text(x + shift, y - 10, number_format(point.value, 2), anchor=anchor, font_weight="700"))
    parts.append("</svg>")
    return mark_safe("".join(parts))
