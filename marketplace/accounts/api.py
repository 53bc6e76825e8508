"""``/api/v1`` operations for tokens, the caller and organisations."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts import services
from marketplace.accounts.limits import per_account, per_address, reset_requests
from marketplace.accounts.models import ApiToken, Organisation, OrganisationPublic, OrgKind, User, UserPublic
from marketplace.accounts.schemas import (
    MemberAddIn,
    MemberAdded,
    MemberList,
    MemberOut,
    MemberPath,
    OrganisationPath,
    PasswordResetAccepted,
    PasswordResetRequest,
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


# --- cooperative members -------------------------------------------------------------------------

def member_out(org: Organisation) -> MemberOut:
    return MemberOut(id=org.id, name_ko=org.name_ko, name_en=org.name_en, brn=org.brn, region=org.region)


@bp.get("/organisations/<int:organisation_id>/members", summary="A cooperative's member SMEs and pending "
        "invitations (the cooperative's people)", responses={200: MemberList})
def list_cooperative_members(path: OrganisationPath):
    coop = services.get_cooperative(session(), path.organisation_id, viewer=current_user)
    items = [member_out(m) for m in services.list_member_organisations(session(), coop)]
    pending = [i.email for i in services.pending_member_invitations(session(), coop)]
    return MemberList(items=items, total=len(items), page=1, pending_invitations=pending)


@bp.post("/organisations/<int:organisation_id>/members", summary="Add a member SME by its business registration "
         "number, or invite a new company by e-mail (an owner of the cooperative)", responses={201: MemberAdded})
def add_cooperative_member(path: OrganisationPath, body: MemberAddIn):
    coop = services.get_cooperative(session(), path.organisation_id, viewer=current_user)
    member, _token = services.add_member(session(), user=current_user, cooperative=coop, data=body)
    return MemberAdded(member=member_out(member) if member else None, invited_email=None if member else body.email)


@bp.delete("/organisations/<int:organisation_id>/members/<int:member_id>", summary="Remove a member SME (an owner "
           "of the cooperative); agreements already drafted keep their parties", responses={204: None})
def remove_cooperative_member(path: MemberPath):
    coop = services.get_cooperative(session(), path.organisation_id, viewer=current_user)
    services.remove_member(session(), user=current_user, cooperative=coop, member_id=path.member_id)
    return Response(status=204)
