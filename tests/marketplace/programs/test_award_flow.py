"""Awarding a bid on a program problem: the subsidy waits for the officer; the SME sees its own share."""

from datetime import timedelta

from sqlmodel import select

from marketplace.accounts.models import Organisation, User
from marketplace.bids import services as bids
from marketplace.core.types import travel
from marketplace.discovery import services as discovery
from marketplace.notifications.models import Notification
from marketplace.programs import services
from marketplace.programs.models import Subsidy, SubsidyStatus


def test_award_under_a_program_requests_the_subsidy_and_tells_the_officer(kit, factory, db_session):
    officer = kit.officer()
    program = kit.program(officer)
    problem = kit.applied_problem(program, state="bidding")
    owner = db_session.get(User, problem.created_by_id)
    bid = factory.bid(problem, price_krw=30_000_000, maintenance_yearly_krw=3_000_000, maintenance_years=2)
    with travel(timedelta(days=8)):
        evaluation = bids.evaluate(db_session, problem, viewer=owner)
        score = evaluation.scores[0]
        assert score.subsidy_krw == 24_000_000  # 80% of the price
        # own share + the cost after delivery over 3 years: 2 years of maintenance, 1 year of upkeep (20% of the price)
        assert score.own_share_krw == 6_000_000 + 2 * 3_000_000 + 6_000_000
        bids.award_bid(db_session, user=owner, bid=bid)
    subsidy = db_session.exec(select(Subsidy).where(Subsidy.problem_id == problem.id)).one()
    assert subsidy.status == SubsidyStatus.PENDING and subsidy.amount_krw == 24_000_000
    kinds = db_session.exec(select(Notification.kind).where(Notification.user_id == officer.id)).all()
    assert "subsidy_pending" in kinds


def test_the_sme_sees_which_vendors_the_agency_recommended(kit, factory, db_session, app):
    officer = kit.officer()
    program = kit.program(officer)
    problem = kit.applied_problem(program)
    offering = factory.offering()
    services.recommend_vendors(db_session, officer=officer, program=program, problem=problem,
                               vendor_ids=[offering.organisation_id])
    with app.test_request_context():
        ranked = discovery.rank_offerings_for_problem(db_session, problem)
    agency = db_session.get(Organisation, program.agency_id)
    assert ranked[0].recommended_by == agency.name_ko
