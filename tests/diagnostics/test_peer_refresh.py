"""The cached peer figures are refreshed in the background after a submit, one refresh at a time;
a request finding no cached figures computes them itself."""

import pytest
from django.core.cache import cache

from diagnostics import peer_publication as publication
from diagnostics import tasks
from diagnostics.benchmark import Publication
from diagnostics.peer_publication import peer_cells_cache_key, peer_publication, refresh_peer_publication
from diagnostics.services.diagnostic import enqueue_peer_refresh
from tests.diagnostics.factories import PublishedReferentialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referential():
    return PublishedReferentialFactory(axes=2, questions=3)


def lock_key(referential):
    return f"{peer_cells_cache_key(referential.code)}:refreshing"


def test_a_request_on_an_empty_cache_computes_and_caches_the_figures(referential):
    publication = peer_publication(referential.code)
    assert isinstance(publication, Publication)
    assert cache.get(peer_cells_cache_key(referential.code)) == publication


def test_a_refresh_replaces_the_cached_figures_and_releases_its_lock(referential):
    cache.set(peer_cells_cache_key(referential.code), "old figures")
    publication = refresh_peer_publication(referential.code)
    assert isinstance(publication, Publication)
    assert cache.get(peer_cells_cache_key(referential.code)) == publication
    assert cache.get(lock_key(referential)) is None


def test_a_refresh_finding_another_one_running_leaves_the_figures_to_it(referential):
    cache.set(peer_cells_cache_key(referential.code), "current figures")
    cache.add(lock_key(referential), True)
    assert refresh_peer_publication(referential.code) is None
    assert cache.get(peer_cells_cache_key(referential.code)) == "current figures"


def test_the_running_refresh_computes_again_when_a_submit_came_meanwhile(referential, monkeypatch):
    computed = []
    compute = publication._compute_peer_publication

    def compute_while_another_submit_arrives(code):
        computed.append(code)
        if len(computed) == 1:
            assert refresh_peer_publication(code) is None  # the lock is held: marked stale
        return compute(code)

    monkeypatch.setattr(publication, "_compute_peer_publication", compute_while_another_submit_arrives)
    refresh_peer_publication(referential.code)
    assert computed == [referential.code, referential.code]


def test_without_a_broker_the_figures_are_cleared_for_the_next_request(referential, monkeypatch):
    def broker_down(*args, **kwargs):
        raise OSError("broker down")

    monkeypatch.setattr(tasks.refresh_peer_publication_task, "apply_async", broker_down)
    cache.set(peer_cells_cache_key(referential.code), "old figures")
    assert enqueue_peer_refresh(referential.code) is False
    assert cache.get(peer_cells_cache_key(referential.code)) is None
