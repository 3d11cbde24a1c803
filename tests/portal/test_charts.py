"""The SVG charts of portal.charts: images with a title and a description, figures localised, coordinates
never localised, readable with one point and with many."""

import re
from decimal import Decimal

from django.utils import translation

from portal.charts import Bar, Point, bar_chart_svg, diverging_bar_chart_svg, line_chart_svg


def coordinates(svg, attribute):
    return [float(value) for value in re.findall(rf'\b{attribute}="(-?[\d.]+)"', svg)]


def test_a_chart_is_an_image_named_by_its_title_and_description():
    svg = bar_chart_svg([Bar("Inscrites", 3, "3")], chart_id="f", title="Entonnoir", description="Nombre")
    assert 'role="img"' in svg and 'aria-labelledby="f-title f-desc"' in svg
    assert '<title id="f-title">Entonnoir</title>' in svg and '<desc id="f-desc">Nombre</desc>' in svg


def test_labels_are_escaped():
    svg = bar_chart_svg([Bar("<b>R&D</b>", 1, "1")], chart_id="f", title="t", description="d")
    assert "<b>" not in svg and "&lt;b&gt;R&amp;D&lt;/b&gt;" in svg


def test_bars_are_proportional_to_the_values_and_a_zero_still_shows():
    bars = [Bar("a", 10, "10"), Bar("b", 5, "5"), Bar("c", 0, "0")]
    widths = coordinates(bar_chart_svg(bars, chart_id="f", title="t", description="d", width=420), "width")[1:]
    assert widths[0] == 2 * widths[1]
    assert 0 < widths[2] <= 2


def test_a_withheld_bar_has_its_label_and_no_rectangle():
    svg = bar_chart_svg([Bar("a", 4, "4"), Bar("b", None, "retenu")], chart_id="f", title="t", description="d")
    assert svg.count("<rect") == 1 and "retenu" in svg


def test_the_diverging_chart_draws_positive_values_right_of_zero_and_negative_left():
    bars = [Bar("plus", Decimal("0.5"), "+0,50"), Bar("moins", Decimal("-1"), "-1,00")]
    svg = diverging_bar_chart_svg(bars, chart_id="c", title="t", description="d", width=420)
    rectangles = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    (right_x, right_width), (left_x, left_width) = [(float(x), float(w)) for x, w in rectangles]
    assert right_x == 210 and left_x + left_width == 210
    assert left_width == 2 * right_width


def test_a_line_of_one_point_is_drawn_in_the_middle_with_its_figure():
    svg = line_chart_svg([Point("T1 2026", Decimal("2.5"))], chart_id="m", title="t", description="d", width=420)
    (cx,) = coordinates(svg, "cx")
    assert cx == 28 + (420 - 28 - 20) / 2
    assert "<polyline" not in svg


def test_the_figures_are_localised_and_the_coordinates_are_not():
    with translation.override("fr"):
        svg = line_chart_svg(
            [Point("a", Decimal("2.03")), Point("b", Decimal("3.5"))], chart_id="m", title="t", description="d"
        )
    assert ">2,03<" in svg and ">3,50<" in svg
    assert re.search(r'points="\d+\.\d,\d+\.\d \d+\.\d,\d+\.\d"', svg)


def test_a_missing_value_breaks_the_line():
    points = [Point("a", Decimal("1")), Point("b", Decimal("2")), Point("c", None), Point("d", Decimal("3"))]
    svg = line_chart_svg(points, chart_id="m", title="t", description="d")
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3


def test_a_long_series_keeps_a_few_time_labels_and_drops_the_figures_on_the_dots():
    points = [Point(f"P{index}", Decimal("2")) for index in range(40)]
    svg = line_chart_svg(points, chart_id="m", title="t", description="d")
    labels = re.findall(r">(P\d+)<", svg)
    assert 2 <= len(labels) <= 9 and labels[-1] == "P39"
    assert ">2,00<" not in svg and ">2.00<" not in svg
