"""The page-cost harness (bench/pages.py) keeps working: one round on the demo data set.

No wall-clock time is asserted: only that every page answered and was counted."""

import pytest
from django.core.management import call_command

from bench import pages
from bench.common import ROOT, cleanup
from portal.models import Company, User

REFERENTIAL = ROOT / "diagnostics/referentials/industrie-du-futur.yaml"
pytestmark = [pytest.mark.django_db, pytest.mark.second_factor_unverified]  # the harness passes it itself


@pytest.fixture
def demo(capsys):
    """The shipped referential and the demo data set (a few companies, a programme, experts)."""
    call_command("load_referential", str(REFERENTIAL), "--publish", verbosity=0)
    call_command("seed_demo")
    capsys.readouterr()


def test_page_cost_harness_measures_every_page_against_its_floor(demo):
    _targets, rows = pages.run(runs=1, warmup=0, cold_runs=1)

    by_page = {row["page"]: row for row in rows}
    assert set(by_page) == {
        "floor (SME)",
        "floor (officer)",
        "floor (staff)",
        "floor (expert)",
        "questionnaire page",
        "autosave",
        "deep-dive modules page",
        "results page",
        "divergence page",
        "expert's validation page",
        "regional dashboard",
        "national dashboard",
        "expert directory",
        "export of the region's enrolments (CSV)",
        "submit",
    }
    for row in rows:
        assert row["runs"] == 1 and row["queries"] > 0 and row["median_ms"] > 0
        assert row["cold_runs"] == 1 and row["cold_median_ms"] > 0
        if not row["page"].startswith("floor"):
            assert row["ratio"] > 0


def test_every_submit_is_measured_on_a_draft_of_its_own(demo):
    from diagnostics.models import Diagnostic

    targets, _rows = pages.run(runs=2, warmup=1, cold_runs=1)

    submit = next(page for page in targets.pages if page.name == "submit")
    submitted = Diagnostic.objects.filter(company__name__startswith="[bench] ", status=Diagnostic.Status.SUBMITTED)
    assert submitted.count() == 1 + 2 + 1 + 1 + 1  # warm-up, runs, cold run, re-warming, the counted request
    assert len(submit.seconds) == 2 and len(submit.cold_seconds) == 1


def test_cleanup_takes_the_bench_submits_out_of_the_peer_cells(demo):
    from diagnostics.peer_cells import stored_cells

    before = stored_cells("industrie-du-futur")
    pages.run(runs=1, warmup=0)
    assert stored_cells("industrie-du-futur") != before

    cleanup()

    assert stored_cells("industrie-du-futur") == before


def test_bench_cleanup_removes_the_bench_accounts_and_draft(demo):
    pages.run(runs=1, warmup=0)

    cleanup()

    assert not User.objects.filter(email__endswith="@bench.invalid").exists()
    assert not Company.objects.filter(name__startswith="[bench] ").exists()
    from diagnostics.models import Diagnostic
    from seeding.demo.accounts import DEMO_SIRET

    assert not Diagnostic.objects.filter(company__siret=DEMO_SIRET, status=Diagnostic.Status.DRAFT).exists()
