from datetime import timedelta

from marketplace.accounts.models import User
from marketplace.core.types import travel
from marketplace.problems import services as problems
from tests.helpers import api_token, bearer

AFTER = timedelta(days=8)


def bid_body(kpis, **overrides):
    body = {
        "price_krw": 30_000_000, "duration_weeks": 10,
        "approach": "POS 데이터로 품목별 수요를 예측해 매일 생산 수량을 안내합니다.",
        "milestones": [{"name": "데이터 연동", "week": 3, "payment_percent": 40},
                       {"name": "운영 전환", "week": 10, "payment_percent": 60}],
        "kpi_commitments": [{"kpi_id": k.id, "value": str(k.target)} for k in kpis],
        "maintenance_yearly_krw": 2_000_000, "maintenance_years": 2,
    }
    body.update(overrides)
    return body


def test_vendor_bids_revises_withdraws_through_the_api(client, factory, db_session):
    problem = factory.problem(state="bidding")
    kpis = problems.list_kpis(db_session, problem)
    token = api_token(client, factory.user(factory.vendor()))
    created = client.post(f"/api/v1/problems/{problem.id}/bids", json={**bid_body(kpis), "submit": True},
                          headers=bearer(token))
    assert created.status_code == 201 and created.json["state"] == "submitted"
    bid_id = created.json["id"]
    second = client.post(f"/api/v1/problems/{problem.id}/bids", json=bid_body(kpis), headers=bearer(token))
    assert second.status_code == 409
    revised = client.patch(f"/api/v1/bids/{bid_id}", json={"price_krw": 27_000_000}, headers=bearer(token))
    assert revised.json["price_krw"] == 27_000_000 and revised.json["state"] == "submitted"
    withdrawn = client.post(f"/api/v1/bids/{bid_id}/withdraw", headers=bearer(token))
    assert withdrawn.json["state"] == "withdrawn"


def test_bad_bids_get_problem_json_with_fields(client, factory, db_session):
    problem = factory.problem(state="bidding")
    kpis = problems.list_kpis(db_session, problem)
    token = api_token(client, factory.user(factory.vendor()))
    bad = bid_body(kpis, price_krw=0, milestones=[{"name": "전부", "week": 2, "payment_percent": 70}])
    response = client.post(f"/api/v1/problems/{problem.id}/bids", json={**bad, "submit": True}, headers=bearer(token))
    assert response.status_code == 422
    assert "price_krw" in {e["field"] for e in response.json["errors"]}
    ok_price = bid_body(kpis, milestones=[{"name": "전부", "week": 2, "payment_percent": 70}])
    response = client.post(f"/api/v1/problems/{problem.id}/bids", json={**ok_price, "submit": True},
                           headers=bearer(token))
    assert response.status_code == 422 and "milestones" in {e["field"] for e in response.json["errors"]}
    assert client.get(f"/api/v1/problems/{problem.id}/bids", headers=bearer(token)).json["items"] == []


def test_the_sme_learns_nothing_before_the_deadline(client, factory, db_session):
    problem = factory.problem(state="bidding")
    kpis = problems.list_kpis(db_session, problem)
    for price in (25_000_000, 31_000_000):
        vendor_token = api_token(client, factory.user(factory.vendor()))
        client.post(f"/api/v1/problems/{problem.id}/bids", json={**bid_body(kpis, price_krw=price), "submit": True},
                    headers=bearer(vendor_token))
    owner_token = api_token(client, db_session.get(User, problem.created_by_id))
    listed = client.get(f"/api/v1/problems/{problem.id}/bids", headers=bearer(owner_token))
    assert listed.status_code == 409
    body = listed.get_data(as_text=True)
    assert "25000000" not in body and "31000000" not in body and '"total"' not in body
    assert client.get(f"/api/v1/problems/{problem.id}/evaluation", headers=bearer(owner_token)).status_code == 409
    detail = client.get(f"/api/v1/problems/{problem.id}", headers=bearer(owner_token)).get_data(as_text=True)
    assert "25000000" not in detail
    with travel(AFTER):
        evaluation = client.get(f"/api/v1/problems/{problem.id}/evaluation", headers=bearer(owner_token))
        assert evaluation.status_code == 200
        assert [s["price_krw"] for s in evaluation.json["scores"]] == [25_000_000, 31_000_000]
        leader = evaluation.json["scores"][0]["bid_id"]
        awarded = client.post(f"/api/v1/bids/{leader}/award", headers=bearer(owner_token))
        assert awarded.status_code == 200 and awarded.json["state"] == "awarded"
        again = client.post(f"/api/v1/bids/{leader}/award", headers=bearer(owner_token))
        assert again.status_code == 200
        other = evaluation.json["scores"][1]["bid_id"]
        assert client.post(f"/api/v1/bids/{other}/award", headers=bearer(owner_token)).status_code == 409


