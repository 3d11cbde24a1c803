"""A company's maturity over every diagnostic it submitted (not only the last two), each labelled with
its measurement point around a programme's support (T0, T1, T2), for the company's own results page.

The history changes only when the company submits a diagnostic or when a programme's cycle moves (an
application, a completion): it is kept in the cache per company, and those events forget it
(`forget_company_trend`), so that the results page reads it without a query once warm.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from diagnostics.extensions import measurement_labels_for
from diagnostics.models import Diagnostic

# The table shows the most recent ones: a company re-assessing every quarter for years keeps a readable page.
TREND_LENGTH = 12
# A bound on what a missed forget could leave stale (a label due to a date reached meanwhile).
TREND_CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class TrendPoint:
    diagnostic_id: int
    submitted_at: datetime
    overall: Decimal | None
    axes: list  # (axis, score) for each axis of the page, in its order (None where this diagnostic has none)
    label: str  # "T0", "T1", "T2", or "" outside a programme's cycle
    is_current: bool


def _key(company_id):
    return f"diagnostics:trend:{company_id}"


def forget_company_trend(company_id):
    """Drop the company's cached history (after a submit, an application, a completion)."""
    cache.delete(_key(company_id))


def _company_history(company_id):
    """[(pk, submitted_at, overall, {axis code: score}, label)], oldest first, from the cache or two queries."""
    history = cache.get(_key(company_id))
    if history is None:
        rows = list(
            Diagnostic.objects.filter(company_id=company_id, status=Diagnostic.Status.SUBMITTED)
            .order_by("-submitted_at", "-pk")
            .values_list("pk", "submitted_at", "overall_score", "scores")[:TREND_LENGTH]
        )
        submitted = [(pk, timezone.localtime(at).date()) for pk, at, _overall, _scores in rows]
        labels = measurement_labels_for(company_id, submitted) if len(rows) > 1 else {}
        history = [
            (pk, at, overall, _axis_scores(scores), labels.get(pk, "")) for pk, at, overall, scores in reversed(rows)
        ]
        cache.set(_key(company_id), history, TREND_CACHE_SECONDS)
    return history


def company_trend(diagnostic, *, axes):
    """The submitted diagnostics of `diagnostic`'s company, oldest first, with a score per axis of `axes`;
    empty when there is only this one. For the company's members (every diagnostic is theirs to see)."""
    history = _company_history(diagnostic.company_id)
    if len(history) < 2:
        return []
    return [
        TrendPoint(
            diagnostic_id=pk,
            submitted_at=submitted_at,
            overall=overall,
            axes=[(axis, scores.get(axis.code)) for axis in axes],
            label=label,
            is_current=pk == diagnostic.pk,
        )
        for pk, submitted_at, overall, scores, label in history
    ]


def _axis_scores(scores):
    return {
        code: Decimal(values["score"])
        for code, values in (scores or {}).get("axes", {}).items()
        if values.get("score") is not None
    }
