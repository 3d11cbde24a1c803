"""The dashboards' counters per region (funnel's first steps, maturity per quarter) kept by the writes:
after any sequence of sign-ups, starts, submits, moves and purges they equal a full recompute, and the
funnel and quarters charts read from them equal the former whole-population computation."""

import importlib
from datetime import timedelta
from decimal import Decimal
from itertools import count
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.db.models.functions import TruncQuarter
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from diagnostics import services
from diagnostics.dashboard_counters import expected_counters, stored_counters
from diagnostics.exceptions import DraftAlreadyExists
from diagnostics.models import Diagnostic
from diagnostics.privacy import purge_abandoned_drafts
from portal.models import Company, NafCode, Region, RegionFunnelCount, RegionQuarterCount
from portal.services import sign_up_company
from regions.dashboard_charts import ENROLLED, S, company_funnel, maturity_by_quarter
from regions.models import Enrolment
from regions.selectors import officer_region_ids, programmes_visible_to
from tests.diagnostics.factories import PublishedReferentialFactory, answer_all
from tests.portal.factories import (
    CompanyFactory,
    OwnerFactory,
    RegionOfficerFactory,
    StaffFactory,
    UserFactory,
    valid_siret,
)
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, SubmittedDiagnosticFactory

pytestmark = pytest.mark.django_db

REGIONS = ["53", "84", "11"]
SIRETS = count(900_000)


# --- The former whole-population computation: the reference --------------------------------------


def _companies_in_scope(user, *, national):
    if national or user.is_staff:
        return Company.objects.all()
    return Company.objects.filter(region_id__in=officer_region_ids(user))


def whole_population_funnel(user, *, national=False):
    """{step: companies}, as `company_funnel` computed it before the counters (one query over every company)."""
    programmes = programmes_visible_to(user).values("pk")
    diagnostics = Diagnostic.objects.filter(company=OuterRef("pk"))
    enrolments = Enrolment.objects.filter(company=OuterRef("pk"), programme__in=programmes)
    return _companies_in_scope(user, national=national).aggregate(
        registered=Count("pk"),
        started=Count("pk", filter=Q(Exists(diagnostics))),
        submitted=Count("pk", filter=Q(Exists(diagnostics.filter(status=Diagnostic.Status.SUBMITTED)))),
        applied=Count("pk", filter=Q(Exists(enrolments))),
        accepted=Count("pk", filter=Q(Exists(enrolments.filter(status__in=ENROLLED)))),
        completed=Count("pk", filter=Q(Exists(enrolments.filter(status=S.COMPLETED)))),
    )


