"""The results page with every app's panel (expert review, programmes, report status) stays within
its budget of 12 queries for every viewer: the demo company has them all, and here its diagnostic
also has a submitted expert review and a report being rendered beside a ready one. Measured in the
steady state: the published referential's bands and the peer figures cached (a submit refreshes the
peer figures in the background instead of clearing them). When the peer entry has expired, the request
that computes it again runs one query more (test_results.py bounds the page without panels then)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import Diagnostic, Report
from experts import services as expert_services
from experts.models import Assignment
from portal.models import User
from seeding.demo.accounts import EXPERT, OFFICER, SME, STAFF

REFERENTIAL = Path(__file__).resolve().parents[2] / "diagnostics" / "referentials" / "industrie-du-futur.yaml"
PAGE_BUDGET = 12  # the roadmap included: its actions carry their level descriptors (one query)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_diagnostic():
    call_command("load_referential", str(REFERENTIAL), "--publish", verbosity=0)
    call_command("seed_demo", verbosity=0)
    owner = User.objects.get(email=SME.email)
    return Diagnostic.objects.get(company__memberships__user=owner, is_latest=True)


@pytest.fixture
def everything_shown(demo_diagnostic):
    """The demo diagnostic shared with the region, reviewed by the demo expert, its report being rendered
    again beside a ready one."""
    demo_diagnostic.shared_with_region = True
    demo_diagnostic.save(update_fields=["shared_with_region"])
    expert = User.objects.get(email=EXPERT.email)
    assignment = Assignment.objects.get(expert__user=expert, company=demo_diagnostic.company)
    Assignment.objects.filter(pk=assignment.pk).update(diagnostic=demo_diagnostic)
    assignment.refresh_from_db()
    expert_services.submit_review(
        assignment=assignment,
        by=expert,
        levels={axis.code: 3 for axis in demo_diagnostic.referential.axes.all()},
        summary="Avis final sur le diagnostic.",
        notify=False,
    )
    Report.objects.filter(diagnostic=demo_diagnostic).delete()
    Report.objects.create(
        diagnostic=demo_diagnostic,
        content_hash="a" * 64,
        language="fr",
        status=Report.Status.READY,
        file="reports/demo.pdf",
        sha256="c" * 64,
        rendered_at=timezone.now(),
    )
    Report.objects.create(diagnostic=demo_diagnostic, content_hash="b" * 64, language="fr")
    return demo_diagnostic


@pytest.mark.parametrize("account", [SME, OFFICER, EXPERT, STAFF], ids=["owner", "officer", "expert", "staff"])
def test_the_results_page_with_every_panel_runs_at_most_twelve_queries_for_every_viewer(
    client, everything_shown, account, django_assert_max_num_queries
):
    client.force_login(User.objects.get(email=account.email))
    url = reverse("diagnostics:results", args=[everything_shown.pk])
    client.get(url)  # the published referential's bands and the peer figures are cached from then on
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="radar' in html
    if account is not STAFF:  # the review panel: members, officers of the region, the expert
        assert "Avis final sur le diagnostic." in html
