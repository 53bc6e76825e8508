from datetime import timedelta

from marketplace.core.types import utcnow
from tests.helpers import api_token, bearer

BODY = {
    "title": "프레스 금형 이상 조기 감지", "description": "프레스 금형 파손으로 월 2회 라인이 멈춥니다. 하중 센서 데이터로 "
    "이상 징후를 미리 알고 싶습니다. 설비는 PLC로 연결되어 있습니다.",
    "industry": "C30", "problem_types": ["anomaly_detection", "predictive_maintenance"],
    "kpis": [{"name": "비계획 정지", "unit": "회/월", "baseline": 2, "target": 0.5, "direction": "lower"}],
    "systems": ["plc"], "budget_min_krw": 40_000_000, "budget_max_krw": 90_000_000,
    "weights": {"quality": 30, "throughput": 10, "cost": 15, "delivery_speed": 10, "explainability": 10,
                "data_privacy": 10, "maintenance": 15},
}


def test_create_publish_and_open_bidding_through_the_api(client, factory):
    token = api_token(client, factory.user(factory.sme(region="ulsan", industry="C30")))
    created = client.post("/api/v1/problems", json={**BODY, "wanted_by": (utcnow().date() + timedelta(days=60)).isoformat()},
                          headers=bearer(token))
    assert created.status_code == 201, created.json
    problem = created.json
    assert problem["state"] == "draft" and problem["kpis"][0]["target"] == "0.5000"
    pid = problem["id"]
    assert client.post(f"/api/v1/problems/{pid}/publish", headers=bearer(token)).json["state"] == "enquiries"
    deadline = (utcnow() + timedelta(days=14)).isoformat()
    opened = client.post(f"/api/v1/problems/{pid}/open-bidding", json={"deadline": deadline}, headers=bearer(token))
    assert opened.status_code == 200 and opened.json["state"] == "bidding"
    again = client.post(f"/api/v1/problems/{pid}/publish", headers=bearer(token))
    assert again.status_code == 409 and again.content_type == "application/problem+json"


def test_validation_errors_name_the_fields(client, factory):
    token = api_token(client, factory.user(factory.sme()))
    bad = {**BODY, "weights": {**BODY["weights"], "quality": 90}, "wanted_by": "2001-01-01",
           "problem_types": ["telepathy"]}
    response = client.post("/api/v1/problems", json=bad, headers=bearer(token))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["errors"]}
    assert {"weights", "wanted_by", "problem_types"} <= fields
    assert client.get("/api/v1/problems", headers=bearer(token)).json["total"] == 0


def test_wrong_types_and_unknown_fields_are_422(client, factory):
    token = api_token(client, factory.user(factory.sme()))
    response = client.post("/api/v1/problems", json={"title": 5, "budget_max_krw": "lots", "color": "red"},
                           headers=bearer(token))
    assert response.status_code == 422
    assert {"title", "budget_max_krw", "color"} <= {e["field"] for e in response.json["errors"]}


def test_other_organisations_get_404(client, factory):
    problem = factory.problem()
    token = api_token(client, factory.user(factory.sme()))
    assert client.get(f"/api/v1/problems/{problem.id}", headers=bearer(token)).status_code == 404
    assert client.patch(f"/api/v1/problems/{problem.id}", json={"title": "가로채기 시도"},
                        headers=bearer(token)).status_code == 404


def test_matches_with_what_if_weights(client, factory, db_session):
    problem = factory.problem(state="enquiries")
    factory.offering()
    from marketplace.accounts.models import User
    token = api_token(client, db_session.get(User, problem.created_by_id))
    response = client.get(f"/api/v1/problems/{problem.id}/matches?weights=quality:50,cost:50&top=5",
                          headers=bearer(token))
    assert response.status_code == 200
    item = response.json["items"][0]
    assert abs(sum(item["contributions"].values()) - item["score"]) < 0.01
    assert item["reasons"]
    bad = client.get(f"/api/v1/problems/{problem.id}/matches?weights=quality:x", headers=bearer(token))
    assert bad.status_code == 422


def test_opportunities_and_questions(client, factory):
    vendor = factory.vendor()
    token = api_token(client, factory.user(vendor))
    factory.offering(vendor)
    problem = factory.problem(state="enquiries", visibility="anonymous")
    opportunities = client.get("/api/v1/opportunities", headers=bearer(token)).json["items"]
    assert [o["problem_id"] for o in opportunities] == [problem.id]
    assert opportunities[0]["organisation"] is None  # anonymous brief
    asked = client.post(f"/api/v1/problems/{problem.id}/questions", json={"body": "현장 방문이 가능한가요?"},
                        headers=bearer(token))
    assert asked.status_code == 201 and asked.json["mine"] is True
    public = client.get(f"/api/v1/problems/{problem.id}/questions").json["items"]
    assert public[0]["body"] == "현장 방문이 가능한가요?" and public[0]["mine"] is False
