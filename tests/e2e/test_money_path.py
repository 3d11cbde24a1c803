"""The whole path of public money in the browser, in French: a company's member applies with its
documents, the region's officer sends the application back for changes, the member adds the quote
and sends it again, the officer accepts it with co-funding (the programme's rate of the eligible
costs, never more than the aid asked), the member claims a payment with an invoice, the officer
certifies and pays it, closes the programme for good and reads the closing statement."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfWriter

from regions import services
from regions.models import Enrolment, PaymentClaim, Programme
from tests.e2e.test_expert_journey import WAIT, browser_of, pass_second_factor, success_message
from tests.e2e.test_shell import log_in
from tests.portal.factories import MembershipFactory, OwnerFactory, RegionOfficerFactory, UserFactory
from tests.portal.two_factor import device_for
from tests.regions.factories import ProgrammeFactory, bretagne

pytestmark = pytest.mark.django_db(transaction=True)

PROGRAMME = "Robotique Bretagne 2027"
COMPANY = "Fonderie de Lorient"
BUDGET, CAP, RATE = Decimal("150000"), Decimal("15000"), Decimal("50")
# First sent with 36,000 EUR of eligible costs (50 % is 18,000 EUR, above the cap: 15,000 EUR asked);
# sent again with the quote's 28,000 EUR: the aid is 50 % of them, 14,000 EUR.
FIRST_COSTS, FIRST_ASKED = "36000", "15000"
QUOTED_COSTS, AID = "28000", Decimal("14000")
CLAIMED, CERTIFIED = "12 000", Decimal("11500")
CHANGES = "Joignez le devis de la cellule robotisée et reprenez-en le montant hors taxes dans les dépenses éligibles."
# The figures as the French pages write them (a no-break space groups the thousands).
FR = {
    "committed": "14\xa0000 EUR",
    "certified": "11\xa0500 EUR",
    "released": "2\xa0500 EUR",
    "unused": "138\xa0500 EUR",
}


def write_pdf(path, title):
    """A real one-page PDF (what the storage's type check reads is the file's bytes, not its name)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    with path.open("wb") as stream:
        writer.write(stream)
    return path


@pytest.fixture
def path_data(tmp_path):
    """An open Bretagne programme funding 50 % of the eligible costs (at most 15,000 EUR a company);
    its officer with an authenticator; a company of the region and one of its members; the files the
    member will send (registration extract, de minimis declaration, quote, invoice)."""
    officer = RegionOfficerFactory(
        region=bretagne(), user=UserFactory(first_name="Morgane", last_name="Le Bihan", email="m.lebihan@bretagne.bzh")
    ).user
    company = OwnerFactory(company__name=COMPANY, company__region=bretagne()).company
    member = MembershipFactory(
        company=company, user=UserFactory(first_name="Erwan", last_name="Tanguy", email="e.tanguy@fonderie-lorient.fr")
    ).user
    programme = ProgrammeFactory(name=PROGRAMME, budget=BUDGET, cap_per_company=CAP, funding_rate=RATE)
    return {
        "officer": officer,
        "device": device_for(officer),
        "company": company,
        "member": member,
        "programme": programme,
        "kbis": write_pdf(tmp_path / "kbis-fonderie.pdf", "Extrait Kbis"),
        "de_minimis": write_pdf(tmp_path / "declaration-de-minimis.pdf", "Aides de minimis"),
        "quote": write_pdf(tmp_path / "devis-cellule.pdf", "Devis cellule robotisée"),
        "invoice": write_pdf(tmp_path / "facture-cellule.pdf", "Facture cellule robotisée"),
    }


def add_document(page, kind, path):
    documents = page.locator("section[aria-labelledby=documents-title]")
    documents.get_by_label("Type de document").select_option(label=kind)
    documents.get_by_label("Fichier").set_input_files(path)
    documents.get_by_role("button", name="Ajouter la pièce").click()
    success_message(page, f"Pièce « {path.name} » ajoutée à la candidature.")
    expect(page.locator("section[aria-labelledby=documents-title]").get_by_role("link", name=path.name)).to_be_visible()


