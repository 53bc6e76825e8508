"""The demo world's closed bidding: the quality-first SME's three bids, and vendors with mixed evidence."""

from sqlmodel import select

from marketplace.accounts.models import User
from marketplace.bids import services as bids
from marketplace.problems.models import Problem, ProblemState
from seed.loader import load_demo_world


def test_the_semiconductor_sme_can_compare_and_the_credible_quality_bid_leads(app, db_session):
    load_demo_world(app)
    problem = db_session.exec(select(Problem).where(Problem.title.contains("불량"),
                                                    Problem.state == ProblemState.EVALUATION,
                                                    Problem.w_quality == 40, Problem.w_data_privacy == 30)).one()
    owner = db_session.exec(select(User).where(User.organisation_id == problem.organisation_id)).first()
    result = bids.evaluate(db_session, problem, viewer=owner)
    assert len(result.scores) == 3
    by_price = {s.bid.price_krw: s for s in result.scores}
    low, edge, big = by_price[9_000_000], by_price[78_000_000], by_price[240_000_000]
    assert low.abnormally_low and low.no_maintenance and not edge.abnormally_low
    assert result.leader.bid.id == edge.bid.id  # the credible quality bid with maintenance leads
    assert low.rank > edge.rank
    assert edge.evidence.verified >= 3 and low.evidence.verified == 0 and big.evidence.confirmed >= 1
