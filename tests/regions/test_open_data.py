"""Open data: the nightly aggregates under statistical secrecy, within a release and between two."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal.models import Region
from regions.models import OpenDataRelease
from regions.opendata.release import publish_release
from regions.opendata.secrecy import MIN_COMPANIES, changed_companies, decide, decide_release
from regions.tasks import publish_open_data
from tests.portal.factories import CompanyFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, SubmittedDiagnosticFactory

# --- the rules, on plain contributions (pure) --------------------------------------------------------


def cell(first, count, value="2.00"):
    return {str(first + n): (value,) for n in range(count)}


def test_a_figure_of_five_companies_is_published():
    published, total = decide({"A": cell(0, 5), "B": cell(10, 6)}, money=False)
    assert published == {"A", "B"} and total


def test_the_secret_cells_together_hold_five_companies_or_none():
    """A (4 companies) is secret; alone it would be total − B − C: the smallest published cell (B) is hidden too."""
    published, total = decide({"A": cell(0, 4), "B": cell(10, 5), "C": cell(20, 6)}, money=False)
    assert published == {"C"} and total


def test_nothing_is_published_below_five_companies_in_all():
    assert decide({"A": cell(0, 2), "B": cell(10, 2)}, money=False) == (frozenset(), False)


def test_a_sum_of_money_one_company_dominates_is_secret_and_so_is_the_remainder_it_dominates():
    """In A one company holds 30,000 of 35,000 EUR (86 %): A is secret. Secret alone, A would be the
    remainder, dominated too: C (the smaller published cell) is hidden with it (30,000 of 39,500: 76 %)."""
    dominated = {str(n): ("1000.00", "0.00") for n in range(5)} | {"99": ("30000.00", "0.00")}
    even = {str(100 + n): ("1000.00", "500.00") for n in range(6)}
    small = {str(200 + n): ("900.00", "10.00") for n in range(5)}
    published, total = decide({"A": dominated, "B": even, "C": small}, money=True)
    assert published == {"B"} and total


def test_one_new_company_keeps_the_previous_figures():
    first = decide_release({"A": cell(0, 6), "B": cell(10, 7)}, money=False)
    second = decide_release({"A": cell(0, 7), "B": cell(10, 7)}, money=False, previous=first)
    assert not second.refreshed and second.cells == first.cells


def test_five_new_companies_in_a_cell_refresh_the_table():
    first = decide_release({"A": cell(0, 6), "B": cell(10, 7)}, money=False)
    second = decide_release({"A": cell(0, 11), "B": cell(10, 7)}, money=False, previous=first)
    assert second.refreshed and second.published == {"A", "B"}


def test_a_changed_score_counts_as_a_change():
    first = decide_release({"A": cell(0, 6)}, money=False)
    changed = cell(0, 6) | {"0": ("4.50",)}
    assert not decide_release({"A": changed}, money=False, previous=first).refreshed


def test_a_secret_cell_that_grows_is_not_shown_when_its_former_members_would_be_recovered():
    """C held 2 companies, secret with A. Five arrive in C: showing C would let total₁ − A − C₁ … give C's
    first two companies by subtracting the two releases' secret remainders; the table waits."""
    first = decide_release({"A": cell(0, 6), "C": cell(20, 2)}, money=False)
    assert first.published == set()
    second = decide_release({"A": cell(0, 6), "C": cell(20, 7)}, money=False, previous=first)
    assert not second.refreshed


populations = st.dictionaries(
    st.integers(0, 59),
    st.tuples(st.sampled_from("ABCD"), st.sampled_from(["1.00", "2.00", "3.50"])),
    min_size=0,
    max_size=40,
)


def _cells(population):
    cells = {}
    for company, (key, value) in population.items():
        cells.setdefault(key, {})[str(company)] = (value,)
    return cells


def _members(cells, keys):
    merged = {}
    for key in keys:
        merged.update(cells.get(key, {}))
    return merged


