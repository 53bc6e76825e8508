"""Through the API and the pages: the abnormally-low milestone, the confirmed and reasoned award, the opening result."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlmodel import select

from marketplace.accounts.models import User
from marketplace.bids import services as bids
from marketplace.core.types import travel, utcnow
from marketplace.problems import services as problems
from tests.helpers import api_token, bearer, login, post_form

AFTER = timedelta(days=8)


def user_of(db_session, org_id) -> User:
    return db_session.exec(select(User).where(User.organisation_id == org_id)).first()


def test_the_quality_first_flow_through_the_api(client, factory, db_session):
    problem = factory.problem(state="bidding")
    low = factory.bid(problem, price_krw=9_000_000, maintenance_years=0, maintenance_yearly_krw=0)
    mid = factory.bid(problem, price_krw=40_000_000)
    dear = factory.bid(problem, price_krw=75_000_000)
    sme = bearer(api_token(client, db_session.get(User, problem.created_by_id)))
    low_vendor = bearer(api_token(client, user_of(db_session, low.vendor_id)))
    loser = bearer(api_token(client, user_of(db_session, dear.vendor_id)))
    with travel(AFTER):
        evaluation = client.get(f"/api/v1/problems/{problem.id}/evaluation", headers=sme).json
        by_id = {s["bid_id"]: s for s in evaluation["scores"]}
        assert by_id[low.id]["abnormally_low"] and by_id[low.id]["no_maintenance"]
        assert by_id[low.id]["upkeep_krw"] == 3 * 1_800_000 and evaluation["horizon_years"] == 3
        assert set(by_id[mid.id]["evidence"]) >= {"claimed", "confirmed", "verified", "credibility"}
        assert client.get(f"/api/v1/problems/{problem.id}/opening", headers=sme).status_code == 409
        refused = client.post(f"/api/v1/bids/{low.id}/award", json={"reason": "가장 저렴"}, headers=sme)
        assert refused.status_code == 409 and refused.headers["Content-Type"].startswith("application/problem+json")
        asked = client.post(f"/api/v1/bids/{low.id}/explanation-request", json={"question": "단가 근거?"}, headers=sme)
        assert asked.status_code == 200 and asked.json["explanation_state"] == "requested"
        assert client.post(f"/api/v1/bids/{low.id}/explanation", json={"explanation": " "},
                           headers=low_vendor).status_code == 422
        answered = client.post(f"/api/v1/bids/{low.id}/explanation", json={"explanation": "기존 모델 재사용"},
                               headers=low_vendor)
        assert answered.status_code == 200 and answered.json["explanation_state"] == "answered"
        rejected = client.post(f"/api/v1/bids/{low.id}/explanation/reject", json={"reason": "근거 부족"}, headers=sme)
        assert rejected.status_code == 200 and rejected.json["state"] == "rejected"
        # the credible bid: not the top-scored one among those left? then a reason is needed
        scores = client.get(f"/api/v1/problems/{problem.id}/evaluation", headers=sme).json["scores"]
        live = [s for s in scores if s["state"] == "submitted"]
        second = live[1]["bid_id"]
        blank = client.post(f"/api/v1/bids/{second}/award", json={"reason": "   "}, headers=sme)
        assert blank.status_code == 422 and "reason" in {e["field"] for e in blank.json["errors"]}
        done = client.post(f"/api/v1/bids/{second}/award", json={"reason": "유지보수 2년과 검증된 납품 실적"},
                           headers=sme)
        assert done.status_code == 200 and done.json["award_reason"] == "유지보수 2년과 검증된 납품 실적"
        opening = client.get(f"/api/v1/problems/{problem.id}/opening", headers=loser)
    assert opening.status_code == 200
    body = opening.json
    assert body["winner_bid_id"] == second and body["award_reason"] == "유지보수 2년과 검증된 납품 실적"
    assert len(body["bids"]) == 3 and sum(b["own"] for b in body["bids"]) == 1
    others = [b for b in body["bids"] if not b["own"]]
    assert all(b["bidder"].startswith("Bidder") or b["bidder"].startswith("입찰자") for b in others)
    for row in body["bids"]:  # anyone can recompute each commitment
        assert hashlib.sha256(row["commitment_text"].encode()).hexdigest() == row["commitment_sha256"]
    assert body["weights"] == problem.weights
    stranger = bearer(api_token(client, factory.user(factory.vendor())))
    with travel(AFTER):
        assert client.get(f"/api/v1/problems/{problem.id}/opening", headers=stranger).status_code == 404


def test_the_award_page_asks_for_confirmation_and_a_reason_next_to_the_field(client, factory, db_session):
    problem = factory.problem(state="bidding")
    first = factory.bid(problem, price_krw=30_000_000)
    second = factory.bid(problem, price_krw=35_000_000)
    login(client, db_session.get(User, problem.created_by_id))
    with travel(AFTER):
        page = client.get(f"/problems/{problem.id}/evaluation").get_data(as_text=True)
        assert f"/bids/{first.id}/award" in page and "평일 4시간 내 대응" in page  # the proposal, side by side
        confirm = client.get(f"/bids/{second.id}/award")
        assert confirm.status_code == 200 and 'data-testid="award-form"' in confirm.get_data(as_text=True)
        refused = post_form(client, f"/bids/{second.id}/award", {"reason": "  "})
        assert refused.status_code == 422
        assert "사유" in refused.get_data(as_text=True)
        done = post_form(client, f"/bids/{second.id}/award", {"reason": "현장 실사 결과"})
        assert done.status_code == 302 and done.headers["Location"].endswith(f"/problems/{problem.id}/opening")
        opening = client.get(f"/problems/{problem.id}/opening").get_data(as_text=True)
    assert "현장 실사 결과" in opening and second.commitment_sha256 in opening


def test_the_horizon_is_a_problem_setting_and_amendments_are_committed_anew(client, factory, db_session):
    problem = factory.problem(state="enquiries")
    sme = bearer(api_token(client, db_session.get(User, problem.created_by_id)))
    assert client.patch(f"/api/v1/problems/{problem.id}", json={"tco_horizon_years": 0}, headers=sme).status_code == 422
    changed = client.patch(f"/api/v1/problems/{problem.id}", json={"tco_horizon_years": 5, "opening_shows_names": True},
                           headers=sme)
    assert changed.status_code == 200 and changed.json["tco_horizon_years"] == 5
    owner = db_session.get(User, problem.created_by_id)
    problems.open_bidding(db_session, user=owner, problem=problem, deadline=utcnow() + timedelta(days=7))
    assert problem.weights_sha256 == problems.weights_commitment(problem)
    factory.bid(problem)
    problem.tco_horizon_years = 4  # behind the product's back
    db_session.add(problem)
    db_session.flush()
    with travel(AFTER), pytest.raises(bids.CommitmentBroken):
        bids.evaluate(db_session, problem, viewer=owner)