def test_competitors_cannot_read_each_others_bids(client, factory, db_session):
    problem = factory.problem(state="bidding")
    mine = factory.bid(problem)
    rival_token = api_token(client, factory.user(factory.vendor()))
    assert client.get(f"/api/v1/bids/{mine.id}", headers=bearer(rival_token)).status_code == 404
    assert client.patch(f"/api/v1/bids/{mine.id}", json={"price_krw": 1}, headers=bearer(rival_token)).status_code == 404
    with travel(AFTER):
        assert client.get(f"/api/v1/bids/{mine.id}", headers=bearer(rival_token)).status_code == 404



def test_commitments_are_checked_against_the_problems_kpis_and_read_back_as_written(client, factory, db_session):
    problem = factory.problem(state="bidding")
    kpis = problems.list_kpis(db_session, problem)
    token = api_token(client, factory.user(factory.vendor()))
    url = f"/api/v1/problems/{problem.id}/bids"
    not_a_number = bid_body(kpis, kpi_commitments=[{"kpi_id": kpis[0].id, "value": "절반"}])
    response = client.post(url, json=not_a_number, headers=bearer(token))
    assert response.status_code == 422
    assert {e["field"]: e["message"] for e in response.json["errors"]} == {"kpi_commitments.0.value": "숫자를 입력하세요."}
    foreign = bid_body(kpis, kpi_commitments=[{"kpi_id": kpis[0].id, "value": "7"}, {"kpi_id": 999_999, "value": "1"}])
    response = client.post(url, json=foreign, headers=bearer(token))
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {"kpi_commitments.999999"}
    missing = bid_body(kpis, kpi_commitments=[], submit=True)
    response = client.post(url, json=missing, headers=bearer(token))
    assert response.status_code == 422 and {e["field"] for e in response.json["errors"]} == {
        f"kpi_commitments.{kpis[0].id}"}
    created = client.post(url, json=bid_body(kpis, kpi_commitments=[{"kpi_id": kpis[0].id, "value": 6.50}]),
                          headers=bearer(token))
    assert created.status_code == 201
    assert created.json["kpi_commitments"] == [{"kpi_id": kpis[0].id, "value": "6.5", "name": kpis[0].name,
                                                "unit": kpis[0].unit}]


def test_a_revision_changes_only_what_it_names(client, factory, db_session):
    problem = factory.problem(state="bidding")
    kpis = problems.list_kpis(db_session, problem)
    token = api_token(client, factory.user(factory.vendor()))
    bid = client.post(f"/api/v1/problems/{problem.id}/bids", json=bid_body(kpis, team="2명"),
                      headers=bearer(token)).json
    revised = client.patch(f"/api/v1/bids/{bid['id']}", json={"duration_weeks": 12, "price_krw": None, "team": None},
                           headers=bearer(token)).json
    assert revised["duration_weeks"] == 12 and revised["price_krw"] == 30_000_000  # null leaves a number
    assert revised["team"] == "" and revised["milestones"] == bid["milestones"]  # null empties a text
    too_much = client.patch(f"/api/v1/bids/{bid['id']}", json={"milestones": [
        {"name": "전부", "week": 3, "payment_percent": 80}, {"name": "나머지", "week": 5, "payment_percent": 30}]},
        headers=bearer(token))
    assert too_much.status_code == 422
    assert too_much.json["errors"] == [{"field": "milestones",
                                        "message": "마일스톤 지급 비율의 합이 100%가 되어야 합니다. 지금은 110%입니다."}]