@hypothesis_settings(max_examples=300, deadline=None)
@given(populations, populations, populations)
def test_differencing_two_releases_reveals_no_company(first_population, changes, third_population):
    """Over random populations and changes: within each release the published cells and the secret
    remainder hold 0 or 5+ companies; between two consecutive releases every published figure, the total
    and the secret remainder changed by 0 or 5+ companies."""
    second_population = {**first_population, **changes}
    releases = []
    previous = None
    for population in (first_population, second_population, {**second_population, **third_population}):
        previous = decide_release(_cells(population), money=False, previous=previous)
        releases.append(previous)
    for release in releases:
        for key in release.published:
            assert len(release.cells[key]) >= MIN_COMPANIES
        hidden = _members(release.cells, set(release.cells) - release.published)
        assert len(hidden) == 0 or len(hidden) >= MIN_COMPANIES or not release.total_published
    for before, after in zip(releases, releases[1:], strict=False):
        if not after.refreshed:
            assert after.cells == before.cells and after.published == before.published
            continue
        for key in before.published & after.published:
            moved = changed_companies(before.cells.get(key, {}), after.cells.get(key, {}))
            assert len(moved) == 0 or len(moved) >= MIN_COMPANIES
        if before.total_published and after.total_published:
            moved = changed_companies(_members(before.cells, before.cells), _members(after.cells, after.cells))
            assert len(moved) == 0 or len(moved) >= MIN_COMPANIES
            secret_before = _members(before.cells, set(before.cells) - before.published)
            secret_after = _members(after.cells, set(after.cells) - after.published)
            moved = changed_companies(secret_before, secret_after)
            assert len(moved) == 0 or len(moved) >= MIN_COMPANIES


# --- the nightly release and the public files --------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def latest(region_code, count, score="2.00"):
    """`count` companies of a region, each with a latest submitted diagnostic scoring `score`."""
    region = Region.objects.get(code=region_code)
    return [
        SubmittedDiagnosticFactory(company=CompanyFactory(region=region), overall_score=Decimal(score))
        for _ in range(count)
    ]


def cells_of(release, table):
    return {cell["cell"]: cell for cell in release.document["tables"][table]["cells"]}


@pytestmark_db
def test_the_release_publishes_cells_of_five_companies_and_hides_the_rest():
    latest("53", 6, "2.00")
    latest("84", 5, "3.00")
    latest("11", 2, "4.00")
    release = publish_release()
    regions = cells_of(release, "maturity_by_region")
    assert regions["53"]["companies"] == 6 and regions["53"]["mean_score"] == "2.00"
    assert regions["11"] == {
        "cell": "11",
        "label_fr": regions["11"]["label_fr"],
        "label_en": regions["11"]["label_en"],
        "secret": True,
    }
    # 2 companies secret alone would be total − 53 − 84: the smaller published region is hidden too.
    assert regions["84"].get("secret") is True
    assert release.document["tables"]["maturity_by_region"]["total"]["companies"] == 13
    assert regions["94"]["companies"] == 0


@pytestmark_db
def test_one_more_company_leaves_the_published_figures_unchanged_and_dated():
    latest("53", 6)
    latest("84", 6)
    first = publish_release(now=timezone.now() - timedelta(days=1))
    latest("53", 1, "5.00")
    second = publish_release()
    assert second.document["tables"]["maturity_by_region"] == first.document["tables"]["maturity_by_region"]
    latest("53", 4, "5.00")
    third = publish_release()
    table = third.document["tables"]["maturity_by_region"]
    assert table["as_of"] == third.document["published_at"]
    assert cells_of(third, "maturity_by_region")["53"]["companies"] == 11


@pytestmark_db
def test_only_the_latest_release_keeps_the_company_level_state():
    latest("53", 6)
    publish_release(now=timezone.now() - timedelta(days=1))
    publish_release()
    assert list(OpenDataRelease.objects.order_by("published_at").values_list("state", flat=True))[0] is None
    assert OpenDataRelease.objects.order_by("-published_at").first().state is not None


@pytestmark_db
def test_the_money_table_sums_committed_and_paid_by_region():
    programme = ProgrammeFactory(budget=Decimal("1000000"))
    for _ in range(5):
        EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("4000"))
    release = publish_release()
    bretagne = cells_of(release, "money_by_region")["53"]
    assert bretagne == {**bretagne, "companies": 5, "committed_eur": "20000.00", "paid_eur": "0.00"}


@pytestmark_db
def test_the_files_are_public_json_and_csv(client):
    assert client.get(reverse("regions:open_data_file", args=["json"])).status_code == 404
    latest("53", 6)
    publish_open_data()
    json_response = client.get(reverse("regions:open_data_file", args=["json"]))
    csv_response = client.get(reverse("regions:open_data_file", args=["csv"]))
    assert json_response.status_code == 200 and json_response.json()["licence"]["spdx"] == "etalab-2.0"
    lines = csv_response.content.decode().splitlines()
    assert lines[0].startswith("table,cell,label_fr,label_en,companies")
    assert any(line.startswith("maturity_by_region,53,") and ",6,2.00," in line for line in lines)
    assert client.get(reverse("regions:open_data")).status_code == 200


def test_beat_publishes_the_open_data_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["publish-open-data"]
    assert entry["task"] == publish_open_data.name
