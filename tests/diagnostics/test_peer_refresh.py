"""The cached peer figures: one small entry per group, refreshed in the background after a submit (one
refresh queued and one running at a time), served stale while a refresh runs, stored in the database
by the refresh so that a cleared cache is filled with a lookup, and computed under a lock by one request
on a miss when none was ever stored."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from diagnostics import peer_publication as publication
from diagnostics import tasks
from diagnostics.benchmark import LADDER
from diagnostics.models import PeerPublication, PublishedPeerGroup
from diagnostics.peer_publication import (
    PEER_ENTRY_SECONDS,
    PEER_FRESH_SECONDS,
    clear_peer_figures,
    ladder_keys,
    peer_group_of,
    refresh_peer_publication,
    schedule_refresh,
    version_key,
)
from tests.diagnostics.factories import PublishedReferentialFactory
from tests.diagnostics.test_results import add_peers, profile_of
from tests.portal.factories import CompanyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referential():
    return PublishedReferentialFactory(axes=2, questions=3)


@pytest.fixture
def company():
    return CompanyFactory()


def group_of(referential, company):
    return peer_group_of(
        referential.code,
        division=company.naf_division.code,
        section=company.naf_division.section.code,
        band=company.headcount_band,
        region=company.region.code,
    )


def add_peers_keeping_the_cached_figures(referential, profiles):
    """More peers in the cells, while the cache still serves the figures from before them."""
    version = cache.get(version_key(referential.code))
    add_peers(referential, profiles)
    cache.set(version_key(referential.code), version, PEER_ENTRY_SECONDS)


def lock_key(referential):
    return f"{version_key(referential.code)}:refreshing"


def test_a_request_on_an_empty_cache_computes_and_caches_one_entry_per_group(referential, company):
    add_peers(referential, [profile_of(company)] * 6)
    clear_peer_figures(referential.code)
    assert group_of(referential, company).companies == 6
    generation = cache.get(version_key(referential.code))["generation"]
    entries = cache.get_many(
        [
            publication._group_entry_key(referential.code, generation, key)
            for key in ladder_keys(
                division=company.naf_division.code,
                section=company.naf_division.section.code,
                band=company.headcount_band,
                region=company.region.code,
            )
        ]
    )
    assert len(entries) == 5 and all(entry[0] == 6 for entry in entries.values())


def test_a_refresh_replaces_the_figures_under_a_new_generation_and_releases_its_lock(referential, company):
    add_peers(referential, [profile_of(company)] * 6)
    before = cache.get(version_key(referential.code)) or {}
    refresh_peer_publication(referential.code)
    after = cache.get(version_key(referential.code))
    assert after["generation"] != before.get("generation")
    assert cache.get(lock_key(referential)) is None


def test_a_refresh_finding_another_one_running_leaves_the_figures_to_it(referential, company):
    add_peers(referential, [profile_of(company)] * 6)
    group_of(referential, company)
    version = cache.get(version_key(referential.code))
    cache.add(lock_key(referential), True)
    assert refresh_peer_publication(referential.code) is None
    assert cache.get(version_key(referential.code)) == version


def test_the_running_refresh_computes_again_when_a_submit_came_meanwhile(referential, monkeypatch):
    computed = []
    compute = publication.compute_publication

    def compute_while_another_submit_arrives(code):
        computed.append(code)
        if len(computed) == 1:
            assert refresh_peer_publication(code) is None  # the lock is held: marked stale
        return compute(code)

    monkeypatch.setattr(publication, "compute_publication", compute_while_another_submit_arrives)
    refresh_peer_publication(referential.code)
    assert computed == [referential.code, referential.code]


def test_stale_figures_are_served_while_a_refresh_is_scheduled(referential, company, monkeypatch):
    add_peers(referential, [profile_of(company)] * 6)
    assert group_of(referential, company).companies == 6
    add_peers_keeping_the_cached_figures(referential, [profile_of(company)] * 2)
    scheduled = []
    monkeypatch.setattr(publication, "schedule_refresh", scheduled.append)
    version = cache.get(version_key(referential.code))
    cache.set(version_key(referential.code), {**version, "fresh_until": 0}, PEER_ENTRY_SECONDS)
    assert group_of(referential, company).companies == 6  # the stale figures, at once
    assert scheduled == [referential.code]


def test_fresh_figures_schedule_no_refresh(referential, company, monkeypatch):
    add_peers(referential, [profile_of(company)] * 6)
    group_of(referential, company)
    scheduled = []
    monkeypatch.setattr(publication, "schedule_refresh", scheduled.append)
    group_of(referential, company)
    assert scheduled == []


def test_on_a_miss_while_another_request_computes_a_request_waits_for_its_figures(referential, company, monkeypatch):
    add_peers(referential, [profile_of(company)] * 6)
    clear_peer_figures(referential.code)
    cache.add(lock_key(referential), True)  # another request is computing
    computed = []
    monkeypatch.setattr(publication, "compute_publication", lambda code: computed.append(code))

    def the_other_request_stores_its_figures(seconds):
        monkeypatch.undo()
        refresh = publication.compute_publication(referential.code)
        publication._store(referential.code, refresh)

    monkeypatch.setattr(publication.time, "sleep", the_other_request_stores_its_figures)
    assert group_of(referential, company).companies == 6
    assert computed == []  # this request computed nothing


def test_a_queued_refresh_is_not_queued_again_by_the_next_submits(referential, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.refresh_peer_publication_task, "apply_async", lambda *a, **k: sent.append(a))
    assert schedule_refresh(referential.code) is True
    assert schedule_refresh(referential.code) is False
    assert len(sent) == 1


def test_a_submit_after_the_refresh_started_queues_another_one(referential, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.refresh_peer_publication_task, "apply_async", lambda *a, **k: sent.append(a))
    schedule_refresh(referential.code)
    publication.run_scheduled_refresh(referential.code)  # the worker takes it
    assert schedule_refresh(referential.code) is True
    assert len(sent) == 2


def test_without_a_broker_the_refresh_runs_in_the_request(referential, company, monkeypatch):
    add_peers(referential, [profile_of(company)] * 6)
    group_of(referential, company)
    add_peers_keeping_the_cached_figures(referential, [profile_of(company)] * 2)

    def broker_down(*args, **kwargs):
        raise OSError("broker down")

    monkeypatch.setattr(tasks.refresh_peer_publication_task, "apply_async", broker_down)
    assert schedule_refresh(referential.code) is False
    assert group_of(referential, company).companies == 8


def test_a_refresh_that_found_a_request_computing_on_a_miss_is_scheduled_after_it(referential, company, monkeypatch):
    add_peers(referential, [profile_of(company)] * 6)
    clear_peer_figures(referential.code)
    compute = publication.compute_publication
    scheduled = []

    def compute_while_a_submit_refreshes(code):
        assert refresh_peer_publication(code) is None  # the request holds the lock: marked stale
        return compute(code)

    monkeypatch.setattr(publication, "compute_publication", compute_while_a_submit_refreshes)
    monkeypatch.setattr(publication, "schedule_refresh", scheduled.append)
    group_of(referential, company)
    assert scheduled == [referential.code]


# --- The stored publication: what a cleared cache falls back on ---------------------------------------


def refuse_to_compute(monkeypatch):
    def compute(code):
        raise AssertionError("the figures were decided again on a request")

    monkeypatch.setattr(publication, "compute_publication", compute)


def test_a_refresh_stores_the_published_groups_in_the_database(referential, company):
    add_peers(referential, [profile_of(company)] * 6)
    refresh_peer_publication(referential.code)
    stored = PeerPublication.objects.get(referential_code=referential.code)
    assert stored.generation == cache.get(version_key(referential.code))["generation"]
    assert {(group.rung, group.companies) for group in stored.groups.all()} == {(rung.key, 6) for rung in LADDER}


def test_a_cleared_cache_is_filled_from_the_stored_figures_without_deciding_again(referential, company, monkeypatch):
    add_peers(referential, [profile_of(company)] * 6 + [profile_of(company, band="1-9")] * 7)
    refresh_peer_publication(referential.code)
    before = group_of(referential, company)
    cache.clear()
    refuse_to_compute(monkeypatch)
    after = group_of(referential, company)
    assert after == before and after.companies == 6 and after.axes
    assert cache.get(version_key(referential.code))["generation"] == PeerPublication.objects.get().generation


def test_every_profile_reads_the_same_figures_from_the_database_as_from_the_cache(referential, company, monkeypatch):
    profiles = (
        [profile_of(company)] * 6 + [profile_of(company, band="1-9")] * 3 + [profile_of(company, region="84")] * 5
    )
    add_peers(referential, profiles)
    refresh_peer_publication(referential.code)
    ladders = [
        {"division": p.division, "section": company.naf_division.section.code, "band": p.band, "region": p.region}
        for p in profiles
    ]
    cached = [peer_group_of(referential.code, **ladder) for ladder in ladders]
    refuse_to_compute(monkeypatch)
    from_database = []
    for ladder in ladders:
        cache.clear()
        from_database.append(peer_group_of(referential.code, **ladder))
    assert from_database == cached


def test_figures_from_the_database_take_one_query(referential, company, django_assert_num_queries):
    add_peers(referential, [profile_of(company)] * 6)
    refresh_peer_publication(referential.code)
    cache.clear()
    company.naf_division.section  # noqa: B018 - the profile read before counting
    with django_assert_num_queries(1):
        assert group_of(referential, company).companies == 6


def test_stale_stored_figures_are_served_and_a_refresh_is_scheduled(referential, company, monkeypatch):
    add_peers(referential, [profile_of(company)] * 6)
    refresh_peer_publication(referential.code)
    PeerPublication.objects.update(computed_at=timezone.now() - timedelta(seconds=PEER_FRESH_SECONDS + 1))
    cache.clear()
    scheduled = []
    monkeypatch.setattr(publication, "schedule_refresh", scheduled.append)
    assert group_of(referential, company).companies == 6
    assert scheduled == [referential.code]


def test_fresh_stored_figures_schedule_no_refresh(referential, company, monkeypatch):
    add_peers(referential, [profile_of(company)] * 6)
    refresh_peer_publication(referential.code)
    cache.clear()
    scheduled = []
    monkeypatch.setattr(publication, "schedule_refresh", scheduled.append)
    group_of(referential, company)
    assert scheduled == []


def test_a_second_refresh_replaces_the_stored_groups(referential, company):
    add_peers(referential, [profile_of(company)] * 6)
    refresh_peer_publication(referential.code)
    add_peers(referential, [profile_of(company)] * 2)
    refresh_peer_publication(referential.code)
    assert PeerPublication.objects.count() == 1
    assert set(PublishedPeerGroup.objects.values_list("companies", flat=True)) == {8}


def test_clearing_the_figures_forgets_the_stored_publication_too(referential, company):
    add_peers(referential, [profile_of(company)] * 6)
    refresh_peer_publication(referential.code)
    clear_peer_figures(referential.code)
    assert not PeerPublication.objects.exists() and not PublishedPeerGroup.objects.exists()
