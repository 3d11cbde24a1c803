"""Use cases of the diagnostics app, one module per part; the names are re-exported here."""

from diagnostics.exceptions import (
    ConsensusPending,
    DiagnosticError,
    DiagnosticNotDraft,
    DraftAlreadyExists,
    IncompleteDiagnostic,
    InvalidAnswer,
    InvalidEvidence,
    NoPreviousDiagnostic,
    NoPublishedReferential,
    RespondentRefused,
    SharingRefused,
)
from diagnostics.services.diagnostic import (
    AnswerInput,
    check_answer,
    save_answer,
    save_answers,
    start_diagnostic,
    submit_diagnostic,
)
from diagnostics.services.evidence import attach_evidence_file, attach_evidence_link, remove_evidence
from diagnostics.services.modules import decide_module
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
from diagnostics.services.respondents import (
    invite_respondent,
    save_respondent_answer,
    save_respondent_answers,
    set_consensus,
    settle_undisputed,
)
from diagnostics.services.sharing import record_access, set_region_sharing

__all__ = [
    "ConsensusPending",
    "RespondentRefused",
    "invite_respondent",
    "save_respondent_answer",
    "save_respondent_answers",
    "set_consensus",
    "settle_undisputed",
    "AnswerInput",
    "attach_evidence_file",
    "attach_evidence_link",
    "remove_evidence",
    "DiagnosticError",
    "DiagnosticNotDraft",
    "DraftAlreadyExists",
    "IncompleteDiagnostic",
    "InvalidAnswer",
    "InvalidEvidence",
    "SharingRefused",
    "LoadAction",
    "LoadOutcome",
    "NoPreviousDiagnostic",
    "NoPublishedReferential",
    "check_answer",
    "decide_module",
    "derive_draft",
    "load_referential_document",
    "publish_referential",
    "record_access",
    "referential_problems",
    "retire_referential",
    "save_answer",
    "save_answers",
    "set_region_sharing",
    "start_diagnostic",
    "submit_diagnostic",
]
