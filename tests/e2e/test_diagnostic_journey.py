"""The SME manager's journey: sign up, fill in the diagnostic over two visits, submit, read the results."""

import random
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from diagnostics.models import Diagnostic
from diagnostics.selectors.referential import current_published_referential
from portal.models import Company, NafCode, Region
from seeding import peer_companies as peers
from tests.e2e.test_shell import log_in

pytestmark = pytest.mark.django_db(transaction=True)

REFERENTIAL_FILE = Path(settings.BASE_DIR) / "diagnostics" / "referentials" / "industrie-du-futur.yaml"
EMAIL = "claire.dupont@forges-de-l-odet.fr"
PASSWORD = "correct-horse-battery-42"
SIRET = "91234567500017"
PROFILE = peers.Profile(division="25", band="10-49", region="53")
PEERS = 5
SUBMIT_TIMEOUT = 60_000  # ms
WAIT = 15_000  # ms: the machines running the suite are often busy


@pytest.fixture
def referential():
    """The shipped referential, published (tests/conftest.py reloaded the technology themes it names),
    and five peer companies of the profile the company signs up with."""
    call_command("load_referential", str(REFERENTIAL_FILE), "--publish", stdout=StringIO())
    referential = current_published_referential()
    content = peers.ReferentialContent(referential)
    rng = random.Random(4)
    planned = peers.plan_companies(content, rng, [PROFILE] * PEERS, peers.fresh_sirets(rng, PEERS), counts=[1] * PEERS)
    peers.write(content, planned)
    return referential


def sign_up(page, mailoutbox):
    """From the home page, the sign-up form, then the link of the confirmation e-mail (the one address the
    journey types), then "Activate my account"."""
    page.goto("/")
    page.get_by_role("link", name="Inscrire mon entreprise").first.click()
    expect(page).to_have_url(re.compile(r"/inscription/$"), timeout=WAIT)
    for name, value in {
        "first_name": "Claire",
        "last_name": "Dupont",
        "email": EMAIL,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "company_name": "Forges de l'Odet",
        "siret": SIRET,
    }.items():
        page.locator(f"[name={name}]").fill(value)
    page.locator("[name=naf_division]").select_option(str(NafCode.objects.get(code=PROFILE.division).pk))
    page.locator("[name=headcount_band]").select_option(PROFILE.band)
    page.locator("[name=region]").select_option(str(Region.objects.get(code=PROFILE.region).pk))
    page.get_by_role("button", name="Créer mon compte et mon entreprise").click()
    expect(page).to_have_url(re.compile(r"/inscription/envoyee/$"), timeout=WAIT)
    link = re.search(r"https?://\S+/inscription/confirmer/\S+/", mailoutbox[-1].body).group(0)
    page.goto("/inscription/confirmer/" + link.split("/inscription/confirmer/", 1)[1])
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/entreprise/\d+/$"), timeout=WAIT)
    company = Company.objects.get(siret=SIRET)
    expect(page.get_by_role("heading", level=1)).to_have_text(company.name, timeout=WAIT)
    return company


def choice_for(axis_index, question_index, question):
    """Varied answers: levels 0 to 4 across the questionnaire, "not applicable" once per axis where allowed."""
    if question.allows_not_applicable and question_index % 2 == 0:
        return "na"
    return str((axis_index + 2 * question_index) % 5)


def answer_axis(page, axis_index, axis):
    questions = list(axis.questions.filter(module__isnull=True).order_by("order", "pk"))  # the core
    for question_index, question in enumerate(questions):
        fieldset = page.locator(f"fieldset#q-{question.code}")
        fieldset.locator(f"input[type=radio][value='{choice_for(axis_index, question_index, question)}']").check()
        # Autosave: the question's status says it is saved.
        expect(page.locator(f"#q{question.pk}-status .text-success")).to_be_visible(timeout=WAIT)
    page.locator("form.questionnaire button[type=submit]").click()


