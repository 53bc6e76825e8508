"""``/api/v1`` endpoints for tokens, the caller and organisations."""

from __future__ import annotations

from datetime import datetime

from flask import Response
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from marketplace.accounts import services
from marketplace.accounts.limits import per_account, per_address
from marketplace.accounts.models import Organisation, OrganisationPublic, User, UserPublic
from marketplace.api.core import api, bearer_token, session
from marketplace.core.errors import NotAuthenticated


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    password: str = Field(max_length=256)


class TokenResponse(BaseModel):
    token: str
    expires_at: datetime


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


@api.route("/tokens", methods=("POST",), summary="Exchange e-mail and password for a bearer token",
           tags=("auth",), body=TokenRequest, response=TokenResponse, status=201, auth=False, errors=(401, 429))
@per_account
@per_address
def create_token(body: TokenRequest):
    try:
        user = services.authenticate(session(), email=body.email, password=body.password)
    except NotAuthenticated:
        session().commit()  # the request fails, but the failed attempt is evidence: keep its audit entry
        raise
    row, token = services.issue_api_token(session(), user=user)
    return TokenResponse(token=token, expires_at=row.expires_at)


@api.route("/tokens/current", methods=("DELETE",), summary="Revoke the token this request is sent with",
           tags=("auth",), status=204, errors=(401,))
def revoke_token():
    services.revoke_api_token(session(), bearer_token() or "")
    return Response(status=204)


@api.route("/me", summary="The calling user and their organisation", tags=("accounts",), response=UserPublic,
           errors=(401,))
def me():
    return user_public(current_user)


@api.route("/organisations/<int:organisation_id>", summary="An organisation's public profile",
           tags=("accounts",), response=OrganisationPublic, errors=(401, 404))
def get_organisation(organisation_id: int):
    return organisation_public(services.get_organisation(session(), organisation_id))
