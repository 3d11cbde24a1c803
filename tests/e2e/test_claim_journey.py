"""Payment claims in the browser, in French: the company's member claims a payment with an invoice
from the enrolment's page, the region's officer finds it among the claims to process, certifies
less than claimed, records the payment, and the member reads the claim paid with its reference."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from regions import services
from regions.models import PaymentClaim
from tests.e2e.test_expert_journey import WAIT, browser_of, pass_second_factor, success_message
from tests.e2e.test_shell import log_in
from tests.portal.factories import MembershipFactory, OwnerFactory, RegionOfficerFactory, UserFactory
from tests.portal.two_factor import device_for
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, bretagne

pytestmark = pytest.mark.django_db(transaction=True)

PROGRAMME = "Robotique Bretagne 2027"


@pytest.fixture
def funded(tmp_path):
    """A Bretagne officer with an authenticator; a company of the region in progress on the programme
    with 15,000 EUR committed; one of its members; an invoice on disk."""
    officer = RegionOfficerFactory(
        region=bretagne(), user=UserFactory(first_name="Morgane", last_name="Le Bihan", email="m.lebihan@bretagne.bzh")
    ).user
    company = OwnerFactory(company__name="Fonderie de Lorient", company__region=bretagne()).company
    member = MembershipFactory(
        company=company, user=UserFactory(first_name="Erwan", last_name="Tanguy", email="e.tanguy@fonderie-lorient.fr")
    ).user
    programme = ProgrammeFactory(name=PROGRAMME, cap_per_company=Decimal("20000"))
    enrolment = EnrolmentFactory(
        programme=programme, company=company, status="in_progress", committed=Decimal("15000"), officer=officer
    )
    invoice = tmp_path / "facture-robot.pdf"
    invoice.write_bytes(b"%PDF-1.4\n% facture de la cellule robotisee\n%%EOF\n")
    return {
        "officer": officer,
        "device": device_for(officer),
        "member": member,
        "enrolment": enrolment,
        "invoice": invoice,
    }


def member_claims(page, data):
    enrolment = data["enrolment"]
    log_in(page, data["member"].email)
    page.goto("/regions/mes-candidatures/")
    page.get_by_role("link", name=PROGRAMME).click()
    expect(page).to_have_url(re.compile(rf"/candidatures/{enrolment.pk}/$"), timeout=WAIT)
    claims = page.locator("section[aria-labelledby=claims-title]")
    expect(claims).to_contain_text("Aucune demande de paiement pour l’instant.", timeout=WAIT)
    claims.get_by_label("Montant demandé (EUR)").fill("12 500,00")
    claims.get_by_label("Dépenses présentées").fill("Cellule robotisée d'ébarbage")
    claims.get_by_label("Factures").set_input_files(data["invoice"])
    claims.get_by_role("button", name="Envoyer la demande").click()
    success_message(page, "Votre demande de paiement est envoyée. La région va l’examiner.")
    claim = PaymentClaim.objects.get(enrolment=enrolment)
    expect(page).to_have_url(re.compile(rf"/demandes-de-paiement/{claim.pk}/$"), timeout=WAIT)
    expect(page.locator("main .badge").first).to_have_text("Reçue")
    expect(page.get_by_role("link", name="facture-robot.pdf")).to_be_visible()
    return claim


def officer_certifies_and_pays(page, data, claim):
    log_in(page, data["officer"].email)
    pass_second_factor(page, data["device"])
    page.get_by_role("link", name="Ma région").first.click()
    page.get_by_role("link", name="Demandes de paiement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes de paiement à traiter", timeout=WAIT)
    page.get_by_role("link", name="Fonderie de Lorient").click()
    expect(page).to_have_url(re.compile(rf"/demandes-de-paiement/{claim.pk}/$"), timeout=WAIT)
    page.get_by_label("Montant certifié (EUR)").fill("12 000")
    page.get_by_role("button", name="Certifier").click()
    success_message(page, "Demande de paiement certifiée")
    expect(page.locator("main .badge").first).to_have_text("Certifiée")
    page.get_by_label("Référence du paiement").fill("VIR-2027-0042")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    success_message(page, "Paiement enregistré")
    expect(page.locator("main .badge").first).to_have_text("Payée")


def test_a_claim_with_its_invoice_is_certified_then_paid(browser, live_server, funded):
    with browser_of(browser, live_server) as member_page:
        claim = member_claims(member_page, funded)
        with browser_of(browser, live_server) as officer_page:
            officer_certifies_and_pays(officer_page, funded, claim)
        member_page.reload()
        expect(member_page.locator("main .badge").first).to_have_text("Payée", timeout=WAIT)
        expect(member_page.locator("main")).to_contain_text("VIR-2027-0042")

    claim.refresh_from_db()
    assert (claim.status, claim.amount_claimed, claim.certified_amount) == ("paid", Decimal("12500"), Decimal("12000"))
    assert (claim.payment.amount, claim.payment.paid_on) == (Decimal("12000"), timezone.localdate())
    enrolment = funded["enrolment"]
    enrolment.refresh_from_db()
    assert (enrolment.certified_total, enrolment.paid_total) == (Decimal("12000"), Decimal("12000"))
    assert services.reconcile().ok
