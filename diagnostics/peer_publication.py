"""Peer figures as pages read them: what of the peer cells may be published under statistical secrecy
(`benchmark.published_groups`), kept in the cache as one small entry per peer group, and the peer
group shown beside one diagnostic.

- The cells (`models.PeerCell`) are kept up to date by the submit itself (`diagnostics.peer_cells`).
  Deciding what may be published needs every cell (the secrecy rules compare nested groups), so it
  runs apart from the submit: `refresh_peer_publication`, in a Celery task enqueued after the submit
  commits, at most one queued at a time (`schedule_refresh`) and one running at a time (a lock). Its
  cost follows the number of cells (divisions × bands × regions), not the number of companies.
- The cache holds a version entry (`{"generation", "fresh_until"}`) and, under that generation, one
  entry per group: its figures when published, False otherwise. A page reads the version and the five
  groups of its company's ladder (two cache round trips, a few hundred bytes) instead of unpickling
  the whole publication.
- The refresh also writes the published groups to the database (`models.PeerPublication` and its
  `PublishedPeerGroup`s). On a cache miss (a cleared or evicted cache) a page reads its five groups
  there (one query) and puts them back in the cache: no page decides over every cell while a
  publication is stored.
- Stale while revalidate: past `PEER_FRESH_SECONDS`, the figures are still served while a refresh is
  scheduled. Only when no publication was ever stored (a new referential code, or after
  `clear_peer_figures`) does a miss compute the figures: one request, under a lock taken with
  `cache.add`; the others wait for its entries (at most `PEER_MISS_WAIT_SECONDS`) instead of all
  computing at once.
"""

import logging
import secrets
import time
from collections import defaultdict
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from diagnostics.benchmark import LADDER, Cell, PeerGroup, mean, published_groups
from diagnostics.models import PeerCell, PeerPublication, PublishedPeerGroup
from diagnostics.models.peers import OVERALL
from portal.background import enqueue

logger = logging.getLogger(__name__)

PEER_FRESH_SECONDS = 600  # figures older than this are served while a refresh is scheduled
PEER_ENTRY_SECONDS = 24 * 3600  # how long stale figures remain to be served
# How long a refresh holds its lock (it takes well under a second at national scale): a refresh whose
# worker died lets the next one run after this; a scheduled refresh whose message was lost, likewise.
PEER_REFRESH_LOCK_SECONDS = 120
PEER_REFRESH_ROUNDS = 3  # rounds a refresh runs at most when submits keep arriving while it computes
PEER_MISS_WAIT_SECONDS = 5  # how long a request waits for another one computing the missing figures
PEER_MISS_POLL_SECONDS = 0.05


def peer_cells(referential_code):
    """The cells of a referential code as `benchmark.Cell`s, read from the peer cell table (one query)."""
    cells = defaultdict(lambda: {"companies": 0, "overall": Decimal(0), "counts": {}, "sums": {}})
    rows = PeerCell.objects.filter(referential_code=referential_code, companies__gt=0).values_list(
        "division", "section", "band", "region", "axis", "companies", "total"
    )
    for division, section, band, region, axis, companies, total in rows:
        cell = cells[(division, section, band, region)]
        if axis == OVERALL:
            cell["companies"], cell["overall"] = companies, Decimal(total)
        else:
            cell["counts"][axis], cell["sums"][axis] = companies, Decimal(total)
    return [
        Cell(division, section, band, region, cell["companies"], cell["overall"], cell["counts"], cell["sums"])
        for (division, section, band, region), cell in cells.items()
    ]


def compute_publication(referential_code):
    return published_groups(peer_cells(referential_code))


def version_key(referential_code):
    return f"diagnostics:peers:{referential_code}"


def _group_entry_key(referential_code, generation, key):
    rung, (sector, region, band) = key
    return f"diagnostics:peers:{referential_code}:{generation}:{rung}:{sector}:{region}:{band}"


def _entry(publication, key):
    """A group's cache entry: (companies, overall mean, {axis: mean}) when published, else False."""
    if key not in publication.published:
        return False
    totals = publication.groups[key]
    axes = {
        axis: mean(totals.axis_sums[axis], count)
        for axis, count in totals.axis_counts.items()
        if key in publication.axes.get(axis, ())
    }
    return (totals.companies, mean(totals.overall_sum, totals.companies), axes)


