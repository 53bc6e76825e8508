"""Amendments (정정공고): no-change saves change nothing; a real change during bidding lists what changed, old →
new, reaches every vendor with a bid, re-confirms bids only for priced fields and moves the deadline out."""

from datetime import timedelta

import pytest
from sqlmodel import select

from marketplace.accounts.models import User
from marketplace.bids.models import Bid
from marketplace.core.errors import ValidationFailed
from marketplace.core.types import utcnow
from marketplace.notifications.models import Notification
from marketplace.problems import services
from marketplace.problems.models import ProblemAmendment
from marketplace.problems.schemas import ProblemUpdate
from tests.helpers import api_token, bearer, login


def bidding_with_bid(factory, db_session):
    problem = factory.problem(state="bidding")
    owner = db_session.get(User, problem.created_by_id)
    vendor_user = factory.user(factory.vendor())
    bid = factory.bid(problem, vendor_user)
    return problem, owner, vendor_user, bid


def same_as_stored(problem, kpis) -> ProblemUpdate:
    return ProblemUpdate.model_validate({
        "title": problem.title, "description": problem.description, "budget_max_krw": problem.budget_max_krw,
        "kpis": [{"name": k.name, "unit": k.unit, "baseline": str(k.baseline), "target": str(k.target),
                  "direction": k.direction} for k in kpis]})


def test_saving_without_a_change_changes_nothing(factory, db_session):
    problem, owner, vendor_user, bid = bidding_with_bid(factory, db_session)
    kpis = services.list_kpis(db_session, problem)
    kpi_ids, revision, deadline = [k.id for k in kpis], problem.revision, problem.bid_deadline
    services.update_problem(db_session, user=owner, problem=problem, changes=same_as_stored(problem, kpis))
    db_session.commit()
    assert problem.revision == revision and problem.bid_deadline == deadline
    assert [k.id for k in services.list_kpis(db_session, problem)] == kpi_ids   # bids' commitments still point
    assert db_session.get(Bid, bid.id).state == "submitted"
    assert services.list_amendments(db_session, problem) == []
    assert db_session.exec(select(Notification).where(Notification.user_id == vendor_user.id)).all() == []


def test_a_priced_change_is_an_amendment_that_reconfirms_bids_and_tells_the_vendor(factory, db_session):
    problem, owner, vendor_user, bid = bidding_with_bid(factory, db_session)
    services.update_problem(db_session, user=owner, problem=problem,
                            changes=ProblemUpdate(on_premises_required=True, title="내일 구울 빵 수량 예측 (매장 4곳)"))
    db_session.commit()
    (amendment,) = services.list_amendments(db_session, problem)
    assert [(c["field"], c["old"], c["new"]) for c in amendment.changes] == [
        ("title", "내일 구울 빵 수량 예측으로 폐기 줄이기", "내일 구울 빵 수량 예측 (매장 4곳)"),
        ("on_premises_required", False, True)]
    assert amendment.reconfirm and db_session.get(Bid, bid.id).state == "invalidated"
    told = db_session.exec(select(Notification).where(Notification.user_id == vendor_user.id)).all()
    assert [n.kind for n in told] == ["amendment"] and told[0].params["fields"] == ["title", "on_premises_required"]


def test_an_unpriced_change_keeps_bids_valid_and_awardable(factory, db_session):
    problem, owner, vendor_user, bid = bidding_with_bid(factory, db_session)
    services.update_problem(db_session, user=owner, problem=problem, changes=ProblemUpdate(budget_max_krw=40_000_000))
    db_session.commit()
    (amendment,) = services.list_amendments(db_session, problem)
    assert not amendment.reconfirm
    stored = db_session.get(Bid, bid.id)
    assert stored.state == "submitted" and stored.problem_revision == problem.revision


def test_an_amendment_moves_a_close_deadline_out_to_the_minimum(factory, db_session):
    problem, owner, vendor_user, bid = bidding_with_bid(factory, db_session)
    problem.bid_deadline = utcnow() + timedelta(days=1)
    db_session.add(problem)
    db_session.commit()
    services.update_problem(db_session, user=owner, problem=problem, changes=ProblemUpdate(systems=["pos"]))
    db_session.commit()
    (amendment,) = services.list_amendments(db_session, problem)
    assert problem.bid_deadline >= utcnow() + timedelta(days=3) - timedelta(minutes=1)
    assert amendment.deadline_after == problem.bid_deadline != amendment.deadline_before


