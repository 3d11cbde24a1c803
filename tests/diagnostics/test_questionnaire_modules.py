"""The adaptive questionnaire: the core first with its time per axis, then the suggested modules
(offered, not forced), the opened modules' questions, the first score after the core, a submit once
the core is complete, and a diagnostic pinned on an older version that keeps its 40 questions."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from diagnostics import selectors, services
from diagnostics.models import Answer, Diagnostic, ModuleDecision
from tests.diagnostics.factories import published_modular_referential

pytestmark = pytest.mark.django_db

REFERENTIALS = Path(__file__).resolve().parents[2] / "diagnostics" / "referentials"
MODULES_PAGE_BUDGET = 14


@pytest.fixture
def draft(company, owner):
    published_modular_referential(
        axes=2,
        questions=3,
        rules={
            "M-AX1": [{"core_answer": {"question": "AX1-1", "at_most": 2}}],
            "M-AX2": [{"naf_divisions": ["10"]}],  # not the company's division (25)
        },
    )
    return services.start_diagnostic(company=company, by=owner)


@pytest.fixture
def owner_client(owner):
    client = Client()
    client.force_login(owner)
    return client


def answer(diagnostic, code, level, by):
    question = diagnostic.referential.questions.get(code=code)
    return services.save_answer(diagnostic=diagnostic, question=question, level=level, by=by)


def answer_core(diagnostic, by, level=1):
    for code in ("AX1-1", "AX2-1"):
        answer(diagnostic, code, level, by)


def modules_url(diagnostic):
    return reverse("diagnostics:modules", args=[diagnostic.pk])


def test_the_questionnaire_starts_with_the_core_only(owner_client, draft):
    response = owner_client.get(reverse("diagnostics:axis", args=[draft.pk, "AX1"]))
    codes = [question.code for question, _form, _evidence in response.context["questions"]]
    assert codes == ["AX1-1"]
    assert response.context["page"].progress.total == 2


def test_the_axis_list_shows_the_time_of_each_axis_core(owner_client, draft):
    page = owner_client.get(reverse("diagnostics:axis", args=[draft.pk, "AX1"])).context["page"]
    assert [axis.core_minutes for axis in page.axes] == [1, 1]  # one core question of 1 minute each
    assert (page.progress.core_total, page.progress.core_minutes) == (2, 2)


def test_after_the_core_the_diagnostic_opens_on_the_modules_page(owner_client, draft, owner):
    answer_core(draft, owner)
    response = owner_client.get(reverse("diagnostics:detail", args=[draft.pk]))
    assert response.url == modules_url(draft)


def test_the_modules_page_suggests_with_the_reason_and_gives_the_first_score(owner_client, draft, owner):
    answer_core(draft, owner, level=1)
    page = owner_client.get(modules_url(draft)).context["page"]
    assert [offer.module.code for offer in page.suggested] == ["M-AX1"]
    assert [offer.module.code for offer in page.others] == ["M-AX2"]
    assert page.suggested[0].reasons[0].answered_level == 1
    assert page.core_complete and str(page.score.overall) == "1.00"
    assert page.score.coverage.modules == ()


def test_before_the_core_is_complete_there_is_no_first_score(owner_client, draft, owner):
    answer(draft, "AX1-1", 1, owner)
    page = owner_client.get(modules_url(draft)).context["page"]
    assert not page.core_complete and page.score is None


def test_opening_a_module_shows_its_questions_and_counts_them(owner_client, draft, owner):
    answer_core(draft, owner)
    response = owner_client.post(modules_url(draft), {"module": "M-AX1", "decision": "open"})
    assert response.url.startswith(reverse("diagnostics:axis", args=[draft.pk, "AX1"]))
    page = owner_client.get(reverse("diagnostics:axis", args=[draft.pk, "AX1"])).context["page"]
    assert [question.code for question in page.questions] == ["AX1-1", "AX1-2", "AX1-3"]
    assert ModuleDecision.objects.get(diagnostic=draft, module__code="M-AX1").opened


def test_not_now_records_the_choice_and_opens_nothing(owner_client, draft, owner):
    answer_core(draft, owner)
    owner_client.post(modules_url(draft), {"module": "M-AX1", "decision": "later"})
    owner_client.post(modules_url(draft), {"module": "M-AX2", "decision": "later"})
    assert not ModuleDecision.objects.filter(diagnostic=draft, opened=True).exists()
    # Every module decided: the diagnostic goes on to the review.
    assert owner_client.get(reverse("diagnostics:detail", args=[draft.pk])).url == reverse(
        "diagnostics:review", args=[draft.pk]
    )


def test_an_unknown_module_or_decision_changes_nothing(owner_client, draft):
    for data in ({"module": "M-NONE", "decision": "open"}, {"module": "M-AX1", "decision": "maybe"}, {}):
        response = owner_client.post(modules_url(draft), data)
        assert response.status_code == 302
    assert not ModuleDecision.objects.exists()


def test_a_question_of_a_module_not_opened_is_not_saved(owner_client, draft):
    question = draft.referential.questions.get(code="AX1-2")
    response = owner_client.post(
        reverse("diagnostics:autosave", args=[draft.pk, question.pk]), {f"q{question.pk}-choice": "3"}
    )
    assert response.status_code == 409
    assert not Answer.objects.filter(diagnostic=draft, question=question).exists()


def test_submit_needs_the_core_only_and_the_score_states_its_coverage(draft, owner):
    answer_core(draft, owner, level=1)
    services.decide_module(diagnostic=draft, module=draft.referential.modules.get(code="M-AX1"), opened=True, by=owner)
    answer(draft, "AX1-2", 5, owner)  # one question of the opened module; AX1-3 left unanswered
    submitted = services.submit_diagnostic(diagnostic=draft, by=owner)
    assert submitted.scores["coverage"] == {"label": "core + modules: M-AX1", "modules": ["M-AX1"]}
    assert submitted.scores["axes"]["AX1"]["score"] == "2.33"  # (2 × 1 + 1 × 5) / 3: AX1-1 weighs 2, AX1-2 weighs 1


def test_answers_of_a_module_closed_again_do_not_count(draft, owner):
    answer_core(draft, owner, level=1)
    module = draft.referential.modules.get(code="M-AX1")
    services.decide_module(diagnostic=draft, module=module, opened=True, by=owner)
    answer(draft, "AX1-2", 5, owner)
    services.decide_module(diagnostic=draft, module=module, opened=False, by=owner)
    submitted = services.submit_diagnostic(diagnostic=draft, by=owner)
    assert submitted.scores["coverage"]["modules"] == []
    assert submitted.scores["overall"] == "1.00"


def test_a_submitted_diagnostics_modules_cannot_change(draft, owner):
    answer_core(draft, owner)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    with pytest.raises(services.DiagnosticNotDraft):
        services.decide_module(
            diagnostic=draft, module=draft.referential.modules.get(code="M-AX1"), opened=True, by=owner
        )


def test_the_results_page_states_the_coverage(owner_client, draft, owner):
    answer_core(draft, owner)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    results = owner_client.get(reverse("diagnostics:results", args=[draft.pk])).context["results"]
    assert results.has_modules and results.covered_titles == []


def test_a_member_may_choose_but_staff_may_not(client, draft, member, staff):
    client.force_login(member)
    client.post(modules_url(draft), {"module": "M-AX1", "decision": "open"})
    assert ModuleDecision.objects.filter(diagnostic=draft, opened=True).count() == 1
    client.force_login(staff)
    assert client.post(modules_url(draft), {"module": "M-AX2", "decision": "open"}).status_code == 404  # a draft


def test_modules_page_budget(owner_client, draft, owner, django_assert_max_num_queries):
    answer_core(draft, owner)
    services.decide_module(diagnostic=draft, module=draft.referential.modules.get(code="M-AX1"), opened=True, by=owner)
    owner_client.get(modules_url(draft))
    with django_assert_max_num_queries(MODULES_PAGE_BUDGET):
        assert owner_client.get(modules_url(draft)).status_code == 200


def test_modules_page_runs_the_same_queries_whatever_the_number_of_modules(company, owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for axes, version in ((2, "2026.2"), (6, "2026.3")):
        published_modular_referential(axes=axes, questions=4, version=version)
        diagnostic = services.start_diagnostic(company=company, by=owner)
        for axis in range(1, axes + 1):
            answer(diagnostic, f"AX{axis}-1", 1, owner)
        client = Client()
        client.force_login(owner)
        client.get(modules_url(diagnostic))
        with CaptureQueriesContext(connection) as queries:
            client.get(modules_url(diagnostic))
        counts.append(len(queries))
        services.submit_diagnostic(diagnostic=diagnostic, by=owner)
    assert counts[0] == counts[1] <= MODULES_PAGE_BUDGET


def test_a_diagnostic_pinned_on_the_old_version_keeps_its_40_questions_and_scores(company, owner, owner_client):
    call_command(
        "load_referential", str(REFERENTIALS / "industrie-du-futur-2026.1.yaml"), "--publish", stdout=io.StringIO()
    )
    old = services.start_diagnostic(company=company, by=owner)
    call_command("load_referential", str(REFERENTIALS / "industrie-du-futur.yaml"), "--publish", stdout=io.StringIO())
    assert selectors.current_published_referential().version == "2026.2"
    assert old.referential.version == "2026.1"

    axes = selectors.axes_with_progress(old)
    assert selectors.overall_progress(axes).total == 40 and not axes[0].has_modules
    assert len(selectors.missing_questions(old)) == 40
    for question in old.referential.questions.all():
        services.save_answer(diagnostic=old, question=question, level=3, by=owner)
    submitted = services.submit_diagnostic(diagnostic=old, by=owner)
    assert submitted.overall_score == 3 and submitted.scores["coverage"]["modules"] == []
    assert all(axis["applicable"] == 5 for axis in submitted.scores["axes"].values())
    response = owner_client.get(reverse("diagnostics:results", args=[old.pk]))
    assert response.status_code == 200 and not response.context["results"].has_modules


def test_a_new_diagnostic_starts_on_the_new_version_with_a_core_of_eleven_questions(company, owner):
    call_command(
        "load_referential", str(REFERENTIALS / "industrie-du-futur-2026.1.yaml"), "--publish", stdout=io.StringIO()
    )
    call_command("load_referential", str(REFERENTIALS / "industrie-du-futur.yaml"), "--publish", stdout=io.StringIO())
    diagnostic = services.start_diagnostic(company=company, by=owner)
    progress = selectors.overall_progress(selectors.axes_with_progress(diagnostic))
    assert (diagnostic.referential.version, progress.core_total, progress.core_minutes) == ("2026.2", 11, 11)
    assert Diagnostic.objects.count() == 1


def test_the_results_page_names_the_modules_the_score_covers(owner_client, draft, owner):
    answer_core(draft, owner)
    services.decide_module(diagnostic=draft, module=draft.referential.modules.get(code="M-AX1"), opened=True, by=owner)
    answer(draft, "AX1-3", 4, owner)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    results = owner_client.get(reverse("diagnostics:results", args=[draft.pk])).context["results"]
    module = draft.referential.modules.get(code="M-AX1")
    assert results.covered_titles == [module.title]


def test_the_report_states_the_coverage_with_the_opened_modules(draft, owner):
    from diagnostics.reports.content import report_content

    answer_core(draft, owner)
    module = draft.referential.modules.get(code="M-AX1")
    services.decide_module(diagnostic=draft, module=module, opened=True, by=owner)
    question = draft.referential.questions.filter(module=module).first()
    answer(draft, question.code, 2, owner)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    content = report_content(draft.pk)
    assert content.has_modules and content.covered_modules == (module.title,)
    from diagnostics.services import report as reports
    from tests.diagnostics.report_support import pdf_text

    report = reports.render_report(reports.request_report(draft, enqueue=False).pk, notify=False)
    with report.file.open("rb") as handle:
        text = pdf_text(handle.read()).replace("\u202f", " ").replace("\u00a0", " ")
    assert f"Couverture : le cœur et les modules {module.title_fr}." in text


def test_the_report_of_a_core_only_diagnostic_says_so(draft, owner):
    from diagnostics.reports.content import report_content

    answer_core(draft, owner)
    services.submit_diagnostic(diagnostic=draft, by=owner)
    content = report_content(draft.pk)
    assert content.has_modules and content.covered_modules == ()
