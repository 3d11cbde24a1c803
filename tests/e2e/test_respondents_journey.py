"""The diagnostic a manager finishes (issue 15's acceptance): the core in one sitting, a suggested deep-dive
module, a colleague who answers differently, the divergence, the consensus, a PDF attached as evidence,
the submission; the expert validates two questions with a reason; the company reads the calibration gap
on the results page and in the PDF report (text read back with pypdf)."""

import io
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfWriter

from diagnostics import services as diagnostics_services
from diagnostics.calibration import calibration_gap
from diagnostics.models import ConsensusDecision, Diagnostic, Evidence, RespondentAnswer, RespondentFunction
from diagnostics.selectors.referential import current_published_referential
from experts.models import Assignment, ExpertReview, ReviewQuestion
from tests.diagnostics.report_support import pdf_text
from tests.e2e.test_accessibility import scanner, violations_on  # noqa: F401 - `scanner` is a fixture
from tests.e2e.test_expert_journey import browser_of, success_message
from tests.e2e.test_shell import log_in
from tests.experts.factories import AssignmentFactory, ReferencedExpertFactory
from tests.portal.factories import MembershipFactory, OwnerFactory, UserFactory
from tests.regions.factories import an_officer

pytestmark = pytest.mark.django_db(transaction=True)

REFERENTIAL_FILE = Path(settings.BASE_DIR) / "diagnostics" / "referentials" / "industrie-du-futur.yaml"
WAIT = 15_000  # ms: the machines running the suite are often busy
SUBMIT_TIMEOUT = 60_000  # ms: tasks run in-process, the submit renders the PDF before answering
OWN_LEVEL = 1  # the manager's answer to every core question
COLLEAGUE_LEVEL = 4  # the colleague's answer to the first question: three levels apart
CONSENSUS_LEVEL = 2
CONSENSUS_NOTE = "Atelier du 3 décembre : la saisie est en place sur une ligne sur deux."
EXPERT_REASONS = ("Aucun indicateur suivi à l'atelier.", "Les données restent sur papier.")


@pytest.fixture
def people():
    """The shipped referential (its core and deep-dive modules), published; a manufacturing SME's owner and
    a colleague who is a member of the company; a referenced expert of its region."""
    call_command("load_referential", str(REFERENTIAL_FILE), "--publish", stdout=StringIO())
    owner = OwnerFactory(
        company__name="Forges de l'Odet", user=UserFactory(first_name="Claire", last_name="Dupont")
    ).user
    company = owner.memberships.get().company
    colleague = MembershipFactory(company=company, user=UserFactory(first_name="Luc", last_name="Morvan")).user
    expert = ReferencedExpertFactory(
        user=UserFactory(first_name="Yann", last_name="Le Goff"), regions=[company.region.code]
    )
    return {"owner": owner, "colleague": colleague, "company": company, "expert": expert}


