"""The pages of closing for good and of the closing statement, for every role; the tranches on the
programme's form."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import reverse
from openpyxl import load_workbook

from portal.models import Region
from regions import services
from regions.models import BudgetTranche, ClosingStatement, Enrolment, Programme
from regions.services.statements import render_statement
from tests.portal.factories import RegionOfficerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer, book
from tests.storage_support import downloaded, served_status

pytestmark = pytest.mark.django_db
S = Enrolment.Status
ROLES = ["anonymous", "plain_user", "owner", "other_company_member", "expert", "officer", "other_officer", "staff"]
# A programme is found through the officer's region (or staff): anyone else gets a 404 (its existence is not told).
SEES = {"officer": True, "staff": True}


@pytest.fixture
def other_officer(db):
    return RegionOfficerFactory(region=Region.objects.get(code="11")).user


@pytest.fixture
def programme(db):
    return ProgrammeFactory(budget=Decimal("50000"), cap_per_company=Decimal("20000"))


@pytest.fixture
def accepted(programme):
    enrolment = EnrolmentFactory(programme=programme, status=S.IN_PROGRESS, committed=Decimal("12000"))
    book(enrolment, Decimal("2000"))
    return enrolment


@pytest.fixture
def settled(programme, accepted):
    """The programme closed for good, its PDF drawn (the render called here: the test's transaction never commits)."""
    programme = services.settle_programme(programme=programme, by=an_officer(programme.region))
    render_statement(programme.closing_statement.pk)
    return programme


@pytest.fixture
def settled_without_pdf(programme, accepted):
    return services.settle_programme(programme=programme, by=an_officer(programme.region))


def user_for(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


def expected_status(role, allowed):
    if role == "anonymous":
        return 302
    return allowed if SEES.get(role) else 404


# --- closing for good: the confirmation page ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_confirmation_page_is_for_the_region_officers_and_staff(client, request, programme, role):
    user = user_for(request, role)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("regions:programme_settle", args=[programme.pk]))
    assert response.status_code == expected_status(role, 200)
    if role == "anonymous":
        assert REDIRECT_FIELD_NAME in response.url


@pytest.mark.parametrize("role", ROLES)
def test_only_the_region_officers_and_staff_close_for_good(client, request, programme, role):
    user = user_for(request, role)
    if user is not None:
        client.force_login(user)
    response = client.post(reverse("regions:programme_settle", args=[programme.pk]), {"confirm": "on"})
    assert response.status_code == expected_status(role, 302)
    settled = Programme.objects.get(pk=programme.pk).status == Programme.Status.SETTLED
    assert settled == bool(SEES.get(role))


def test_the_confirmation_page_says_what_goes_back(client, officer, programme, accepted, english):
    client.force_login(officer)
    response = client.get(reverse("regions:programme_settle", args=[programme.pk]))
    content = response.content.decode()
    assert accepted.company.name in content
    assert response.context["release_total"] == Decimal("10000")
    assert "10,000 EUR" in content


def test_the_confirmation_page_warns_of_applications_waiting(client, officer, programme, english):
    EnrolmentFactory(programme=programme, status=S.UNDER_REVIEW)
    client.force_login(officer)
    response = client.get(reverse("regions:programme_settle", args=[programme.pk]))
    assert response.context["pending"] == 1
    assert "1 application is still waiting for a decision" in response.content.decode()


def test_closing_without_ticking_the_confirmation_is_refused(client, officer, programme, english):
    client.force_login(officer)
    response = client.post(reverse("regions:programme_settle", args=[programme.pk]), {"comment": "Fin"})
    assert response.status_code == 400
    assert "Tick the box to confirm the closing." in response.content.decode()
    assert Programme.objects.get(pk=programme.pk).status == Programme.Status.OPEN


def test_closing_with_an_application_waiting_shows_the_refusal(client, officer, programme, english):
    EnrolmentFactory(programme=programme, status=S.APPLIED)
    client.force_login(officer)
    response = client.post(reverse("regions:programme_settle", args=[programme.pk]), {"confirm": "on"})
    assert response.status_code == 400
    assert "1 application is still waiting for a decision" in response.content.decode()
    assert Programme.objects.get(pk=programme.pk).status == Programme.Status.OPEN


def test_closing_leads_to_the_statement(client, officer, programme, accepted, django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("regions:programme_settle", args=[programme.pk]), {"confirm": "on"})
    assert response.url == reverse("regions:closing_statement", args=[programme.pk])
    assert ClosingStatement.objects.get(programme=programme).is_ready


def test_the_status_form_sends_closing_for_good_to_its_confirmation(client, officer, programme):
    client.force_login(officer)
    response = client.post(reverse("regions:programme_status", args=[programme.pk]), {"status": "settled"})
    assert response.url == reverse("regions:programme_settle", args=[programme.pk])
    assert Programme.objects.get(pk=programme.pk).status == Programme.Status.OPEN


def test_a_draft_is_not_offered_closing_for_good(client, officer):
    draft = ProgrammeFactory(status=Programme.Status.DRAFT)
    client.force_login(officer)
    response = client.get(reverse("regions:programme_settle", args=[draft.pk]))
    assert response.url == reverse("regions:programme_detail", args=[draft.pk])


def test_reopening_a_settled_programme_from_its_page_is_refused(client, officer, settled, english):
    client.force_login(officer)
    response = client.post(reverse("regions:programme_status", args=[settled.pk]), {"status": "open"}, follow=True)
    assert "cannot be reopened" in response.content.decode()
    assert Programme.objects.get(pk=settled.pk).status == Programme.Status.SETTLED


# --- the statement ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("url_name", "kwargs"),
    [
        ("regions:closing_statement", {}),
        ("regions:closing_statement_pdf", {}),
        ("regions:closing_statement_export", {"fmt": "csv"}),
        ("regions:closing_statement_export", {"fmt": "xlsx"}),
    ],
)
def test_the_statement_is_for_the_region_officers_and_staff(client, request, role, url_name, kwargs):
    settled = request.getfixturevalue("settled" if url_name.endswith("_pdf") else "settled_without_pdf")
    user = user_for(request, role)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(url_name, kwargs={"pk": settled.pk, **kwargs}))
    # The PDF is served from the disk, or through a redirect to a presigned URL of the object store.
    assert served_status(response) == expected_status(role, 200)


