"""Version counters in the cache: what a page keeps in the cache is keyed by the version of what it
shows, and the services that change it bump that version, so the next request computes afresh (the
entry of the old version is never read again and expires on its own).

A bump is one INCR. It is made at once (the rest of the writing transaction, and a test without
commits, read fresh figures) and again once the transaction commits: an entry computed meanwhile by
another request, from the rows as they were before the commit, is then abandoned too.

A bump that cannot reach the cache is logged and does not fail the service that made it (an
acceptance must not be refused because Redis is away); what it would have refreshed is then seen when
the entries expire.

A counter missing from the cache (never bumped, or evicted) starts from the current time in
microseconds rather than from zero, so that a counter never comes back to a value it had before
(an entry of that old value would be read again).
"""

import logging
import time

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


def _key(name):
    return f"version:{name}"


def _origin():
    return time.time_ns() // 1000


def versions(*names):
    """The current version of each name, in order (one cache round trip; a missing counter is started)."""
    keys = [_key(name) for name in names]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _origin(), None)
            found[key] = cache.get(key)
    return [found[key] for key in keys]


def _incr(key):
    try:
        cache.incr(key)
    except ValueError:  # no counter yet (or evicted): start one, unless another request just did
        if not cache.add(key, _origin(), None):
            cache.incr(key)


def bump_now(*names):
    for name in names:
        try:
            _incr(_key(name))
        except Exception:  # the cache is unreachable: the write it follows stands
            logger.warning("Could not bump the cache version %s", name, exc_info=True)


def bump(*names):
    """Move the versions of `names` now and again after the current transaction commits."""
    bump_now(*names)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: bump_now(*names), robust=True)
