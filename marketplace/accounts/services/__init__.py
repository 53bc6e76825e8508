"""Account rules: organisations, users, browser sessions, API tokens and invitations.

Services take the session and validated contracts (:mod:`marketplace.accounts.schemas`) or explicit
arguments, flush (never commit) and raise domain errors with translated messages. Callers keep
``from marketplace.accounts import services``; each section lives in its own module.
"""

from marketplace.accounts.services.cooperatives import (
    accept_member_invitation,
    add_member,
    get_cooperative,
    get_member_invitation,
    list_member_organisations,
    pending_member_invitations,
    remove_member,
)
from marketplace.accounts.services.invitations import (
    accept_invitation,
    get_open_invitation,
    invite_member,
    list_invitations,
)
from marketplace.accounts.services.organisations import (
    add_cooperative_member,
    count_organisations_by_kind,
    find_organisation_by_name,
    get_organisation,
    is_verified_member,
    list_members,
    list_organisations,
    normalise_brn,
    register_organisation,
    require_verified,
    unverified_message,
    verification_queue,
    verify_organisation,
)
from marketplace.accounts.services.resets import (
    ResetLinkInvalid,
    request_password_reset,
    reset_for_token,
    reset_password,
)
from marketplace.accounts.services.verification import (
    VerificationLinkInvalid,
    send_verification,
    set_email_notifications,
    verify_email,
)
from marketplace.accounts.services.sessions import end_login_session, start_login_session, user_for_login_session
from marketplace.accounts.services.tokens import (
    find_api_token,
    issue_api_token,
    list_api_tokens,
    revoke_api_token,
    revoke_api_token_by_id,
    user_for_api_token,
)
from marketplace.accounts.services.users import (
    authenticate,
    change_email,
    change_password,
    create_user,
    get_user,
    get_user_by_email,
    set_locale,
    sign_up,
)

__all__ = [
    "VerificationLinkInvalid", "send_verification", "set_email_notifications", "verify_email",
    "ResetLinkInvalid", "request_password_reset", "reset_for_token", "reset_password",
    "accept_member_invitation", "add_member", "get_cooperative", "get_member_invitation",
    "list_member_organisations", "pending_member_invitations", "remove_member",
    "accept_invitation", "add_cooperative_member", "authenticate", "change_email", "change_password",
    "count_organisations_by_kind", "create_user", "end_login_session", "find_api_token",
    "find_organisation_by_name", "get_open_invitation", "get_organisation", "get_user", "get_user_by_email",
    "invite_member", "issue_api_token", "list_invitations", "list_members", "list_organisations",
    "normalise_brn", "register_organisation", "revoke_api_token", "set_locale", "sign_up",
    "start_login_session", "user_for_api_token", "user_for_login_session", "verify_organisation",
    "is_verified_member", "list_api_tokens", "revoke_api_token_by_id", "require_verified", "unverified_message", "verification_queue",
]
