from sqlmodel import func, select

from marketplace.problems.models import Problem
from marketplace.programs.models import Application, Subsidy
from tests.helpers import api_token, bearer, login
from tests.marketplace.programs.conftest import program_data


def _json(data: dict) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}


def test_agencies_create_programs_and_smes_cannot(client, kit):
    officer = kit.officer()
    created = client.post("/api/v1/programs", json=_json(program_data()), headers=bearer(api_token(client, officer)))
    assert created.status_code == 201, created.json
    assert created.json["subsidy_ratio"] == "0.8000" and created.json["budget"]["left_krw"] == 1_000_000_000
    sme = client.post("/api/v1/programs", json=_json(program_data()),
                      headers=bearer(api_token(client, kit.sme_user())))
    assert sme.status_code == 403 and sme.content_type == "application/problem+json"


def test_validation_errors_name_the_fields(client, kit):
    token = api_token(client, kit.officer())
    bad = client.post("/api/v1/programs", json=_json(program_data(subsidy_ratio="1.5",
                                                                  cap_per_project_krw=5_000_000_000)),
                      headers=bearer(token))
    assert bad.status_code == 422
    fields = {e["field"]: e["message"] for e in bad.json["errors"]}
    assert {"subsidy_ratio", "cap_per_project_krw"} <= set(fields)
    assert "0" in fields["subsidy_ratio"] and "1" in fields["subsidy_ratio"]


def test_drafts_are_visible_only_to_their_agency(client, kit):
    officer = kit.officer()
    draft = kit.program(officer, status="draft")
    public = kit.program(officer)
    assert client.get(f"/api/v1/programs/{draft.id}").status_code == 404
    assert client.get(f"/api/v1/programs/{public.id}").status_code == 200
    listed = client.get("/api/v1/programs").json
    assert public.id in [p["id"] for p in listed["items"]] and draft.id not in [p["id"] for p in listed["items"]]
    mine = client.get(f"/api/v1/programs/{draft.id}", headers=bearer(api_token(client, officer)))
    assert mine.status_code == 200


def test_applying_through_the_api(client, kit, db_session):
    program = kit.program(regions=["busan"])
    owner = kit.sme_user(region="busan")
    token = api_token(client, owner)
    problem = kit.factory.problem(owner)
    ok = client.post(f"/api/v1/programs/{program.id}/applications", json={"problem_id": problem.id},
                     headers=bearer(token))
    assert ok.status_code == 201, ok.json
    db_session.expire_all()
    assert db_session.get(Problem, problem.id).program_id == program.id
    assert client.post(f"/api/v1/programs/{program.id}/applications", json={"problem_id": problem.id},
                       headers=bearer(token)).status_code == 409

    far = kit.sme_user(region="jeju", employees=900)
    far_problem = kit.factory.problem(far)
    refused = client.post(f"/api/v1/programs/{program.id}/applications", json={"problem_id": far_problem.id},
                          headers=bearer(api_token(client, far)))
    assert refused.status_code == 422
    assert [r["code"] for r in refused.json["reasons"]] == ["employees", "region"]
    assert "제주" in refused.json["detail"]
    db_session.expire_all()
    assert db_session.get(Problem, far_problem.id).program_id is None
    assert db_session.exec(select(func.count()).select_from(Application)
                           .where(Application.problem_id == far_problem.id)).one() == 0
    someone_elses = client.post(f"/api/v1/programs/{program.id}/applications", json={"problem_id": problem.id},
                                headers=bearer(api_token(client, far)))
    assert someone_elses.status_code == 404


def test_brokering_and_batch_matching_are_for_the_programs_officers(client, kit, factory):
    officer = kit.officer()
    program = kit.program(officer)
    problem = kit.applied_problem(program)
    vendor = factory.vendor()
    factory.offering(vendor)
    body = {"problem_id": problem.id, "vendor_ids": [vendor.id]}
    other = client.post(f"/api/v1/programs/{program.id}/recommendations", json=body,
                        headers=bearer(api_token(client, kit.officer())))
    assert other.status_code == 403
    token = api_token(client, officer)
    made = client.post(f"/api/v1/programs/{program.id}/recommendations", json=body, headers=bearer(token))
    assert made.status_code == 201 and made.json["total"] == 1

    suggested = client.post(f"/api/v1/programs/{program.id}/batch-match", json={"min_non_capital_share": 0.5},
                            headers=bearer(token))
    assert suggested.status_code == 200, suggested.json
    assert suggested.json["pairs"][0]["vendor_id"] == vendor.id and suggested.json["min_share_met"]
    published = client.post(f"/api/v1/programs/{program.id}/batch-match", json={
        "publish": True, "pairs": [{"problem_id": problem.id, "vendor_id": vendor.id}]}, headers=bearer(token))
    assert published.status_code == 200 and published.json["published"] == []  # recommended already
    assert client.post(f"/api/v1/programs/{program.id}/batch-match", json={},
                       headers=bearer(api_token(client, kit.sme_user()))).status_code == 403