def _store(referential_code, publication, extra_keys=(), *, generation=None):
    """Write every group's entry under a new generation (or `generation`), then point the version entry
    at it (a reader never mixes two refreshes). `extra_keys`: groups without any company, recorded as
    unpublished."""
    generation = generation or secrets.token_hex(6)
    entries = {
        _group_entry_key(referential_code, generation, key): _entry(publication, key)
        for key in [*publication.groups, *extra_keys]
    }
    cache.set_many(entries, PEER_ENTRY_SECONDS)
    version = {"generation": generation, "fresh_until": time.time() + PEER_FRESH_SECONDS}
    cache.set(version_key(referential_code), version, PEER_ENTRY_SECONDS)
    return version


@transaction.atomic
def _persist(referential_code, publication, generation):
    """Replace the stored publication of the code by this one (one transaction: a reader sees the
    former groups or the new ones, never a mix)."""
    stored, _created = PeerPublication.objects.update_or_create(
        referential_code=referential_code, defaults={"generation": generation, "computed_at": timezone.now()}
    )
    stored.groups.all().delete()
    groups = []
    for key in publication.published:
        companies, overall, axes = _entry(publication, key)
        rung, (sector, region, band) = key
        groups.append(
            PublishedPeerGroup(
                publication=stored,
                rung=rung,
                sector=sector,
                region=region,
                band=band,
                companies=companies,
                overall=overall,
                axes={axis: str(value) for axis, value in axes.items()},
            )
        )
    PublishedPeerGroup.objects.bulk_create(groups, batch_size=1000)


def _publish(referential_code, publication):
    """Store the publication in the database, then in the cache under the same generation."""
    generation = secrets.token_hex(6)
    _persist(referential_code, publication, generation)
    return _store(referential_code, publication, generation=generation)


def _stored_entries(referential_code, chain):
    """(generation, computed_at, the chain's entries) of the stored publication, or None when none is
    stored. One query: the publication joined to those of its groups that are in the chain."""
    condition = Q()
    for rung, (sector, region, band) in chain:
        condition |= Q(groups__rung=rung, groups__sector=sector, groups__region=region, groups__band=band)
    rows = list(
        PeerPublication.objects.filter(referential_code=referential_code)
        .annotate(in_chain=FilteredRelation("groups", condition=condition))
        .values_list(
            "generation",
            "computed_at",
            "in_chain__rung",
            "in_chain__sector",
            "in_chain__region",
            "in_chain__band",
            "in_chain__companies",
            "in_chain__overall",
            "in_chain__axes",
        )
    )
    if not rows:
        return None
    found = {
        (rung, (sector, region, band)): (companies, overall, {axis: Decimal(mean) for axis, mean in axes.items()})
        for _generation, _at, rung, sector, region, band, companies, overall, axes in rows
        if rung is not None  # the publication's row alone: none of the chain's groups is published
    }
    generation, computed_at = rows[0][:2]
    return generation, computed_at, [found.get(key, False) for key in chain]


def clear_peer_figures(referential_code):
    """Forget the figures, cached and stored: the next request computes them (tests of the worst case;
    after a bulk load of diagnostics, `refresh_peer_publication` decides them again at once)."""
    cache.delete(version_key(referential_code))
    PeerPublication.objects.filter(referential_code=referential_code).delete()


def ladder_keys(*, division, section, band, region):
    """The keys of the groups a company profile belongs to, narrowest first (one per rung)."""
    probe = Cell(division, section, band, region, 0, Decimal(0))
    return [(rung.key, rung.group_key(probe)) for rung in LADDER]


def _read(referential_code, version, chain):
    names = [_group_entry_key(referential_code, version["generation"], key) for key in chain]
    found = cache.get_many(names)
    return [found[name] for name in names] if len(found) == len(names) else None


def peer_group_of(referential_code, *, division, section, band, region, cached_only=False) -> PeerGroup | None:
    """The narrowest published peer group of a company profile, or None. With `cached_only`, None on
    a cache miss rather than computing the figures (inside a transaction that changed the cells)."""
    chain = ladder_keys(division=division, section=section, band=band, region=region)
    version = cache.get(version_key(referential_code))
    entries = _read(referential_code, version, chain) if version else None
    if entries is None and cached_only:
        return None
    if entries is None:
        entries = _on_miss(referential_code, chain, version)
    elif version["fresh_until"] < time.time():
        schedule_refresh(referential_code)  # served stale meanwhile
    for rung, entry in zip(LADDER, entries, strict=True):
        if entry:
            companies, overall, axes = entry
            return PeerGroup(rung=rung, companies=companies, overall=overall, axes=axes)
    return None


