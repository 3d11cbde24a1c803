"""The results page with every app's panel (expert review, programmes, report status) stays within
its budget of 12 queries: the demo company has them all."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from diagnostics.models import Diagnostic
from diagnostics.results import peer_cells_cache_key
from portal.demo import SME
from portal.models import User

REFERENTIAL = Path(__file__).resolve().parents[2] / "diagnostics" / "referentials" / "industrie-du-futur.yaml"
PAGE_BUDGET = 12

pytestmark = pytest.mark.django_db


def test_demo_results_page_with_every_panel_runs_at_most_twelve_queries(client, django_assert_max_num_queries):
    call_command("load_referential", str(REFERENTIAL), "--publish", verbosity=0)
    call_command("seed_demo", verbosity=0)
    owner = User.objects.get(email=SME.email)
    diagnostic = Diagnostic.objects.get(company__memberships__user=owner, is_latest=True)
    client.force_login(owner)
    cache.delete(peer_cells_cache_key(diagnostic.referential.code))
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(reverse("diagnostics:results", args=[diagnostic.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="radar' in html