def whole_population_quarters(user, *, national=False):
    """[(quarter's first day, average, companies)], oldest first, as `maturity_by_quarter` computed them."""
    rows = (
        Diagnostic.objects.filter(
            status=Diagnostic.Status.SUBMITTED,
            overall_score__isnull=False,
            company__in=_companies_in_scope(user, national=national).values("pk"),
        )
        .annotate(quarter=TruncQuarter("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("quarter")
        .annotate(average=Avg("overall_score"), companies=Count("company", distinct=True))
        .order_by("-quarter")[:12]
    )
    return [(row["quarter"].date(), Decimal(row["average"]), row["companies"]) for row in reversed(rows)]


def funnel_steps(user, **scope):
    return {row["key"]: row["count"] for row in company_funnel(user, **scope).rows}


def assert_quarters_match(user, **scope):
    chart = maturity_by_quarter(user, **scope)
    reference = whole_population_quarters(user, **scope)
    rows = chart.rows if chart else []
    assert len(rows) == len(reference)
    for row, (_quarter, average, companies) in zip(rows, reference, strict=True):
        assert row["companies"] == companies
        # The counters give the exact mean; SQLite's AVG a float: they may differ on the rounding of a tie.
        assert row["average"] is None or abs(row["average"] - average) <= Decimal("0.005")


# --- After any sequence of writes -----------------------------------------------------------------


class Writes(RuleBasedStateMachine):
    referential = None

    @initialize()
    def people(self):
        self.user = UserFactory()
        self.companies = []
        self.officer = RegionOfficerFactory(region=Region.objects.get(code="53")).user
        self.staff = StaffFactory()
        for region in REGIONS:
            self.sign_up(region)

    @rule(region=st.sampled_from(REGIONS))
    def sign_up(self, region):
        owner = sign_up_company(
            email=f"owner{next(SIRETS)}@example.fr",
            password_hash="!",
            first_name="Anne",
            last_name="Martin",
            company_name="Usine",
            siret=valid_siret(next(SIRETS)),
            naf_division=NafCode.objects.get(code="25"),
            headcount_band="10-49",
            region=Region.objects.get(code=region),
            language="fr",
        )
        self.companies.append(owner.memberships.get().company)

    def draft_of(self, index):
        company = self.companies[index % len(self.companies)]
        try:
            return services.start_diagnostic(company=company, by=self.user)
        except DraftAlreadyExists as error:
            return error.draft

    @rule(index=st.integers(0, 5))
    def start(self, index):
        self.draft_of(index)

    @rule(index=st.integers(0, 5), level=st.integers(0, 5), quarters_ago=st.integers(0, 2))
    def start_and_submit(self, index, level, quarters_ago):
        draft = self.draft_of(index)
        answer_all(draft, level=level)
        when = timezone.now() - timedelta(days=91 * quarters_ago)
        with mock.patch.object(timezone, "now", return_value=when):
            services.submit_diagnostic(diagnostic=draft, by=self.user)

    @rule(index=st.integers(0, 5), region=st.sampled_from(REGIONS))
    def move(self, index, region):
        company = Company.objects.get(pk=self.companies[index % len(self.companies)].pk)
        company.region = Region.objects.get(code=region)
        company.save()

    @rule()
    def purge_the_drafts(self):
        purge_abandoned_drafts(now=timezone.now() + timedelta(days=3650))

    @invariant()
    def counters_equal_a_full_recompute(self):
        assert stored_counters() == expected_counters()

    @invariant()
    def charts_equal_the_whole_population_computation(self):
        for user, scope in ((self.officer, {}), (self.staff, {"national": True})):
            assert funnel_steps(user, **scope) == whole_population_funnel(user, **scope)
            assert_quarters_match(user, **scope)


def test_the_counters_after_any_sequence_of_writes_equal_a_full_recompute():
    Writes.referential = PublishedReferentialFactory(axes=2, questions=2)
    run_state_machine_as_test(
        Writes,
        settings=settings(
            max_examples=12,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )


# --- One behaviour each ---------------------------------------------------------------------------


@pytest.fixture
def mixed_population():
    """Companies in Bretagne and Île-de-France at every step, with applications to a Bretagne programme."""
    bretagne, idf = Region.objects.get(code="53"), Region.objects.get(code="11")
    programme = ProgrammeFactory(region=bretagne)
    for region in (bretagne, idf):
        OwnerFactory(company__region=region)
        SubmittedDiagnosticFactory(
            company=CompanyFactory(region=region), status="draft", submitted_at=None, overall_score=None, band=None
        )
        for score, status in (("1.50", None), ("2.25", "applied"), ("3.00", "accepted"), ("4.10", "completed")):
            company = OwnerFactory(company__region=region).company
            SubmittedDiagnosticFactory(company=company, overall_score=Decimal(score))
            SubmittedDiagnosticFactory(
                company=company, overall_score=Decimal("2.00"), submitted_at=timezone.now() - timedelta(days=200)
            )
            if status and region == bretagne:
                EnrolmentFactory(programme=programme, company=company, status=status)


@pytest.mark.parametrize("national", [False, True])
def test_the_funnel_read_from_the_counters_equals_the_whole_population_computation(
    officer, staff, mixed_population, national
):
    user = staff if national else officer
    assert funnel_steps(user, national=national) == whole_population_funnel(user, national=national)


@pytest.mark.parametrize("national", [False, True])
def test_the_quarters_read_from_the_counters_equal_the_whole_population_computation(
    officer, staff, mixed_population, national
):
    assert_quarters_match(staff if national else officer, national=national)


def test_a_company_counts_once_in_a_quarter_it_submitted_twice_in(staff):
    company = CompanyFactory()
    for score in ("2.00", "3.00"):
        SubmittedDiagnosticFactory(company=company, overall_score=Decimal(score))
    row = RegionQuarterCount.objects.get(region=company.region)
    assert (row.diagnostics, row.score_total, row.companies) == (2, Decimal("5.00"), 1)


def test_a_company_moved_to_another_region_takes_its_counts_along(officer):
    company = CompanyFactory(region=Region.objects.get(code="53"))
    SubmittedDiagnosticFactory(company=company, is_latest=False)  # not in a peer cell, which the move would leave
    company.region = Region.objects.get(code="11")
    company.save()
    assert funnel_steps(officer)["registered"] == 0
    assert maturity_by_quarter(officer) is None
    assert RegionFunnelCount.objects.get(region__code="11").submitted == 1


def test_a_purged_draft_leaves_the_started_step(officer):
    draft = SubmittedDiagnosticFactory(status="draft", submitted_at=None, overall_score=None, band=None)
    assert funnel_steps(officer)["started"] == 1
    Diagnostic.objects.filter(pk=draft.pk).update(started_at=timezone.now() - timedelta(days=3650))
    purge_abandoned_drafts(now=timezone.now())
    assert funnel_steps(officer)["started"] == 0


def test_a_deleted_company_leaves_the_registered_step(officer):
    company = CompanyFactory()
    company.delete()
    assert funnel_steps(officer)["registered"] == 0


def test_the_cold_funnel_reads_as_many_queries_with_twenty_companies_as_with_two(officer):
    programme = ProgrammeFactory(region=Region.objects.get(code="53"))
    officer_region_ids(officer)  # the officer's regions, read once per request
    reads = []
    for companies in (2, 20):
        for _ in range(companies - len(reads) * 2):
            company = OwnerFactory().company
            SubmittedDiagnosticFactory(company=company)
            EnrolmentFactory(programme=programme, company=company, status="accepted")
        with CaptureQueriesContext(connection) as queries:
            company_funnel(officer)
            maturity_by_quarter(officer)
        reads.append(len(queries.captured_queries))
    assert reads[0] == reads[1] == 3


def test_the_funnel_reads_at_most_three_queries(officer, django_assert_max_num_queries):
    for _ in range(20):
        SubmittedDiagnosticFactory(company=CompanyFactory())
    with django_assert_max_num_queries(3):
        company_funnel(officer)


def test_the_rebuild_command_repairs_drifted_counters(officer, mixed_population):
    expected = expected_counters()
    RegionFunnelCount.objects.update(started=99)
    RegionQuarterCount.objects.all().delete()
    with pytest.raises(SystemExit):
        call_command("rebuild_dashboard_counters", "--check")
    call_command("rebuild_dashboard_counters")
    assert stored_counters() == expected
    call_command("rebuild_dashboard_counters", "--check")  # no difference: no exit


def test_deleting_several_diagnostics_of_a_company_in_one_statement_takes_it_out_once():
    company = CompanyFactory()
    SubmittedDiagnosticFactory(company=company, is_latest=False)
    SubmittedDiagnosticFactory(company=company, is_latest=False)
    SubmittedDiagnosticFactory(company=CompanyFactory(), is_latest=False)
    Diagnostic.objects.filter(company=company).delete()
    assert stored_counters() == expected_counters()


def test_the_data_migration_fills_the_counters_of_an_existing_database(mixed_population):
    from django.apps import apps

    fill = importlib.import_module("diagnostics.migrations.0015_fill_dashboard_counters")
    expected = expected_counters()
    fill.empty_counters(apps, None)
    assert stored_counters() == ({}, {})
    fill.fill_counters(apps, None)
    assert stored_counters() == expected
