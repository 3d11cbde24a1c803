import re
from decimal import Decimal

import pytest

from diagnostics.radar import RadarAxis, radar_svg


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