def member_applies_with_documents(page, data):
    log_in(page, data["member"].email)
    expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY, timeout=WAIT)
    page.get_by_role("navigation").get_by_role("link", name="Programmes régionaux").click()
    offer = page.locator("article").filter(has=page.get_by_role("heading", name=PROGRAMME))
    offer.get_by_role("link", name="Candidater").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROGRAMME, timeout=WAIT)
    page.get_by_label("Montant demandé (EUR)").fill(FIRST_ASKED)
    page.get_by_label("Dépenses éligibles (EUR, facultatif)").fill(FIRST_COSTS)
    page.locator("[name=motivation]").fill("Robotiser l'ébarbage des pièces de fonderie.")
    page.get_by_role("button", name="Envoyer ma candidature").click()
    success_message(page, "Votre candidature est envoyée. La région va l'examiner.")
    enrolment = Enrolment.objects.get(programme=data["programme"], company=data["company"])
    expect(page).to_have_url(re.compile(rf"/candidatures/{enrolment.pk}/$"), timeout=WAIT)

    add_document(page, "extrait d’immatriculation (Kbis)", data["kbis"])
    add_document(page, "déclaration des aides de minimis reçues par ailleurs", data["de_minimis"])
    expect(page.locator("main .badge").first).to_have_text("Déposée")
    return enrolment


def open_the_application(page, enrolment):
    page.get_by_role("link", name="Ma région").first.click()
    page.get_by_role("link", name=PROGRAMME).click()
    page.locator("section[aria-labelledby=enrolments-title]").get_by_role("link", name=COMPANY).click()
    expect(page).to_have_url(re.compile(rf"/candidatures/{enrolment.pk}/$"), timeout=WAIT)


def officer_sends_back(page, data, enrolment):
    log_in(page, data["officer"].email)
    pass_second_factor(page, data["device"])
    open_the_application(page, enrolment)
    documents = page.locator("section[aria-labelledby=documents-title]")
    expect(documents.get_by_role("link")).to_have_count(2)
    with page.expect_download() as download:
        documents.get_by_role("link", name="kbis-fonderie.pdf").click()
    assert Path(download.value.path()).read_bytes() == data["kbis"].read_bytes()

    page.get_by_role("button", name="Commencer l'examen").click()
    success_message(page, "La candidature est désormais en cours d'examen.")
    page.get_by_label("Que doit modifier l’entreprise").fill(CHANGES)
    page.get_by_role("button", name="Renvoyer pour modifications").click()
    success_message(page, "Candidature renvoyée ; l’entreprise est informée des modifications à apporter.")
    expect(page.locator("main .badge").first).to_have_text("Renvoyée pour modifications")


def member_adds_the_quote_and_resubmits(page, data, enrolment):
    page.reload()
    expect(page.locator("main .badge").first).to_have_text("Renvoyée pour modifications", timeout=WAIT)
    resubmission = page.locator("section[aria-labelledby=resubmit-title]")
    expect(resubmission.locator("blockquote")).to_have_text(CHANGES)
    add_document(page, "devis", data["quote"])

    resubmission = page.locator("section[aria-labelledby=resubmit-title]")
    resubmission.get_by_label("Dépenses éligibles (EUR, facultatif)").fill(QUOTED_COSTS)
    resubmission.get_by_label("Montant demandé (EUR)").fill("14 000")
    resubmission.get_by_label("Message à la région (facultatif)").fill("Devis joint : 28 000 EUR HT.")
    resubmission.get_by_role("button", name="Renvoyer la candidature").click()
    success_message(page, "Votre candidature est de nouveau envoyée. La région va l’examiner.")
    expect(page.locator("main .badge").first).to_have_text("Déposée")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.eligible_cost, enrolment.requested_amount) == (
        Enrolment.Status.APPLIED,
        Decimal(QUOTED_COSTS),
        AID,
    )