def test_a_programme_not_closed_for_good_has_no_statement(client, officer, programme):
    client.force_login(officer)
    assert client.get(reverse("regions:closing_statement", args=[programme.pk])).status_code == 404
    assert client.get(reverse("regions:closing_statement_export", args=[programme.pk, "csv"])).status_code == 404


def test_the_statement_page_shows_the_figures_in_few_queries(
    client, officer, settled, accepted, english, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("regions:closing_statement", args=[settled.pk]))
    content = response.content.decode()
    assert accepted.company.name in content
    assert response.context["statement"].total.released == Decimal("10000")
    assert "Download the PDF" in content


def test_the_pdf_not_drawn_yet_is_a_404_and_the_page_says_so(client, officer, programme, english):
    services.settle_programme(programme=programme, by=officer)  # the render is never enqueued here
    client.force_login(officer)
    assert client.get(reverse("regions:closing_statement_pdf", args=[programme.pk])).status_code == 404
    page = client.get(reverse("regions:closing_statement", args=[programme.pk]))
    assert "The PDF is being drawn" in page.content.decode()


def test_the_pdf_is_downloaded(client, officer, settled):
    client.force_login(officer)
    data, headers = downloaded(client.get(reverse("regions:closing_statement_pdf", args=[settled.pk])))
    assert headers["Content-Type"] == "application/pdf"
    assert data.startswith(b"%PDF")


def test_the_csv_download_follows_the_french_layout(client, officer, settled):
    client.force_login(officer)
    response = client.get(reverse("regions:closing_statement_export", args=[settled.pk, "csv"]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[-1][4] == "12000,00" and rows[-1][8] == "10000,00"


def test_the_csv_download_in_the_standard_layout(client, officer, settled):
    client.force_login(officer)
    response = client.get(
        reverse("regions:closing_statement_export", args=[settled.pk, "csv"]) + "?format=csv-standard"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert rows[-1][4] == "12000.00"


def test_the_xlsx_download(client, officer, settled, english):
    client.force_login(officer)
    response = client.get(reverse("regions:closing_statement_export", args=[settled.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Company" and rows[-1][0] == "Total"
    assert Decimal(str(rows[-1][8])) == Decimal("10000")


# --- the tranches on the programme's form ---------------------------------------------------------------


def programme_data(**overrides):
    return {
        "region": Region.objects.get(code="53").pk,
        "name": "Bretagne Robotique",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "budget": "150000",
        "cap_per_company": "15000",
        "target_companies": "12",
        **overrides,
    }


def test_the_officer_splits_the_budget_by_year(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("regions:programme_create"), programme_data(tranches="2026 : 100 000\n2027 : 50 000,00")
    )
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert dict(BudgetTranche.objects.filter(programme=programme).values_list("year", "amount")) == {
        2026: Decimal("100000"),
        2027: Decimal("50000"),
    }


def test_a_split_that_does_not_add_up_is_refused_on_the_form(client, officer, english):
    client.force_login(officer)
    response = client.post(reverse("regions:programme_create"), programme_data(tranches="2026 : 100000"))
    assert response.status_code == 200
    assert "The yearly tranches add up to 100,000 EUR; the budget is 150,000 EUR." in response.content.decode()
    assert not Programme.objects.exists()


def test_a_split_outside_the_period_is_refused_on_the_form(client, officer, english):
    client.force_login(officer)
    response = client.post(reverse("regions:programme_create"), programme_data(tranches="2026 : 100000\n2029 : 50000"))
    assert "Each year is within the programme&#x27;s period (2026 to 2027)." in response.content.decode()


def test_an_unreadable_split_is_refused_on_the_form(client, officer, english):
    client.force_login(officer)
    response = client.post(reverse("regions:programme_create"), programme_data(tranches="deux mille vingt-six"))
    assert "Write one line per year" in response.content.decode()
    assert not Programme.objects.exists()


def test_the_edit_form_shows_the_split_and_the_page_lists_it(client, officer):
    programme = ProgrammeFactory(
        start_date=date(2026, 1, 1),
        end_date=date(2027, 12, 31),
        budget=Decimal("100000"),
        tranches={2026: Decimal("60000"), 2027: Decimal("40000")},
    )
    client.force_login(officer)
    form = client.get(reverse("regions:programme_edit", args=[programme.pk])).context["form"]
    assert form.initial["tranches"].splitlines()[0].startswith("2026 : 60")
    page = client.get(reverse("regions:programme_detail", args=[programme.pk]))
    assert [tranche.year for tranche in page.context["tranches"]] == [2026, 2027]
