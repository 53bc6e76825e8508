"""``/api/v1`` operations for tokens, the caller and organisations."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts import services
from marketplace.accounts import throttle
from marketplace.accounts.limits import reset_requests
from marketplace.accounts.models import Organisation, OrganisationPublic, User, UserPublic
from marketplace.accounts.schemas import (
    OrganisationPath,
    PasswordResetAccepted,
    PasswordResetRequest,
    TokenRequest,
    TokenResponse,
)
from marketplace.api import PUBLIC, AreaBlueprint, session
from marketplace.api.core import bearer_token
from marketplace.core.errors import NotAuthenticated

bp = AreaBlueprint("accounts", __name__, description="API tokens, the caller and organisations")


def organisation_public(org: Organisation) -> OrganisationPublic:
    return OrganisationPublic(
        id=org.id, kind=org.kind, name_ko=org.name_ko, name_en=org.name_en, brn=org.brn, region=org.region,
        industry=org.industry, employees=org.employees, annual_revenue_krw=org.annual_revenue_krw,
        verified=org.is_verified, created_at=org.created_at,
    )


def user_public(user: User) -> UserPublic:
    org = session().get(Organisation, user.organisation_id) if user.organisation_id else None
    return UserPublic(id=user.id, email=user.email, name=user.name, role=user.role, is_admin=user.is_admin,
                      locale=user.locale, organisation=organisation_public(org) if org else None)


@bp.post("/tokens", summary="Exchange e-mail and password for a bearer token", security=PUBLIC,
         responses={201: TokenResponse})
def create_token(body: TokenRequest):
    wait = throttle.wait_seconds(body.email)
    if wait:
        raise throttle.TooManyAttempts(throttle.refuse(wait).message, extra={"retry_after": wait})
    try:
        user = services.authenticate(session(), email=body.email, password=body.password)
    except NotAuthenticated:
        throttle.failed(body.email)
        session().commit()  # the request fails, but the failed attempt is evidence: keep its audit entry
        raise
    throttle.succeeded(body.email)
    row, token = services.issue_api_token(session(), user=user)
    return TokenResponse(token=token, expires_at=row.expires_at)


@bp.post("/password-resets", summary="E-mail a one-time link to set a new password", security=PUBLIC,
         responses={202: PasswordResetAccepted})
@reset_requests
def create_password_reset(body: PasswordResetRequest):
    """Always 202, whether or not an account has the address (only an existing account gets the e-mail)."""
    services.request_password_reset(session(), body.email)
    return PasswordResetAccepted(detail=_("If an account uses this address, we have e-mailed it a link to set a "
                                          "new password. The link works once, within an hour."))


@bp.delete("/tokens/current", summary="Revoke the token this request is sent with", responses={204: None})
def revoke_token():
    services.revoke_api_token(session(), bearer_token() or "")
    return Response(status=204)


@bp.get("/me", summary="The calling user and their organisation", responses={200: UserPublic})
def me():
    return user_public(current_user)


@bp.get("/organisations/<int:organisation_id>", summary="An organisation's public profile",
        responses={200: OrganisationPublic})
def get_organisation(path: OrganisationPath):
    return organisation_public(services.get_organisation(session(), path.organisation_id))