def officer_accepts_with_cofunding(page, enrolment):
    page.reload()
    expect(page.locator("main .badge").first).to_have_text("Déposée", timeout=WAIT)
    expect(page.locator("section[aria-labelledby=documents-title]").get_by_role("link")).to_have_count(3)
    expect(page.locator("dt:has-text('Dépenses éligibles') + dd")).to_have_text("28\xa0000 EUR (financées à 50\xa0%)")
    page.get_by_role("button", name="Commencer l'examen").click()
    success_message(page, "La candidature est désormais en cours d'examen.")

    # The cap would allow 15,000 EUR; the aid asked is 50 % of the quote's 28,000 EUR.
    page.get_by_label("Montant engagé (EUR)").fill("15 000")
    page.get_by_role("button", name="Accepter et engager").click()
    expect(page.locator(".alert-danger")).to_contain_text(
        "Le montant dépasse l’aide demandée : au plus 14\xa0000 EUR, 15\xa0000 EUR demandés", timeout=WAIT
    )
    page.get_by_label("Montant engagé (EUR)").fill("14 000")
    page.get_by_role("button", name="Accepter et engager").click()
    success_message(page, f"Candidature acceptée : {FR['committed']} engagés.")
    expect(page.locator("main .badge").first).to_have_text("Acceptée")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.committed_amount) == (Enrolment.Status.ACCEPTED, AID)


def member_claims_with_an_invoice(page, data, enrolment):
    page.reload()
    claims = page.locator("section[aria-labelledby=claims-title]")
    expect(claims).to_contain_text("Aucune demande de paiement pour l’instant.", timeout=WAIT)
    claims.get_by_label("Montant demandé (EUR)").fill(CLAIMED)
    claims.get_by_label("Dépenses présentées").fill("Cellule robotisée d'ébarbage")
    claims.get_by_label("Factures").set_input_files(data["invoice"])
    claims.get_by_role("button", name="Envoyer la demande").click()
    claim = PaymentClaim.objects.get(enrolment=enrolment)
    expect(page).to_have_url(re.compile(rf"/demandes-de-paiement/{claim.pk}/$"), timeout=WAIT)
    expect(page.locator("main .badge").first).to_have_text("Reçue")
    expect(page.get_by_role("link", name="facture-cellule.pdf")).to_be_visible()
    return claim


def officer_certifies_and_pays(page, claim):
    page.get_by_role("link", name="Ma région").first.click()
    page.get_by_role("link", name="Demandes de paiement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes de paiement à traiter", timeout=WAIT)
    page.get_by_role("link", name=COMPANY).click()
    expect(page).to_have_url(re.compile(rf"/demandes-de-paiement/{claim.pk}/$"), timeout=WAIT)
    page.get_by_label("Montant certifié (EUR)").fill("11 500")
    page.get_by_role("button", name="Certifier").click()
    success_message(page, f"Demande de paiement certifiée : {FR['certified']}")
    expect(page.locator("main .badge").first).to_have_text("Certifiée")
    page.get_by_label("Date du paiement").fill(timezone.localdate().isoformat())
    page.get_by_label("Référence du paiement").fill("VIR-2027-0042")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    success_message(page, "Paiement enregistré")
    expect(page.locator("main .badge").first).to_have_text("Payée")