def small_pdf(path):
    """A real one-page PDF, as a scanner or an office suite writes it."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Relevé des temps d'arrêt"})
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def french_score(value):
    """A two-place score as the French pages print it (1,60)."""
    return f"{Decimal(value):.2f}".replace(".", ",")


def french_gap(value):
    """A signed two-place gap as the French pages print it (0,00; +1,00; −0,50)."""
    text = french_score(abs(value))
    return text if value == 0 else ("+" if value > 0 else "−") + text


def core_questions(referential, axis):
    return list(axis.questions.filter(module__isnull=True).order_by("order", "pk"))


def manager_finishes_the_core_and_opens_a_module(page, referential, company):
    """One sitting: every core question, then the modules page with the first score; open the first
    suggested module and answer its questions."""
    axes = list(referential.axes.order_by("order", "pk"))
    page.get_by_role("button", name="Commencer mon diagnostic").click()
    for axis in axes:
        expect(page.get_by_role("heading", level=1)).to_have_text(axis.title_fr, timeout=WAIT)
        page.wait_for_load_state("load")  # htmx listens from DOMContentLoaded: a change before it is not saved
        for question in core_questions(referential, axis):
            page.locator(f"fieldset#q-{question.code} input[type=radio][value='{OWN_LEVEL}']").check()
            expect(page.locator(f"#q{question.pk}-status .text-success")).to_be_visible(timeout=WAIT)
        page.locator("form.questionnaire button[type=submit]").click()
    diagnostic = Diagnostic.objects.get(company=company)
    expect(page).to_have_url(re.compile(rf"/diagnostics/{diagnostic.pk}/modules/$"), timeout=WAIT)
    expect(page.get_by_role("heading", name="Votre premier score")).to_be_visible(timeout=WAIT)
    suggested = page.locator("section[aria-labelledby=suggested-title]")
    suggested.get_by_role("button", name="Ouvrir ce module").first.click()
    module_questions = page.locator("h2.questionnaire-module ~ fieldset.question")
    expect(module_questions.first).to_be_visible(timeout=WAIT)
    page.wait_for_load_state("load")
    for index in range(module_questions.count()):
        fieldset = module_questions.nth(index)
        fieldset.locator("input[type=radio][value='2']").check()
        expect(fieldset.locator(".save-status .text-success")).to_be_visible(timeout=WAIT)
    diagnostic.refresh_from_db()
    assert diagnostic.module_decisions.filter(opened=True).count() == 1
    return diagnostic


def manager_invites_the_colleague(page, diagnostic, colleague):
    page.get_by_role("link", name="Relire et soumettre").click()
    expect(page).to_have_url(re.compile(rf"/diagnostics/{diagnostic.pk}/relecture/$"), timeout=WAIT)
    page.get_by_role("link", name="Inviter des répondants").click()
    page.get_by_label("Un membre de l’entreprise").select_option(str(colleague.pk))
    page.get_by_label("Fonction").select_option("production")
    page.get_by_role("button", name="Inviter", exact=True).click()
    success_message(page, f"{colleague} est invité(e) à répondre au diagnostic.")
    expect(page.locator("main table tbody tr")).to_have_count(2, timeout=WAIT)  # the manager and the colleague


def colleague_answers_differently(browser, live_server, colleague, question):
    """The colleague follows the invitation e-mail's link and answers on their own."""
    invitation = next(message for message in mail.outbox if message.to == [colleague.email])
    path = re.search(r"https?://[^/\s]+(/\S+)", invitation.body).group(1)
    with browser_of(browser, live_server) as page:
        log_in(page, colleague.email)
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(question.axis.title_fr, timeout=WAIT)
        page.wait_for_load_state("load")
        page.locator(f"fieldset#q-{question.code} input[type=radio][value='{COLLEAGUE_LEVEL}']").check()
        expect(page.locator(f"#q{question.pk}-status .text-success")).to_be_visible(timeout=WAIT)


def manager_reads_the_divergence_and_settles_the_consensus(page, diagnostic, colleague, diverging):
    page.goto(f"/diagnostics/{diagnostic.pk}/relecture/")
    page.get_by_role("link", name="Voir qui a répondu quoi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Qui a répondu quoi", timeout=WAIT)
    article = page.locator(f"article#q-{diverging.code}")
    expect(article).to_contain_text(str(colleague), timeout=WAIT)
    expect(article.locator("tbody tr")).to_have_count(2, timeout=WAIT)
    expect(article).to_contain_text("Écart : 3 niveaux", timeout=WAIT)
    expect(article.locator(".badge")).to_have_text("Réponses divergentes", timeout=WAIT)
    expect(page.locator("main article .badge")).to_have_count(1, timeout=WAIT)  # the only diverging question

    page.get_by_role("link", name="Fixer les réponses de l’entreprise").click()
    forms = page.locator("main form[id^=q-]")
    expect(forms.first).to_be_visible(timeout=WAIT)
    settled = forms.count() - 1  # every question but the diverging one: nobody disputes the answer
    # What nobody disputes is kept in one step; the diverging question is left to the manager.
    page.get_by_role("button", name=f"Garder les {settled} réponses que personne ne conteste").click()
    success_message(page, f"La réponse de l’entreprise est fixée à celle des répondants pour {settled} questions.")
    expect(page.locator("main form[id^=q-]").filter(has_text="Fixée par")).to_have_count(settled, timeout=WAIT)
    form = page.locator(f"form#q-{diverging.code}")
    expect(form).to_contain_text("Pas encore fixée.", timeout=WAIT)
    form.locator("select").select_option(str(CONSENSUS_LEVEL))
    form.locator("textarea").fill(CONSENSUS_NOTE)
    form.get_by_role("button", name="Fixer la réponse de l’entreprise").click()
    expect(page.locator(f"form#q-{diverging.code}")).to_contain_text("Fixée par", timeout=WAIT)
    expect(page.locator("main .alert-success").last).to_contain_text("Chaque question répondue", timeout=WAIT)


