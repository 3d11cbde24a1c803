"""The roadmap journey: the company follows its action plan (owners, statuses), the expert validates it,
the support ends, the company re-assesses from the invitation e-mail's link and reads how far the plan
went beside the change of each axis."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from diagnostics import services as diagnostics_services
from diagnostics.models import Diagnostic, PlanAction
from experts.models import Assignment
from regions.services.reassessment import send_due_invitations
from tests.diagnostics.factories import PublishedReferentialFactory, answer_all
from tests.e2e.test_expert_journey import browser_of, success_message
from tests.e2e.test_shell import log_in
from tests.experts.factories import AssignmentFactory, ReferencedExpertFactory
from tests.portal.factories import OwnerFactory, UserFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 15_000  # ms: the machines running the suite are often busy


@pytest.fixture
def roadmap_data():
    """A company that applied with a submitted diagnostic (level 1 everywhere) and completed its support,
    and the expert assigned to it (in progress)."""
    referential = PublishedReferentialFactory(axes=3, questions=2)
    programme = ProgrammeFactory(name="Industrie 4.0 Bretagne")
    owner = OwnerFactory(company__region=programme.region, company__name="Forges de l'Odet").user
    company = owner.memberships.get().company
    draft = diagnostics_services.start_diagnostic(company=company, by=owner)
    answer_all(draft, level=1, by=owner)
    first = diagnostics_services.submit_diagnostic(diagnostic=draft, by=owner)
    officer = an_officer(programme.region)
    expert = ReferencedExpertFactory(user=UserFactory(), regions=[programme.region.code], axes={"AX1": 3})
    AssignmentFactory(
        expert=expert, company=company, proposed_by=officer, diagnostic=first, status=Assignment.Status.IN_PROGRESS
    )
    EnrolmentFactory(programme=programme, company=company, status="completed", officer=officer)
    return {"owner": owner, "company": company, "first": first, "expert": expert, "referential": referential}


def test_the_company_follows_its_plan_the_expert_validates_it_and_the_next_diagnostic_shows_the_progress(
    browser, live_server, roadmap_data
):
    owner, first = roadmap_data["owner"], roadmap_data["first"]
    actions = list(PlanAction.objects.filter(plan__diagnostic=first).order_by("horizon", "position", "pk"))
    assert len(actions) >= 3

    # The company sets an owner and a status on two actions.
    with browser_of(browser, live_server) as page:
        log_in(page, owner.email)
        expect(page).to_have_url(re.compile(r"/entreprise/\d+/$"), timeout=WAIT)
        page.goto(f"/diagnostics/{first.pk}/resultats/")
        page.locator("a[href$='/plan/']").first.click()
        expect(page).to_have_url(re.compile(rf"/diagnostics/{first.pk}/plan/$"), timeout=WAIT)
        for action in actions[:2]:
            page.locator(f"#owner-{action.pk}").select_option(str(owner.pk))
            page.locator(f"#status-{action.pk}").select_option("done")
            page.locator(f"form[action$='/plan/action/{action.pk}/suivi/'] button[type=submit]").click()
            success_message(page, "L'action est mise à jour.")
    assert PlanAction.objects.filter(plan__diagnostic=first, status="done", owner=owner).count() == 2

    # The expert validates the plan.
    with browser_of(browser, live_server) as page:
        log_in(page, roadmap_data["expert"].user.email)
        page.goto(f"/diagnostics/{first.pk}/plan/")
        page.get_by_role("button", name="Valider le plan").click()
        success_message(page, "Le plan est validé.")

    # The support ended: the T1 invitation leaves; the company follows its link and starts from its answers.
    mail.outbox.clear()
    assert send_due_invitations() == 1
    invitation = next(message for message in mail.outbox if message.to == [owner.email])
    path = re.search(r"https?://[^/\s]+(/\S+)", invitation.body).group(1)
    with browser_of(browser, live_server) as page:
        log_in(page, owner.email)
        page.goto(path)
        page.get_by_role("button", name="Repartir de mes réponses précédentes").click()
        second = Diagnostic.objects.filter(company=roadmap_data["company"], status="draft").get()
        # One answer moves up: the first axis's first question, from level 1 to level 3.
        axis = roadmap_data["referential"].axes.order_by("order").first()
        page.goto(f"/diagnostics/{second.pk}/axe/{axis.code}/")
        question = axis.questions.order_by("order", "pk").first()
        page.locator(f"fieldset#q-{question.code} input[type=radio][value='3']").check()
        expect(page.locator(f"#q{question.pk}-status .text-success")).to_be_visible(timeout=WAIT)
        page.get_by_role("link", name="Relire et soumettre").click()
        page.locator(f"form[action$='/diagnostics/{second.pk}/soumettre/'] button").click()
        expect(page).to_have_url(re.compile(rf"/diagnostics/{second.pk}/resultats/$"), timeout=60_000)
        counted = len([action for action in actions if action.status != "dropped"])
        expect(page.locator("#previous-plan-progress")).to_contain_text(
            f"2 actions réalisées sur {counted}", timeout=WAIT
        )
        expect(page.locator("#axes table")).to_contain_text("Écart", timeout=WAIT)
        expect(page.locator("#axes table tbody tr").first).to_contain_text("+", timeout=WAIT)
