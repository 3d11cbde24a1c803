"""The dashboards' figures are cached under board versions: every service that changes what a board
shows bumps them, so a warm board never shows a figure from before the move; warm boards run fewer
queries, and a cold cache gives the same figures."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from diagnostics.services import submit_diagnostic
from portal.models import Region
from regions import services
from regions.dashboard import board_figures, dashboard_scope, enrolment_filter
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory, answer_all
from tests.portal.factories import OwnerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer, book

pytestmark = pytest.mark.django_db


def board(client, name="regions:dashboard", **params):
    return client.get(reverse(name), params).context["board"]


def funnel(board):
    return {step["status"]: step["count"] for step in board.funnel}


@pytest.fixture
def warm(client, officer):
    """A programme of the officer's region with one application under review, and the officer's board
    read once (its figures now in the cache)."""
    programme = ProgrammeFactory(budget=Decimal("100000"), cap_per_company=Decimal("20000"), target_companies=4)
    enrolment = EnrolmentFactory(programme=programme, status="under_review", requested_amount=Decimal("15000"))
    client.force_login(officer)
    board(client)
    return enrolment


@pytest.mark.parametrize(
    ("move", "status"),
    [
        (
            lambda e, by: services.start_enrolment(
                enrolment=services.accept_enrolment(enrolment=e, amount=Decimal("9000"), by=by), by=by
            ),
            "in_progress",
        ),
        (lambda e, by: services.refuse_enrolment(enrolment=e, reason="Hors périmètre.", by=by), "refused"),
        (lambda e, by: services.send_back_enrolment(enrolment=e, message="Joindre un devis.", by=by), "sent_back"),
        (lambda e, by: services.withdraw_enrolment(enrolment=e, by=by), "withdrawn"),
    ],
    ids=["accept-and-start", "refuse", "send-back", "withdraw"],
)
def test_an_enrolment_move_shows_on_a_warm_board(client, officer, warm, move, status):
    move(warm, officer)
    assert funnel(board(client))[status] == 1
    assert funnel(board(client))["under_review"] == 0


def test_an_application_shows_on_a_warm_board(client, warm):
    EnrolmentFactory(programme=warm.programme)
    assert funnel(board(client))["applied"] == 1


def test_a_resubmitted_application_shows_on_a_warm_board(client, officer, warm):
    services.send_back_enrolment(enrolment=warm, message="Joindre un devis.", by=officer)
    board(client)
    services.resubmit_enrolment(
        enrolment=warm, by=warm.applied_by, requested_amount=Decimal("12000"), motivation="Un devis joint."
    )
    assert funnel(board(client))["applied"] == 1
    assert board(client).selection["requested"] == Decimal("12000")


def test_an_acceptance_shows_its_commitment_on_a_warm_board(client, officer, warm):
    services.accept_enrolment(enrolment=warm, amount=Decimal("9000"), by=officer)
    assert board(client).totals["committed"] == Decimal("9000")
    assert board(client).totals["committed_eur"] == "9\u00a0000 EUR"


def test_a_completion_shows_the_release_on_a_warm_board(client, officer, warm):
    enrolment = services.start_enrolment(
        enrolment=services.accept_enrolment(enrolment=warm, amount=Decimal("9000"), by=officer), by=officer
    )
    book(enrolment, Decimal("2000"))
    assert board(client).totals["committed"] == Decimal("9000")
    services.complete_enrolment(enrolment=enrolment, by=officer)
    assert board(client).totals["committed"] == Decimal("2000")


def test_an_expense_and_its_cancellation_show_on_a_warm_board(client, officer, warm):
    enrolment = services.accept_enrolment(enrolment=warm, amount=Decimal("9000"), by=officer)
    board(client)
    expense = book(enrolment, Decimal("2500"))
    assert board(client).totals["spent"] == Decimal("2500")
    services.cancel_expense(expense=expense, by=officer, reason="Erreur de saisie")
    assert board(client).totals["spent"] == Decimal("0")


def test_a_budget_change_shows_on_a_warm_board(client, officer, warm):
    services.change_budget(programme=warm.programme, budget=Decimal("150000"), by=officer)
    assert board(client).totals["budget"] == Decimal("150000")


def test_a_new_programme_shows_on_a_warm_board(client, officer, warm):
    ProgrammeFactory(region=warm.programme.region, budget=Decimal("50000"))
    assert board(client).totals["count"] == 2


def test_a_programme_edit_shows_on_a_warm_board(client, officer, warm):
    services.update_programme(programme=warm.programme, by=officer, target_companies=8)
    assert board(client).totals["target"] == 8


def test_a_programme_closed_shows_on_a_warm_board(client, officer, warm):
    services.set_programme_status(programme=warm.programme, status="closed", by=officer)
    assert board(client).programmes[0].status == "closed"


def test_a_reassessment_of_an_enrolled_company_shows_on_a_warm_board(
    client, officer, django_capture_on_commit_callbacks
):
    referential = PublishedReferentialFactory(axes=2, questions=2)
    owner = OwnerFactory()

    def submitted(level):
        diagnostic = DiagnosticFactory(company=owner.company, referential=referential, started_by=owner.user)
        answer_all(diagnostic, level=level, by=owner.user)
        with django_capture_on_commit_callbacks(execute=True):
            return submit_diagnostic(diagnostic=diagnostic, by=owner.user)

    submitted(1)
    enrolment = EnrolmentFactory(company=owner.company, status="in_progress", committed=Decimal("8000"))
    book(enrolment, Decimal("5000"))
    client.force_login(officer)
    assert board(client).maturity["reassessed"] == 0
    submitted(3)
    assert board(client).maturity["reassessed"] == 1


def test_the_national_board_follows_every_region(client, staff, warm):
    client.force_login(staff)
    before = board(client, "regions:national").totals["count"]
    ProgrammeFactory(region=Region.objects.get(code="11"))
    assert board(client, "regions:national").totals["count"] == before + 1


def test_another_regions_move_leaves_a_regional_board_warm(client, officer, warm, django_assert_max_num_queries):
    with django_assert_max_num_queries(100) as warm_board:
        board(client)
    warm_board = len(warm_board)
    ProgrammeFactory(region=Region.objects.get(code="11"))
    with django_assert_max_num_queries(warm_board):
        board(client)


def test_a_warm_board_runs_fewer_queries(client, officer, staff, warm, django_assert_max_num_queries):
    cache.clear()
    with django_assert_max_num_queries(20) as cold:
        board(client)
    cold = len(cold)  # (a request resets the connection's log: counted now)
    # Warm: the figures' five queries are gone; the user, the page of applications, the filters' choices remain.
    with django_assert_max_num_queries(cold - 5):
        board(client)
    client.force_login(staff)
    board(client, "regions:national")
    with django_assert_max_num_queries(cold - 5):
        board(client, "regions:national")


def test_filtered_boards_are_cached_apart(client, officer, warm):
    EnrolmentFactory(programme=warm.programme)
    board(client)
    assert board(client, status="applied").selection["count"] == 1
    assert board(client).selection["count"] == 2


def test_a_cold_cache_gives_the_figures_computed_afresh(client, officer, warm):
    services.accept_enrolment(enrolment=warm, amount=Decimal("9000"), by=officer)
    warm_figures = board(client)
    cache.clear()
    cold = board(client)
    fresh = board_figures(enrolment_filter(officer, {}), dashboard_scope(officer)[0], national=False)
    assert cold.totals == warm_figures.totals == fresh["totals"]
    assert cold.selection == warm_figures.selection == fresh["selection"]
    assert cold.funnel == fresh["funnel"]


def test_each_language_gets_its_own_amounts(client, officer, warm, settings):
    services.accept_enrolment(enrolment=warm, amount=Decimal("12000"), by=officer)
    assert board(client).totals["committed_eur"] == "12\u00a0000 EUR"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert board(client).totals["committed_eur"] == "12,000 EUR"


def test_an_officer_of_another_region_gets_a_board_of_their_own(client, warm):
    client.force_login(an_officer(Region.objects.get(code="11")))
    assert board(client).totals["count"] == 0


# --- The programmes on the results page, cached under the region's board version -----------------


@pytest.fixture
def latest(company, owner):
    from tests.diagnostics.test_results import submit

    PublishedReferentialFactory(axes=3, questions=1)
    return submit(company, owner)


def programmes_panel(client, owner, diagnostic):
    from tests.diagnostics.test_results import page, text_of

    html = page(client, owner, diagnostic)
    start = html.index('id="programmes-panel-title"')
    return text_of(html[start : html.index("</section>", start)])


def test_an_application_shows_in_the_programmes_of_a_warm_results_page(client, owner, latest):
    programme = ProgrammeFactory(region=latest.company.region, name="Robotique 2027")
    assert "Robotique 2027 – Apply" in programmes_panel(client, owner, latest)
    EnrolmentFactory(programme=programme, company=latest.company)
    assert "Robotique 2027 – your application: applied" in programmes_panel(client, owner, latest)


def test_a_programme_closed_leaves_the_programmes_of_a_warm_results_page(client, owner, officer, latest):
    programme = ProgrammeFactory(region=latest.company.region, name="Robotique 2027")
    ProgrammeFactory(region=latest.company.region, name="Numérique 2027")
    assert "Robotique 2027" in programmes_panel(client, owner, latest)
    services.set_programme_status(programme=programme, status="closed", by=officer)
    assert "Robotique 2027" not in programmes_panel(client, owner, latest)


def test_a_warm_results_page_reads_no_programme(client, owner, latest, django_assert_max_num_queries):
    ProgrammeFactory(region=latest.company.region, name="Robotique 2027")
    client.force_login(owner)
    programmes_panel(client, owner, latest)
    with django_assert_max_num_queries(100) as queries:
        programmes_panel(client, owner, latest)
    read = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in read if sql.startswith(('SELECT "regions_programme"', 'SELECT "regions_enrolment"'))]


# --- The charts over every company in scope, kept per scope under the board versions --------------


def funnel_steps(client):
    chart = client.get(reverse("regions:dashboard")).context["funnel_chart"]
    return {row["key"]: row["count"] for row in chart.rows}


def test_an_acceptance_moves_the_company_funnel_of_a_warm_board(client, officer, warm):
    before = funnel_steps(client)
    services.accept_enrolment(enrolment=warm, amount=Decimal("9000"), by=officer)
    after = funnel_steps(client)
    assert after != before
    assert sum(after.values()) > sum(before.values())


def test_a_warm_board_computes_no_chart(client, officer, warm, monkeypatch):
    from regions.views import dashboard as dashboard_view

    board(client)  # the board's fragments are now cached

    def refused(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(dashboard_view, "company_funnel", refused)
    monkeypatch.setattr(dashboard_view, "maturity_by_quarter", refused)
    assert client.get(reverse("regions:dashboard")).status_code == 200


def test_the_national_charts_are_not_recomputed_at_every_move(client, staff, officer, warm, monkeypatch):
    from regions.views import dashboard as dashboard_view

    client.force_login(staff)
    board(client, "regions:national")
    services.accept_enrolment(enrolment=warm, amount=Decimal("9000"), by=officer)

    def refused(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(dashboard_view, "company_funnel", refused)
    monkeypatch.setattr(dashboard_view, "maturity_by_quarter", refused)
    assert board(client, "regions:national").totals["committed"] == Decimal("9000")
