"""The abnormally-low-price milestone, the reasoned award and the commitments the award rests on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from marketplace.accounts.models import User
from marketplace.bids import services
from marketplace.bids.models import BidState, ExplanationState
from marketplace.core.errors import Conflict, ValidationFailed
from marketplace.core.types import travel
from marketplace.notifications.models import Notification
from marketplace.notifications.services import message

AFTER_DEADLINE = timedelta(days=8)


def owner_of(db_session, problem) -> User:
    return db_session.get(User, problem.created_by_id)


def vendor_user(db_session, bid) -> User:
    return db_session.exec(select(User).where(User.organisation_id == bid.vendor_id)).first()


@pytest.fixture
def world(factory):
    """Three bids; the cheapest is abnormally low (9M against 40M and 75M)."""
    problem = factory.problem(state="bidding")
    low = factory.bid(problem, price_krw=9_000_000, maintenance_years=0, maintenance_yearly_krw=0)
    middle = factory.bid(problem, price_krw=40_000_000)
    dear = factory.bid(problem, price_krw=75_000_000)
    return problem, low, middle, dear


def test_an_abnormally_low_bid_is_awarded_only_after_its_explanation_is_accepted(world, db_session):
    problem, low, _middle, _dear = world
    owner = owner_of(db_session, problem)
    with travel(AFTER_DEADLINE):
        with pytest.raises(Conflict, match="비정상적으로 낮습니다"):
            services.award_bid(db_session, user=owner, bid=low, reason="가격")
        services.request_explanation(db_session, user=owner, bid=low, question="인건비 산정 근거는?")
        assert low.explanation_state == ExplanationState.REQUESTED
        assert low.explanation_due_at - low.explanation_requested_at == timedelta(days=services.EXPLANATION_DAYS)
        with pytest.raises(Conflict):  # nothing to accept before the vendor answers
            services.accept_explanation(db_session, user=owner, bid=low)
        with pytest.raises(ValidationFailed) as blank:
            services.explain_bid(db_session, user=vendor_user(db_session, low), bid=low, explanation="   ")
        assert "explanation" in blank.value.fields
        services.explain_bid(db_session, user=vendor_user(db_session, low), bid=low,
                             explanation="자체 개발한 검사 모델을 재사용하여 개발 인건비가 적습니다.")
        services.accept_explanation(db_session, user=owner, bid=low)
        services.award_bid(db_session, user=owner, bid=low, reason="설명을 수용했고 납기가 가장 짧습니다.")
    assert low.state == BidState.AWARDED


def test_an_explanation_after_the_time_allowed_is_refused_and_the_bid_can_be_rejected(world, db_session):
    problem, low, _middle, _dear = world
    owner = owner_of(db_session, problem)
    with travel(AFTER_DEADLINE):
        services.request_explanation(db_session, user=owner, bid=low)
    with travel(AFTER_DEADLINE + timedelta(days=services.EXPLANATION_DAYS, hours=1)):
        with pytest.raises(Conflict, match="기한이 지났습니다"):
            services.explain_bid(db_session, user=vendor_user(db_session, low), bid=low, explanation="늦은 설명")
        assert low.explanation is None
        with pytest.raises(ValidationFailed):
            services.reject_explanation(db_session, user=owner, bid=low, reason=" \n ")
        services.reject_explanation(db_session, user=owner, bid=low, reason="기한 내 설명이 없었습니다.")
    assert low.state == BidState.REJECTED and low.decision_reason == "기한 내 설명이 없었습니다."


def test_only_an_abnormally_low_bid_is_asked_to_explain(world, db_session):
    problem, _low, middle, _dear = world
    with travel(AFTER_DEADLINE), pytest.raises(Conflict):
        services.request_explanation(db_session, user=owner_of(db_session, problem), bid=middle)


def test_awarding_a_bid_that_is_not_top_scored_needs_a_reason_every_bidder_reads(world, db_session):
    problem, _low, middle, dear = world
    owner = owner_of(db_session, problem)
    with travel(AFTER_DEADLINE):
        ranked = services.evaluate(db_session, problem, viewer=owner).scores
        live = [s for s in ranked if not s.abnormally_low]
        top, second = live[0], live[1]
        for blank in (None, "", "   "):
            with pytest.raises(ValidationFailed) as refused:
                services.award_bid(db_session, user=owner, bid=second.bid, reason=blank)
            assert "reason" in refused.value.fields
        assert second.bid.state == BidState.SUBMITTED  # nothing saved
        services.award_bid(db_session, user=owner, bid=second.bid, reason="  현장 방문 후 유지보수 체계를 신뢰함  ")
    assert second.bid.award_reason == "현장 방문 후 유지보수 체계를 신뢰함"
    notes = db_session.exec(select(Notification).where(Notification.kind.in_(["award_won", "award_lost"]))).all()
    won = next(n for n in notes if n.kind == "award_won")
    assert won.params["rank"] == second.rank  # the rank the evaluation gives, not "1"
    with travel(AFTER_DEADLINE):
        assert f"{second.rank}위" in message("award_won", won.params)
        lost = next(n for n in notes if n.kind == "award_lost" and n.params["rank"] == top.rank)
        assert "현장 방문 후" in message("award_lost", lost.params)


def test_a_bid_changed_after_its_commitment_stops_the_evaluation_loudly(world, db_session, caplog):
    problem, _low, middle, _dear = world
    assert middle.commitment_sha256 and len(middle.commitment_sha256) == 64
    middle.price_krw = 39_000_000  # behind the product's back
    db_session.add(middle)
    db_session.flush()
    with travel(AFTER_DEADLINE), pytest.raises(services.CommitmentBroken, match=f"입찰 {middle.id}"):
        services.evaluate(db_session, problem, viewer=owner_of(db_session, problem))
    assert any("commitment broken" in r.message for r in caplog.records)
