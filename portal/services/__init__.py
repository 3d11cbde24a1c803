"""Use cases of the identity layer (sign-up, invitations), one module per part; names re-exported here.
Each write is one transaction."""

from portal.services.accounts import (
    InvitationError,
    SignupConflict,
    SignupLinkError,
    accept_invitation,
    accept_invitation_with_new_account,
    confirm_signup,
    find_usable_invitation,
    find_usable_signup,
    invite_colleague,
    request_signup,
    send_invitation_email,
    send_signup_confirmation_email,
    send_signup_notice_email,
    sign_up_company,
)

__all__ = [
    "InvitationError",
    "SignupConflict",
    "SignupLinkError",
    "accept_invitation",
    "accept_invitation_with_new_account",
    "confirm_signup",
    "find_usable_invitation",
    "find_usable_signup",
    "invite_colleague",
    "request_signup",
    "send_invitation_email",
    "send_signup_confirmation_email",
    "send_signup_notice_email",
    "sign_up_company",
]
