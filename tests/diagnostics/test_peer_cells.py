"""The peer cells kept by the submits equal a full recompute from the diagnostics, after any sequence of
submits, re-assessments, changes of a company's profile and erasures; so do the figures published from
them. The repair command rebuilds them."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from diagnostics import services
from diagnostics.benchmark import Cell, published_groups
from diagnostics.models import PeerCell
from diagnostics.peer_cells import aggregate_cells, stored_cells
from diagnostics.peer_publication import compute_publication
from diagnostics.privacy import erase_diagnostics
from portal.models import NafCode, Region
from tests.diagnostics.factories import PublishedReferentialFactory, answer_all
from tests.diagnostics.test_results import add_peers, profile_of
from tests.portal.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

DIVISIONS = ["25", "28"]
BANDS = ["10-49", "50-249"]
REGIONS = ["53", "84"]
profiles = st.tuples(st.sampled_from(DIVISIONS), st.sampled_from(BANDS), st.sampled_from(REGIONS))
# A level per question, or None for "not applicable" (where the question allows it).
levels = st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=4, max_size=4)


def reference_cells(code):
    """`benchmark.Cell`s built from the full recompute, as the pages built them before the cells table."""
    cells = {}
    for (division, section, band, region, axis), (companies, total) in aggregate_cells(code).items():
        cell = cells.setdefault((division, section, band, region), {"counts": {}, "sums": {}})
        if axis == "":
            cell["companies"], cell["overall"] = companies, total
        else:
            cell["counts"][axis], cell["sums"][axis] = companies, total
    return [Cell(*key, cell["companies"], cell["overall"], cell["counts"], cell["sums"]) for key, cell in cells.items()]


def published_figures(publication):
    """What a publication lets anyone read: each published group's totals, and which axes of it."""
    return {
        key: (
            publication.groups[key].companies,
            publication.groups[key].overall_sum.quantize(Decimal("0.01")),
            {
                axis: (count, publication.groups[key].axis_sums[axis].quantize(Decimal("0.01")))
                for axis, count in publication.groups[key].axis_counts.items()
                if key in publication.axes.get(axis, ())
            },
        )
        for key in publication.published
    }


class Submits(RuleBasedStateMachine):
    referential = None

    @initialize()
    def companies(self):
        self.pool = [CompanyFactory() for _ in range(4)]
        self.user = UserFactory()

    @rule(index=st.integers(0, 3), answers=levels)
    def submit(self, index, answers):
        company = self.pool[index]
        draft = services.start_diagnostic(company=company, by=self.user)
        questions = {question.pk: answers[i] for i, question in enumerate(draft.referential.questions.order_by("pk"))}
        answer_all(draft, level=lambda question: questions[question.pk] if questions[question.pk] is not None else 2)
        for question in draft.referential.questions.filter(allows_not_applicable=True):
            if questions[question.pk] is None:
                draft.answers.filter(question=question).update(level=None, not_applicable=True)
        services.submit_diagnostic(diagnostic=draft, by=self.user)

    @rule(index=st.integers(0, 3), profile=profiles)
    def change_profile(self, index, profile):
        company = self.pool[index]
        division, band, region = profile
        company.naf_division = NafCode.objects.get(code=division)
        company.headcount_band = band
        company.region = Region.objects.get(code=region)
        company.save()

    @rule(index=st.integers(0, 3))
    def erase(self, index):
        erase_diagnostics(company=self.pool[index], user_ids=[self.user.pk])

    @invariant()
    def cells_equal_a_full_recompute(self):
        assert stored_cells(self.referential.code) == aggregate_cells(self.referential.code)

    @invariant()
    def published_figures_equal_those_of_a_full_recompute(self):
        incremental = compute_publication(self.referential.code)
        reference = published_groups(reference_cells(self.referential.code))
        assert published_figures(incremental) == published_figures(reference)


def test_peer_cells_after_any_sequence_of_submits_equal_a_full_recompute():
    referential = PublishedReferentialFactory(axes=2, questions=2)
    # Peers around the pool's profiles, so that groups are published and the secrecy rules bite.
    base = CompanyFactory.build()
    add_peers(referential, [profile_of(base)] * 6 + [profile_of(base, band="50-249")] * 4)
    Submits.referential = referential
    run_state_machine_as_test(
        Submits,
        settings=settings(
            max_examples=15,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )


def test_a_submit_writes_the_cells_in_a_number_of_statements_that_does_not_grow_with_the_population():
    referential = PublishedReferentialFactory(axes=3, questions=2)
    company, user = CompanyFactory(), UserFactory()
    counts = []
    for peers, level in ((5, 3), (40, 4)):
        add_peers(referential, [profile_of(company)] * peers)
        draft = services.start_diagnostic(company=company, by=user)
        answer_all(draft, level=level)
        with CaptureQueriesContext(connection) as queries:
            services.submit_diagnostic(diagnostic=draft, by=user)
        counts.append(sum("peercell" in query["sql"].lower() for query in queries.captured_queries))
    # The rows created where missing, then one F() update (the second submit also takes the first one out).
    assert counts[0] == counts[1] == 2


def test_the_repair_command_rebuilds_cells_that_drifted():
    referential = PublishedReferentialFactory(axes=2, questions=2)
    add_peers(referential, [profile_of(CompanyFactory.build())] * 6)
    expected = aggregate_cells(referential.code)
    PeerCell.objects.filter(referential_code=referential.code, axis="").update(companies=1)
    with pytest.raises(SystemExit):
        call_command("rebuild_peer_cells", referential.code, "--check")
    call_command("rebuild_peer_cells", referential.code)
    assert stored_cells(referential.code) == expected
    call_command("rebuild_peer_cells", referential.code, "--check")  # no difference: no exit
