"""What a report takes from the world around its diagnostic, frozen when the diagnostic is submitted.

The peer group (statistics of other companies' latest diagnostics) and the next steps (matching experts,
eligible programmes, from the apps above) move every day. A report is a dated document: they are
taken once, right after the submit commits (`services.report.request_report_after_submit`), and
stored on the diagnostic (`Diagnostic.report_snapshot`, JSON). The report's content and its hash are
computed from that snapshot, so asking for the report again is a lookup that renders nothing however
the world moved. The company's owner may take it again with today's figures
(`services.report_figures.update_report_figures`).

A diagnostic submitted before snapshots existed, or whose company has changed language since (the
next steps are worded in the company's language), gets its snapshot when its report is next asked for.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from diagnostics.benchmark import LADDER, PeerGroup
from diagnostics.extensions import funding_for, next_steps_for
from diagnostics.models import Diagnostic
from diagnostics.peer_publication import peer_group_for

RUNGS = {rung.key: rung for rung in LADDER}


@dataclass(frozen=True)
class FrozenFigures:
    """A snapshot read back: when it was taken, the peer group (or None), the next steps as
    [[section title, [[item title, detail], ...]], ...] in `language`, the programmes that may fund
    the action plan as [[name, rate or None, detail], ...] (empty in snapshots taken before)."""

    taken_at: datetime
    language: str
    peers: PeerGroup | None
    next_steps: list
    stored: dict  # the JSON as stored: what the report's hash covers
    funding: list = ()


def company_language(diagnostic):
    return diagnostic.company.language or settings.LANGUAGE_CODE


def take_snapshot(diagnostic, *, language):
    """The world's figures for this diagnostic now, as JSON-ready values (reads the cached peer figures
    and asks the next-steps providers)."""
    peers = peer_group_for(diagnostic)
    with translation.override(language):
        next_steps = [
            [str(section.title), [[str(item.title), str(item.detail)] for item in section.items]]
            for section in next_steps_for(diagnostic)
        ]
        funding = [
            [str(offer.name), None if offer.rate is None else str(offer.rate), str(offer.detail)]
            for offer in funding_for(diagnostic)
        ]
    return {
        "taken_at": timezone.now().isoformat(),
        "language": language,
        "peers": None
        if peers is None
        else {
            "rung": peers.rung.key,
            "companies": peers.companies,
            "overall": str(peers.overall),
            "axes": {code: str(score) for code, score in sorted(peers.axes.items())},
        },
        "next_steps": next_steps,
        "funding": funding,  # the programmes that may fund the action plan: [[name, rate or None, detail], ...]
    }


@transaction.atomic
def freeze_report_figures(*, diagnostic):
    """Take the snapshot of a submitted diagnostic now and store it. Returns the diagnostic, with
    its company, region, division and referential (`select_related`)."""
    row = (
        Diagnostic.objects.select_for_update(of=("self",))
        .select_related("company__naf_division__section", "company__region", "referential")
        .get(pk=diagnostic.pk)
    )
    row.report_snapshot = take_snapshot(row, language=company_language(row))
    row.save(update_fields=["report_snapshot"])
    return row


def frozen_figures(diagnostic):
    """The diagnostic's snapshot (taken now when it has none, or one in another language than its company's)."""
    snapshot = diagnostic.report_snapshot
    if not snapshot or snapshot.get("language") != company_language(diagnostic):
        snapshot = freeze_report_figures(diagnostic=diagnostic).report_snapshot
        diagnostic.report_snapshot = snapshot
    return read(snapshot)


def read(snapshot):
    peers = snapshot["peers"]
    group = None
    if peers is not None and peers["rung"] in RUNGS:
        group = PeerGroup(
            rung=RUNGS[peers["rung"]],
            companies=peers["companies"],
            overall=Decimal(peers["overall"]),
            axes={code: Decimal(score) for code, score in peers["axes"].items()},
        )
    return FrozenFigures(
        taken_at=datetime.fromisoformat(snapshot["taken_at"]),
        language=snapshot["language"],
        peers=group,
        next_steps=snapshot["next_steps"],
        stored=snapshot,
        funding=snapshot.get("funding", []),
    )
