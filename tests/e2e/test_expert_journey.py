"""The expert journey: staff reference an expert and propose them to a company; the expert accepts,
starts, logs a visit and submits a review; the company reads it beside its self-assessment."""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from diagnostics.services import submit_diagnostic
from experts.models import Accreditation, Assignment, ExpertReview
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory, answer_all
from tests.e2e.test_shell import log_in
from tests.experts.factories import ExpertFactory
from tests.portal.factories import OwnerFactory, StaffFactory, UserFactory
from tests.portal.two_factor import device_for, token_for

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 15_000  # ms: the machines running the suite are often busy
# The company's self-assessment per axis, and the levels the expert validates.
SELF_LEVELS = {"AX1": 1, "AX2": 4, "AX3": 2}
VALIDATED = {"AX1": 2, "AX2": 3, "AX3": 2}
VISIT_SUMMARY = "Visite de l'atelier d'usinage et entretien avec la direction."
REVIEW_SUMMARY = "Une base solide ; les indicateurs de production restent à construire."


@pytest.fixture
def journey_data():
    """A published referential of three axes, a company with a submitted self-diagnostic, an expert
    with a profile not referenced yet, and a staff member with an authenticator."""
    referential = PublishedReferentialFactory(axes=3, questions=2)
    owner = OwnerFactory(company__name="Forges de l'Odet").user
    company = owner.memberships.get().company
    draft = DiagnosticFactory(company=company, referential=referential, started_by=owner)
    answer_all(draft, level=lambda question: SELF_LEVELS[question.axis.code])
    diagnostic = submit_diagnostic(diagnostic=draft, by=owner)
    expert = ExpertFactory(
        user=UserFactory(first_name="Yann", last_name="Le Goff", email="yann.legoff@conseil-industrie.fr"),
        organisation="Cabinet Le Goff Industrie",
        axes={"AX1": 3, "AX3": 2},
        regions=["53"],
        languages=["fr"],
    )
    staff = StaffFactory(first_name="Sophie", last_name="Martin")
    return {
        "company": company,
        "owner": owner,
        "diagnostic": diagnostic,
        "expert": expert,
        "staff": staff,
        "device": device_for(staff),
    }


