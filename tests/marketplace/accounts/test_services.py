from datetime import timedelta

import pytest
from sqlmodel import select

from marketplace.accounts import services
from marketplace.accounts.models import LoginSession, Organisation, User
from marketplace.accounts.schemas import InvitationAccept, InvitationCreate, OrganisationProfile, SignUp
from marketplace.core.errors import Conflict, NotAllowed, NotAuthenticated, ValidationFailed
from marketplace.core.schemas import parse
from tests.factories import PASSWORD, brn


def org_data(**kw):
    data = dict(kind="sme", name_ko="한빛베이커리", name_en="Hanbit Bakery", brn="220-81-62517", region="busan",
                industry="C10", employees=12, annual_revenue_krw=1_400_000_000)
    data.update(kw)
    return data


def org_input(**kw):
    return parse(OrganisationProfile, org_data(**kw))


def sign_up(session, *, organisation: dict, **person):
    return services.sign_up(session, parse(SignUp, {**organisation, **person}))


@pytest.mark.parametrize("raw", ["220-81-62517", "2208162517", " 220 81 62517 "])
def test_valid_business_registration_numbers_are_normalised(raw):
    assert services.normalise_brn(raw) == "2208162517"


@pytest.mark.parametrize("raw,fragment", [
    ("220-81-62518", "검증 번호가 맞지 않습니다"),
    ("12345", "10자리"),
    ("abcdefghij", "10자리"),
    ("", "10자리"),
    ("100-81-00003", "발급될 수 없는"),
])
def test_wrong_business_registration_numbers_are_refused_with_the_reason(app, raw, fragment):
    with app.test_request_context(), pytest.raises(ValidationFailed) as info:
        services.normalise_brn(raw)
    assert fragment in info.value.message
    assert "brn" in info.value.fields


def test_english_error_message_for_a_wrong_check_digit(app):
    from flask import session
    from flask_babel import refresh

    with app.test_request_context():
        session["locale"] = "en"
        refresh()
        with pytest.raises(ValidationFailed) as info:
            services.normalise_brn("220-81-62518")
    assert "check digit does not match" in info.value.message


def test_sign_up_creates_organisation_and_owner(db_session):
    user = sign_up(db_session, organisation=org_data(), email="Owner@Hanbit.example", name="박지영", password=PASSWORD)
    org = db_session.get(Organisation, user.organisation_id)
    assert user.email == "owner@hanbit.example"
    assert user.is_owner
    assert org.brn == "2208162517" and org.kind == "sme" and not org.is_verified
    assert user.password_hash.startswith("$argon2id$")


def test_sign_up_reports_every_bad_field_and_saves_nothing(db_session):
    with pytest.raises(ValidationFailed) as info:
        sign_up(db_session, organisation=org_data(brn="123", region="atlantis", industry="Z99", employees=-1),
                email="not-an-email", name="x", password="short")
    assert {"brn", "region", "industry", "employees", "email", "password"} <= set(info.value.fields)
    assert db_session.exec(select(Organisation)).all() == []
    assert db_session.exec(select(User)).all() == []


def test_a_business_number_can_register_only_once(db_session):
    services.register_organisation(db_session, org_input())
    with pytest.raises(ValidationFailed) as info:
        services.register_organisation(db_session, org_input(name_ko="다른 이름"))
    assert "이미 등록된 기관" in info.value.message


def test_authenticate_accepts_the_right_password_only(factory, db_session):
    user = factory.user()
    assert services.authenticate(db_session, email=user.email.upper(), password=PASSWORD).id == user.id
    with pytest.raises(NotAuthenticated):
        services.authenticate(db_session, email=user.email, password="wrong-password")
    with pytest.raises(NotAuthenticated):
        services.authenticate(db_session, email="nobody@nowhere.example", password=PASSWORD)


def test_password_is_rehashed_when_the_cost_setting_changes(app, factory, db_session):
    user = factory.user()
    old_hash = user.password_hash
    app.config["ARGON2_COST"] = {"time_cost": 2, "memory_cost": 2048, "parallelism": 1}
    services.authenticate(db_session, email=user.email, password=PASSWORD)
    assert user.password_hash != old_hash
    assert "m=2048,t=2" in user.password_hash
    assert services.authenticate(db_session, email=user.email, password=PASSWORD).id == user.id


def test_logging_out_revokes_the_server_side_session(factory, db_session):
    user = factory.user()
    token = services.start_login_session(db_session, user=user, ip_address="127.0.0.1", user_agent="pytest")
    assert services.user_for_login_session(db_session, token).id == user.id
    services.end_login_session(db_session, token)
    assert services.user_for_login_session(db_session, token) is None
    row = db_session.exec(select(LoginSession)).one()
    assert row.revoked_at is not None and row.token_hash != token


def test_api_tokens_are_stored_hashed_and_can_be_revoked(factory, db_session):
    user = factory.user()
    row, token = services.issue_api_token(db_session, user=user)
    assert row.token_hash != token and len(row.token_hash) == 64
    assert services.user_for_api_token(db_session, token).id == user.id
    services.revoke_api_token(db_session, token)
    assert services.user_for_api_token(db_session, token) is None


def test_expired_api_token_is_refused(factory, db_session):
    user = factory.user()
    row, token = services.issue_api_token(db_session, user=user)
    row.expires_at = row.created_at - timedelta(seconds=1)
    db_session.flush()
    assert services.user_for_api_token(db_session, token) is None


def test_owner_invites_a_member_who_joins_the_organisation(factory, db_session):
    owner = factory.user()
    invitation, token = services.invite_member(db_session, inviter=owner,
                                                data=InvitationCreate(email="colleague@hanbit.example"))
    member = services.accept_invitation(db_session, token=token,
                                        data=InvitationAccept(name="이서연", password="another-long-pass"))
    assert member.organisation_id == owner.organisation_id
    assert member.role == "member"
    with pytest.raises(Conflict):
        services.accept_invitation(db_session, token=token,
                                   data=InvitationAccept(name="again", password="another-long-pass"))


def test_members_cannot_invite(factory, db_session):
    owner = factory.user()
    member = factory.user(db_session.get(Organisation, owner.organisation_id), role="member")
    with pytest.raises(NotAllowed):
        services.invite_member(db_session, inviter=member, data=InvitationCreate(email="x@y.example"))


def test_expired_invitation_is_refused_and_creates_no_user(factory, db_session):
    owner = factory.user()
    invitation, token = services.invite_member(db_session, inviter=owner,
                                                data=InvitationCreate(email="late@hanbit.example"))
    invitation.expires_at = invitation.created_at - timedelta(minutes=1)
    db_session.flush()
    with pytest.raises(Conflict) as info:
        services.accept_invitation(db_session, token=token,
                                   data=InvitationAccept(name="늦은 사람", password="another-long-pass"))
    assert "만료" in info.value.message
    assert services.get_user_by_email(db_session, "late@hanbit.example") is None


def test_only_admins_verify_organisations(factory, db_session):
    org = factory.sme()
    with pytest.raises(NotAllowed):
        services.verify_organisation(db_session, admin=factory.user(org), organisation=org)
    services.verify_organisation(db_session, admin=factory.admin(), organisation=org)
    assert org.is_verified


def test_factory_business_numbers_are_valid():
    for n in range(1, 200):
        assert services.normalise_brn(brn(n)) == brn(n)
