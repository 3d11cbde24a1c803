"""Errors of the regions app: the portal's hierarchy (`portal.errors`), and the refusals of its own.

Each carries a clear message for the user, already translated into the active language with
amounts in its number format; the data that caused it travels along. Nothing was written.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.errors import IllegalTransition, InvalidInput, ServiceError
from portal.money import format_eur

__all__ = [
    "AboveAidAsked",
    "AlreadyApplied",
    "AlreadyDecided",
    "BudgetBelowCommitted",
    "BudgetExhausted",
    "ClaimAboveCommitment",
    "ClaimNotAllowed",
    "CommitmentExceeded",
    "DeMinimisExceeded",
    "DocumentRefused",
    "ExpenseAlreadyBooked",
    "ExpenseNotAllowed",
    "ExpertProposalRefused",
    "IllegalTransition",
    "InvalidAmount",
    "InvalidInput",
    "ApplicationsPending",
    "NotEligible",
    "ProgrammeSettled",
    "RegionsError",
    "TrancheBelowCommitted",
    "TrancheExhausted",
    "TranchesInvalid",
]


class RegionsError(ServiceError):
    """Base of the regions app's own refusals: the money or the programme's rules say no."""

    http_status = 409


class AlreadyDecided(IllegalTransition):
    """The application was decided (or withdrawn) by someone else first."""


class BudgetExhausted(RegionsError):
    """Committing the amount would take the programme over its budget."""

    def __init__(self, *, left, asked):
        self.left, self.asked = left, asked
        super().__init__(
            _("Budget exhausted: %(left)s left, %(asked)s asked")
            % {"left": format_eur(left), "asked": format_eur(asked)}
        )


class CommitmentExceeded(RegionsError):
    """Booking the expense would take the enrolment's spending over its committed amount."""

    def __init__(self, *, left, asked):
        self.left, self.asked = left, asked
        super().__init__(
            _("Commitment exceeded: %(left)s left on this enrolment, %(asked)s asked")
            % {"left": format_eur(left), "asked": format_eur(asked)}
        )


class BudgetBelowCommitted(RegionsError):
    """A budget was about to go below what is already committed."""

    def __init__(self, *, committed, asked):
        self.committed, self.asked = committed, asked
        super().__init__(
            _("The budget cannot go below the amount already committed: %(committed)s committed, %(asked)s asked")
            % {"committed": format_eur(committed), "asked": format_eur(asked)}
        )


class InvalidAmount(InvalidInput):
    """An amount that is not a positive number of euros with at most two decimals, or above the cap."""


class NotEligible(RegionsError):
    """The company may not apply to the programme; `reasons` says why, one line each."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__(" ".join(self.reasons))


class AlreadyApplied(RegionsError):
    """The company already has a live application to this programme."""


class ExpenseNotAllowed(IllegalTransition):
    """Expenses cannot be booked (or cancelled) on this enrolment or expense in its current state."""


class ExpenseAlreadyBooked(ExpenseNotAllowed):
    """The source (e.g. a visit) already has its expense booked."""


class ExpertProposalRefused(RegionsError):
    """The experts app refused the proposal (not referenced, no free place, already under way…)."""


class AboveAidAsked(RegionsError):
    """The amount to commit is above the aid the application asks for (its amount, or rate × costs)."""

    def __init__(self, *, aid, asked):
        self.aid, self.asked = aid, asked
        super().__init__(
            _("The amount is above the aid asked for: at most %(aid)s, %(asked)s asked")
            % {"aid": format_eur(aid), "asked": format_eur(asked)}
        )


class DeMinimisExceeded(RegionsError):
    """Committing the amount would take the company over the de minimis ceiling over three years."""

    def __init__(self, *, received, asked, ceiling):
        self.received, self.asked, self.ceiling = received, asked, ceiling
        self.excess = received + asked - ceiling
        super().__init__(
            _(
                "De minimis ceiling exceeded: the company has received %(received)s over three years; "
                "%(asked)s more would exceed the ceiling of %(ceiling)s by %(excess)s"
            )
            % {
                "received": format_eur(received),
                "asked": format_eur(asked),
                "ceiling": format_eur(ceiling),
                "excess": format_eur(self.excess),
            }
        )


class DocumentRefused(RegionsError):
    """A document cannot be added to the application (its file, the count, or the application's state)."""

    http_status = 400


class ClaimNotAllowed(IllegalTransition):
    """A payment claim cannot be submitted on this enrolment in its current state (not accepted nor in progress)."""


class ClaimAboveCommitment(RegionsError):
    """Claiming or certifying the amount would take the enrolment's certified claims (with its
    expenses) over its commitment."""

    def __init__(self, *, committed, certified, spent, asked):
        self.committed, self.certified, self.spent, self.asked = committed, certified, spent, asked
        self.left = committed - certified - spent
        self.excess = asked - self.left
        super().__init__(
            _(
                "Above the commitment: %(left)s left on this enrolment (%(committed)s committed, %(certified)s "
                "already certified, %(spent)s of expenses); %(asked)s asked, %(excess)s too much"
            )
            % {
                "left": format_eur(self.left),
                "committed": format_eur(committed),
                "certified": format_eur(certified),
                "spent": format_eur(spent),
                "asked": format_eur(asked),
                "excess": format_eur(self.excess),
            }
        )


class TrancheExhausted(BudgetExhausted):
    """Committing the amount would take the tranche of the acceptance's year over its amount."""

    def __init__(self, *, year, left, asked):
        self.year, self.left, self.asked = year, left, asked
        self.lacking = asked - max(left, 0)
        RegionsError.__init__(
            self,
            _("The %(year)s tranche lacks %(lacking)s: %(left)s left on it, %(asked)s asked")
            % {
                "year": year,
                "lacking": format_eur(self.lacking),
                "left": format_eur(left),
                "asked": format_eur(asked),
            },
        )


class TranchesInvalid(InvalidAmount):
    """The yearly split of a budget does not add up, or names a year outside the programme's period."""


class TrancheBelowCommitted(RegionsError):
    """A tranche was about to go below what is already committed on its year."""

    def __init__(self, *, year, committed, asked):
        self.year, self.committed, self.asked = year, committed, asked
        super().__init__(
            _(
                "The %(year)s tranche cannot go below the amount already committed on it: %(committed)s committed, %(asked)s asked"
            )
            % {"year": year, "committed": format_eur(committed), "asked": format_eur(asked)}
        )


class ProgrammeSettled(IllegalTransition):
    """The programme is closed for good: it cannot be reopened, and its money no longer moves."""

    def __init__(self, message=None):
        super().__init__(
            message or _("This programme is closed for good: it cannot be reopened and its money no longer moves.")
        )


class ApplicationsPending(RegionsError):
    """The programme cannot be closed for good while applications still wait for a decision."""

    def __init__(self, *, count):
        self.count = count
        super().__init__(
            ngettext(
                "%(count)s application is still waiting for a decision: accept or refuse it (or have it withdrawn) "
                "before closing the programme for good.",
                "%(count)s applications are still waiting for a decision: accept or refuse them (or have them "
                "withdrawn) before closing the programme for good.",
                count,
            )
            % {"count": count}
        )


class ClaimsPending(RegionsError):
    """The programme cannot be closed for good while payment claims still wait for a decision."""

    def __init__(self, *, count):
        self.count = count
        super().__init__(
            ngettext(
                "%(count)s payment claim is still waiting for a decision: certify or reject it before closing "
                "the programme for good.",
                "%(count)s payment claims are still waiting for a decision: certify or reject them before "
                "closing the programme for good.",
                count,
            )
            % {"count": count}
        )
