"""Reading a diagnostic's DMA view: its answers as levels, through its referential version's crosswalk."""

from collections import defaultdict

from diagnostics.dma.crosswalk import crosswalk_for, derive
from diagnostics.dma.scoring import dma_scores
from diagnostics.models import Answer


def answer_levels(diagnostic_ids):
    """{diagnostic id: {question code: level, or None when not applicable or without a level}} (one query)."""
    levels = defaultdict(dict)
    rows = Answer.objects.filter(diagnostic_id__in=list(diagnostic_ids)).values_list(
        "diagnostic_id", "question__code", "level", "not_applicable"
    )
    for diagnostic_id, code, level, not_applicable in rows.iterator(chunk_size=5000):
        levels[diagnostic_id][code] = None if not_applicable else level
    return levels


def dma_view(diagnostic):
    """(crosswalk, item values, DmaScore) of a submitted diagnostic (its referential loaded), or None when
    its referential version has no crosswalk or it is a draft. One query."""
    if diagnostic.is_draft:
        return None
    crosswalk = crosswalk_for(diagnostic.referential.code, diagnostic.referential.version)
    if crosswalk is None:
        return None
    values = derive(crosswalk, answer_levels([diagnostic.pk])[diagnostic.pk])
    return crosswalk, values, dma_scores(values)
