"""The results page's fixed part (scores, radar, peers, strengths, every action) is cached per
diagnostic, peer generation, company profile and language: a warm page computes no results, and a
change of any of these (or a submit, an application, an expert's validation) shows at once."""

import pytest
from django.core.cache import cache

from diagnostics.peer_publication import refresh_peer_publication
from diagnostics.selectors.results import forget_results
from diagnostics.views import results as results_view
from tests.diagnostics.test_results import add_peers, page, profile_of, section, submit, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(monkeypatch):
    """How many times the page computed the results (`results_for`)."""
    calls = []
    original = results_view.results_for

    def counting(diagnostic):
        calls.append(diagnostic.pk)
        return original(diagnostic)

    monkeypatch.setattr(results_view, "results_for", counting)
    return calls


@pytest.fixture
def referential():
    from tests.diagnostics.factories import PublishedReferentialFactory

    return PublishedReferentialFactory(axes=3, questions=3)


@pytest.fixture
def submitted(company, owner, referential):
    return submit(company, owner)


def test_a_warm_page_computes_no_results(client, owner, submitted, computed):
    first = page(client, owner, submitted)
    assert len(computed) == 1
    again = page(client, owner, submitted)
    assert len(computed) == 1
    for part in ("overall", "axes", "benchmark", "summary", "plan"):
        assert section(again, part) == section(first, part)


def test_a_warm_page_runs_fewer_queries(client, owner, submitted, django_assert_max_num_queries):
    client.force_login(owner)
    cache.clear()
    with django_assert_max_num_queries(30) as cold:
        page(client, owner, submitted)
    cold = len(cold)  # (a request resets the connection's log: counted now)
    # The questions with their answers and the next-level recommendations are not read.
    with django_assert_max_num_queries(cold - 2):
        page(client, owner, submitted)


def test_a_cold_cache_shows_the_same_page(client, owner, submitted):
    warm = page(client, owner, submitted)
    cache.clear()
    cold = page(client, owner, submitted)
    for part in ("overall", "axes", "benchmark", "summary", "plan"):
        assert section(cold, part) == section(warm, part)


def test_each_language_has_its_own_fixed_part(client, owner, submitted):
    assert "out of 5" in text_of(section(page(client, owner, submitted, language="en"), "overall"))
    assert "sur 5" in text_of(section(page(client, owner, submitted, language="fr"), "overall"))


def test_new_peer_figures_show_on_a_warm_page(client, company, owner, referential, submitted):
    assert "Peer group used" not in text_of(section(page(client, owner, submitted), "benchmark"))
    add_peers(referential, [profile_of(company)] * 4, level=1)
    refresh_peer_publication(referential.code)  # what the task enqueued after a submit does
    benchmark = text_of(section(page(client, owner, submitted), "benchmark"))
    assert "the latest diagnostics of 5 companies" in benchmark


def test_a_company_profile_change_shows_on_a_warm_page(client, company, owner, referential, submitted):
    add_peers(referential, [profile_of(company)] * 4, level=1)
    refresh_peer_publication(referential.code)
    assert "Region: Brittany" in text_of(section(page(client, owner, submitted), "benchmark"))
    company.headcount_band = "250+" if company.headcount_band != "250+" else "1-9"
    company.save(update_fields=["headcount_band"])
    assert "Region: Brittany" not in text_of(section(page(client, owner, submitted), "benchmark"))


def test_forgetting_the_results_computes_them_afresh(client, owner, submitted, computed):
    page(client, owner, submitted)
    forget_results(submitted.pk)
    page(client, owner, submitted)
    assert len(computed) == 2


def test_an_application_with_the_diagnostic_forgets_its_results(client, owner, submitted, computed):
    from tests.regions.factories import EnrolmentFactory, ProgrammeFactory

    page(client, owner, submitted)
    EnrolmentFactory(programme=ProgrammeFactory(region=submitted.company.region), company=submitted.company)
    page(client, owner, submitted)
    assert len(computed) == 2


def test_an_expert_validation_forgets_the_results(client, owner, submitted, officer, computed):
    from experts.models import Assignment
    from experts.services.validation import QuestionVerdict, validate_questions
    from tests.experts.factories import AssignmentFactory, ReferencedExpertFactory

    page(client, owner, submitted)
    expert = ReferencedExpertFactory()
    assignment = AssignmentFactory(
        expert=expert,
        company=submitted.company,
        proposed_by=officer,
        diagnostic=submitted,
        status=Assignment.Status.IN_PROGRESS,
    )
    question = submitted.referential.questions.order_by("pk").first()
    validate_questions(assignment=assignment, by=expert.user, verdicts={question.code: QuestionVerdict(level=3)})
    page(client, owner, submitted)
    assert len(computed) == 2
