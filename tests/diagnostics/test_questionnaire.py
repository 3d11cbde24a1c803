"""The questionnaire: start, axis pages, autosave, resume, page post without JavaScript, review, submit."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from diagnostics import services
from diagnostics.models import Answer, Diagnostic
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory, answer_all
from tests.diagnostics.test_diagnostic_services import expected_snapshot

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def referential():
    return PublishedReferentialFactory(axes=2, questions=3)


@pytest.fixture
def draft(company, owner, referential):
    return services.start_diagnostic(company=company, by=owner)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def axis_url(diagnostic, code="AX1"):
    return reverse("diagnostics:axis", args=[diagnostic.pk, code])


def autosave_url(diagnostic, question):
    return reverse("diagnostics:autosave", args=[diagnostic.pk, question.pk])


def question(diagnostic, code="AX1-1"):
    return diagnostic.referential.questions.get(code=code)


def save(client, diagnostic, q, choice="", comment=""):
    prefix = f"q{q.pk}"
    return client.post(autosave_url(diagnostic, q), {f"{prefix}-choice": choice, f"{prefix}-comment": comment}, **HTMX)


# --- list and start ---------------------------------------------------------------------------------------


def test_company_page_links_to_the_diagnostics(owner, company):
    response = logged_in(owner).get(reverse("portal:company_detail", args=[company.pk]))
    assert reverse("diagnostics:company_diagnostics", args=[company.pk]) in response.content.decode()


def test_list_offers_to_start(owner, company, referential):
    response = logged_in(owner).get(reverse("diagnostics:company_diagnostics", args=[company.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("diagnostics:start", args=[company.pk]) in page
    assert 'name="from_previous"' not in page  # nothing submitted yet


def test_start_then_the_first_axis(owner, company, referential):
    client = logged_in(owner)
    response = client.post(reverse("diagnostics:start", args=[company.pk]))
    diagnostic = Diagnostic.objects.get(company=company)
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnostics:detail", args=[diagnostic.pk])
    response = client.get(response["Location"])
    assert response["Location"] == axis_url(diagnostic, "AX1")


def test_start_twice_goes_to_the_draft(owner, member, company, draft):
    response = logged_in(member).post(reverse("diagnostics:start", args=[company.pk]), follow=True)
    assert Diagnostic.objects.filter(company=company).count() == 1
    assert response.redirect_chain[0][0] == reverse("diagnostics:detail", args=[draft.pk])
    assert "already has a diagnostic in progress" in response.content.decode() or "déjà" in response.content.decode()


def test_start_without_published_referential_says_so(owner, company):
    response = logged_in(owner).post(reverse("diagnostics:start", args=[company.pk]), follow=True)
    assert not Diagnostic.objects.exists()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("diagnostics:company_diagnostics", args=[company.pk])


def test_start_is_post_only(owner, company, referential):
    assert logged_in(owner).get(reverse("diagnostics:start", args=[company.pk])).status_code == 405
    assert not Diagnostic.objects.exists()


def test_start_from_previous_answers(owner, company, draft):
    answer_all(draft, level=2)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    client = logged_in(owner)
    page = client.get(reverse("diagnostics:company_diagnostics", args=[company.pk])).content.decode()
    assert 'name="from_previous"' in page
    client.post(reverse("diagnostics:start", args=[company.pk]), {"from_previous": "1"})
    second = Diagnostic.objects.get(company=company, status="draft")
    assert second.answers.count() == 6
    response = client.get(axis_url(second))
    assert "reprise du diagnostic précédent" in response.content.decode()


def test_list_shows_status_and_overall(owner, company, draft):
    answer_all(draft, level=3)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    with translation.override("en"):
        response = logged_in(owner).get(
            reverse("diagnostics:company_diagnostics", args=[company.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    page = response.content.decode()
    assert "3.00" in page or "3,00" in page
    assert reverse("diagnostics:results", args=[draft.pk]) in page


# --- the axis page ---------------------------------------------------------------------------------------


def test_axis_page_shows_full_descriptors_fieldsets_and_autosave(owner, draft):
    response = logged_in(owner).get(axis_url(draft))
    page = response.content.decode()
    assert response.status_code == 200
    q = question(draft)
    assert page.count("<fieldset") == 3
    assert page.count("<legend") == 3
    for level in q.levels.all():
        assert level.description in page
    assert f'hx-post="{autosave_url(draft, q)}"' in page
    assert 'hx-trigger="change, retry-save"' in page
    assert 'aria-live="polite"' in page
    # Every input has a label.
    ids = re.findall(r'<(?:input|textarea)[^>]*\bid="([^"]+)"', page)
    assert ids
    for input_id in ids:
        assert f'for="{input_id}"' in page
    # Not applicable only where allowed (AX1-3 allows it, AX1-1 does not).
    assert f'id="id_q{question(draft, "AX1-3").pk}-choice_na"' in page
    assert f'id="id_q{q.pk}-choice_na"' not in page
    # No inline script: the CSP to come forbids it.
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None
    assert "js/questionnaire.js" in page


def test_unknown_axis_is_404(owner, draft):
    assert logged_in(owner).get(axis_url(draft, "NOPE")).status_code == 404


def test_axis_page_shows_progress(owner, draft):
    answer_all(draft, level=1)
    Answer.objects.filter(question__code__in=["AX1-1", "AX2-2"]).delete()
    page = logged_in(owner).get(axis_url(draft)).content.decode()
    assert 'class="js-axis-answered">2</span>/<span class="js-axis-total">3</span>' in page
    assert '<span class="js-overall-answered">4</span>/6' in page


# --- autosave ----------------------------------------------------------------------------------------------


def test_autosave_stores_one_answer_and_tells_who_and_when(owner, draft):
    q = question(draft)
    with translation.override("en"):
        response = save(logged_in(owner), draft, q, choice="4", comment="Sur la ligne 2")
    assert response.status_code == 200
    answer = Answer.objects.get()
    assert (answer.question, answer.level, answer.not_applicable, answer.comment) == (q, 4, False, "Sur la ligne 2")
    assert answer.answered_by == owner
    body = response.content.decode()
    assert str(owner) in body
    assert "Enregistré" in body or "Saved" in body


def test_autosave_not_applicable_and_comment_only(owner, draft):
    client = logged_in(owner)
    na = question(draft, "AX1-3")
    assert save(client, draft, na, choice="na").status_code == 200
    assert Answer.objects.get(question=na).not_applicable
    q = question(draft)
    assert save(client, draft, q, comment="à vérifier").status_code == 200
    stored = Answer.objects.get(question=q)
    assert stored.level is None and not stored.is_complete and stored.comment == "à vérifier"


def test_autosave_replaces_the_answer(owner, member, draft):
    q = question(draft)
    save(logged_in(owner), draft, q, choice="1")
    save(logged_in(member), draft, q, choice="2")
    answer = Answer.objects.get()
    assert (answer.level, answer.answered_by) == (2, member)


def test_resume_on_another_device(owner, draft):
    q = question(draft, "AX2-1")
    save(logged_in(owner), draft, q, choice="5", comment="Robot soudure")
    other_device = logged_in(owner)  # a new session, the same user
    page = other_device.get(axis_url(draft, "AX2")).content.decode()
    assert re.search(rf'id="id_q{q.pk}-choice_5"\s+checked|value="5" checked', page)
    assert "Robot soudure" in page
    assert str(owner) in page


def test_several_members_answer_different_axes(owner, member, draft):
    save(logged_in(owner), draft, question(draft, "AX1-1"), choice="2")
    save(logged_in(member), draft, question(draft, "AX2-1"), choice="3")
    answers = {a.question.code: a.answered_by for a in Answer.objects.select_related("question")}
    assert answers == {"AX1-1": owner, "AX2-1": member}
    page = logged_in(owner).get(axis_url(draft, "AX2")).content.decode()
    assert str(member) in page


@pytest.mark.parametrize("choice", ["9", "-1", "6", "abc", "3.5"])
def test_autosave_refuses_a_tampered_level(owner, draft, choice):
    response = save(logged_in(owner), draft, question(draft), choice=choice)
    assert response.status_code == 400
    assert "0" in response.content.decode() and "5" in response.content.decode()
    assert not Answer.objects.exists()


def test_autosave_refuses_not_applicable_where_not_allowed(owner, draft):
    response = save(logged_in(owner), draft, question(draft, "AX1-1"), choice="na")
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_autosave_refuses_a_too_long_comment(owner, draft):
    response = save(logged_in(owner), draft, question(draft), choice="1", comment="x" * 2001)
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_autosave_accepts_a_question_of_another_axis_of_the_same_referential(owner, draft):
    # The URL names the question, not the axis: any question of the diagnostic's version is fine.
    response = save(logged_in(owner), draft, question(draft, "AX2-3"), choice="1")
    assert response.status_code == 200


def test_autosave_refuses_a_question_of_another_referential(owner, draft):
    other = PublishedReferentialFactory(code="autre-referentiel").questions.first()
    response = save(logged_in(owner), draft, other, choice="1")
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_autosave_refuses_a_submitted_diagnostic(owner, draft):
    answer_all(draft, level=2)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    response = save(logged_in(owner), draft, question(draft), choice="5")
    assert response.status_code == 409
    assert "submitted" in response.content.decode() or "soumis" in response.content.decode()
    assert set(Answer.objects.values_list("level", flat=True)) == {2}


def test_autosave_refuses_another_companys_diagnostic(other_company_member, draft):
    response = save(logged_in(other_company_member), draft, question(draft), choice="5")
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_autosave_does_not_find_a_draft_for_staff(staff, draft):
    response = save(logged_in(staff), draft, question(draft), choice="5")
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_autosave_is_post_only(owner, draft):
    assert logged_in(owner).get(autosave_url(draft, question(draft))).status_code == 405


# --- the page posted without JavaScript -----------------------------------------------------------------


def page_data(diagnostic, choices, comments=None):
    data = {}
    for code, choice in choices.items():
        q = question(diagnostic, code)
        data[f"q{q.pk}-choice"] = choice
        data[f"q{q.pk}-comment"] = (comments or {}).get(code, "")
    return data


def test_page_post_saves_the_page_and_goes_to_the_next_axis(owner, draft):
    client = logged_in(owner)
    response = client.post(axis_url(draft), page_data(draft, {"AX1-1": "1", "AX1-2": "2", "AX1-3": "na"}))
    assert response.status_code == 302
    assert response["Location"] == axis_url(draft, "AX2")
    assert {a.question.code: (a.level, a.not_applicable) for a in Answer.objects.select_related("question")} == {
        "AX1-1": (1, False),
        "AX1-2": (2, False),
        "AX1-3": (None, True),
    }
    response = client.post(axis_url(draft, "AX2"), page_data(draft, {"AX2-1": "3", "AX2-2": "", "AX2-3": ""}))
    assert response["Location"] == reverse("diagnostics:review", args=[draft.pk])
    assert Answer.objects.count() == 4  # empty questions are not written


def test_page_post_only_rewrites_what_changed(owner, member, draft):
    save(logged_in(owner), draft, question(draft, "AX1-1"), choice="4")
    logged_in(member).post(axis_url(draft), page_data(draft, {"AX1-1": "4", "AX1-2": "2", "AX1-3": ""}))
    by = {a.question.code: a.answered_by for a in Answer.objects.select_related("question")}
    assert by == {"AX1-1": owner, "AX1-2": member}


def test_page_post_with_a_tampered_level_saves_nothing(owner, draft):
    response = logged_in(owner).post(axis_url(draft), page_data(draft, {"AX1-1": "1", "AX1-2": "9", "AX1-3": ""}))
    assert response.status_code == 400
    assert not Answer.objects.exists()
    assert 'role="alert"' in response.content.decode()


def test_page_post_on_a_submitted_diagnostic_saves_nothing(owner, draft):
    answer_all(draft, level=2)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    response = logged_in(owner).post(axis_url(draft), page_data(draft, {"AX1-1": "5", "AX1-2": "5", "AX1-3": "5"}))
    assert response.status_code == 302
    assert set(Answer.objects.values_list("level", flat=True)) == {2}


def test_submitted_diagnostic_axis_page_is_read_only(owner, draft):
    answer_all(draft, level=2)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    page = logged_in(owner).get(axis_url(draft)).content.decode()
    assert "hx-post" not in page
    assert "disabled" in page
    assert 'type="submit" class="btn btn-primary"' not in page


# --- review and submit --------------------------------------------------------------------------------------


def test_review_lists_what_is_missing_with_links(owner, draft):
    answer_all(draft, level=2)
    Answer.objects.filter(question__code__in=["AX1-2", "AX2-3"]).delete()
    page = logged_in(owner).get(reverse("diagnostics:review", args=[draft.pk])).content.decode()
    assert f'href="{axis_url(draft, "AX1")}#q-AX1-2"' in page
    assert f'href="{axis_url(draft, "AX2")}#q-AX2-3"' in page
    assert 'id="q-AX1-2"' in logged_in(owner).get(axis_url(draft)).content.decode()  # the anchor exists
    assert re.search(r"<button[^>]*disabled[^>]*>", page)


def test_review_when_complete_enables_submit(owner, draft):
    answer_all(draft, level=2)
    page = logged_in(owner).get(reverse("diagnostics:review", args=[draft.pk])).content.decode()
    assert reverse("diagnostics:submit", args=[draft.pk]) in page
    assert not re.search(r"<button[^>]*disabled[^>]*>", page)


def test_submit_refused_when_incomplete_lists_the_missing(owner, draft):
    answer_all(draft, level=2)
    Answer.objects.filter(question__code="AX2-3").delete()
    response = logged_in(owner).post(reverse("diagnostics:submit", args=[draft.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("diagnostics:review", args=[draft.pk])
    assert "AX2-3" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Diagnostic.Status.DRAFT


def test_submit_when_complete_goes_to_the_results_with_the_snapshot(owner, draft):
    answer_all(draft, level=lambda q: q.pk % 6)
    expected = expected_snapshot(draft)
    response = logged_in(owner).post(reverse("diagnostics:submit", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnostics:results", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Diagnostic.Status.SUBMITTED
    assert draft.scores == expected.as_json()
    assert draft.overall_score == expected.overall and draft.is_latest


def test_submit_twice_goes_to_the_results(owner, draft):
    answer_all(draft, level=2)
    client = logged_in(owner)
    client.post(reverse("diagnostics:submit", args=[draft.pk]))
    submitted_at = Diagnostic.objects.get().submitted_at
    response = client.post(reverse("diagnostics:submit", args=[draft.pk]))
    assert response["Location"] == reverse("diagnostics:results", args=[draft.pk])
    assert Diagnostic.objects.get().submitted_at == submitted_at


def test_detail_of_a_submitted_diagnostic_goes_to_the_results(owner, draft):
    answer_all(draft, level=2)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    response = logged_in(owner).get(reverse("diagnostics:detail", args=[draft.pk]))
    assert response["Location"] == reverse("diagnostics:results", args=[draft.pk])


def test_detail_of_a_complete_draft_goes_to_the_review(owner, draft):
    answer_all(draft, level=2)
    response = logged_in(owner).get(reverse("diagnostics:detail", args=[draft.pk]))
    assert response["Location"] == reverse("diagnostics:review", args=[draft.pk])


def test_detail_opens_the_first_axis_with_questions_left(owner, draft):
    answer_all(draft, level=2)
    Answer.objects.filter(question__code="AX2-1").delete()
    response = logged_in(owner).get(reverse("diagnostics:detail", args=[draft.pk]))
    assert response["Location"] == axis_url(draft, "AX2")


def test_factory_diagnostic_on_the_page(owner, company):
    diagnostic = DiagnosticFactory(company=company)
    assert logged_in(owner).get(axis_url(diagnostic)).status_code == 200