def manager_attaches_evidence(page, diagnostic, question, pdf):
    page.goto(f"/diagnostics/{diagnostic.pk}/axe/{question.axis.code}/")
    page.locator(f"fieldset#q-{question.code}").get_by_role("link", name="Ajouter ou retirer des preuves").click()
    expect(page).to_have_url(re.compile(rf"/diagnostics/{diagnostic.pk}/reponse/{question.pk}/preuves/$"), timeout=WAIT)
    page.locator("input[type=file]").set_input_files(str(pdf))
    page.get_by_role("button", name="Joindre le fichier").click()
    success_message(page, "La preuve est jointe à la réponse.")
    expect(page.locator("main")).to_contain_text(pdf.name, timeout=WAIT)


def manager_submits(page, diagnostic):
    page.goto(f"/diagnostics/{diagnostic.pk}/relecture/")
    page.locator(f"form[action$='/diagnostics/{diagnostic.pk}/soumettre/'] button").click()
    expect(page).to_have_url(re.compile(rf"/diagnostics/{diagnostic.pk}/resultats/$"), timeout=SUBMIT_TIMEOUT)


def expert_validates_two_questions(page, assignment, company, adjusted, diverging, evidence_question, pdf):
    """From their assignments, the expert opens the validation per question: the colleague's diverging
    answer and the attached PDF are there; two questions are lowered by one level, each with a reason;
    then the review is submitted."""
    log_in(page, assignment.expert.user.email)
    page.goto("/experts/mes-missions/")
    page.get_by_role("link", name=company.name, exact=True).click()
    page.get_by_role("link", name="Valider question par question").first.click()
    expect(page).to_have_url(re.compile(rf"/experts/missions/{assignment.pk}/validation/$"), timeout=WAIT)
    expect(page.locator(f"#v-{diverging.code}")).to_contain_text("écart de 3 niveaux", timeout=WAIT)
    expect(page.locator(f"#v-{evidence_question.code}")).to_contain_text(pdf.name, timeout=WAIT)
    for (question, level), reason in zip(adjusted.items(), EXPERT_REASONS, strict=True):
        block = page.locator(f"#v-{question.code}")
        block.locator(f"input[type=radio][name=level_{question.code}][value='{level}']").check()
        block.locator(f"textarea[name=reason_{question.code}]").fill(reason)
    page.get_by_role("button", name="Enregistrer la validation").click()
    success_message(page, "Votre validation est enregistrée")

    page.get_by_role("link", name="Aller à la revue (avis d'ensemble, plan d'action, soumission)").click()
    page.locator("[name=summary]").fill("Une équipe lucide sur ses écarts ; des indicateurs à construire.")
    page.get_by_label("Je confirme : remettre l’avis clôt la mission", exact=False).check()
    page.get_by_role("button", name="Remettre l'avis et clore la mission").click()
    success_message(page, "Votre avis est remis et la mission est close.")


