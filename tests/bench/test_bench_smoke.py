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
    _targets, rows = pages.run(runs=1, warmup=0)

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
    }
    for row in rows:
        assert row["runs"] == 1 and row["queries"] > 0 and row["median_ms"] > 0
        if not row["page"].startswith("floor"):
            assert row["ratio"] > 0


def test_bench_cleanup_removes_the_bench_accounts_and_draft(demo):
    pages.run(runs=1, warmup=0)

    cleanup()

    assert not User.objects.filter(email__endswith="@bench.invalid").exists()
    assert not Company.objects.filter(name__startswith="[bench] ").exists()
    from diagnostics.models import Diagnostic
    from seeding.demo.accounts import DEMO_SIRET

    assert not Diagnostic.objects.filter(company__siret=DEMO_SIRET, status=Diagnostic.Status.DRAFT).exists()