def test_sme_manager_fills_in_over_two_visits_submits_and_reads_the_results(page, referential, mailoutbox):
    axes = list(referential.axes.order_by("order", "pk"))
    half = len(axes) // 2

    # First visit: sign up, start a diagnostic, answer the first half of the axes.
    # The guided path: the page the new owner lands on offers to start the diagnostic, in one click.
    company = sign_up(page, mailoutbox)
    page.get_by_role("button", name="Commencer mon diagnostic").click()
    diagnostic = Diagnostic.objects.get(company=company)
    expect(page).to_have_url(
        f"{page.url.split('/diagnostics/')[0]}/diagnostics/{diagnostic.pk}/axe/{axes[0].code}/", timeout=WAIT
    )
    for index, axis in enumerate(axes[:half]):
        expect(page.get_by_role("heading", level=1)).to_have_text(axis.title_fr, timeout=WAIT)
        answer_axis(page, index, axis)
    page.get_by_role("button", name="Mon compte").click()  # the account menu holds the log-out button
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.locator("form[action$='/logout/']")).to_have_count(0, timeout=WAIT)  # logged out

    # Second visit: log in again, the earlier answers are there; continue where the answers stop.
    # Back on the company page, the guided path offers to finish it.
    log_in(page, EMAIL, PASSWORD)
    expect(page).to_have_url(re.compile(rf"/entreprise/{company.pk}/$"), timeout=WAIT)  # where a member lands
    page.get_by_role("link", name="Poursuivre mon diagnostic").click()
    expect(page).to_have_url(
        f"{page.url.split('/diagnostics/')[0]}/diagnostics/{diagnostic.pk}/axe/{axes[half].code}/", timeout=WAIT
    )
    for index, axis in enumerate(axes[half:], start=half):
        answer_axis(page, index, axis)

    # After the core: the deep-dive modules, offered with the first score; open one, answer its first question.
    expect(page).to_have_url(f"{page.url.split('/diagnostics/')[0]}/diagnostics/{diagnostic.pk}/modules/", timeout=WAIT)
    expect(page.get_by_role("heading", name="Votre premier score")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Ouvrir ce module").first.click()
    module_question = page.locator("h2.questionnaire-module ~ fieldset.question").first
    expect(module_question).to_be_visible(timeout=WAIT)
    module_question.locator("input[type=radio][value='3']").check()
    expect(module_question.locator(".save-status .text-success")).to_be_visible(timeout=WAIT)

    # The earlier answers are there: the first axis, from the questionnaire's list of axes.
    page.locator("nav").get_by_role("link", name=axes[0].title_fr, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(axes[0].title_fr, timeout=WAIT)
    for question_index, question in enumerate(axes[0].questions.filter(module__isnull=True).order_by("order", "pk")):
        expected = choice_for(0, question_index, question)
        expect(page.locator(f"fieldset#q-{question.code} input[type=radio][value='{expected}']")).to_be_checked(
            timeout=WAIT
        )

    # Review, submit, results.
    page.get_by_role("link", name="Relire et soumettre").click()
    expect(page).to_have_url(re.compile(rf"/diagnostics/{diagnostic.pk}/relecture/$"), timeout=WAIT)
    page.locator(f"form[action$='/diagnostics/{diagnostic.pk}/soumettre/'] button").click()
    # Tasks run in-process here: the submit also renders the PDF report before answering.
    expect(page).to_have_url(
        f"{page.url.split('/diagnostics/')[0]}/diagnostics/{diagnostic.pk}/resultats/", timeout=SUBMIT_TIMEOUT
    )
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.SUBMITTED and diagnostic.is_latest
    assert len(diagnostic.scores["coverage"]["modules"]) == 1  # the module opened and answered
    expect(page.locator("#overall")).to_contain_text("Couverture", timeout=WAIT)

    expect(page.locator("#report-status")).to_be_visible(timeout=WAIT)
    expect(page.locator("svg.radar")).to_be_visible(timeout=WAIT)
    expect(page.locator("svg.radar title")).to_contain_text(company.name, timeout=WAIT)
    expect(page.locator("#axes table tbody tr")).to_have_count(len(axes), timeout=WAIT)
    benchmark = page.locator("#benchmark")
    expect(benchmark).to_be_visible(timeout=WAIT)
    # This company and its 5 peers: the closest group is published, and the page names it.
    expect(benchmark.locator("strong")).to_have_count(1, timeout=WAIT)
    expect(benchmark).to_contain_text(str(PEERS + 1), timeout=WAIT)
    expect(benchmark).to_contain_text(Region.objects.get(code=PROFILE.region).label_fr, timeout=WAIT)
    plan = page.locator("#plan")
    expect(plan).to_be_visible(timeout=WAIT)
    expect(plan.locator(".results-action").first).to_be_visible(timeout=WAIT)
    expect(plan.locator(".results-action").first).to_contain_text("1", timeout=WAIT)
