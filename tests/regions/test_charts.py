"""The dashboard's charts: readable with one month of data, a key without stray characters, and each
chart with a table of its figures for screen readers."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from regions.charts import burn_chart
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def month(year, number, budget, committed, spent):
    return {
        "month": date(year, number, 1),
        "budget": Decimal(budget),
        "committed": Decimal(committed),
        "spent": Decimal(spent),
    }


def test_one_month_draws_its_levels_across_the_whole_chart():
    chart = burn_chart([month(2026, 3, 100000, 40000, 7500)], width=640, pad=36)
    xs = [float(pair.split(",")[0]) for pair in chart.committed.split()]
    assert xs == [36.0, 604.0]


def test_one_month_puts_its_dots_and_label_in_the_middle():
    chart = burn_chart([month(2026, 3, 100000, 40000, 7500)], width=640)
    assert {marker["x"] for marker in chart.markers} == {320.0}
    assert [label["x"] for label in chart.labels] == [320.0]


def test_each_month_of_each_line_has_a_dot():
    chart = burn_chart([month(2026, m, 100000, 1000 * m, 100 * m) for m in range(1, 7)])
    assert len(chart.markers) == 6 * 3


def test_the_key_of_the_burn_chart_has_no_stray_dashes(client, officer):
    programme = ProgrammeFactory(budget=Decimal("100000"), cap_per_company=Decimal("30000"))
    EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("10000"))
    client.force_login(officer)
    page = client.get(reverse("regions:dashboard")).content.decode()
    assert 'id="burn-title"' in page
    assert "- -" not in page and "--" not in page.split('id="burn-title"')[1].split("</section>")[0]


def test_the_burn_chart_has_a_table_of_its_figures(client, officer):
    programme = ProgrammeFactory(budget=Decimal("100000"), cap_per_company=Decimal("30000"))
    EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("10000"))
    client.force_login(officer)
    section = client.get(reverse("regions:dashboard")).content.decode().split('id="burn-title"')[1]
    assert "<caption" in section.split("</section>")[0]


def test_the_national_map_has_a_table_of_its_figures(client, staff):
    client.force_login(staff)
    section = client.get(reverse("regions:national")).content.decode().split('id="map-title"')[1]
    assert "<caption" in section.split("</section>")[0]
