"""Delivery of milestones, completion and the review that feeds the vendor's track record."""

from datetime import timedelta
from decimal import Decimal

import pytest

from marketplace.agreements import services
from marketplace.agreements.models import MilestoneStatus
from marketplace.agreements.schemas import DeliverIn, MilestoneRejectIn, ReviewIn
from marketplace.bids.models import Bid
from marketplace.core.errors import Conflict, NotAllowed, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.core.types import travel
from marketplace.offerings.models import Offering
from marketplace.problems.models import Problem, ProblemState


def review_in(scores: dict, comment: str = "") -> ReviewIn:
    return parse(ReviewIn, {"scores": scores, "comment": comment})


def problem_of(db_session, agreement) -> Problem:
    return db_session.get(Problem, agreement.problem_id)


def test_delivery_moves_the_problem_to_in_delivery_then_completed(kit, db_session, fast_pdf):
    agreement, owner, vendor_user = kit.signed()
    first, second, third = services.list_milestones(db_session, agreement)
    with pytest.raises(Conflict):
        services.accept_milestone(db_session, user=owner, milestone=first)
    with pytest.raises(NotAllowed):
        services.deliver_milestone(db_session, user=owner, milestone=first)
    services.deliver_milestone(db_session, user=vendor_user, milestone=first,
                               delivery=parse(DeliverIn, {"note": "POS 연동 완료"}))
    assert problem_of(db_session, agreement).state == ProblemState.IN_DELIVERY
    with pytest.raises(NotAllowed):
        services.accept_milestone(db_session, user=vendor_user, milestone=first)
    with pytest.raises(ValidationFailed):
        services.reject_milestone(db_session, user=owner, milestone=first,
                                 rejection=parse(MilestoneRejectIn, {"reason": " "}))
    services.reject_milestone(db_session, user=owner, milestone=first,
                             rejection=parse(MilestoneRejectIn, {"reason": "일부 품목 누락"}))
    assert first.status == MilestoneStatus.REJECTED
    services.deliver_milestone(db_session, user=vendor_user, milestone=first,
                               delivery=parse(DeliverIn, {"note": "누락 품목 추가"}))
    services.accept_milestone(db_session, user=owner, milestone=first)
    assert first.amount_krw == 9_000_000 and problem_of(db_session, agreement).state == ProblemState.IN_DELIVERY
    for m in (second, third):
        services.deliver_milestone(db_session, user=vendor_user, milestone=m)
        services.accept_milestone(db_session, user=owner, milestone=m)
    assert problem_of(db_session, agreement).state == ProblemState.COMPLETED
    assert sum(m.amount_krw for m in services.list_milestones(db_session, agreement)) == 30_000_000


def test_redelivery_only_within_the_resubmission_period(kit, db_session, fast_pdf):
    agreement, owner, vendor_user = kit.signed()
    first = services.list_milestones(db_session, agreement)[0]
    services.deliver_milestone(db_session, user=vendor_user, milestone=first)
    services.reject_milestone(db_session, user=owner, milestone=first,
                             rejection=parse(MilestoneRejectIn, {"reason": "정확도 미달"}))
    with travel(timedelta(days=22)), pytest.raises(Conflict, match="21"):
        services.deliver_milestone(db_session, user=vendor_user, milestone=first)


def complete(kit, db_session):
    agreement, owner, vendor_user = kit.signed()
    for m in services.list_milestones(db_session, agreement):
        services.deliver_milestone(db_session, user=vendor_user, milestone=m)
        services.accept_milestone(db_session, user=owner, milestone=m)
    return agreement, owner, vendor_user


def test_review_feeds_track_record_and_profile(kit, db_session, fast_pdf):
    agreement, owner, vendor_user = kit.agreement()
    with pytest.raises(Conflict):
        services.submit_review(db_session, user=owner, agreement=agreement, review=review_in({}))
    kit.sign(agreement, owner)
    kit.sign(agreement, vendor_user)
    for m in services.list_milestones(db_session, agreement):
        services.deliver_milestone(db_session, user=vendor_user, milestone=m)
        services.accept_milestone(db_session, user=owner, milestone=m)
    offering = db_session.get(Offering, db_session.get(Bid, agreement.bid_id).offering_id)
    before = offering.updated_at
    assert services.review_criteria(problem_of(db_session, agreement)) == [
        "quality", "cost", "delivery_speed", "explainability", "maintenance"]  # throughput, privacy weigh 0
    with pytest.raises(ValidationFailed) as bad:
        services.submit_review(db_session, user=owner, agreement=agreement,
                               review=review_in({"quality": 6, "throughput": 3}))
    assert {"scores.quality", "scores.throughput", "scores.cost"} <= set(bad.value.fields)
    with pytest.raises(NotAllowed):
        services.submit_review(db_session, user=vendor_user, agreement=agreement, review=review_in({}))
    scores = {"quality": 5, "cost": 4, "delivery_speed": 3, "explainability": 5, "maintenance": 4}
    review = services.submit_review(db_session, user=owner, agreement=agreement,
                                    review=review_in(scores, "폐기율이 7% 아래로 내려갔습니다."))
    # weights 15, 30, 25, 10, 20 → (75 + 120 + 75 + 50 + 80) / 100 = 4.00
    assert review.score == Decimal("4.00")
    assert offering.completed_projects == 13 and offering.mean_review == Decimal("4.00")
    assert offering.profile["quality"] == pytest.approx(0.8 * 0.7 + 0.2 * 1.0)
    assert offering.profile["delivery_speed"] == pytest.approx(0.8 * 0.9 + 0.2 * 0.5)
    assert offering.profile["throughput"] == 0.5  # not reviewed, unchanged
    assert offering.updated_at > before
    with pytest.raises(Conflict):
        services.submit_review(db_session, user=owner, agreement=agreement, review=review_in(scores))
