"""axe-core on every page of the journeys, for every role (the visitor, the company owner, the expert,
the regional officer and the staff, the Django admin included): no violation of any impact. The data
is the demo's (`seed_demo`) plus a diagnostic in progress, so that lists, forms and charts are drawn
with content, and a colleague answering on their own and disagreeing with the lead, so that the
divergence and consensus pages have rows. axe-core is the vendored copy in tests/e2e/vendor (no network needed)."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import Diagnostic, Question, Respondent, RespondentAnswer, RespondentFunction
from diagnostics.selectors import draft_of
from diagnostics.selectors.respondents import divergence_for
from diagnostics.services import start_diagnostic
from diagnostics.services.respondents import invite_respondent, save_respondent_answer
from experts.models import Assignment
from portal.models import User
from regions.models import Enrolment, Programme
from regions.services import settle_programme
from seeding.demo import seed_demo
from seeding.demo.accounts import EXPERT, OFFICER, SME, STAFF
from tests.e2e.test_expert_journey import pass_second_factor
from tests.e2e.test_shell import log_in
from tests.portal.factories import MembershipFactory
from tests.portal.two_factor import device_for
from tests.regions.factories import ProgrammeFactory, waiting_and_certified_claims

pytestmark = pytest.mark.django_db(transaction=True)

SHIPPED_REFERENTIAL = settings.BASE_DIR / "diagnostics" / "referentials" / "industrie-du-futur.yaml"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.14.1"  # tests/e2e/vendor/README.md
ACCOUNTS = {"sme": SME, "officer": OFFICER, "expert": EXPERT, "staff": STAFF}
ROLES = ["visitor", *ACCOUNTS]
WAIT_MS = 15_000  # the machines running the suite are often busy

# Every rule axe runs by default (WCAG 2.x A and AA, plus its best practices); all impacts count.
RUN_AXE = """() => axe.run(document, {resultTypes: ['violations']}).then(results => results.violations.map(
    violation => ({id: violation.id, impact: violation.impact,
                   targets: violation.nodes.map(node => node.target.join(' '))})))"""


def diverging_respondents(draft, lead):
    """A colleague from production answers the draft's core questions on their own, two levels or more
    away from the lead, so that the divergence and consensus pages have rows to show."""
    colleague = MembershipFactory(company=draft.company, user__email="production@atelier-demo.example").user
    invite_respondent(diagnostic=draft, function=RespondentFunction.PRODUCTION, by=lead, user=colleague)
    core = Question.objects.filter(referential=draft.referential, module__isnull=True).order_by("axis__order", "pk")
    for index, question in enumerate(core[:6]):
        lead_level = index % 2
        save_respondent_answer(diagnostic=draft, question=question, level=lead_level, by=lead)
        save_respondent_answer(diagnostic=draft, question=question, level=lead_level + 3, by=colleague)
    assert sum(axis.diverging_count for axis in divergence_for(draft)) == 6
    return colleague


def respondents_on_submitted(diagnostic, lead, colleague):
    """The same disagreement on a submitted diagnostic, for the pages that show it after submission (the
    results' link, the expert's validation). Raw rows: the services take answers on drafts only."""
    now = timezone.now()
    for user, function in [(lead, RespondentFunction.DIRECTION), (colleague, RespondentFunction.PRODUCTION)]:
        Respondent.objects.create(
            diagnostic=diagnostic, user=user, email=user.email, function=function, invited_by=lead, notified_at=now
        )
    core = Question.objects.filter(referential=diagnostic.referential, module__isnull=True).order_by(
        "axis__order", "pk"
    )
    RespondentAnswer.objects.bulk_create(
        RespondentAnswer(diagnostic=diagnostic, respondent=user, question=question, level=level, answered_at=now)
        for index, question in enumerate(core[:6])
        for user, level in [(lead, index % 2), (colleague, index % 2 + 3)]
    )


@pytest.fixture
def demo():
    call_command("load_referential", SHIPPED_REFERENTIAL, publish=True, stdout=StringIO())
    accounts = seed_demo()
    company = accounts["company"]
    accounts["draft"] = draft_of(company) or start_diagnostic(company=company, by=accounts["sme"])
    accounts["colleague"] = diverging_respondents(accounts["draft"], accounts["sme"])
    for diagnostic in {
        submitted_of(company),
        Assignment.objects.filter(expert__user=accounts["expert"]).first().diagnostic,
    }:
        respondents_on_submitted(diagnostic, accounts["sme"], accounts["colleague"])
    return accounts


def submitted_of(company):
    return Diagnostic.objects.filter(company=company, status="submitted").latest("submitted_at")


@pytest.fixture
def scanner(browser, live_server):
    """A French browser page that accepts the injected axe-core script: the portal's
    Content-Security-Policy refuses inline scripts, and axe is the test's, not the page's."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def journey_pages(role, demo):
    """The pages a person of this role reaches in the journeys, with the demo's objects."""
    company = demo["company"]
    submitted = Diagnostic.objects.filter(company=company, status="submitted").latest("submitted_at")
    draft = demo["draft"]
    axis = draft.referential.axes.order_by("order").first()
    programme = Programme.objects.get()
    enrolment = Enrolment.objects.get()
    settled = settle_programme(
        programme=ProgrammeFactory(region=programme.region, name="Programme soldé", budget=Decimal("1000")), by=None
    )
    assignment = Assignment.objects.filter(expert__user=demo["expert"]).first()
    waiting, certified = waiting_and_certified_claims(enrolment)
    pages = {
        "visitor": [
            reverse("home"),
            reverse("login"),
            reverse("portal:signup"),
            reverse("portal:signup_sent"),
            reverse("portal:privacy"),
            reverse("experts:directory"),
            reverse("experts:profile", args=[assignment.expert_id]),
            reverse("diagnostics:referential"),
            reverse("regions:open_data"),
        ],
        "sme": [
            reverse("portal:my_company"),
            reverse("portal:company_detail", args=[company.pk]),
            reverse("diagnostics:company_diagnostics", args=[company.pk]),
            reverse("diagnostics:detail", args=[draft.pk]),
            reverse("diagnostics:axis", args=[draft.pk, axis.code]),
            reverse("diagnostics:review", args=[draft.pk]),
            reverse("diagnostics:modules", args=[draft.pk]),
            reverse("diagnostics:respondents", args=[draft.pk]),
            reverse("diagnostics:divergence", args=[draft.pk]),
            reverse("diagnostics:consensus", args=[draft.pk]),
            reverse("diagnostics:evidence", args=[draft.pk, axis.questions.filter(module__isnull=True).first().pk]),
            reverse("diagnostics:results", args=[submitted.pk]),
            reverse("diagnostics:divergence", args=[submitted.pk]),
            reverse("diagnostics:plan", args=[submitted.pk]),
            reverse("diagnostics:report_status", args=[submitted.pk]),
            reverse("regions:company_programmes"),
            reverse("regions:apply", args=[programme.pk]),
            reverse("regions:my_applications"),
            reverse("regions:enrolment_detail", args=[enrolment.pk]),
            reverse("regions:claim_detail", args=[waiting.pk]),
            reverse("experts:directory"),
            reverse("portal:security"),
            reverse("portal:inbox"),
            reverse("portal:email_delivery"),
        ],
        "expert": [
            reverse("experts:my_assignments"),
            reverse("experts:assignment", args=[assignment.pk]),
            reverse("experts:review", args=[assignment.pk]),
            reverse("experts:validation", args=[assignment.pk]),
            reverse("diagnostics:divergence", args=[assignment.diagnostic_id]),
            reverse("experts:log_visit", args=[assignment.pk]),
            reverse("experts:edit_profile"),
            reverse("experts:conflicts"),
            reverse("experts:directory"),
        ],
        "officer": [
            reverse("regions:my_region"),
            reverse("regions:dashboard"),
            reverse("regions:programme_create"),
            reverse("regions:programme_detail", args=[programme.pk]),
            reverse("regions:programme_edit", args=[programme.pk]),
            reverse("regions:programme_settle", args=[programme.pk]),
            reverse("regions:closing_statement", args=[settled.pk]),
            reverse("regions:enrolment_detail", args=[enrolment.pk]),
            reverse("regions:enrolment_experts", args=[enrolment.pk]),
            reverse("regions:shared_diagnostics"),
            reverse("regions:audit_trail"),
            reverse("regions:claims_to_process"),
            reverse("regions:claim_detail", args=[waiting.pk]),
            reverse("regions:claim_detail", args=[certified.pk]),
        ],
        "staff": [
            reverse("regions:national"),
            reverse("experts:accreditations"),
            reverse("diagnostics:referential_versions"),
            reverse("diagnostics:referential_version", args=[draft.referential_id]),
            reverse("experts:register_expert"),
            reverse("experts:edit_accreditation", args=[assignment.expert_id]),
            reverse("experts:assignments"),
            reverse("experts:propose", args=[company.pk]),
            reverse("experts:assignment", args=[assignment.pk]),
            reverse("regions:enrolment_experts", args=[enrolment.pk]),
            reverse("admin:index"),
            reverse("admin:portal_company_changelist"),
            reverse("admin:portal_company_change", args=[company.pk]),
        ],
    }
    return pages[role]


