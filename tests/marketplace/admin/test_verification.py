"""Issue 13.1: an organisation acts as a trusted party only after a platform administrator verified it."""

from __future__ import annotations

from sqlmodel import select

from marketplace.accounts.models import Organisation, User
from marketplace.audit.models import AuditEntry
from tests.helpers import api_token, bearer, login, post_form
from tests.marketplace.agreements.conftest import AgreementKit, fast_pdf  # noqa: F401
from tests.marketplace.programs.conftest import ProgramKit, program_data

UNVERIFIED = "https://axbridge.example/problems/organisation-unverified"


def unverify(session, user: User) -> Organisation:
    org = session.get(Organisation, user.organisation_id)
    org.verified_at = None
    session.add(org)
    session.commit()
    return org


def test_an_unverified_agency_cannot_create_a_program(client, factory, db_session):
    officer = factory.user(factory.agency(verified=False))
    data = program_data(total_budget_krw=100_000_000_000, subsidy_ratio="0.80")
    response = client.post("/api/v1/programs", json={k: str(v) if hasattr(v, "isoformat") else v
                                                    for k, v in data.items()}, headers=bearer(api_token(client, officer)))
    assert response.status_code == 403, response.json
    assert response.json["type"] == UNVERIFIED
    assert "기관 인증 후" in response.json["detail"]
    login(client, officer)
    page = client.get("/programs/new")
    assert page.status_code == 403 and "기관 인증 후 지원사업을" in page.get_data(as_text=True)


def test_an_unverified_agency_sees_no_applicants_and_approves_nothing(client, factory, db_session):
    kit = ProgramKit(db_session, factory)
    officer = kit.officer()
    program = kit.program(officer)
    subsidy = kit.subsidy(program)
    unverify(db_session, officer)
    headers = bearer(api_token(client, officer))
    for path in (f"/api/v1/programs/{program.id}/dashboard", f"/api/v1/programs/{program.id}/export.csv"):
        response = client.get(path, headers=headers)
        assert response.status_code == 403 and response.json["type"] == UNVERIFIED, path
    approve = client.post(f"/api/v1/subsidies/{subsidy.id}/approve", headers=headers)
    assert approve.status_code == 403 and approve.json["type"] == UNVERIFIED
    login(client, officer)
    show = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert 'data-testid="applications"' not in show and "기관 인증 후" in show
    assert client.get(f"/programs/{program.id}/brokering").status_code == 403
    assert client.get("/subsidies").status_code == 403


def test_an_unverified_vendor_prepares_a_bid_but_cannot_submit_it(client, factory, db_session):
    problem = factory.problem(state="bidding")
    vendor_user = factory.user(factory.vendor(verified=False))
    bid = factory.bid(problem, vendor_user, submit=False)  # preparing is allowed
    response = client.post(f"/api/v1/bids/{bid.id}/submit", headers=bearer(api_token(client, vendor_user)))
    assert response.status_code == 403 and response.json["type"] == UNVERIFIED
    assert "입찰서를 제출할 수 있습니다" in response.json["detail"]
    db_session.refresh(bid)
    assert bid.state == "draft"


def test_an_unverified_sme_drafts_but_cannot_publish(client, factory, db_session):
    owner = factory.user(factory.sme(verified=False))
    problem = factory.problem(owner, state="draft")
    response = client.post(f"/api/v1/problems/{problem.id}/publish", headers=bearer(api_token(client, owner)))
    assert response.status_code == 403 and response.json["type"] == UNVERIFIED
    db_session.refresh(problem)
    assert problem.state == "draft"


def test_an_unverified_party_cannot_sign(client, factory, db_session, fast_pdf):  # noqa: F811
    agreement, _owner, vendor_user = AgreementKit(db_session, factory).agreement()
    unverify(db_session, vendor_user)
    response = client.post(f"/api/v1/agreements/{agreement.id}/sign", json={"password": "correct-horse-battery"},
                           headers=bearer(api_token(client, vendor_user)))
    assert response.status_code == 403 and response.json["type"] == UNVERIFIED


def test_admin_queue_shows_the_checked_number_and_verifying_records_who_and_when(client, factory, db_session):
    waiting = factory.agency(verified=False)
    admin = factory.admin()
    headers = bearer(api_token(client, admin))
    queue = client.get("/api/v1/admin/verifications", headers=headers)
    assert queue.status_code == 200
    item = next(i for i in queue.json["items"] if i["organisation_id"] == waiting.id)
    assert item["verified"] is False and item["verified_by"] is None
    assert item["business_number"]["valid"] is True
    assert item["business_number"]["number"] == f"{waiting.brn[:3]}-{waiting.brn[3:5]}-{waiting.brn[5:]}"

    verified = client.post(f"/api/v1/organisations/{waiting.id}/verify", headers=headers)
    assert verified.status_code == 200
    assert verified.json["verified"] is True and verified.json["verified_by"]["id"] == admin.id
    assert verified.json["verified_at"]
    db_session.refresh(waiting)
    assert waiting.verified_by_id == admin.id
    entry = db_session.exec(select(AuditEntry).where(AuditEntry.action == "organisation_verified",
                                                     AuditEntry.object_id == waiting.id)).one()
    assert entry.actor_id == admin.id
    pending = client.get("/api/v1/admin/verifications?state=pending", headers=headers).json
    assert waiting.id not in {i["organisation_id"] for i in pending["items"]}


def test_only_admins_read_the_queue_or_verify(client, factory):
    waiting = factory.vendor(verified=False)
    owner = factory.user(factory.agency())
    headers = bearer(api_token(client, owner))
    assert client.get("/api/v1/admin/verifications", headers=headers).status_code == 403
    assert client.post(f"/api/v1/organisations/{waiting.id}/verify", headers=headers).status_code == 403


def test_admin_page_verifies_and_names_the_verifier(client, factory, db_session):
    waiting = factory.sme(verified=False)
    admin = factory.admin()
    login(client, admin)
    page = client.get("/admin/organisations").get_data(as_text=True)
    assert f'data-testid="brn-{waiting.id}"' in page
    post_form(client, f"/admin/organisations/{waiting.id}/verify", {}, page="/admin/organisations")
    page = client.get("/admin/organisations").get_data(as_text=True)
    assert f'data-testid="verified-{waiting.id}"' in page and admin.name in page
