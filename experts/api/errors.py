"""How the API answers the experts app's business errors (registered from `AppConfig.ready()`)."""

from experts.exceptions import ExpertsError, IllegalTransition, InvalidInput, NotAllowed
from portal.api.errors import register_error


def register():
    register_error(ExpertsError, 409, "refused")
    register_error(IllegalTransition, 409, "illegal_transition")
    register_error(NotAllowed, 403, "permission_denied")
    register_error(InvalidInput, 422, "invalid_input")
