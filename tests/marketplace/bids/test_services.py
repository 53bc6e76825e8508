import contextlib
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, text
from sqlmodel import select

from marketplace.accounts.models import Organisation, User
from marketplace.bids import services
from marketplace.bids.models import Bid, BidState
from marketplace.bids.schemas import BidUpdate
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.types import travel
from marketplace.notifications.models import Notification
from marketplace.problems import services as problems
from marketplace.problems.schemas import ProblemUpdate
from marketplace.problems.models import ProblemState

AFTER_DEADLINE = timedelta(days=8)


def owner_of(db_session, problem) -> User:
    return db_session.get(User, problem.created_by_id)


def test_a_vendor_submits_a_complete_bid(factory, db_session):
    problem = factory.problem(state="bidding")
    bid = factory.bid(problem)
    assert bid.state == BidState.SUBMITTED and bid.submitted_at is not None
    assert bid.problem_revision == problem.revision


@pytest.mark.parametrize("overrides,field", [
    ({"price_krw": 0}, "price_krw"),
    ({"price_krw": -5}, "price_krw"),
    ({"milestones": [{"name": "전부", "week": 4, "payment_percent": 90}]}, "milestones"),
    ({"duration_weeks": 0}, "duration_weeks"),
    ({"maintenance_years": 11}, "maintenance_years"),
    ({"approach": "짧음"}, "approach"),
])
def test_bad_bids_are_refused_and_nothing_is_saved(factory, db_session, overrides, field):
    problem = factory.problem(state="bidding")
    with pytest.raises(ValidationFailed) as info:
        factory.bid(problem, **overrides)
    assert field in info.value.fields
    db_session.rollback()
    assert db_session.exec(select(Bid).where(Bid.problem_id == problem.id)).all() == []


def test_a_kpi_commitment_is_required_for_each_kpi(factory, db_session):
    problem = factory.problem(state="bidding")
    with pytest.raises(ValidationFailed) as info:
        factory.bid(problem, kpi_commitments=[])
    assert any(key.startswith("kpi_commitments.") for key in info.value.fields)


def test_one_bid_per_vendor_revising_replaces_it(factory, db_session):
    problem = factory.problem(state="bidding")
    vendor_user = factory.user(factory.vendor())
    bid = factory.bid(problem, vendor_user)
    with pytest.raises(Conflict) as info:
        factory.bid(problem, vendor_user)
    assert "수정" in info.value.message
    db_session.rollback()
    services.revise_bid(db_session, user=vendor_user, bid=bid, changes=BidUpdate(price_krw=28_000_000))
    assert bid.state == BidState.SUBMITTED and bid.price_krw == 28_000_000


def test_no_bid_before_bidding_opens_or_after_the_deadline(factory, db_session):
    enquiries = factory.problem(state="enquiries")
    with pytest.raises(Conflict):
        factory.bid(enquiries)
    db_session.rollback()
    bidding = factory.problem(state="bidding")
    with travel(AFTER_DEADLINE), pytest.raises(Conflict) as info:
        factory.bid(bidding)
    assert "마감" in info.value.message


def test_smes_cannot_bid_and_invited_only_problems_need_an_invitation(factory, db_session):
    problem = factory.problem(state="bidding")
    with pytest.raises(NotAllowed):
        factory.bid(problem, factory.user(factory.sme()))
    db_session.rollback()
    hidden = factory.problem(state="bidding", visibility="invited")
    with pytest.raises(NotFound):
        factory.bid(hidden)


def test_bids_are_sealed_before_the_deadline(factory, db_session):
    problem = factory.problem(state="bidding")
    owner = owner_of(db_session, problem)
    alice = factory.user(factory.vendor())
    bob = factory.user(factory.vendor())
    alice_bid = factory.bid(problem, alice, price_krw=31_000_000)
    bob_bid = factory.bid(problem, bob, price_krw=25_000_000)
    with pytest.raises(Conflict) as info:
        services.list_bids_for_problem(db_session, problem, viewer=owner)
    assert "2" not in info.value.message  # no count in the error text
    with pytest.raises(NotFound):
        services.get_bid(db_session, alice_bid.id, viewer=owner)
    with pytest.raises(NotFound):
        services.get_bid(db_session, alice_bid.id, viewer=bob)
    assert [b.id for b in services.list_bids_for_problem(db_session, problem, viewer=bob)] == [bob_bid.id]
    with pytest.raises(Conflict):
        services.evaluate(db_session, problem, viewer=owner)
    assert db_session.exec(select(Notification).where(Notification.user_id == owner.id)).all() == []


