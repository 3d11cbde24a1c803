"""Use cases of the regions app (every write that does business work), one module per part; the
names are re-exported here. All take keyword arguments, run in one transaction and raise the typed
errors of `regions.exceptions` with nothing written."""

from regions.exceptions import ExpertProposalRefused
from regions.services.claims import certify_claim, record_payment, reject_claim, submit_claim
from regions.services.documents import add_document
from regions.services.enrolments import (
    accept_enrolment,
    apply_to_programme,
    complete_enrolment,
    refuse_enrolment,
    resubmit_enrolment,
    send_back_enrolment,
    start_enrolment,
    start_review,
    withdraw_enrolment,
)
from regions.services.experts import book_visit_cost, propose_expert
from regions.services.ledger import book_expense, cancel_expense, change_budget
from regions.services.programmes import create_programme, set_programme_status, settle_programme, update_programme
from regions.services.reconcile import Reconciliation, reconcile, verify_ledger

__all__ = [
    "ExpertProposalRefused",
    "Reconciliation",
    "accept_enrolment",
    "add_document",
    "apply_to_programme",
    "book_expense",
    "book_visit_cost",
    "cancel_expense",
    "certify_claim",
    "change_budget",
    "complete_enrolment",
    "create_programme",
    "propose_expert",
    "reconcile",
    "record_payment",
    "refuse_enrolment",
    "reject_claim",
    "resubmit_enrolment",
    "send_back_enrolment",
    "set_programme_status",
    "settle_programme",
    "start_enrolment",
    "start_review",
    "submit_claim",
    "update_programme",
    "verify_ledger",
    "withdraw_enrolment",
]
