"""Use cases of the diagnostics app, one module per part; the names are re-exported here."""

from diagnostics.services.diagnostic import (
    AnswerInput,
    DiagnosticError,
    DiagnosticNotDraft,
    DraftAlreadyExists,
    IncompleteDiagnostic,
    InvalidAnswer,
    NoPreviousDiagnostic,
    NoPublishedReferential,
    check_answer,
    save_answer,
    save_answers,
    start_diagnostic,
    submit_diagnostic,
)
from diagnostics.services.referential import (
    LoadAction,
    LoadOutcome,
    derive_draft,
    load_referential_document,
    publish_referential,
    referential_problems,
    retire_referential,
)
from diagnostics.services.report import latest_report, render_report, request_report, requeue_stuck_reports  # noqa: F401

__all__ = [
    "AnswerInput",
    "DiagnosticError",
    "DiagnosticNotDraft",
    "DraftAlreadyExists",
    "IncompleteDiagnostic",
    "InvalidAnswer",
    "LoadAction",
    "LoadOutcome",
    "NoPreviousDiagnostic",
    "NoPublishedReferential",
    "check_answer",
    "derive_draft",
    "load_referential_document",
    "publish_referential",
    "referential_problems",
    "retire_referential",
    "save_answer",
    "save_answers",
    "start_diagnostic",
    "submit_diagnostic",
]
