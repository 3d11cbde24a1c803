"""The questionnaire in headless Chromium: autosave on every change, "not saved — retrying" when the
network fails, then saved; the progress follows; the page works without JavaScript too.

(The full journey — sign up, two visits, submit, results — is tests/e2e/test_diagnostic_journey.py.)
"""

import os
import shutil
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from diagnostics import services
from diagnostics.models import Answer
from tests.diagnostics.factories import PublishedReferentialFactory
from tests.portal.factories import DEFAULT_PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@pytest.fixture(scope="module")
def chromium():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(chromium, live_server, *, javascript=True):
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR", java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def log_in(page, email):
    page.goto(reverse("login"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/compte/login" not in url)


@pytest.fixture(autouse=True)
def _technology_themes(transactional_db):
    """A transactional test starts after a flush: put back the themes the data migration loaded."""
    import_module("diagnostics.migrations.0002_technology_themes").load_themes(apps, None)


@pytest.fixture
def draft(company, owner):
    PublishedReferentialFactory(axes=2, questions=3)
    return services.start_diagnostic(company=company, by=owner)


def status_of(page, diagnostic, code):
    question = diagnostic.referential.questions.get(code=code)
    return page.locator(f"#q{question.pk}-status"), question


def test_autosave_retry_and_progress(chromium, live_server, owner, draft):
    from playwright.sync_api import expect

    page = new_page(chromium, live_server)
    log_in(page, owner.email)
    page.goto(reverse("diagnostics:axis", args=[draft.pk, "AX1"]))

    # A change saves at once and tells who answered.
    status, question = status_of(page, draft, "AX1-1")
    page.locator(f"#id_q{question.pk}-choice_3").check()
    expect(status).to_contain_text("Enregistré")
    expect(status).to_contain_text(str(owner))
    assert Answer.objects.get(question=question).level == 3
    expect(page.locator("#axis-progress .js-axis-answered")).to_have_text("1")
    expect(page.locator(".js-overall-answered")).to_have_text("1")

    # The network fails twice: the page says so, retries, then saves.
    failures = {"left": 2}

    def flaky(route):
        if failures["left"] > 0:
            failures["left"] -= 1
            route.abort()
        else:
            route.continue_()

    page.route("**/reponse/**", flaky)
    status, question = status_of(page, draft, "AX1-2")
    page.locator(f"#id_q{question.pk}-choice_1").check()
    expect(status).to_contain_text("Non enregistré — nouvel essai")
    expect(status).to_contain_text("Enregistré", timeout=20_000)
    assert Answer.objects.get(question=question).level == 1
    page.unroute("**/reponse/**")

    # A comment is saved shortly after typing stops, with the level already chosen.
    comment = page.locator(f"#id_q{question.pk}-comment")
    with page.expect_response(lambda response: "/reponse/" in response.url) as saved:
        comment.fill("Deux postes seulement")
    assert saved.value.status == 200
    expect(status).to_contain_text("Enregistré")
    stored = Answer.objects.get(question=question)
    assert (stored.level, stored.comment) == (1, "Deux postes seulement")

    # Keyboard: arrows move between a question's levels, and the change saves.
    status, question = status_of(page, draft, "AX1-3")
    page.locator(f"#id_q{question.pk}-choice_0").focus()
    page.keyboard.press("Space")
    expect(status).to_contain_text("Enregistré")
    url = reverse("diagnostics:autosave", args=[draft.pk, question.pk])
    with page.expect_response(lambda response: response.url.endswith(url)) as saved:
        page.keyboard.press("ArrowDown")
    assert f"q{question.pk}-choice=1" in saved.value.request.post_data
    assert Answer.objects.get(question=question).level == 1


def test_a_refused_answer_is_not_retried(chromium, live_server, owner, draft):
    from playwright.sync_api import expect

    page = new_page(chromium, live_server)
    log_in(page, owner.email)
    page.goto(reverse("diagnostics:axis", args=[draft.pk, "AX1"]))
    status, question = status_of(page, draft, "AX1-1")
    # Tamper with the value in the page: the server refuses it and says why.
    page.locator(f"#id_q{question.pk}-choice_5").evaluate("input => input.value = '9'")
    page.locator(f"#id_q{question.pk}-choice_5").check()
    expect(status).to_contain_text("Non enregistré")
    expect(status).not_to_contain_text("nouvel essai")
    assert not Answer.objects.exists()


def test_without_javascript_the_page_saves_on_submit(chromium, live_server, owner, draft):
    from playwright.sync_api import expect

    page = new_page(chromium, live_server, javascript=False)
    log_in(page, owner.email)
    page.goto(reverse("diagnostics:axis", args=[draft.pk, "AX1"]))
    for code, level in (("AX1-1", 2), ("AX1-2", 4)):
        question = draft.referential.questions.get(code=code)
        page.locator(f"#id_q{question.pk}-choice_{level}").check()
    page.get_by_role("button", name="Enregistrer et passer à l’axe suivant").click()
    expect(page).to_have_url(live_server.url + reverse("diagnostics:axis", args=[draft.pk, "AX2"]))
    assert sorted(Answer.objects.values_list("question__code", "level")) == [("AX1-1", 2), ("AX1-2", 4)]