def test_the_sme_extends_but_never_shortens_the_deadline_through_the_api(client, factory, db_session):
    problem, owner, vendor_user, bid = bidding_with_bid(factory, db_session)
    token = api_token(client, owner)
    current = problem.bid_deadline
    shorter = client.post(f"/api/v1/problems/{problem.id}/extend-deadline",
                          json={"deadline": (current - timedelta(days=1)).isoformat()}, headers=bearer(token))
    assert shorter.status_code == 422 and shorter.json["errors"][0]["field"] == "deadline"
    longer = client.post(f"/api/v1/problems/{problem.id}/extend-deadline",
                         json={"deadline": (current + timedelta(days=5)).isoformat()}, headers=bearer(token))
    assert longer.status_code == 200 and longer.json["changes"][0]["field"] == "bid_deadline"
    db_session.expire_all()
    assert db_session.get(Bid, bid.id).state == "submitted"
    listed = client.get(f"/api/v1/problems/{problem.id}/amendments").json
    assert listed["total"] == 1 and listed["items"][0]["reconfirm"] is False


def test_posting_an_amendment_needs_a_change_and_open_bidding(client, factory, db_session):
    problem, owner, vendor_user, bid = bidding_with_bid(factory, db_session)
    token = api_token(client, owner)
    nothing = client.post(f"/api/v1/problems/{problem.id}/amendments", json={"title": problem.title},
                          headers=bearer(token))
    assert nothing.status_code == 422
    real = client.post(f"/api/v1/problems/{problem.id}/amendments",
                       json={"description": problem.description + " 매장이 한 곳 늘었습니다.", "note": "매장 추가"},
                       headers=bearer(token))
    assert real.status_code == 201 and real.json["reconfirm"] is True and real.json["note"] == "매장 추가"
    assert real.json["changes"][0]["label"] == "설명"
    draft = factory.problem(owner)
    assert client.post(f"/api/v1/problems/{draft.id}/amendments", json={"title": "다른 제목의 과제"},
                       headers=bearer(token)).status_code == 409
    assert len(db_session.exec(select(ProblemAmendment)).all()) == 1


def test_the_problem_page_shows_the_amendment_old_and_new(client, factory, db_session):
    problem, owner, vendor_user, bid = bidding_with_bid(factory, db_session)
    services.update_problem(db_session, user=owner, problem=problem, changes=ProblemUpdate(budget_max_krw=40_000_000))
    db_session.commit()
    login(client, vendor_user)
    html = client.get(f"/problems/{problem.id}").get_data(as_text=True)
    assert "정정공고" in html and "최대 예산" in html and "35,000,000원" in html and "40,000,000원" in html


def test_the_minimum_days_after_an_amendment_is_set_when_bidding_opens(client, factory, db_session):
    problem = factory.problem(state="enquiries")
    owner = db_session.get(User, problem.created_by_id)
    with pytest.raises(ValidationFailed) as info:
        services.open_bidding(db_session, user=owner, problem=problem, deadline=utcnow() + timedelta(days=7),
                              amendment_min_days="45")
    assert "amendment_min_days" in info.value.fields and problem.state == "enquiries"
    services.open_bidding(db_session, user=owner, problem=problem, deadline=utcnow() + timedelta(days=7),
                          amendment_min_days="5")
    assert problem.amendment_min_days == 5 and problem.state == "bidding"


def test_the_bid_page_of_an_invalidated_bid_says_what_changed(client, factory, db_session):
    problem, owner, vendor_user, bid = bidding_with_bid(factory, db_session)
    services.update_problem(db_session, user=owner, problem=problem, changes=ProblemUpdate(systems=["pos", "erp"]))
    db_session.commit()
    login(client, vendor_user)
    html = client.get(f"/problems/{problem.id}/bid").get_data(as_text=True)
    assert 'data-testid="invalidated"' in html and "변경 항목: 시스템." in html


def test_changing_how_bids_are_compared_during_bidding_is_an_amendment_and_is_committed_anew(factory, db_session):
    """The cost horizon counts in every bid's total cost: changing it while bids are sealed is published,
    and the published weights commitment follows it (the opening result checks it against the weights)."""
    from domain import sealing
    problem, owner, vendor_user, bid = bidding_with_bid(factory, db_session)
    committed = problem.weights_sha256
    services.update_problem(db_session, user=owner, problem=problem,
                            changes=ProblemUpdate(tco_horizon_years=problem.tco_horizon_years + 2))
    db_session.commit()
    (amendment,) = services.list_amendments(db_session, problem)
    assert [c["field"] for c in amendment.changes] == ["tco_horizon_years"] and not amendment.reconfirm
    assert problem.weights_sha256 != committed
    assert problem.weights_sha256 == sealing.digest(
        sealing.weights_text(problem.id, problem.weights, problem.tco_horizon_years))
    assert db_session.get(Bid, bid.id).state == "submitted"
