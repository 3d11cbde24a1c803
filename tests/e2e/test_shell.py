import pytest
from playwright.sync_api import expect

from tests.portal.factories import DEFAULT_PASSWORD, OwnerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, email, password=DEFAULT_PASSWORD):
    page.goto("/compte/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_visitor_reads_the_home_page_in_french_and_switches_to_english(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Inscrire mon entreprise").first).to_be_visible()

    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Register my company").first).to_be_visible()


def test_owner_logs_in_and_lands_on_the_company_page(page):
    owner = OwnerFactory().user
    company = owner.memberships.get().company
    log_in(page, owner.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(company.name)


def test_skip_link_is_the_first_thing_the_keyboard_reaches(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