def violations_on(page):
    """axe's violations on the page shown, one line each: page, rule, impact, elements."""
    page.wait_for_load_state("load")
    page.add_script_tag(path=AXE)
    assert page.evaluate("axe.version") == AXE_VERSION, "the vendored axe-core did not load"
    path = page.url.removeprefix(page.evaluate("location.origin"))
    return [
        f"{path}: {found['id']} ({found['impact']}) on {', '.join(found['targets'])}"
        for found in page.evaluate(RUN_AXE)
    ]


def sign_in_scanning(page, account):
    """Log in as the demo account; the login page and the second-factor page are scanned on the way."""
    page.goto("/compte/login/")
    found = violations_on(page)
    log_in(page, account.email, account.password)
    if account.two_factor:
        page.wait_for_url("**/compte/verification/**", timeout=WAIT_MS)
        found += violations_on(page)
        pass_second_factor(page, device_for(User.objects.get(email=account.email)))
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_journey_page_has_no_axe_violation(scanner, demo, role):
    pages = journey_pages(role, demo)
    found = [] if role == "visitor" else sign_in_scanning(scanner, ACCOUNTS[role])
    for url in pages:
        response = scanner.goto(url)
        assert response.status == 200, f"{url} answered {response.status}"
        found += violations_on(scanner)
    assert not found, f"axe-core found {len(found)} violations for the {role}:\n" + "\n".join(found)
