"""Scale data (`manage.py seed_peers`) and the diagnostics part of `manage.py seed_demo`."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import translation

from diagnostics.dashboard_counters import expected_counters, stored_counters
from diagnostics.models import Answer, AxisScore, Diagnostic, Question
from diagnostics.peer_publication import peer_group_for
from diagnostics.scoring import compute_scores
from diagnostics.selectors.modules import scoring_inputs
from portal.models import Company, Membership, User
from portal.reference_data import MANUFACTURING_DIVISIONS, REGIONS
from portal.validators import clean_siret
from seeding.demo.accounts import DEMO_SIRET
from seeding.demo.diagnostics import seed_demo_diagnostics
from tests.diagnostics.factories import PublishedReferentialFactory, ReferentialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referential():
    return PublishedReferentialFactory(axes=4, questions=3)


def seed(*args):
    out = StringIO()
    with translation.override("en"):
        call_command("seed_peers", *args, stdout=out)
    return out.getvalue()


def stored_snapshot(diagnostic):
    """The snapshot the submit would compute from the stored answers and module decisions."""
    axes, answers, opened = scoring_inputs(diagnostic)
    return compute_scores(axes, answers, opened_modules=opened).as_json()


def test_seed_peers_creates_what_it_says_consistently(referential):
    output = seed("--companies", "60", "--seed", "7")
    companies = Company.objects.all()
    diagnostics = Diagnostic.objects.all()
    counts = {
        "companies": companies.count(),
        "diagnostics": diagnostics.count(),
        "answers": Answer.objects.count(),
        "axis scores": AxisScore.objects.count(),
    }
    assert counts["companies"] == 60
    assert 60 <= counts["diagnostics"] <= 180
    assert f"Created 60 companies (with 60 owners), {counts['diagnostics']} submitted diagnostics" in output
    assert f"{counts['answers']} answers and {counts['axis scores']} axis scores" in output
    assert re.search(r"in \d+\.\d s\.", output)

    questions = Question.objects.filter(referential=referential).count()
    assert counts["answers"] == counts["diagnostics"] * questions
    assert counts["axis scores"] == counts["diagnostics"] * 4
    # Each company: one owner, exactly one latest diagnostic, every diagnostic submitted.
    assert Membership.objects.filter(role="owner").count() == 60 == User.objects.count()
    per_company = companies.annotate(latest=Count("diagnostics", filter=Q(diagnostics__is_latest=True)))
    assert {company.latest for company in per_company} == {1}
    assert not diagnostics.filter(status="draft").exists()
    # Valid unique SIRETs; profiles among the regions, the manufacturing divisions and the bands.
    sirets = list(companies.values_list("siret", flat=True))
    assert all(clean_siret(siret) == siret for siret in sirets)
    assert len(set(sirets)) == 60
    assert set(companies.values_list("region__code", flat=True)) <= {code for code, *_ in REGIONS}
    assert set(companies.values_list("naf_division__code", flat=True)) <= {code for code, *_ in MANUFACTURING_DIVISIONS}
    assert len(set(companies.values_list("headcount_band", flat=True))) >= 3


def test_seeded_diagnostics_chain_over_time_with_their_snapshots(referential):
    seed("--companies", "40", "--seed", "3")
    for diagnostic in Diagnostic.objects.select_related("previous", "referential"):
        assert diagnostic.scores == stored_snapshot(diagnostic)
        assert str(diagnostic.overall_score) == diagnostic.scores["overall"]
        assert diagnostic.band == diagnostic.scores["band"]
        assert diagnostic.started_at < diagnostic.submitted_at
        if diagnostic.previous is not None:
            assert diagnostic.previous.company_id == diagnostic.company_id
            assert diagnostic.previous.submitted_at < diagnostic.submitted_at
            assert not diagnostic.previous.is_latest
        rows = {row.axis_code: row.score for row in diagnostic.axis_scores.all()}
        assert {code: None if score is None else str(score) for code, score in rows.items()} == {
            code: axis["score"] for code, axis in diagnostic.scores["axes"].items()
        }
    # Several diagnostics per company for some companies, and the latest is the last one.
    assert Diagnostic.objects.filter(previous__isnull=False).exists()
    for company in Company.objects.all():
        ordered = list(company.diagnostics.order_by("submitted_at"))
        assert ordered[-1].is_latest


def test_the_population_varies(referential):
    seed("--companies", "80", "--seed", "11")
    scores = list(Diagnostic.objects.filter(is_latest=True).values_list("overall_score", flat=True))
    assert max(scores) - min(scores) >= 1
    assert Answer.objects.values("level").distinct().count() >= 5


def test_a_second_run_adds_new_companies(referential):
    seed("--companies", "20", "--seed", "1")
    seed("--companies", "20", "--seed", "1")
    assert Company.objects.count() == 40


def test_same_seed_same_population(referential):
    seed("--companies", "15", "--seed", "5")
    first = sorted(Diagnostic.objects.filter(is_latest=True).values_list("company__siret", "overall_score"))
    Answer.objects.all().delete()
    AxisScore.objects.all().delete()
    Diagnostic.objects.update(previous=None)
    Diagnostic.objects.all().delete()
    Membership.objects.all().delete()
    Company.objects.all().delete()
    User.objects.all().delete()
    seed("--companies", "15", "--seed", "5")
    assert sorted(Diagnostic.objects.filter(is_latest=True).values_list("company__siret", "overall_score")) == first


def test_seed_peers_needs_a_published_referential():
    ReferentialFactory()  # a draft only
    with pytest.raises(CommandError, match="No published referential"):
        seed("--companies", "5")
    assert not Company.objects.exists()


def test_seed_peers_refuses_a_count_below_one(referential):
    with pytest.raises(CommandError):
        seed("--companies", "0")


# --- seed_demo ------------------------------------------------------------------------------------


def demo_counts():
    return (
        User.objects.count(),
        Company.objects.count(),
        Diagnostic.objects.count(),
        Answer.objects.count(),
        AxisScore.objects.count(),
    )


def test_seed_demo_gives_the_demo_company_results_and_a_visible_benchmark():
    PublishedReferentialFactory(axes=8, questions=2)
    call_command("seed_demo", stdout=StringIO())
    company = Company.objects.get(siret=DEMO_SIRET)
    diagnostics = list(company.diagnostics.order_by("submitted_at"))
    assert [d.status for d in diagnostics] == ["submitted", "submitted"]
    first, latest = diagnostics
    assert latest.is_latest and not first.is_latest
    assert latest.previous_id == first.pk
    assert latest.overall_score > first.overall_score
    assert latest.scores == stored_snapshot(latest)
    assert len({axis["score"] for axis in latest.scores["axes"].values()}) >= 4  # varied answers
    group = peer_group_for(latest)
    assert group is not None
    assert group.rung.key == "division-band-region"
    assert group.companies == 13
    assert len(group.axes) == 8


def test_seed_demo_leaves_the_dashboards_counters_equal_to_a_full_recompute():
    PublishedReferentialFactory(axes=3, questions=2)
    call_command("seed_demo", stdout=StringIO())
    funnel, quarters = stored_counters()
    assert (funnel, quarters) == expected_counters()
    assert sum(companies for companies, _started, _submitted in funnel.values()) == Company.objects.count()


def test_seed_demo_is_idempotent_for_the_diagnostics():
    PublishedReferentialFactory(axes=3, questions=2)
    call_command("seed_demo", stdout=StringIO())
    counts = demo_counts()
    call_command("seed_demo", stdout=StringIO())
    assert demo_counts() == counts


def test_seed_demo_completes_missing_peers_only():
    PublishedReferentialFactory(axes=3, questions=2)
    call_command("seed_demo", stdout=StringIO())
    counts = demo_counts()
    peer = Company.objects.exclude(siret=DEMO_SIRET).order_by("pk").first()
    removed = peer.diagnostics.count()
    for diagnostic in peer.diagnostics.order_by("-submitted_at"):
        diagnostic.delete()
    owners = list(User.objects.filter(memberships__company=peer))
    peer.memberships.all().delete()
    peer.delete()
    for user in owners:
        user.delete()
    call_command("seed_demo", stdout=StringIO())
    assert demo_counts()[1:3] == counts[1:3]
    assert removed >= 1


def test_seed_demo_without_a_published_referential_skips_with_a_message(capsys):
    with translation.override("en"):
        call_command("seed_demo")
    assert "Diagnostics demo skipped: no published referential" in capsys.readouterr().out
    assert not Diagnostic.objects.exists()


def test_the_demo_step_alone(owner, company):
    PublishedReferentialFactory(axes=3, questions=2)
    out = StringIO()
    with translation.override("en"):
        stats = seed_demo_diagnostics({"company": company, "sme": owner}, out=out)
    assert stats.companies == 40
    assert "40 peer companies" in out.getvalue()
    assert seed_demo_diagnostics({"company": company, "sme": owner}, out=StringIO()).diagnostics == 0