def officer_closes_the_programme_for_good(page, programme):
    page.get_by_role("link", name="Ma région").first.click()
    page.get_by_role("link", name=PROGRAMME).click()
    page.get_by_role("link", name="Clôturer définitivement").click()
    expect(page).to_have_url(re.compile(rf"/programmes/{programme.pk}/cloture/$"), timeout=WAIT)
    release = page.locator("section[aria-labelledby=release-title] tbody tr").filter(has_text=COMPANY)
    expect(release.locator("td").last).to_have_text(FR["released"])

    # Without the box ticked, nothing is closed.
    page.get_by_role("button", name="Clôturer définitivement").click()
    expect(page.get_by_text("Cochez la case pour confirmer la clôture.")).to_be_visible(timeout=WAIT)
    programme.refresh_from_db()
    assert programme.status == Programme.Status.OPEN

    page.get_by_label("les engagements non dépensés sont libérés").check()
    page.get_by_role("button", name="Clôturer définitivement").click()
    success_message(
        page, "Le programme est clôturé définitivement ; son bilan de clôture est en cours d’établissement."
    )
    expect(page).to_have_url(re.compile(rf"/programmes/{programme.pk}/bilan/$"), timeout=WAIT)


def officer_reads_the_closing_statement(page):
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bilan de clôture de {PROGRAMME}", timeout=WAIT)
    # The report workers run in the test's process: the PDF is drawn by the time the page shows.
    expect(page.get_by_role("link", name="Télécharger le PDF")).to_be_visible()
    summary = page.locator("main dl")
    expect(summary.locator("dt:has-text('Engagé à l’acceptation') + dd")).to_have_text(FR["committed"])
    expect(summary.locator("dt:has-text('Libéré') + dd")).to_have_text(FR["released"])
    expect(summary.locator("dt:has-text('Reste engagé') + dd")).to_have_text(FR["certified"])
    expect(summary.locator("dt:has-text('Budget non utilisé') + dd")).to_have_text(FR["unused"])
    row = page.locator("tbody tr").filter(has_text=COMPANY)
    # Share of the budget, committed, spent, certified, paid, released, still committed.
    expect(row.locator("td").nth(1)).to_have_text("9,33\xa0%")
    expect(row.locator("td").nth(2)).to_have_text(FR["committed"])
    expect(row.locator("td").nth(3)).to_have_text("0 EUR")
    expect(row.locator("td").nth(4)).to_have_text(FR["certified"])
    expect(row.locator("td").nth(5)).to_have_text(FR["certified"])
    expect(row.locator("td").nth(6)).to_have_text(FR["released"])
    expect(row.locator("td").nth(7)).to_have_text(FR["certified"])


def test_an_application_with_documents_goes_from_correction_to_payment_and_the_programme_closes_with_its_statement(
    browser, live_server, path_data
):
    programme = path_data["programme"]
    # Each keeps one browser all along (a second login would reuse the officer's same TOTP code).
    with browser_of(browser, live_server) as member_page, browser_of(browser, live_server) as officer_page:
        enrolment = member_applies_with_documents(member_page, path_data)
        officer_sends_back(officer_page, path_data, enrolment)
        member_adds_the_quote_and_resubmits(member_page, path_data, enrolment)
        officer_accepts_with_cofunding(officer_page, enrolment)
        claim = member_claims_with_an_invoice(member_page, path_data, enrolment)
        officer_certifies_and_pays(officer_page, claim)
        officer_closes_the_programme_for_good(officer_page, programme)
        officer_reads_the_closing_statement(officer_page)

    programme.refresh_from_db()
    enrolment.refresh_from_db()
    claim.refresh_from_db()
    assert programme.status == Programme.Status.SETTLED
    assert [d.kind for d in enrolment.documents.order_by("pk")] == ["registration", "de_minimis", "quote"]
    assert (claim.status, claim.certified_amount, claim.payment.reference) == ("paid", CERTIFIED, "VIR-2027-0042")
    # The 2,500 EUR of the 14,000 EUR committed that were neither spent nor certified went back.
    assert (enrolment.committed_amount, enrolment.certified_total, enrolment.paid_total) == (
        CERTIFIED,
        CERTIFIED,
        CERTIFIED,
    )
    assert programme.committed_total == CERTIFIED
    assert services.reconcile().ok
