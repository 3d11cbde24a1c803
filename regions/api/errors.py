"""How the API answers the regions app's business errors (registered from `AppConfig.ready()`)."""

from portal.api.errors import register_error
from regions.exceptions import (
    AlreadyApplied,
    AlreadyDecided,
    BudgetExhausted,
    IllegalTransition,
    InvalidAmount,
    InvalidInput,
    NotEligible,
    RegionsError,
)


def register():
    register_error(RegionsError, 409, "refused")
    register_error(IllegalTransition, 409, "illegal_transition")
    register_error(AlreadyDecided, 409, "already_decided")
    register_error(BudgetExhausted, 409, "budget_exhausted")
    register_error(NotEligible, 409, "not_eligible")
    register_error(AlreadyApplied, 409, "already_applied")
    register_error(InvalidAmount, 422, "invalid_amount")
    register_error(InvalidInput, 422, "invalid_input")
