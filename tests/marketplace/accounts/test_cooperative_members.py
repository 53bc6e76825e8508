"""A cooperative adds member SMEs by 사업자등록번호 or invites new ones by e-mail, removes them, and splits a joint
problem's cost; members see the joint problem."""

import re

from sqlmodel import select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import CooperativeMember, Organisation, User
from marketplace.notifications.models import OutboxEmail
from marketplace.problems import services as problems
from tests.helpers import api_token, bearer, csrf_token, login, post_form


def coop_owner(factory):
    return factory.user(factory.organisation("cooperative"), email="owner@coop.example")


def test_an_owner_adds_a_registered_sme_by_its_number_and_removes_it(client, factory, db_session):
    owner = coop_owner(factory)
    sme = factory.sme()
    token = api_token(client, owner)
    url = f"/api/v1/organisations/{owner.organisation_id}/members"
    added = client.post(url, json={"brn": f"{sme.brn[:3]}-{sme.brn[3:5]}-{sme.brn[5:]}"}, headers=bearer(token))
    assert added.status_code == 201 and added.json["member"]["id"] == sme.id
    again = client.post(url, json={"brn": sme.brn}, headers=bearer(token))
    assert again.status_code == 409
    assert [m["id"] for m in client.get(url, headers=bearer(token)).json["items"]] == [sme.id]
    removed = client.delete(f"{url}/{sme.id}", headers=bearer(token))
    assert removed.status_code == 204
    assert client.get(url, headers=bearer(token)).json["items"] == []


def test_unknown_numbers_vendors_and_strangers_are_refused(client, factory, db_session):
    owner = coop_owner(factory)
    token = api_token(client, owner)
    url = f"/api/v1/organisations/{owner.organisation_id}/members"
    unknown = client.post(url, json={"brn": "220-81-62517"}, headers=bearer(token))
    assert unknown.status_code in (422, 400)
    vendor = factory.vendor()
    assert client.post(url, json={"brn": vendor.brn}, headers=bearer(token)).status_code == 422
    neither = client.post(url, json={}, headers=bearer(token))
    assert neither.status_code == 422
    stranger = api_token(client, factory.user(factory.sme()))
    assert client.post(url, json={"brn": factory.sme().brn}, headers=bearer(stranger)).status_code == 404
    colleague = api_token(client, factory.user(db_session.get(Organisation, owner.organisation_id), role="member"))
    assert client.post(url, json={"brn": factory.sme().brn}, headers=bearer(colleague)).status_code == 403
    assert db_session.exec(select(CooperativeMember)).all() == []


def test_an_emailed_invitation_registers_the_company_as_a_member_with_an_owner(client, factory, db_session):
    owner = coop_owner(factory)
    token = api_token(client, owner)
    url = f"/api/v1/organisations/{owner.organisation_id}/members"
    invited = client.post(url, json={"email": "ceo@newparts.example", "company_name": "새부품"}, headers=bearer(token))
    assert invited.status_code == 201 and invited.json["invited_email"] == "ceo@newparts.example"
    assert client.get(url, headers=bearer(token)).json["pending_invitations"] == ["ceo@newparts.example"]
    mail = db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == "ceo@newparts.example")).one()
    link = re.search(r"/member-invitations/[\w-]+", mail.body).group(0)
    page = client.get(link).get_data(as_text=True)
    assert "ceo@newparts.example" in page and 'name="kind"' not in page
    response = client.post(link, data={
        "csrf_token": csrf_token(client, link), "brn": "220-81-62517", "name_ko": "새부품", "name_en": "New Parts",
        "region": "gyeongnam", "industry": "C29", "employees": "12", "annual_revenue_krw": "900000000",
        "name": "이대표", "email": "ceo@newparts.example", "password": "correct-horse-battery-9",
        "password_confirm": "correct-horse-battery-9"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    user = db_session.exec(select(User).where(User.email == "ceo@newparts.example")).one()
    org = db_session.get(Organisation, user.organisation_id)
    assert user.is_owner and org.kind == "sme"
    assert db_session.get(CooperativeMember, (owner.organisation_id, org.id)) is not None
    assert client.get(link).status_code == 409   # used once


def test_members_see_the_joint_problem_and_the_cooperative_sets_shares_on_the_page(client, factory, db_session):
    owner = coop_owner(factory)
    coop = db_session.get(Organisation, owner.organisation_id)
    members = [factory.sme(), factory.sme()]
    for m in members:
        accounts.add_cooperative_member(db_session, cooperative=coop, member=m)
    db_session.commit()
    problem = factory.problem(owner, title="회원사 공동 설비 예지보전")     # a draft: vendors cannot see it
    member_user = factory.user(members[0])
    login(client, owner)
    page = f"/problems/{problem.id}"
    response = post_form(client, f"/problems/{problem.id}/shares",
                         {f"share-{members[0].id}": "70", f"share-{members[1].id}": "20"}, page=page,
                         follow_redirects=True)
    assert "지금은 90.00입니다" in response.get_data(as_text=True)
    response = post_form(client, f"/problems/{problem.id}/shares",
                         {f"share-{members[0].id}": "70", f"share-{members[1].id}": "30"}, page=page,
                         follow_redirects=True)
    assert "비용 분담을 저장했습니다" in response.get_data(as_text=True)
    assert [p.share_percent for p in problems.joint_parties(db_session, problem)] == [70, 30]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, member_user)
    html = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "회원사 공동 설비 예지보전" in html and "70.00%" in html
    assert "회원사 공동 설비 예지보전" in client.get("/").get_data(as_text=True)
    stranger = factory.user(factory.vendor())
    assert not problems.can_view(db_session, problem, stranger)


def test_a_vendor_reading_a_joint_brief_does_not_learn_its_members(client, factory, db_session):
    """The cost split names the member companies: only the cooperative and its members read it (an anonymous
    joint brief would otherwise name its poster through them)."""
    owner = coop_owner(factory)
    coop = db_session.get(Organisation, owner.organisation_id)
    members = [factory.sme(), factory.sme()]
    for m in members:
        accounts.add_cooperative_member(db_session, cooperative=coop, member=m)
    db_session.commit()
    problem = factory.problem(owner, state="enquiries", visibility="anonymous")
    vendor = factory.user(factory.vendor())
    assert client.get(f"/api/v1/problems/{problem.id}", headers=bearer(api_token(client, vendor))).status_code == 200
    refused = client.get(f"/api/v1/problems/{problem.id}/shares", headers=bearer(api_token(client, vendor)))
    assert refused.status_code == 403 and members[0].name_ko not in refused.get_data(as_text=True)
    member_view = client.get(f"/api/v1/problems/{problem.id}/shares",
                             headers=bearer(api_token(client, factory.user(members[0]))))
    assert member_view.status_code == 200 and len(member_view.json["items"]) == 2
