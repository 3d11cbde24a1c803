"""The dashboard: figures that match the ledger, sums in SQL with a bounded number of queries, filters,
and CSV / XLSX exports with the same rows as the page."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.models import NafCode, Region
from regions import services
from regions.models import Enrolment
from tests.portal.factories import OwnerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, SubmittedDiagnosticFactory, an_officer, book

pytestmark = pytest.mark.django_db


def populate(programmes=2, per_programme=3, region_code="53"):
    """Programmes with enrolments in every status, expenses and a cancelled one."""
    region = Region.objects.get(code=region_code)
    statuses = ["applied", "under_review", "accepted", "in_progress", "completed", "refused", "withdrawn"]
    made = []
    for p in range(programmes):
        programme = ProgrammeFactory(
            region=region, budget=Decimal("200000"), cap_per_company=Decimal("20000"), target_companies=5
        )
        for i in range(per_programme):
            status = statuses[(p + i) % len(statuses)]
            company = OwnerFactory(
                company__region=region,
                company__headcount_band=["1-9", "10-49", "50-249"][i % 3],
                company__naf_division=NafCode.objects.get(code=["10", "25", "28"][i % 3]),
            ).company
            committed = Decimal("10000") + i
            enrolment = EnrolmentFactory(programme=programme, company=company, status=status, committed=committed)
            if status == "in_progress":
                book(enrolment, Decimal("1000"))
                services.cancel_expense(expense=book(enrolment, Decimal("50")), by=None, reason="Erreur")
            made.append(enrolment)
    return made


def test_dashboard_figures_match_the_ledger(client, officer):
    programme = ProgrammeFactory(budget=Decimal("100000"), cap_per_company=Decimal("30000"), target_companies=4)
    accepted = EnrolmentFactory(programme=programme, status="in_progress", committed=Decimal("30000"))
    book(accepted, Decimal("7500"))
    EnrolmentFactory(programme=programme, status="accepted", committed=Decimal("10000"))
    EnrolmentFactory(programme=programme, status="applied")
    client.force_login(officer)
    board = client.get(reverse("regions:dashboard")).context["board"]
    assert board.totals["budget"] == Decimal("100000")
    assert board.totals["committed"] == Decimal("40000")
    assert board.totals["spent"] == Decimal("7500")
    assert board.totals["remaining"] == Decimal("60000")
    row = board.programmes[0]
    assert (row.n_enrolled, row.progress, row.budget_use, row.n_applied) == (2, 50, 40, 1)
    assert {step["status"]: step["count"] for step in board.funnel}["accepted"] == 1
    assert board.burn[-1]["committed"] == Decimal("40000") and board.burn[-1]["spent"] == Decimal("7500")
    assert services.reconcile().ok


def test_dashboard_runs_a_bounded_number_of_queries(client, officer, staff, django_assert_max_num_queries):
    populate(programmes=1, per_programme=2)
    client.force_login(officer)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("regions:dashboard"))
    populate(programmes=4, per_programme=12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("regions:dashboard"))
    assert response.context["page"].paginator.count == 50
    client.force_login(staff)
    # The national view adds the regions' map (two queries) and the calibration gap (two: the axes, the reviews).
    with django_assert_max_num_queries(len(small.captured_queries) + 4):
        client.get(reverse("regions:national"))


def test_programme_and_list_pages_run_a_bounded_number_of_queries(
    client, officer, owner, django_assert_max_num_queries
):
    made = populate(programmes=1, per_programme=10)
    programme = made[0].programme
    client.force_login(officer)
    for url in [reverse("regions:my_region"), reverse("regions:programme_detail", args=[programme.pk])]:
        with django_assert_max_num_queries(14):
            client.get(url)
    with django_assert_max_num_queries(20):
        client.get(reverse("regions:enrolment_detail", args=[made[3].pk]))
    client.force_login(owner)
    for _ in range(6):
        ProgrammeFactory(eligible_naf_codes=["C"], eligible_headcount_bands=["10-49"])
    for url in [reverse("regions:company_programmes"), reverse("regions:my_applications")]:
        with django_assert_max_num_queries(12):
            client.get(url)


def test_filters_select_the_enrolments(client, officer):
    made = populate(programmes=2, per_programme=6)
    client.force_login(officer)
    url = reverse("regions:dashboard")
    board = client.get(url, {"status": "accepted"}).context["board"]
    assert {e.status for e in board.enrolments} == {"accepted"}
    board = client.get(url, {"size": "50-249"}).context["board"]
    assert {e.company.headcount_band for e in board.enrolments} == {"50-249"}
    board = client.get(url, {"programme": made[0].programme_id}).context["board"]
    assert {e.programme_id for e in board.enrolments} == {made[0].programme_id}
    assert board.totals["count"] == 1
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert client.get(url, {"applied_from": tomorrow}).context["page"].paginator.count == 0


def test_maturity_gain_per_10000_eur(client, officer):
    programme = ProgrammeFactory()
    company = OwnerFactory().company
    entry = SubmittedDiagnosticFactory(company=company, overall_score=Decimal("2.00"))
    entry.submitted_at = timezone.now() - timedelta(days=200)
    entry.save()
    enrolment = EnrolmentFactory(programme=programme, company=company, status="in_progress", committed=Decimal("8000"))
    assert enrolment.diagnostic == entry
    book(enrolment, Decimal("5000"))
    SubmittedDiagnosticFactory(company=company, overall_score=Decimal("3.00"))
    client.force_login(officer)
    maturity = client.get(reverse("regions:dashboard")).context["board"].maturity
    assert maturity["entry_average"] == pytest.approx(2.0)
    assert maturity["reassessed"] == 1
    assert maturity["gain_per_10k"] == Decimal("2.00")


def test_national_view_shows_every_region_on_the_map(client, staff):
    populate(programmes=1, per_programme=3)
    populate(programmes=1, per_programme=2, region_code="11")
    client.force_login(staff)
    response = client.get(reverse("regions:national"))
    tiles = response.context["tiles"]
    assert len(tiles) == Region.objects.count() == 18
    assert response.context["board"].totals["count"] == 2


def _page_ids(client, params):
    response = client.get(reverse("regions:dashboard"), {**params, "page": 1})
    ids = []
    paginator = response.context["page"].paginator
    for number in paginator.page_range:
        ids += [e.pk for e in paginator.page(number)]
    return sorted(ids)


@pytest.mark.parametrize("params", [{}, {"status": "in_progress"}, {"size": "10-49"}, {"sector": "C"}])
def test_exports_have_the_same_rows_as_the_page(client, officer, params):
    populate(programmes=2, per_programme=7)
    populate(programmes=1, per_programme=3, region_code="11")  # another region's, never exported
    client.force_login(officer)
    if "sector" in params:
        params = {"sector": NafCode.objects.get(code="C").pk}
    expected = _page_ids(client, params)

    response = client.get(reverse("regions:export", args=["candidatures", "csv"]), params)
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert sorted(int(row[0]) for row in rows[1:]) == expected

    response = client.get(reverse("regions:export", args=["candidatures", "xlsx"]), params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert sorted(row[0] for row in values[1:]) == expected
    assert isinstance(values[1][10], (int, float))  # amounts are numbers in the spreadsheet

    expenses = client.get(reverse("regions:export", args=["depenses", "csv"]), params)
    rows = list(csv.reader(io.StringIO(b"".join(expenses.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert {int(row[1]) for row in rows[1:]} <= set(expected)
    assert all(Enrolment.objects.get(pk=int(row[1])).programme.region.code == "53" for row in rows[1:])


@pytest.mark.parametrize(("role", "expected"), [("owner", 403), ("expert", 403), ("plain_user", 403), ("staff", 200)])
def test_exports_are_for_officers_and_staff(client, request, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("regions:export", args=["candidatures", "csv"])).status_code == expected


def test_exported_text_cannot_run_as_a_formula(client, officer):
    programme = ProgrammeFactory(name='=HYPERLINK("http://evil")')
    EnrolmentFactory(programme=programme)
    client.force_login(officer)
    text = b"".join(client.get(reverse("regions:export", args=["candidatures", "csv"])).streaming_content).decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in text
    workbook = load_workbook(io.BytesIO(client.get(reverse("regions:export", args=["candidatures", "xlsx"])).content))
    cell = workbook.active.cell(row=2, column=2)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://evil")', "s", True)


def test_other_officer_exports_nothing_of_this_region(client):
    populate(programmes=1, per_programme=3)
    client.force_login(an_officer(Region.objects.get(code="11")))
    text = b"".join(client.get(reverse("regions:export", args=["candidatures", "csv"])).streaming_content).decode(
        "utf-8-sig"
    )
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == 1


def test_an_exported_application_row_names_its_programme_region_company_and_status(client, officer):
    programme = ProgrammeFactory(name="Industrie du Futur 2026")
    enrolment = EnrolmentFactory(programme=programme)
    company = enrolment.company
    client.force_login(officer)
    text = b"".join(client.get(reverse("regions:export", args=["candidatures", "csv"])).streaming_content).decode(
        "utf-8-sig"
    )
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    division = company.naf_division
    assert row[:9] == [
        str(enrolment.pk),
        "Industrie du Futur 2026",
        programme.region.label_fr,
        company.name,
        company.siret,
        division.code,
        division.section.code if division.section_id else "",
        company.headcount_band,
        str(enrolment.get_status_display()),
    ]
    assert row[9] == f"{enrolment.requested_amount:.2f}".replace(".", ",")
