"""`manage.py seed_national`: a small national data set (30 companies) on the test database."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import Count

from diagnostics.dashboard_counters import expected_counters, stored_counters
from diagnostics.models import Answer, AxisScore, Diagnostic, Question
from diagnostics.peer_publication import peer_group_for
from experts.models import Accreditation, Assignment, Expert, Visit
from portal import audit
from portal.models import Company, Region, RegionOfficer, User
from portal.validators import validate_siret
from regions.models import Enrolment, Expense, LedgerEntry, Programme
from regions.services import reconcile
from seeding import national as national_seed

COMPANIES = 30
EXPERTS = 40  # fewer than the command's 300: the services part is what a test pays for
REPORTS = 2  # rendered by WeasyPrint: a few suffice


@pytest.fixture
def seeded(db):
    return national_seed.seed_national(companies=COMPANIES, seed=7, experts=EXPERTS, reports=REPORTS)


def test_creates_the_companies_with_valid_unique_sirets_in_known_regions(seeded):
    sirets = list(Company.objects.values_list("siret", flat=True))
    assert len(sirets) == COMPANIES == len(set(sirets))
    for siret in sirets:
        validate_siret(siret)
    assert not Company.objects.filter(region__isnull=True).exists()
    assert set(Company.objects.values_list("naf_division__code", flat=True)) <= {str(d) for d in range(10, 34)}


def test_every_company_has_one_to_three_submitted_diagnostics_with_snapshots(seeded):
    per_company = Company.objects.annotate(n=Count("diagnostics")).values_list("n", flat=True)
    assert set(per_company) <= {1, 2, 3}
    assert not Diagnostic.objects.exclude(status=Diagnostic.Status.SUBMITTED).exists()
    assert not Diagnostic.objects.filter(scores__isnull=True).exists()
    assert Diagnostic.objects.filter(is_latest=True).count() == COMPANIES
    # Every diagnostic answers the core, and the questions of each module it opened.
    core = Question.objects.filter(referential__diagnostics__isnull=False, module__isnull=True).distinct().count()
    opened_module_questions = Question.objects.filter(module__decisions__opened=True).count()
    assert Answer.objects.count() == Diagnostic.objects.count() * core + opened_module_questions
    assert AxisScore.objects.count() == Diagnostic.objects.count() * 8


def test_snapshots_are_the_scoring_functions_result_on_the_stored_answers(seeded):
    from seeding.peer_companies import ReferentialContent

    diagnostic = Diagnostic.objects.select_related("referential").order_by("pk").last()
    content = ReferentialContent(diagnostic.referential)
    levels = dict(diagnostic.answers.values_list("question_id", "level"))
    assert content.score(levels).as_json() == diagnostic.scores
    assert diagnostic.overall_score == content.score(levels).overall


def test_later_diagnostics_point_at_the_previous_one(seeded):
    for diagnostic in Diagnostic.objects.filter(previous__isnull=False).select_related("previous"):
        assert diagnostic.previous.company_id == diagnostic.company_id
        assert diagnostic.previous.submitted_at < diagnostic.submitted_at


def test_the_peer_benchmark_is_published_on_the_seeded_diagnostics(seeded):
    latest = Diagnostic.objects.filter(is_latest=True).select_related("company", "referential").first()
    group = peer_group_for(latest)
    assert group is not None and group.companies >= 5


def test_the_dashboards_counters_count_the_bulk_written_companies_and_diagnostics(seeded):
    funnel, quarters = stored_counters()
    assert (funnel, quarters) == expected_counters()
    assert sum(companies for companies, _started, _submitted in funnel.values()) == COMPANIES
    assert quarters


def test_experts_programmes_and_officers_exist(seeded):
    assert Expert.objects.count() == EXPERTS
    assert Accreditation.objects.filter(status="referenced").count() >= EXPERTS * 0.8
    assert RegionOfficer.objects.count() == Region.objects.count() == 18
    per_region = Programme.objects.values("region").annotate(n=Count("pk")).values_list("n", flat=True)
    assert len(per_region) == 18 and set(per_region) <= {2, 3, 4}
    assert Enrolment.objects.exists() and LedgerEntry.objects.exists()


def test_money_reconciles_and_the_audit_trail_verifies(seeded):
    report = reconcile()
    assert report.ok, report.problems
    assert audit.verify() == []


def test_visit_costs_are_booked_on_the_enrolments(seeded):
    booked = set(Expense.objects.filter(kind="visit").values_list("source_reference", flat=True))
    assert booked == {f"visit:{pk}" for pk in Visit.objects.values_list("pk", flat=True)}
    assert Assignment.objects.filter(enrolment_link__isnull=False).count() == Assignment.objects.count()


def test_the_reports_are_rendered_for_latest_diagnostics_of_enrolled_companies_first(seeded):
    from diagnostics.models import Report

    ready = Report.objects.filter(status=Report.Status.READY).select_related("diagnostic")
    assert ready.count() == REPORTS
    for report in ready:
        assert report.diagnostic.is_latest and report.page_count > 0 and report.file.storage.exists(report.file.name)
        assert Enrolment.objects.filter(company_id=report.diagnostic.company_id).exists()


def test_seed_tells_nobody(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        national_seed.seed_national(companies=COMPANIES, seed=7, experts=EXPERTS, reports=1)
    assert callbacks == []
    assert mail.outbox == []


def test_the_printed_accounts_log_in_with_the_printed_password(seeded):
    emails = [login.email for login in seeded.logins] + [national_seed.owner_email(1), national_seed.expert_email(1)]
    for email in emails:
        assert User.objects.get(email=email).check_password(national_seed.NATIONAL_PASSWORD), email


def test_the_same_seed_gives_the_same_companies(db):
    national_seed.seed_national(companies=10, seed=3, experts=20, reports=0)
    first = list(Company.objects.order_by("pk").values_list("siret", "name", "region__code", "headcount_band"))
    national_seed.clear_database()
    national_seed.seed_national(companies=10, seed=3, experts=20, reports=0)
    second = list(Company.objects.order_by("pk").values_list("siret", "name", "region__code", "headcount_band"))
    assert first == second


def test_refuses_a_database_already_in_use(seeded):
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_national", companies=5, stdout=StringIO())
    assert Company.objects.count() == COMPANIES


def test_reset_empties_the_database_and_keeps_the_referential(seeded):
    out = StringIO()
    call_command("seed_national", companies=5, experts=20, reports=0, reset=True, stdout=out)
    assert Company.objects.count() == 5
    assert Expert.objects.count() == 20
    assert "portal.Company" in out.getvalue() and "Durée" in out.getvalue()
    assert reconcile().ok