@contextmanager
def browser_of(browser, live_server):
    """A person's own browser (cookies and all), in French."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(WAIT)
    try:
        yield page
    finally:
        context.close()


def pass_second_factor(page, device):
    """Staff type the code of their authenticator app after the password."""
    expect(page).to_have_url(re.compile(r"/compte/verification/"), timeout=WAIT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Double authentification", timeout=WAIT)
    page.locator("[name=token]").fill(token_for(device))
    page.get_by_role("button", name="Vérifier").click()
    expect(page).not_to_have_url(re.compile(r"/compte/verification/"), timeout=WAIT)


def success_message(page, text):
    expect(page.locator(".alert-success").filter(has_text=text)).to_be_visible(timeout=WAIT)


def staff_references_and_proposes(page, data):
    staff, expert, company = data["staff"], data["expert"], data["company"]
    log_in(page, staff.email)
    pass_second_factor(page, data["device"])

    # Accreditations: the expert is listed, not referenced yet; reference them for a year.
    page.goto("/experts/accreditations/")
    row = page.locator("tbody tr").filter(has_text=expert.name)
    expect(row).to_contain_text("Pas encore référencé", timeout=WAIT)
    row.get_by_role("link", name=expert.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(expert.name, timeout=WAIT)
    page.locator("[name=status]").select_option("referenced")
    page.locator("[name=valid_until]").fill((timezone.localdate() + timedelta(days=365)).isoformat())
    page.locator("[name=comment]").fill("Référencé après l'entretien d'accréditation.")
    page.get_by_role("button", name="Enregistrer le référencement").click()
    success_message(page, f"Le référencement est enregistré : {expert.name}.")
    expect(page.locator("#history-title + table tbody tr")).to_have_count(1, timeout=WAIT)
    assert Accreditation.objects.get(expert=expert).is_current

    # Expert assignments: find the company, open its matched experts, propose ours.
    page.goto("/experts/missions/")
    page.get_by_label("Nom de l'entreprise").fill(company.name)
    page.get_by_role("button", name="Trouver l'entreprise").click()
    page.get_by_role("link", name=f"Trouver des experts adaptés – {company.name}").click()
    expect(page).to_have_url(re.compile(rf"/experts/entreprises/{company.pk}/proposer/$"), timeout=WAIT)
    page.locator(f"#expert-{expert.pk}").check()
    page.locator("[name=due_date]").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.locator("[name=brief]").fill("Valider l'autodiagnostic et prioriser le plan d'action.")
    page.get_by_role("button", name="Proposer la mission").click()
    success_message(page, f"La mission est proposée à {expert.name}")
    assignment = Assignment.objects.get(company=company, expert=expert)
    expect(page).to_have_url(re.compile(rf"/experts/missions/{assignment.pk}/$"), timeout=WAIT)
    assert assignment.status == Assignment.Status.PROPOSED
    assert assignment.diagnostic == data["diagnostic"]
    return assignment


def expert_accepts_visits_and_reviews(page, data, assignment):
    expert, company = data["expert"], data["company"]
    log_in(page, expert.user.email)
    page.goto("/experts/mes-missions/")
    page.get_by_role("link", name=company.name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/experts/missions/{assignment.pk}/$"), timeout=WAIT)

    page.get_by_role("button", name="Accepter").click()
    success_message(page, "Vous avez accepté la mission")
    page.get_by_role("button", name="Démarrer").click()
    success_message(page, "La mission est en cours.")

    page.get_by_role("link", name="Saisir une visite").click()
    page.locator("[name=date]").fill(timezone.localdate().isoformat())
    page.locator("[name=days]").fill("1.5")
    page.locator("[name=summary]").fill(VISIT_SUMMARY)
    page.get_by_role("button", name="Enregistrer la visite").click()
    success_message(page, "La visite est enregistrée.")
    expect(page.locator("#visits-title + table tbody tr")).to_contain_text(VISIT_SUMMARY, timeout=WAIT)

    page.get_by_role("link", name="Rédiger l'avis").click()
    for code, level in VALIDATED.items():
        page.locator(f"[name=level_{code}]").select_option(str(level))
    page.locator("[name=comment_AX1]").fill("Les indicateurs de production ne sont pas encore suivis.")
    page.locator("[name=summary]").fill(REVIEW_SUMMARY)
    page.locator("[name=actions-0-recommendation]").fill("Mettre en place un suivi du TRS.")
    page.locator("[name=actions-0-owner]").fill("Directeur industriel")
    page.locator("[name=actions-0-due_date]").fill((timezone.localdate() + timedelta(days=90)).isoformat())
    page.get_by_label("Je confirme : remettre l’avis clôt la mission", exact=False).check()
    page.get_by_role("button", name="Remettre l'avis et clore la mission").click()
    success_message(page, "Votre avis est remis et la mission est close.")
    expect(page).to_have_url(re.compile(rf"/experts/missions/{assignment.pk}/$"), timeout=WAIT)

    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.DONE
    assert list(assignment.visits.values_list("summary", flat=True)) == [VISIT_SUMMARY]
    review = ExpertReview.objects.get(assignment=assignment)
    assert review.status == ExpertReview.Status.SUBMITTED
    assert dict(review.axes.values_list("axis_code", "validated_level")) == VALIDATED


def company_reads_the_review(page, data):
    owner, expert, diagnostic = data["owner"], data["expert"], data["diagnostic"]
    log_in(page, owner.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(data["company"].name, timeout=WAIT)
    page.goto(f"/diagnostics/{diagnostic.pk}/resultats/")
    expect(page.locator("svg.radar").first).to_be_visible(timeout=WAIT)  # the self-assessment's own radar

    panel = page.locator("section[aria-labelledby=expert-reviews-title]")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Le regard validé de l'expert", timeout=WAIT)
    expect(panel.get_by_role("heading", level=3)).to_contain_text(
        f"Avis rendu par {expert.name} ({expert.organisation})", timeout=WAIT
    )
    expect(panel).to_contain_text(REVIEW_SUMMARY, timeout=WAIT)
    expect(panel.locator("svg")).to_be_visible(timeout=WAIT)  # both outlines on one radar
    # Self-assessment and validated level side by side, per axis.
    rows = panel.locator("table").first.locator("tbody tr")
    expect(rows).to_have_count(len(VALIDATED), timeout=WAIT)
    for index, (code, level) in enumerate(VALIDATED.items()):
        cells = rows.nth(index).locator("td")
        expect(cells.nth(0)).to_have_text(f"{SELF_LEVELS[code]},00", timeout=WAIT)  # French decimals
        expect(cells.nth(1)).to_have_text(str(level), timeout=WAIT)
    expect(panel).to_contain_text("Mettre en place un suivi du TRS.", timeout=WAIT)


def test_staff_reference_and_propose_the_expert_accepts_visits_reviews_and_the_company_reads_it(
    browser, live_server, journey_data, mailoutbox
):
    with browser_of(browser, live_server) as page:
        assignment = staff_references_and_proposes(page, journey_data)
    assert journey_data["expert"].user.email in [address for message in mailoutbox for address in message.to]

    with browser_of(browser, live_server) as page:
        expert_accepts_visits_and_reviews(page, journey_data, assignment)

    with browser_of(browser, live_server) as page:
        company_reads_the_review(page, journey_data)
