"""How the API answers the diagnostics app's business errors (registered from `AppConfig.ready()`)."""

from diagnostics.exceptions import IllegalTransition, ReferentialInvalid, ReferentialLocked
from diagnostics.services import DiagnosticError, DiagnosticNotDraft, IncompleteDiagnostic, InvalidAnswer
from portal.api.errors import register_error


def register():
    register_error(DiagnosticError, 409, "refused")
    register_error(DiagnosticNotDraft, 409, "not_draft")
    register_error(IncompleteDiagnostic, 409, "incomplete")
    register_error(InvalidAnswer, 422, "invalid_answer")
    register_error(ReferentialLocked, 409, "referential_locked")
    register_error(IllegalTransition, 409, "illegal_transition")
    register_error(ReferentialInvalid, 422, "invalid_referential")