def test_subsidy_decisions_through_the_api(client, kit, db_session):
    officer = kit.officer()
    program = kit.program(officer)
    subsidy = kit.subsidy(program, price=100_000_000)
    other_agency = client.post(f"/api/v1/subsidies/{subsidy.id}/approve",
                               headers=bearer(api_token(client, kit.officer())))
    assert other_agency.status_code == 404
    problem = db_session.get(Problem, subsidy.problem_id)
    from marketplace.accounts.models import User

    sme_owner = db_session.exec(select(User).where(User.organisation_id == problem.organisation_id)).first()
    sme_token = api_token(client, sme_owner)
    assert client.get(f"/api/v1/subsidies/{subsidy.id}", headers=bearer(sme_token)).json["amount_krw"] == 80_000_000
    assert client.post(f"/api/v1/subsidies/{subsidy.id}/approve", headers=bearer(sme_token)).status_code == 403
    token = api_token(client, officer)
    approved = client.post(f"/api/v1/subsidies/{subsidy.id}/approve", headers=bearer(token))
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    again = client.post(f"/api/v1/subsidies/{subsidy.id}/approve", headers=bearer(token))
    assert again.status_code == 409
    second = kit.subsidy(program, price=10_000_000)
    rejected = client.post(f"/api/v1/subsidies/{second.id}/reject", json={"reason": "서류 미비"},
                           headers=bearer(token))
    db_session.expire_all()
    assert rejected.status_code == 200 and db_session.get(Subsidy, second.id).status == "rejected"


def test_dashboard_and_csv_for_officers(client, kit):
    officer = kit.officer()
    program = kit.program(officer)
    kit.applied_problem(program)
    token = api_token(client, officer)
    dashboard = client.get(f"/api/v1/programs/{program.id}/dashboard", headers=bearer(token))
    assert dashboard.status_code == 200 and dashboard.json["totals"]["applications"] == 1
    assert client.get(f"/api/v1/programs/{program.id}/dashboard",
                      headers=bearer(api_token(client, kit.sme_user()))).status_code == 403
    exported = client.get(f"/api/v1/programs/{program.id}/export.csv", headers=bearer(token))
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    text = exported.data.decode("utf-8")
    assert text.startswith("\ufeff") and text.split("\r\n")[0].split(",")[1] == "과제"


def test_english_csv_header_for_english_readers(client, kit):
    officer = kit.factory.user(kit.factory.agency(), locale="en")
    program = kit.program(officer)
    login(client, officer)
    text = client.get(f"/api/v1/programs/{program.id}/export.csv").data.decode("utf-8")
    assert text.split("\r\n")[0].lstrip("\ufeff").startswith("Problem ID,Problem,Company")


def test_the_api_and_the_form_share_one_contract_with_its_messages(client, kit):
    token = api_token(client, kit.officer())
    bad = client.post("/api/v1/programs", json=_json(program_data(
        name_ko=" ", total_budget_krw="1,000,000", cap_per_project_krw=2_000_000, max_employees=3_000_000_000,
        subsidy_ratio="0.12345", industries=["Z99"])), headers=bearer(token))
    assert bad.status_code == 422, bad.json
    fields = {e["field"]: e["message"] for e in bad.json["errors"]}
    assert fields["name_ko"] == "필수 항목입니다."
    assert fields["cap_per_project_krw"] == "과제당 지원 한도는 총예산보다 클 수 없습니다."  # "1,000,000" read as won
    assert fields["subsidy_ratio"] == "소수점 넷째 자리까지만 입력하세요."
    assert "max_employees" in fields  # an INTEGER column: refused, never a database error
    assert "Z99" in fields["industries"]
    big = client.post("/api/v1/programs", json=_json(program_data(
        total_budget_krw=10**15, cap_per_project_krw=10**12, max_revenue_krw=10**15)), headers=bearer(token))
    assert big.status_code == 201 and big.json["total_budget_krw"] == 10**15


def test_recommending_nobody_and_rejecting_without_a_reason_are_refused_on_their_field(client, kit):
    officer = kit.officer()
    program = kit.program(officer)
    problem = kit.applied_problem(program)
    subsidy = kit.subsidy(program)
    token = api_token(client, officer)
    nobody = client.post(f"/api/v1/programs/{program.id}/recommendations",
                         json={"problem_id": problem.id, "vendor_ids": []}, headers=bearer(token))
    assert nobody.status_code == 422
    errors = {e["field"]: e["message"] for e in nobody.json["errors"]}
    assert errors == {"vendor_ids": "공급기업을 하나 이상 선택하세요."}
    blank = client.post(f"/api/v1/subsidies/{subsidy.id}/reject", json={"reason": "  "}, headers=bearer(token))
    assert blank.status_code == 422 and [e["field"] for e in blank.json["errors"]] == ["reason"]
    assert client.get(f"/api/v1/subsidies/{subsidy.id}", headers=bearer(token)).json["status"] == "pending"
