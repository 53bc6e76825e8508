"""``/api/v1`` operations for tokens, the caller and organisations."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from marketplace.accounts import services
from marketplace.accounts.limits import per_account, per_address
from marketplace.accounts.models import ApiToken, Organisation, OrganisationPublic, OrgKind, User, UserPublic
from marketplace.accounts.schemas import (
    OrganisationPath,
    TokenList,
    TokenOut,
    TokenPath,
    TokenRequest,
    TokenResponse,
)
from marketplace.api import PUBLIC, AreaBlueprint, session
from marketplace.api.core import bearer_token
from marketplace.core.errors import NotAuthenticated
from marketplace.core.schemas import PageQuery

bp = AreaBlueprint("accounts", __name__, description="API tokens, the caller and organisations")


def organisation_public(org: Organisation, viewer: User | None = None) -> OrganisationPublic:
    """Every field for the organisation's own members and administrators (``viewer=None``: the caller's own);
    a public profile for anyone else (issue 13.4)."""
    full = viewer is None or viewer.is_admin or viewer.organisation_id == org.id
    public = OrganisationPublic(id=org.id, kind=org.kind, name_ko=org.name_ko, name_en=org.name_en,
                                verified=org.is_verified, created_at=org.created_at)
    if full or org.kind in (OrgKind.VENDOR, OrgKind.AGENCY):
        public.region, public.industry = org.region, org.industry
    if full:
        public.brn, public.employees, public.annual_revenue_krw = org.brn, org.employees, org.annual_revenue_krw
    return public


def user_public(user: User) -> UserPublic:
    org = session().get(Organisation, user.organisation_id) if user.organisation_id else None
    return UserPublic(id=user.id, email=user.email, name=user.name, role=user.role, is_admin=user.is_admin,
                      locale=user.locale, organisation=organisation_public(org) if org else None)


@bp.post("/tokens", summary="Exchange e-mail and password for a bearer token", security=PUBLIC,
         responses={201: TokenResponse})
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


@bp.delete("/tokens/current", summary="Revoke the token this request is sent with", responses={204: None})
def revoke_token():
    services.revoke_api_token(session(), bearer_token() or "")
    return Response(status=204)


def token_out(row: ApiToken, current: ApiToken | None) -> TokenOut:
    return TokenOut(id=row.id, created_at=row.created_at, expires_at=row.expires_at, last_used_at=row.last_used_at,
                    current=current is not None and current.id == row.id)


@bp.get("/tokens", summary="Your API tokens still in force, newest first (never the tokens themselves)",
        responses={200: TokenList})
def list_tokens(query: PageQuery):
    token = bearer_token()
    current = services.find_api_token(session(), token) if token else None
    rows = services.list_api_tokens(session(), current_user)
    start = (query.page - 1) * query.per_page
    return TokenList(items=[token_out(r, current) for r in rows[start:start + query.per_page]], total=len(rows),
                     page=query.page, per_page=query.per_page)


@bp.delete("/tokens/<int:token_id>", summary="Revoke one of your API tokens by its id (a lost one, too)",
           responses={204: None})
def revoke_token_by_id(path: TokenPath):
    services.revoke_api_token_by_id(session(), user=current_user, token_id=path.token_id)
    return Response(status=204)


@bp.get("/me", summary="The calling user and their organisation", responses={200: UserPublic})
def me():
    return user_public(current_user)


@bp.get("/organisations/<int:organisation_id>", summary="An organisation's public profile",
        responses={200: OrganisationPublic})
def get_organisation(path: OrganisationPath):
    return organisation_public(services.get_organisation(session(), path.organisation_id), viewer=current_user)