def test_after_the_deadline_the_sme_sees_and_scores_all_bids(factory, db_session):
    problem = factory.problem(state="bidding")
    owner = owner_of(db_session, problem)
    cheap = factory.bid(problem, price_krw=30_000_000, duration_weeks=10)
    dear = factory.bid(problem, price_krw=40_000_000, duration_weeks=8)
    with travel(AFTER_DEADLINE):
        listed = services.list_bids_for_problem(db_session, problem, viewer=owner)
        assert {b.id for b in listed} == {cheap.id, dear.id}
        assert problem.state == ProblemState.EVALUATION
        result = services.evaluate(db_session, problem, viewer=owner)
    by_id = {s.bid.id: s for s in result.scores}
    # the total cost over 3 years: the price, 2 years of maintenance, 1 year of upkeep at 20% of the price
    assert by_id[cheap.id].tco_krw == 30_000_000 + 2 * 3_000_000 + 6_000_000
    assert by_id[dear.id].tco_krw == 40_000_000 + 2 * 3_000_000 + 8_000_000
    assert by_id[cheap.id].criteria["cost"] == 1.0 and by_id[dear.id].criteria["cost"] == round(42 / 54, 4)
    assert by_id[dear.id].criteria["delivery_speed"] == 1.0
    assert [s.rank for s in result.scores] == [1, 2]
    assert result.scores[0].bid.id == cheap.id  # the bakery weights cost 30, delivery 25


def test_abnormally_low_bids_are_flagged(factory, db_session):
    problem = factory.problem(state="bidding")
    low = factory.bid(problem, price_krw=10_000_000)
    factory.bid(problem, price_krw=30_000_000)
    factory.bid(problem, price_krw=32_000_000)
    with travel(AFTER_DEADLINE):
        result = services.evaluate(db_session, problem, viewer=owner_of(db_session, problem))
    flagged = {s.bid.id for s in result.scores if s.abnormally_low}
    assert flagged == {low.id}


def test_kpi_commitments_short_of_the_target_score_in_proportion(factory, db_session):
    problem = factory.problem(state="bidding")  # 당일 폐기율 15.2 → 7.0 (lower is better)
    kpi = problems.list_kpis(db_session, problem)[0]
    full = factory.bid(problem)
    half = factory.bid(problem, kpi_commitments=[{"kpi_id": kpi.id, "value": "11.1"}])
    with travel(AFTER_DEADLINE):
        result = services.evaluate(db_session, problem, viewer=owner_of(db_session, problem))
    quality = {s.bid.id: s.criteria["quality"] for s in result.scores}
    # meeting the target earns the vendor's credibility (its evidence); half the way, half of it
    credibility = next(s.credibility for s in result.scores if s.bid.id == full.id)
    assert quality[full.id] == pytest.approx(credibility, abs=1e-4)
    assert quality[half.id] == pytest.approx(quality[full.id] / 2, abs=1e-4)


def test_sensitivity_names_the_weight_that_would_flip_the_leader(factory, db_session):
    problem = factory.problem(state="bidding")
    factory.bid(problem, price_krw=28_000_000, duration_weeks=10)
    factory.bid(problem, price_krw=30_000_000, duration_weeks=9)
    with travel(AFTER_DEADLINE):
        result = services.evaluate(db_session, problem, viewer=owner_of(db_session, problem))
    assert result.sensitivity, "a close race should be sensitive to a 10-point change"
    assert any("납기 속도" in note or "비용" in note for note in result.sensitivity)


def test_a_priced_change_during_bidding_invalidates_bids_and_tells_the_vendor(factory, db_session):
    problem = factory.problem(state="bidding")
    vendor_user = factory.user(factory.vendor())
    bid = factory.bid(problem, vendor_user)
    problems.update_problem(db_session, user=owner_of(db_session, problem), problem=problem,
                            changes=ProblemUpdate(on_premises_required=True))
    db_session.refresh(bid)
    assert bid.state == BidState.INVALIDATED
    kinds = db_session.exec(select(Notification.kind).where(Notification.user_id == vendor_user.id)).all()
    assert kinds == ["amendment"]   # one message: what changed, and that the bid must be confirmed again
    services.submit_bid(db_session, user=vendor_user, bid=bid)
    assert bid.state == BidState.SUBMITTED and bid.problem_revision == problem.revision


