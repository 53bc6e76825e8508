"""A Hypothesis state machine over the bidding lifecycle.

Rules: submit / revise / withdraw (vendors), edit the problem (the SME), the clock passes the
deadline, award. Invariants after every step: at most one awarded bid; before the deadline no price
is visible to anyone but its own vendor (the SME and competitors get sealed answers); a withdrawn or
invalidated bid is never awarded.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlmodel import select

from marketplace.accounts.models import User
from marketplace.bids import services
from marketplace.bids.models import Bid, BidState
from marketplace.core import types
from marketplace.core.errors import Conflict, NotFound
from marketplace.problems import services as problems
from marketplace.problems.schemas import ProblemUpdate
from tests.factories import Factory

VENDORS = 3


def make_machine(db_session):
    class Bidding(RuleBasedStateMachine):
        @initialize()
        def setup(self):
            self.factory = Factory(db_session)
            self.session = db_session
            self.problem = self.factory.problem(state="bidding")
            self.owner = db_session.get(User, self.problem.created_by_id)
            self.vendors = [self.factory.user(self.factory.vendor()) for _ in range(VENDORS)]
            self.bids: dict[int, Bid] = {}
            self.ever_unsubmitted_at_award: set[int] = set()
            self.deadline_passed = False
            types._offset = timedelta(0)

        def teardown(self):
            types._offset = timedelta(0)

        @precondition(lambda self: not self.deadline_passed)
        @rule(v=st.integers(0, VENDORS - 1), price=st.integers(1, 90).map(lambda m: m * 1_000_000))
        def submit(self, v, price):
            vendor = self.vendors[v]
            bid = self.bids.get(v)
            if bid is None:
                self.bids[v] = self.factory.bid(self.problem, vendor, price_krw=price)
            else:
                services.revise_bid(self.session, user=vendor, bid=bid, data={"price_krw": price})
                services.submit_bid(self.session, user=vendor, bid=bid)

        @precondition(lambda self: not self.deadline_passed)
        @rule(v=st.integers(0, VENDORS - 1), weeks=st.integers(4, 30))
        def revise(self, v, weeks):
            bid = self.bids.get(v)
            if bid is not None:
                services.revise_bid(self.session, user=self.vendors[v], bid=bid, data={"duration_weeks": weeks})

        @precondition(lambda self: not self.deadline_passed)
        @rule(v=st.integers(0, VENDORS - 1))
        def withdraw(self, v):
            bid = self.bids.get(v)
            if bid is not None and bid.state != BidState.WITHDRAWN:
                services.withdraw_bid(self.session, user=self.vendors[v], bid=bid)

        @precondition(lambda self: not self.deadline_passed)
        @rule(budget=st.integers(36, 60).map(lambda m: m * 1_000_000))
        def edit_problem(self, budget):
            problems.update_problem(self.session, user=self.owner, problem=self.problem,
                                    changes=ProblemUpdate(budget_max_krw=budget))

        @precondition(lambda self: not self.deadline_passed)
        @rule()
        def pass_deadline(self):
            types._offset = timedelta(days=8)
            self.deadline_passed = True

        @rule(v=st.integers(0, VENDORS - 1))
        def award(self, v):
            bid = self.bids.get(v)
            if bid is None:
                return
            self.session.refresh(bid)
            before = bid.state
            try:
                services.award_bid(self.session, user=self.owner, bid=bid)
            except (Conflict, NotFound):
                assert bid.state != BidState.AWARDED
                return
            assert self.deadline_passed
            assert before in (BidState.SUBMITTED, BidState.SHORTLISTED, BidState.AWARDED), before

        @invariant()
        def at_most_one_award(self):
            if not hasattr(self, "problem"):
                return
            awarded = self.session.exec(select(Bid).where(Bid.problem_id == self.problem.id,
                                                          Bid.state == BidState.AWARDED)).all()
            assert len(awarded) <= 1

        @invariant()
        def sealed_before_the_deadline(self):
            if not hasattr(self, "problem") or self.deadline_passed:
                return
            with pytest.raises(Conflict):
                services.list_bids_for_problem(self.session, self.problem, viewer=self.owner)
            for v, bid in self.bids.items():
                for other_index, other in enumerate(self.vendors):
                    if other_index == v:
                        assert services.get_bid(self.session, bid.id, viewer=other).price_krw == bid.price_krw
                    else:
                        with pytest.raises(NotFound):
                            services.get_bid(self.session, bid.id, viewer=other)
                        seen = services.list_bids_for_problem(self.session, self.problem, viewer=other)
                        assert bid.id not in {b.id for b in seen}
                with pytest.raises(NotFound):
                    services.get_bid(self.session, bid.id, viewer=self.owner)

    return Bidding


def test_bidding_state_machine(db_session):
    machine = make_machine(db_session)
    machine.TestCase.settings = settings(max_examples=20, stateful_step_count=12, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
    machine.TestCase().runTest()
