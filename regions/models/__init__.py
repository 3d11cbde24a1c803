"""Programmes, enrolments and the budget ledger of the regions app; one module per part."""

from regions.models.claims import ClaimInvoice, ClaimPayment, ClaimTransition, PaymentClaim
from regions.models.closing import ClosingStatement
from regions.models.documents import EnrolmentDocument
from regions.models.enrolment import Enrolment, EnrolmentAssignment, EnrolmentTransition
from regions.models.ledger import Expense, LedgerEntry
from regions.models.opendata import OpenDataRelease
from regions.models.programme import Programme, ProgrammeTransition
from regions.models.reassessment import Reassessment
from regions.models.tranche import BudgetTranche

__all__ = [
    "ClaimInvoice",
    "ClaimPayment",
    "ClaimTransition",
    "ClosingStatement",
    "BudgetTranche",
    "Enrolment",
    "EnrolmentAssignment",
    "EnrolmentDocument",
    "EnrolmentTransition",
    "Expense",
    "LedgerEntry",
    "OpenDataRelease",
    "PaymentClaim",
    "Programme",
    "ProgrammeTransition",
    "Reassessment",
]
