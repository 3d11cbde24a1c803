import re
from decimal import Decimal
from pathlib import Path

import pytest

from diagnostics.radar import STYLE, RadarAxis, radar_svg

ROOT = Path(__file__).resolve().parents[2]


def axes(scores, previous=None):
    previous = previous or [None] * len(scores)
    return [RadarAxis(f"Axe {i}", Decimal(s), p) for i, (s, p) in enumerate(zip(scores, previous, strict=True))]


def test_radar_describes_every_axis_for_screen_readers():
    svg = radar_svg(axes([1, 2, 3]), title="Maturité")
    assert 'role="img"' in svg
    assert '<title id="radar-title">Maturité</title>' in svg
    assert "Axe 0: 1; Axe 1: 2; Axe 2: 3" in svg


def test_labels_are_escaped():
    svg = radar_svg(
        [RadarAxis("<script>", Decimal(1)), RadarAxis("b", Decimal(1)), RadarAxis("c", Decimal(1))], title="t"
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_previous_diagnostic_is_drawn_as_a_second_outline():
    assert 'class="previous"' not in radar_svg(axes([1, 2, 3]), title="t")
    assert 'class="previous"' in radar_svg(axes([1, 2, 3], previous=[Decimal(1), Decimal(1), Decimal(1)]), title="t")


def test_a_full_score_reaches_the_outer_ring():
    svg = radar_svg(axes([5, 5, 5, 5]), title="t")
    outer_ring = re.findall(r'class="grid" points="([^"]+)"', svg)[-1]
    current = re.search(r'class="current" points="([^"]+)"', svg).group(1)
    assert current == outer_ring


def test_fewer_than_three_axes_is_refused():
    with pytest.raises(ValueError):
        radar_svg(axes([1, 2]), title="t")


def test_a_radar_for_a_page_carries_no_style_element():
    """The Content-Security-Policy refuses inline styles: the page's stylesheet draws it."""
    assert "<style" not in radar_svg(axes([1, 2, 3]), title="t")


def test_a_radar_for_the_pdf_carries_its_style():
    """WeasyPrint styles an inline SVG only from its own <style>."""
    assert f"<style>{STYLE}</style>" in radar_svg(axes([1, 2, 3]), title="t", embedded_style=True)


def test_the_page_stylesheet_has_the_rules_the_pdf_embeds():
    stylesheet = re.sub(r"\s+", "", (ROOT / "static" / "css" / "portal.css").read_text(encoding="utf-8"))
    rules = [rule + "}" for rule in STYLE.split("}") if rule]
    assert len(rules) == 6
    for rule in rules:
        assert re.sub(r"\s+", "", rule).replace(";}", "}") in stylesheet.replace(";}", "}"), rule
