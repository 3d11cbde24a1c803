"""Peer figures: the aggregation of the companies' latest submitted diagnostics into cells, what of
them may be published under statistical secrecy (`benchmark`), cached, refreshed in the background
after a submit, and the peer group shown beside one diagnostic."""

import logging
from dataclasses import replace
from decimal import Decimal

from django.core.cache import cache
from django.db.models import CharField, Count, Sum, Value

from diagnostics.benchmark import Cell, PeerGroup, Publication, choose_peer_group, published_groups
from diagnostics.models import AxisScore, Diagnostic

logger = logging.getLogger(__name__)

PEER_CELLS_CACHE_SECONDS = 600
# How long a background refresh of the peer publication holds its lock (it takes about 1 s at 50,000
# companies): a refresh whose worker died lets the next one run after this.
PEER_REFRESH_LOCK_SECONDS = 120
PEER_REFRESH_ROUNDS = 3  # rounds a refresh runs at most when submits keep arriving while it computes
OVERALL_ROW = ""  # the axis column of the overall rows (axis codes start with a capital letter)


def peer_cells(referential_code):
    """Per (division, band, region) counts and sums of the companies' latest submitted diagnostics.

    One aggregate query (the overall sums and the per-axis sums, as a UNION ALL). Pages read the
    cached `peer_publication` instead.
    """
    group_by = (
        "company__naf_division__code",
        "company__naf_division__section__code",
        "company__headcount_band",
        "company__region__code",
    )
    overall_rows = (
        Diagnostic.objects.filter(is_latest=True, referential__code=referential_code)
        .annotate(axis=Value(OVERALL_ROW, output_field=CharField()))
        .values(*group_by, "axis")
        # One latest diagnostic per company (constraint one_latest_diagnostic_per_company), so counting
        # rows counts companies: no DISTINCT, which would sort every row instead of hashing the groups.
        .annotate(companies=Count("pk"), total=Sum("overall_score"))
        .order_by()  # a compound statement's parts take no ORDER BY (SQLite)
    )
    axis_rows = (
        AxisScore.objects.filter(
            diagnostic__is_latest=True, diagnostic__referential__code=referential_code, score__isnull=False
        )
        .values(*(f"diagnostic__{field}" for field in group_by), "axis_code")
        # … and one score per axis of a diagnostic (constraint one_score_per_axis).
        .annotate(companies=Count("pk"), total=Sum("score"))
        .order_by()
    )
    overall, axis_counts, axis_sums = {}, {}, {}
    for row in overall_rows.union(axis_rows, all=True):  # rows named after the first query's columns
        cell_key = tuple(row[field] for field in group_by)
        if row["axis"] == OVERALL_ROW:
            overall[cell_key] = row
        else:
            axis_counts.setdefault(cell_key, {})[row["axis"]] = row["companies"]
            axis_sums.setdefault(cell_key, {})[row["axis"]] = row["total"]
    cells = [
        Cell(
            division=cell_key[0],
            section=cell_key[1],
            band=cell_key[2],
            region=cell_key[3],
            companies=row["companies"],
            overall_sum=Decimal(row["total"] or 0),
            axis_counts=axis_counts.get(cell_key, {}),
            axis_sums=axis_sums.get(cell_key, {}),
        )
        for cell_key, row in overall.items()
    ]
    return cells


def peer_publication(referential_code):
    """What of the peer cells may be published (`benchmark.published_groups`, which walks the whole
    population), decided once and cached for a few minutes under `peer_cells_cache_key`. Only the
    published groups' totals are kept: the entry stays small, so reading it costs a few milliseconds
    where deciding it again would cost about a second at national scale (the aggregate and the secrecy).

    A submit does not clear the entry: it enqueues `refresh_peer_publication` after commit, which
    replaces it in the background (see there). Only a request finding no entry at all (the first one,
    or after the entry expired) computes it in the request, as it always did.
    """
    key = peer_cells_cache_key(referential_code)
    publication = cache.get(key)
    if isinstance(publication, Publication):
        return publication
    return _compute_peer_publication(referential_code)


def _compute_peer_publication(referential_code):
    publication = _slim(published_groups(peer_cells(referential_code)))
    cache.set(peer_cells_cache_key(referential_code), publication, PEER_CELLS_CACHE_SECONDS)
    return publication


def refresh_peer_publication(referential_code):
    """Recompute the peer publication and replace its cache entry; run by a Celery task after each submit.

    Why not clear the entry on submit: at national scale the recomputation takes about a second, and
    every results page and report opened between a submit and the next cached entry paid it (during a
    deadline rush, every submit made the next requests recompute it, several at once). Instead pages
    keep reading the previous figures (one diagnostic short, at most for the time of a refresh) while
    one process computes the new ones.

    One refresh at a time: a lock taken with `cache.add` (atomic in Redis); a refresh finding it taken
    marks the entry stale and returns None, and the refresh holding the lock computes again once it is
    done (at most PEER_REFRESH_ROUNDS rounds), so the submits it missed are counted. The lock expires
    after PEER_REFRESH_LOCK_SECONDS should its worker die; the entry also expires after
    PEER_CELLS_CACHE_SECONDS, which bounds how long a missed refresh leaves figures behind.
    Returns the publication computed last, or None when another refresh holds the lock.
    """
    key = peer_cells_cache_key(referential_code)
    lock_key, stale_key = f"{key}:refreshing", f"{key}:stale"
    if not cache.add(lock_key, True, PEER_REFRESH_LOCK_SECONDS):
        cache.set(stale_key, True, PEER_REFRESH_LOCK_SECONDS)
        return None
    try:
        for _round in range(PEER_REFRESH_ROUNDS):
            cache.delete(stale_key)
            publication = _compute_peer_publication(referential_code)
            if not cache.get(stale_key):
                break
        return publication
    finally:
        cache.delete(lock_key)


def _slim(publication):
    """The publication with only what `choose_peer_group` reads (the published groups' totals, without
    their cells): a fraction of the size, so that reading it from the cache stays quick."""
    return Publication(
        groups={
            key: replace(
                publication.groups[key],
                axis_counts=dict(publication.groups[key].axis_counts),
                axis_sums=dict(publication.groups[key].axis_sums),
                cells=set(),
            )
            for key in publication.published
        },
        published=publication.published,
        axes=publication.axes,
    )


def peer_cells_cache_key(referential_code):
    return f"diagnostics:peer-publication:{referential_code}"


def peer_group_for(diagnostic) -> PeerGroup | None:
    """The peer group shown beside this diagnostic, under statistical secrecy, or None."""
    company = diagnostic.company
    return choose_peer_group(
        [],
        publication=peer_publication(diagnostic.referential.code),
        division=company.naf_division.code,
        section=company.naf_division.section.code,
        band=company.headcount_band,
        region=company.region.code,
    )
