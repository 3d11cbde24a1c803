"""The regional officer's journey: create a programme through its form and open it, a company member
applies, the officer accepts with an amount and proposes an expert from the application, the expert
accepts and logs a visit, and the officer's dashboards show the money committed and spent."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from experts.models import Assignment, Visit
from portal.models import NafCode
from regions import services
from regions.models import Enrolment, EnrolmentAssignment, Expense, Programme
from tests.e2e.test_expert_journey import WAIT, browser_of, pass_second_factor, success_message
from tests.e2e.test_shell import log_in
from tests.experts.factories import ReferencedExpertFactory
from tests.portal.factories import MembershipFactory, OwnerFactory, RegionOfficerFactory, UserFactory
from tests.portal.two_factor import device_for
from tests.regions.factories import SubmittedDiagnosticFactory, bretagne

pytestmark = pytest.mark.django_db(transaction=True)

PROGRAMME = "Robotique Bretagne 2027"
BUDGET, CAP, TARGET = "150000", "20000", "12"
REQUESTED, ACCEPTED = "18000", "15000"
DAY_RATE, DAYS = Decimal("812.50"), "1.5"  # the visit costs 1,218.75 EUR
# The figures as the French pages write them (a no-break space groups the thousands).
FR = {
    "budget": "150\xa0000 EUR",
    "committed": "15\xa0000 EUR",
    "spent": "1\xa0218,75 EUR",
    "remaining": "135\xa0000 EUR",
}


@pytest.fixture
def journey_data():
    """A Bretagne officer with an authenticator; a company of the region (manufacturing, 10-49 people)
    whose latest submitted diagnostic is weak on AX1, and one of its members (not the owner); a
    referenced expert of the region skilled on AX1. The diagnostic is a stored snapshot (no PDF render)."""
    officer = RegionOfficerFactory(
        region=bretagne(), user=UserFactory(first_name="Morgane", last_name="Le Bihan", email="m.lebihan@bretagne.bzh")
    ).user
    company = OwnerFactory(company__name="Fonderie de Lorient", company__region=bretagne()).company
    member = MembershipFactory(
        company=company, user=UserFactory(first_name="Erwan", last_name="Tanguy", email="e.tanguy@fonderie-lorient.fr")
    ).user
    diagnostic = SubmittedDiagnosticFactory(
        company=company,
        started_by=member,
        overall_score=Decimal("1.80"),
        scores={
            "overall": "1.80",
            "band": 1,
            "axes": {"AX1": {"score": "1.00"}, "AX2": {"score": "2.20"}, "AX3": {"score": "2.40"}},
        },
    )
    expert = ReferencedExpertFactory(
        user=UserFactory(first_name="Yann", last_name="Le Goff", email="yann.legoff@conseil-industrie.fr"),
        organisation="Cabinet Le Goff Industrie",
        day_rate=DAY_RATE,
        axes={"AX1": 3},
        regions=["53"],
    )
    return {
        "officer": officer,
        "device": device_for(officer),
        "company": company,
        "member": member,
        "diagnostic": diagnostic,
        "expert": expert,
    }


def officer_creates_and_opens_the_programme(page, data):
    log_in(page, data["officer"].email)
    pass_second_factor(page, data["device"])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ma région", timeout=WAIT)
    page.get_by_role("link", name="Nouveau programme").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau programme", timeout=WAIT)

    today = timezone.localdate()
    page.locator("[name=region]").select_option(str(bretagne().pk))
    page.locator("[name=name]").fill(PROGRAMME)
    page.locator("[name=description]").fill("Robotiser les ateliers des PME manufacturières bretonnes.")
    page.locator("[name=start_date]").fill(today.isoformat())
    page.locator("[name=end_date]").fill((today + timedelta(days=365)).isoformat())
    page.locator("[name=budget]").fill(BUDGET)
    page.locator("[name=cap_per_company]").fill(CAP)
    page.locator("[name=target_companies]").fill(TARGET)
    for band in ("10-49", "50-249"):
        page.locator(f"[name=eligible_headcount_bands][value='{band}']").check()
    page.locator("[name=eligible_naf_codes]").select_option(str(NafCode.objects.get(code="C").pk))
    page.locator("[name=requires_submitted_diagnostic]").check()
    page.locator("[name=max_overall_level]").fill("3")
    page.get_by_role("button", name="Créer le programme").click()
    success_message(page, f"Programme « {PROGRAMME} » créé comme brouillon.")

    programme = Programme.objects.get(name=PROGRAMME)
    expect(page).to_have_url(re.compile(rf"/programmes/{programme.pk}/$"), timeout=WAIT)
    assert (programme.region, programme.status) == (bretagne(), Programme.Status.DRAFT)
    assert (programme.budget, programme.cap_per_company, programme.target_companies) == (
        Decimal(BUDGET),
        Decimal(CAP),
        int(TARGET),
    )
    assert sorted(programme.eligible_headcount_bands) == ["10-49", "50-249"]
    assert [naf.code for naf in programme.eligible_naf_codes.all()] == ["C"]
    assert programme.requires_submitted_diagnostic
    assert programme.max_overall_level == Decimal("3")

    page.get_by_role("button", name="Ouvrir aux candidatures").click()
    success_message(page, "Le programme est désormais ouvert.")
    programme.refresh_from_db()
    assert programme.status == Programme.Status.OPEN
    return programme


def member_applies(page, data, programme):
    company = data["company"]
    log_in(page, data["member"].email)
    expect(page.get_by_role("heading", level=1)).to_have_text(company.name, timeout=WAIT)
    page.get_by_role("navigation").get_by_role("link", name="Programmes régionaux").click()
    offer = page.locator("article").filter(has=page.get_by_role("heading", name=PROGRAMME))
    expect(offer).to_contain_text("jusqu'à 20\xa0000 EUR par entreprise", timeout=WAIT)
    offer.get_by_role("link", name="Candidater").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROGRAMME, timeout=WAIT)
    page.locator("[name=requested_amount]").fill(REQUESTED)
    page.locator("[name=motivation]").fill("Robotiser l'ébarbage des pièces de fonderie.")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    success_message(page, "Votre candidature est envoyée. La région va l'examiner.")

    enrolment = Enrolment.objects.get(programme=programme, company=company)
    expect(page).to_have_url(re.compile(rf"/candidatures/{enrolment.pk}/$"), timeout=WAIT)
    assert enrolment.status == Enrolment.Status.APPLIED
    assert enrolment.requested_amount == Decimal(REQUESTED)
    assert enrolment.diagnostic == data["diagnostic"]  # the latest submitted one, attached by default
    return enrolment


def officer_accepts_and_proposes_the_expert(page, data, programme, enrolment):
    company, expert = data["company"], data["expert"]
    page.get_by_role("link", name="Ma région").first.click()
    page.get_by_role("link", name=PROGRAMME).click()
    applications = page.locator("section[aria-labelledby=enrolments-title]")
    applications.get_by_role("link", name=company.name).click()
    expect(page).to_have_url(re.compile(rf"/candidatures/{enrolment.pk}/$"), timeout=WAIT)

    page.get_by_role("button", name="Commencer l'examen").click()
    success_message(page, "La candidature est désormais en cours d'examen.")
    page.locator("[name=amount]").fill(ACCEPTED)
    page.get_by_role("button", name="Accepter et engager").click()
    success_message(page, f"Candidature acceptée : {FR['committed']} engagés.")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.committed_amount) == (Enrolment.Status.ACCEPTED, Decimal(ACCEPTED))

    page.get_by_role("link", name="Proposer un expert").click()
    expect(page).to_have_url(re.compile(rf"/candidatures/{enrolment.pk}/experts/$"), timeout=WAIT)
    page.get_by_label(expert.name).check()
    page.locator("[name=due_date]").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.locator("[name=brief]").fill("Étudier la robotisation de l'ébarbage.")
    page.get_by_role("button", name="Proposer cet expert").click()
    success_message(page, f"La mission est proposée à {expert} ; un e-mail l’en informe.")
    expect(page).to_have_url(re.compile(rf"/candidatures/{enrolment.pk}/$"), timeout=WAIT)
    expect(page.locator("section[aria-labelledby=experts-title]")).to_contain_text(expert.name, timeout=WAIT)

    link = EnrolmentAssignment.objects.select_related("assignment").get(enrolment=enrolment)
    assert (link.assignment.expert, link.assignment.company) == (expert, company)
    assert link.assignment.status == Assignment.Status.PROPOSED
    return link.assignment


def expert_accepts_and_logs_a_visit(page, data, assignment):
    log_in(page, data["expert"].user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes missions", timeout=WAIT)
    page.get_by_role("link", name=data["company"].name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/experts/missions/{assignment.pk}/$"), timeout=WAIT)
    page.get_by_role("button", name="Accepter").click()
    success_message(page, "Vous avez accepté la mission")

    page.get_by_role("link", name="Saisir une visite").click()
    page.locator("[name=date]").fill(timezone.localdate().isoformat())
    page.locator("[name=days]").fill(DAYS)
    page.locator("[name=summary]").fill("Étude de l'îlot d'ébarbage et des flux de pièces.")
    page.get_by_role("button", name="Enregistrer la visite").click()
    success_message(page, "La visite est enregistrée.")
    visit = Visit.objects.get(assignment=assignment)
    assert visit.cost == Decimal(DAYS) * DAY_RATE == Decimal("1218.75")
    return visit


def officer_reads_the_figures(page, programme, enrolment, visit):
    # The programme's own page.
    page.get_by_role("link", name="Ma région").first.click()
    page.get_by_role("link", name=PROGRAMME).click()
    money = page.locator("section[aria-labelledby=money-title]")
    expect(money.locator("dt:has-text('Engagé') + dd")).to_have_text(f"{FR['committed']} (10 %)", timeout=WAIT)
    expect(money.locator("dt:has-text('Dépensé') + dd")).to_have_text(FR["spent"], timeout=WAIT)
    expect(money.locator("dt:has-text('Reste') + dd")).to_have_text(FR["remaining"], timeout=WAIT)

    # The regional dashboard.
    page.get_by_role("link", name="Ma région").first.click()
    page.get_by_role("link", name="Tableau de bord et exports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord régional", timeout=WAIT)
    for figure, text in FR.items():
        expect(page.locator(f"[data-figure={figure}]")).to_have_text(text, timeout=WAIT)
    row = page.locator("section[aria-labelledby=programmes-title] tbody tr").filter(has_text=PROGRAMME)
    expect(row.locator("td").nth(1)).to_have_text(FR["budget"], timeout=WAIT)
    expect(row.locator("td").nth(2)).to_have_text(f"{FR['committed']} (10 %)", timeout=WAIT)
    expect(row.locator("td").nth(3)).to_have_text(FR["spent"], timeout=WAIT)
    application = page.locator("section[aria-labelledby=list-title] tbody tr").filter(has_text=PROGRAMME)
    expect(application.locator("td").nth(1)).to_have_text("en cours", timeout=WAIT)  # the first visit started it
    expect(application.locator("td").nth(2)).to_have_text(FR["committed"], timeout=WAIT)
    expect(application.locator("td").nth(3)).to_have_text(FR["spent"], timeout=WAIT)

    # The same figures in the database, and the books balance.
    programme.refresh_from_db()
    enrolment.refresh_from_db()
    assert programme.committed_total == enrolment.committed_amount == Decimal(ACCEPTED)
    assert programme.spent_total == enrolment.spent_total == visit.cost
    assert programme.budget - programme.committed_total == Decimal("135000")
    expense = Expense.objects.get(enrolment=enrolment)
    assert (expense.kind, expense.amount, expense.source_reference) == ("visit", visit.cost, f"visit:{visit.pk}")
    assert enrolment.status == Enrolment.Status.IN_PROGRESS
    assert services.reconcile().ok


def test_officer_creates_a_programme_accepts_an_application_and_sees_the_visit_cost_on_the_dashboard(
    browser, live_server, journey_data
):
    # The officer keeps one browser all along (a second login would reuse the same TOTP code).
    with browser_of(browser, live_server) as officer_page:
        programme = officer_creates_and_opens_the_programme(officer_page, journey_data)

        with browser_of(browser, live_server) as page:
            enrolment = member_applies(page, journey_data, programme)

        assignment = officer_accepts_and_proposes_the_expert(officer_page, journey_data, programme, enrolment)

        with browser_of(browser, live_server) as page:
            visit = expert_accepts_and_logs_a_visit(page, journey_data, assignment)

        officer_reads_the_figures(officer_page, programme, enrolment, visit)