def test_award_once_repeat_changes_nothing_and_others_learn_only_their_own_score(factory, db_session):
    problem = factory.problem(state="bidding")
    owner = owner_of(db_session, problem)
    winner_user, loser_user = factory.user(factory.vendor()), factory.user(factory.vendor())
    winner = factory.bid(problem, winner_user, price_krw=25_000_000)
    loser = factory.bid(problem, loser_user, price_krw=35_000_000)
    with pytest.raises(Conflict):
        services.award_bid(db_session, user=owner, bid=winner)
    with travel(AFTER_DEADLINE):
        services.award_bid(db_session, user=owner, bid=winner)
        services.award_bid(db_session, user=owner, bid=winner)  # repeated: no change, no error
        with pytest.raises(Conflict):
            services.award_bid(db_session, user=owner, bid=loser)
    db_session.refresh(loser)
    assert winner.state == BidState.AWARDED and loser.state == BidState.REJECTED
    assert problem.state == ProblemState.AWARDED
    message = db_session.exec(select(Notification).where(Notification.user_id == loser_user.id,
                                                         Notification.kind == "award_lost")).one()
    assert message.params["rank"] == 2 and "25,000,000" not in str(message.params)


def test_withdrawn_bids_cannot_be_awarded_and_members_cannot_award(factory, db_session):
    problem = factory.problem(state="bidding")
    owner = owner_of(db_session, problem)
    vendor_user = factory.user(factory.vendor())
    bid = factory.bid(problem, vendor_user)
    services.withdraw_bid(db_session, user=vendor_user, bid=bid)
    member = factory.user(db_session.get(Organisation, problem.organisation_id), role="member")
    with travel(AFTER_DEADLINE):
        with pytest.raises(NotFound):
            services.get_bid(db_session, bid.id, viewer=owner)  # withdrawn bids are not shown as live
        with pytest.raises(Conflict):
            services.award_bid(db_session, user=owner, bid=bid)
    other_problem = factory.problem(state="bidding")
    live = factory.bid(other_problem)
    member_of_other = factory.user(db_session.get(Organisation, other_problem.organisation_id),
                                   role="member")
    with travel(AFTER_DEADLINE), pytest.raises(NotAllowed):
        services.award_bid(db_session, user=member_of_other, bid=live)
    assert member is not None


def test_deadline_reminders_go_once_to_invited_vendors(factory, db_session):
    problem = factory.problem(state="bidding")
    vendor = factory.vendor()
    vendor_user = factory.user(vendor)
    problems.invite_vendor(db_session, user=owner_of(db_session, problem), problem=problem, vendor=vendor)
    with travel(timedelta(days=6, hours=12)):
        assert services.send_deadline_reminders(db_session) == 1
        assert services.send_deadline_reminders(db_session) == 0
    kinds = db_session.exec(select(Notification.kind).where(Notification.user_id == vendor_user.id)).all()
    assert kinds.count("deadline_reminder") == 1 and "invited" in kinds


def stored_commitments(db_session, bid) -> list[dict]:
    """The column as the database holds it (JSON), not through the model."""
    raw = db_session.exec(text("SELECT kpi_commitments FROM bid WHERE id = :id").bindparams(id=bid.id)).one()[0]
    return json.loads(raw) if isinstance(raw, str) else raw


def test_commitments_are_stored_as_people_write_them(factory, db_session):
    problem = factory.problem(state="bidding")
    kpi = problems.list_kpis(db_session, problem)[0]
    bid = factory.bid(problem, kpi_commitments=[{"kpi_id": kpi.id, "value": "90"}])
    assert stored_commitments(db_session, bid)[0]["value"] == "90"  # not "9E+1"
    assert bid.kpi_commitments[0].value == Decimal("90")
    bid = factory.bid(problem, kpi_commitments=[{"kpi_id": kpi.id, "value": "6.50"}])
    assert stored_commitments(db_session, bid) == [{"kpi_id": kpi.id, "name": kpi.name, "unit": kpi.unit,
                                                     "value": "6.5"}]
    db_session.expire(bid)
    assert bid.kpi_commitments[0].value == Decimal("6.5")  # read back as a number, not text


@contextlib.contextmanager
def counted_queries(db_session):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    connection = db_session.connection()
    event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", count)


def test_the_evaluation_takes_as_many_queries_for_six_bids_as_for_two(factory, db_session):
    counts = []
    for n in (2, 6):
        problem = factory.problem(state="bidding")
        for i in range(n):
            vendor = factory.vendor()
            linked = factory.offering(vendor)
            factory.offering(vendor, title=f"제조 품질 검사 {i}")
            factory.bid(problem, factory.user(vendor), price_krw=20_000_000 + i * 1_000_000,
                        **({"offering_id": linked.id} if i % 2 else {}))
        owner = owner_of(db_session, problem)
        with travel(AFTER_DEADLINE):
            services.evaluate(db_session, problem, viewer=owner)  # closes bidding (and tells the SME)
            db_session.expire_all()
            with counted_queries(db_session) as statements:
                result = services.evaluate(db_session, problem, viewer=owner)
        assert len(result.scores) == n
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 8, counts