def peer_group_for(diagnostic, *, cached_only=False) -> PeerGroup | None:
    """The peer group shown beside this diagnostic, under statistical secrecy, or None (see `peer_group_of`)."""
    company = diagnostic.company
    return peer_group_of(
        diagnostic.referential.code,
        division=company.naf_division.code,
        section=company.naf_division.section.code,
        band=company.headcount_band,
        region=company.region.code,
        cached_only=cached_only,
    )


def _on_miss(referential_code, chain, seen):
    """No complete entry for this chain in the cache: the stored publication's, put back in the cache;
    with none stored, compute under the lock, or wait for the request holding it."""
    stored = _stored_entries(referential_code, chain)
    if stored is not None:
        return _restore(referential_code, chain, seen, *stored)
    lock_key, stale_key = f"{version_key(referential_code)}:refreshing", f"{version_key(referential_code)}:stale"
    if cache.add(lock_key, True, PEER_REFRESH_LOCK_SECONDS):
        try:
            cache.delete(stale_key)
            publication = compute_publication(referential_code)
            _store(referential_code, publication, extra_keys=[key for key in chain if key not in publication.groups])
        finally:
            cache.delete(lock_key)
        if cache.get(stale_key):  # a refresh after a submit found our lock and left the work to us
            schedule_refresh(referential_code)
        return [_entry(publication, key) for key in chain]
    deadline = time.monotonic() + PEER_MISS_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(PEER_MISS_POLL_SECONDS)
        version = cache.get(version_key(referential_code))
        if version and version != seen:
            # Just written: an entry missing here is a group without any company, so not published.
            names = [_group_entry_key(referential_code, version["generation"], key) for key in chain]
            found = cache.get_many(names)
            return [found.get(name, False) for name in names]
    logger.warning(
        "peer figures of %s: no entry after %s s, computed in this request", referential_code, PEER_MISS_WAIT_SECONDS
    )
    publication = compute_publication(referential_code)
    return [_entry(publication, key) for key in chain]


def _restore(referential_code, chain, seen, generation, computed_at, entries):
    """Put the stored entries of a chain back in the cache, under the stored generation; the version
    entry too when the cache lost it. Stale figures are served and a refresh scheduled."""
    cache.set_many(
        {_group_entry_key(referential_code, generation, key): entry for key, entry in zip(chain, entries, strict=True)},
        PEER_ENTRY_SECONDS,
    )
    fresh_until = computed_at.timestamp() + PEER_FRESH_SECONDS
    if seen is None or seen["generation"] != generation:
        cache.set(
            version_key(referential_code), {"generation": generation, "fresh_until": fresh_until}, PEER_ENTRY_SECONDS
        )
    if fresh_until < time.time():
        schedule_refresh(referential_code)
    return entries


def schedule_refresh(referential_code):
    """Enqueue one refresh of the figures unless one is queued already (submits in a burst share it).
    Without a broker the refresh runs here and now. Returns whether a task was enqueued."""
    from diagnostics.tasks import refresh_peer_publication_task

    pending_key = f"{version_key(referential_code)}:pending"
    if not cache.add(pending_key, True, PEER_REFRESH_LOCK_SECONDS):
        return False
    if enqueue(refresh_peer_publication_task, referential_code):
        return True
    cache.delete(pending_key)
    refresh_peer_publication(referential_code)
    return False


def run_scheduled_refresh(referential_code):
    """The task's body: a submit from now on schedules another refresh, then this one computes."""
    cache.delete(f"{version_key(referential_code)}:pending")
    return refresh_peer_publication(referential_code)


def refresh_peer_publication(referential_code):
    """Recompute what may be published and replace the stored and cached figures.

    One refresh at a time: a lock taken with `cache.add` (atomic in Redis); a refresh finding it taken
    marks the figures stale and returns None, and the refresh holding the lock computes again once it
    is done (at most PEER_REFRESH_ROUNDS rounds), so the submits it missed are counted. The lock
    expires after PEER_REFRESH_LOCK_SECONDS should its worker die.
    Returns the publication computed last, or None when another refresh holds the lock.
    """
    key = version_key(referential_code)
    lock_key, stale_key = f"{key}:refreshing", f"{key}:stale"
    if not cache.add(lock_key, True, PEER_REFRESH_LOCK_SECONDS):
        cache.set(stale_key, True, PEER_REFRESH_LOCK_SECONDS)
        return None
    try:
        for _round in range(PEER_REFRESH_ROUNDS):
            cache.delete(stale_key)
            publication = compute_publication(referential_code)
            _publish(referential_code, publication)
            if not cache.get(stale_key):
                break
        return publication
    finally:
        cache.delete(lock_key)
