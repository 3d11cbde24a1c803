"""The dashboards' figures in the cache, under versions the services bump (`portal.cache_versions`).

A board's figures (everything on it but the page of applications, which is read per request) follow
the programmes, enrolments and ledger of the regions it covers. Each region has a board version, and
the country has one: `bump_board_version(region_id)` moves both, and every service that changes what a
board shows calls it (the enrolment moves, every ledger entry, a programme's creation, edit and status,
a submitted diagnostic of an enrolled company). A regional board is keyed by the versions of its
regions, the national one (and a staff member's) by the country's; with the filters and the language.

What no service bumps (a company renamed or resized) is seen within `BOARD_CACHE_SECONDS`.
"""

import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.utils.translation import get_language

from portal.cache_versions import bump, versions
from regions.selectors import officer_region_ids

BOARD_CACHE_SECONDS = 10 * 60
NATIONAL = "all"
_MISSING = object()


def _version_name(scope):
    return f"regions:board:{scope}"


def bump_board_version(region_id):
    """What the boards of `region_id` (and the national one) show has changed: the next request of each
    computes its figures afresh. Call it from any service that moves enrolments, money or programmes of
    the region (inside its transaction: the bump is made again after the commit)."""
    bump(_version_name(region_id), _version_name(NATIONAL))


def region_version(region_id):
    """The current board version of a region (what else follows its programmes and applications keys on it)."""
    (version,) = versions(_version_name(region_id))
    return version


def board_key(*, region_ids, params, national):
    """The cache key of a board: `region_ids` None for every region (staff), else the officer's regions;
    `params` the filters' values as sent."""
    scopes = [NATIONAL] if region_ids is None else sorted(region_ids)
    current = versions(*(_version_name(scope) for scope in scopes))
    filters = urlencode(sorted((name, value) for name, value in params.items() if value not in ("", None)))
    digest = hashlib.sha256(filters.encode()).hexdigest()[:24]
    scope = "all" if region_ids is None else "-".join(map(str, scopes))
    stamp = "-".join(map(str, current))
    return f"regions:board:{'national' if national else 'region'}:{scope}:{stamp}:{get_language()}:{digest}"


def cached_board(*, region_ids, params, national, compute):
    """(key, figures): the board's figures from the cache, or `compute()`d and kept. The page caches its
    fragments that show them (and the filters, whose choices and chosen values the key covers) under
    the same key."""
    key = board_key(region_ids=region_ids, params=params, national=national)
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, BOARD_CACHE_SECONDS)
    return key, figures


def cached_scope_figures(user, *, national, name, compute):
    """Figures of a board that follow no filter (the charts over every company in scope, read from the
    regions' counters: `regions.dashboard_charts`), kept under `name`, or `compute()`d (None is kept too).
    A region's are kept under its board versions; the national ones for `BOARD_CACHE_SECONDS` whatever
    moves (a move somewhere every few seconds would otherwise recompute them at nearly every view).
    Sign-ups and submits bump no version: they show within `BOARD_CACHE_SECONDS`."""
    region_ids = None if user.is_staff else officer_region_ids(user)
    if region_ids is None:
        key = f"regions:board-scope:all:{'national' if national else 'region'}:{get_language()}:{name}"
    else:
        key = f"{board_key(region_ids=region_ids, params={}, national=national)}:{name}"
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        cache.set(key, found, BOARD_CACHE_SECONDS)
    return found