def test_a_manager_and_a_colleague_answer_settle_attach_evidence_and_read_the_experts_calibration_gap(
    browser, live_server, people, tmp_path
):
    owner, colleague, company = people["owner"], people["colleague"], people["company"]
    referential = current_published_referential()
    axes = list(referential.axes.order_by("order", "pk"))
    diverging = core_questions(referential, axes[0])[0]
    evidence_question = core_questions(referential, axes[1])[0]
    pdf = small_pdf(tmp_path / "releve-arrets-machine.pdf")

    with browser_of(browser, live_server) as page:
        log_in(page, owner.email)
        expect(page).to_have_url(re.compile(rf"/entreprise/{company.pk}/$"), timeout=WAIT)
        diagnostic = manager_finishes_the_core_and_opens_a_module(page, referential, company)
        manager_invites_the_colleague(page, diagnostic, colleague)

        colleague_answers_differently(browser, live_server, colleague, diverging)
        assert RespondentAnswer.objects.get(diagnostic=diagnostic, respondent=owner, question=diverging).level == (
            OWN_LEVEL
        )  # the colleague's answer overwrote nothing
        assert RespondentAnswer.objects.get(diagnostic=diagnostic, respondent=colleague).level == COLLEAGUE_LEVEL

        manager_reads_the_divergence_and_settles_the_consensus(page, diagnostic, colleague, diverging)
        manager_attaches_evidence(page, diagnostic, evidence_question, pdf)
        manager_submits(page, diagnostic)

    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.SUBMITTED
    assert diagnostic.answers.get(question=diverging).level == CONSENSUS_LEVEL
    assert ConsensusDecision.objects.get(diagnostic=diagnostic, question=diverging).note == CONSENSUS_NOTE
    evidence = Evidence.objects.get(answer__diagnostic=diagnostic)
    assert (evidence.answer.question, evidence.filename) == (evidence_question, pdf.name)
    assert len(diagnostic.scores["coverage"]["modules"]) == 1

    # An officer assigned the region's expert; the expert lowers two questions of two axes by one level.
    assignment = AssignmentFactory(
        expert=people["expert"],
        company=company,
        proposed_by=an_officer(company.region),
        diagnostic=diagnostic,
        status=Assignment.Status.IN_PROGRESS,
    )
    adjusted = {diverging: CONSENSUS_LEVEL - 1, evidence_question: OWN_LEVEL - 1}
    with browser_of(browser, live_server) as page:
        expert_validates_two_questions(page, assignment, company, adjusted, diverging, evidence_question, pdf)
    review = ExpertReview.objects.get(assignment=assignment)
    assert review.status == ExpertReview.Status.SUBMITTED
    changed = ReviewQuestion.objects.filter(review=review).exclude(reason="")
    assert sorted(changed.values_list("question_code", "validated_level", "reason")) == sorted(
        (question.code, level, reason)
        for (question, level), reason in zip(adjusted.items(), EXPERT_REASONS, strict=True)
    )

    # The calibration gap (self minus expert), per axis: what the scores stored say, on the page and in the PDF.
    self_scores = {axis.code: diagnostic.scores["axes"][axis.code]["score"] for axis in axes}
    validated = {row.axis_code: row.expert_score for row in review.axes.all()}
    gaps = calibration_gap(self_scores, validated)
    lowered = {diverging.axis.code, evidence_question.axis.code}
    assert all(gaps[code] > 0 for code in lowered)
    assert all(gaps[code] == 0 for code in set(gaps) - lowered)
    with browser_of(browser, live_server) as page:
        log_in(page, owner.email)
        page.goto(f"/diagnostics/{diagnostic.pk}/resultats/")
        panel = page.locator("section[aria-labelledby=expert-reviews-title]")
        expect(panel).to_contain_text("Écart de calibrage (auto-évaluation moins expert)", timeout=WAIT)
        rows = panel.locator("table").first.locator("tbody tr")
        expect(rows).to_have_count(len(axes), timeout=WAIT)
        for index, axis in enumerate(axes):
            expect(rows.nth(index)).to_contain_text(french_gap(gaps[axis.code]), timeout=WAIT)
        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger le rapport PDF").first.click()
        text = pdf_text(Path(download.value.path()).read_bytes()).replace("\u202f", " ")
    assert "L'avis de l'expert" in text
    for code in lowered:
        expected = f"validé par l'expert {french_score(validated[code])} · écart de calibrage {french_gap(gaps[code])}"
        assert expected.replace("−", "-") in text.replace("−", "-")


def test_the_divergence_and_consensus_pages_have_no_axe_violation(scanner, people):  # noqa: F811 - the fixture
    """With a question nobody disputes (the undisputed button shown) and one three levels apart (flagged)."""
    owner, colleague, company = people["owner"], people["colleague"], people["company"]
    draft = diagnostics_services.start_diagnostic(company=company, by=owner)
    diagnostics_services.invite_respondent(
        diagnostic=draft, function=RespondentFunction.PRODUCTION, user=colleague, by=owner
    )
    agreed, disputed = draft.referential.questions.filter(module__isnull=True).order_by("pk")[:2]
    for user, levels in ((owner, (2, 1)), (colleague, (2, 4))):
        for question, level in zip((agreed, disputed), levels, strict=True):
            diagnostics_services.save_respondent_answer(diagnostic=draft, question=question, level=level, by=user)
    log_in(scanner, owner.email)
    expect(scanner).to_have_url(re.compile(rf"/entreprise/{company.pk}/$"), timeout=WAIT)
    found = []
    for path in ("divergences", "consensus"):
        response = scanner.goto(f"/diagnostics/{draft.pk}/{path}/")
        assert response.status == 200
        found += violations_on(scanner)
    assert not found, "axe-core found violations:\n" + "\n".join(found)
