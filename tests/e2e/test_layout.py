"""Every role's main pages (lists, results, dashboards and forms) at a phone's (390 px), a tablet's
(768 px) and a laptop's (1280 px) width: nothing wider than the window (a table scrolls inside its
own region or becomes cards), a header that keeps each label on one line where it is expanded and
folds behind its button below 1200 px. Screenshots of each page at each width are kept in the test's
temporary folder for a person to look at. The data is the demo's (`seed_demo`): what a visitor of
`make run` sees, with lists that are not empty."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from diagnostics.models import Diagnostic
from experts.models import Assignment
from portal.models import User
from regions.models import Enrolment, Programme
from seeding.demo import seed_demo
from seeding.demo.accounts import EXPERT, OFFICER, SME, STAFF
from tests.e2e.test_expert_journey import pass_second_factor
from tests.e2e.test_shell import log_in
from tests.portal.two_factor import device_for
from tests.regions.factories import waiting_and_certified_claims

pytestmark = pytest.mark.django_db(transaction=True)

SHIPPED_REFERENTIAL = settings.BASE_DIR / "diagnostics" / "referentials" / "industrie-du-futur.yaml"
WIDTHS = (390, 768, 1280)
EXPANDED_FROM = 1200  # Bootstrap's xl breakpoint, where base.html's navbar expands

OVERFLOW = "document.scrollingElement.scrollWidth > window.innerWidth"
# A table wider than the screen scrolls inside a region the keyboard reaches, named after the table.
UNREACHABLE_SCROLLING_TABLES = """() => [...document.querySelectorAll('.table-responsive')]
    .filter(box => box.scrollWidth > box.clientWidth)
    .filter(box => box.getAttribute('tabindex') !== '0' || box.getAttribute('role') !== 'region'
                   || !(document.getElementById(box.getAttribute('aria-labelledby')) || {}).textContent)
    .map(box => (box.querySelector('caption, th') || box).textContent.trim().slice(0, 40))"""


def main_pages(role, demo):
    """The pages each role spends its time on, with the demo's objects."""
    company = demo["company"]
    diagnostic = Diagnostic.objects.filter(company=company, status="submitted").latest("submitted_at")
    programme = Programme.objects.get()
    assignment = Assignment.objects.filter(expert__user=demo["expert"]).first()
    enrolment = Enrolment.objects.get()
    waiting, certified = waiting_and_certified_claims(enrolment)
    pages = {
        "sme": [
            reverse("regions:enrolment_detail", args=[enrolment.pk]),
            reverse("regions:claim_detail", args=[waiting.pk]),
            reverse("portal:my_company"),
            reverse("diagnostics:company_diagnostics", args=[company.pk]),
            reverse("diagnostics:results", args=[diagnostic.pk]),
            reverse("regions:company_programmes"),
            reverse("regions:my_applications"),
            reverse("regions:apply", args=[programme.pk]),
            reverse("experts:directory"),
        ],
        "officer": [
            reverse("regions:my_region"),
            reverse("regions:dashboard"),
            reverse("regions:programme_detail", args=[programme.pk]),
            reverse("regions:programme_edit", args=[programme.pk]),
            reverse("regions:shared_diagnostics"),
            reverse("regions:audit_trail"),
            reverse("regions:claims_to_process"),
            reverse("regions:claim_detail", args=[waiting.pk]),
            reverse("regions:claim_detail", args=[certified.pk]),
        ],
        "expert": [
            reverse("experts:assignment", args=[assignment.pk]),
            reverse("experts:edit_profile"),
            reverse("diagnostics:referential"),
        ],
        "staff": [
            reverse("regions:national"),
            reverse("experts:accreditations"),
            reverse("experts:assignments"),
            reverse("regions:enrolment_experts", args=[Enrolment.objects.get().pk]),
        ],
    }
    return pages[role]


ACCOUNTS = {"sme": SME, "officer": OFFICER, "expert": EXPERT, "staff": STAFF}


@pytest.fixture
def demo():
    call_command("load_referential", SHIPPED_REFERENTIAL, publish=True, stdout=StringIO())
    return seed_demo()


def sign_in(page, account):
    log_in(page, account.email, account.password)
    if account.two_factor:
        pass_second_factor(page, device_for(User.objects.get(email=account.email)))


def header_problems(page, width):
    """What is wrong with the header at this width: a label over two lines, or the wrong folding."""
    problems = []
    toggler = page.locator(".navbar-toggler")
    if width >= EXPANDED_FROM:
        if toggler.is_visible():
            problems.append("the menu is folded although the screen is wide")
        wrapped = page.evaluate(
            """() => [...document.querySelectorAll('header .nav-link, header .btn, header select')]
                 .filter(el => el.getClientRects().length > 1 || el.scrollWidth > el.clientWidth + 1
                               || el.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(el).lineHeight))
                 .map(el => el.textContent.trim() || el.value)"""
        )
        problems += [f"{label!r} does not hold on one line" for label in wrapped]
    elif not toggler.is_visible():
        problems.append("the menu does not fold behind its button")
    return problems


@pytest.mark.parametrize("role", ["sme", "officer", "expert", "staff"])
def test_main_pages_fit_the_window_at_every_width(page, demo, role, tmp_path):
    pages = main_pages(role, demo)
    sign_in(page, ACCOUNTS[role])
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in pages:
            response = page.goto(url)
            assert response.status == 200, f"{url} answered {response.status}"
            page.wait_for_load_state("load")
            name = url.strip("/").replace("/", "-") or "home"
            page.screenshot(path=tmp_path / f"{role}-{name}-{width}.png", full_page=True)
            if page.evaluate(OVERFLOW):
                wide = page.evaluate("document.scrollingElement.scrollWidth")
                problems.append(f"{url} at {width} px is {wide} px wide")
            problems += [f"{url} at {width} px: {problem}" for problem in header_problems(page, width)]
            problems += [
                f"{url} at {width} px: the table {table!r} scrolls in a box without a name or keyboard access"
                for table in page.evaluate(UNREACHABLE_SCROLLING_TABLES)
            ]
    assert not problems, f"screenshots in {tmp_path}:\n" + "\n".join(problems)


def test_the_folded_menu_opens_and_offers_the_account_actions(page, demo):
    sign_in(page, ACCOUNTS["sme"])
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(reverse("experts:directory"))
    page.get_by_role("button", name="Ouvrir le menu").click()
    page.get_by_role("button", name="Mon compte").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert not page.evaluate(OVERFLOW)


def test_every_page_shows_the_portal_icon_and_favicon_ico_finds_it(page):
    page.goto("/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).headers["content-type"].startswith("image/svg+xml")
    assert page.request.get("/favicon.ico").ok
