"""Cache versions: a bump moves the version at once and again after the commit, a missing counter never
starts from a value it had before, and a cache that cannot be reached does not fail the write."""

import logging

import pytest
from django.core.cache import cache

from portal import cache_versions
from portal.cache_versions import bump, versions


def test_a_bump_moves_the_version():
    (before,) = versions("test:thing")
    bump("test:thing")
    (after,) = versions("test:thing")
    assert after > before


@pytest.mark.django_db
def test_a_bump_in_a_transaction_moves_again_after_the_commit(django_capture_on_commit_callbacks):
    (before,) = versions("test:thing")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bump("test:thing")
    (inside,) = versions("test:thing")
    for callback in callbacks:
        callback()
    (after,) = versions("test:thing")
    assert before < inside < after


def test_an_evicted_counter_does_not_come_back_to_an_old_value():
    bump("test:thing")
    (old,) = versions("test:thing")
    cache.delete("version:test:thing")
    (new,) = versions("test:thing")
    assert new > old


def test_an_unreachable_cache_does_not_fail_the_bump(monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache_versions.cache, "incr", unreachable)
    caplog.set_level(logging.WARNING, logger="portal.cache_versions")
    bump("test:thing")
    assert "Could not bump the cache version test:thing" in caplog.text
