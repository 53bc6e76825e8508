"""Awarding a bid on a program problem: the subsidy waits for the officer; the SME sees its own share."""

from datetime import timedelta

from sqlmodel import select

from marketplace.accounts.models import Organisation, User
from marketplace.bids import services as bids
from marketplace.core.types import travel
from marketplace.discovery import services as discovery
from marketplace.notifications.models import Notification
from marketplace.programs import services
from marketplace.problems import services as problems
from marketplace.programs.models import Subsidy, SubsidyStatus
from tests.helpers import api_token, bearer


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


def test_the_matches_api_says_which_vendors_were_recommended_and_invited_in_the_readers_language(
        kit, factory, db_session, client):
    officer = kit.officer()
    program = kit.program(officer)
    problem = kit.applied_problem(program)
    owner = db_session.get(User, problem.created_by_id)
    recommended, invited, neither = (factory.offering(title=f"베이커리 수요 예측 {n}") for n in range(3))
    services.recommend_vendors(db_session, officer=officer, program=program, problem=problem,
                               vendor_ids=[recommended.organisation_id])
    invited_vendor = db_session.get(Organisation, invited.organisation_id)
    problems.invite_vendor(db_session, user=owner, problem=problem, vendor=invited_vendor)
    agency = db_session.get(Organisation, program.agency_id)
    token = api_token(client, owner)
    for lang, name in (("ko", agency.name_ko), ("en", agency.name_en)):
        owner.locale = lang  # the owner's saved language
        db_session.add(owner)
        db_session.flush()
        answer = client.get(f"/api/v1/problems/{problem.id}/matches", headers=bearer(token))
        assert answer.status_code == 200, answer.json
        rows = {m["offering_id"]: (m["recommended_by"], m["invited"]) for m in answer.json["items"]}
        assert rows[recommended.id] == (name, False)
        assert rows[invited.id] == (None, True)
        assert rows[neither.id] == (None, False)
