"""Award exactly once, even when awards race in separate transactions (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlmodel import select

from marketplace import create_app
from marketplace.accounts.models import Organisation, User
from marketplace.bids import services
from marketplace.bids.models import Bid, BidState
from marketplace.core.errors import Conflict
from marketplace.core.types import travel
from marketplace.database import session_scope
from marketplace.problems.models import Problem
from tests.conftest import app_settings
from tests.factories import Factory


@pytest.fixture
def committed(database_url, tmp_path):
    """An app whose sessions really commit (each thread gets its own connection); cleaned up afterwards."""
    app = create_app(app_settings(database_url, tmp_path))
    created: list[int] = []
    with app.app_context(), session_scope(app) as session:
        factory = Factory(session)
        problem = factory.problem(state="bidding")
        owner = session.get(User, problem.created_by_id)
        bids = [factory.bid(problem) for _ in range(4)]
        data = {"problem_id": problem.id, "owner_id": owner.id, "bid_ids": [b.id for b in bids]}
        created = [problem.organisation_id] + [b.vendor_id for b in bids]
    yield app, data
    with app.app_context(), session_scope(app) as session:
        session.exec(delete(Organisation).where(Organisation.id.in_(created)))
    app.extensions["axbridge_db"].engine.dispose()


def race(app, data, bid_ids) -> list[str]:
    results: list[str] = []
    barrier = threading.Barrier(len(bid_ids))

    def award(bid_id):
        with app.app_context():
            barrier.wait()
            try:
                with session_scope(app) as session:
                    owner = session.get(User, data["owner_id"])
                    bid = session.get(Bid, bid_id)
                    services.award_bid(session, user=owner, bid=bid, reason="동점 입찰 중 선택")
                results.append("awarded")
            except Conflict:
                results.append("conflict")

    threads = [threading.Thread(target=award, args=(bid_id,)) for bid_id in bid_ids]
    with travel(timedelta(days=8)):
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    return results


def test_racing_awards_of_different_bids_award_exactly_one(committed):
    app, data = committed
    results = race(app, data, data["bid_ids"])
    assert sorted(results) == ["awarded", "conflict", "conflict", "conflict"]
    with app.app_context(), session_scope(app) as session:
        states = session.exec(select(Bid.state).where(Bid.problem_id == data["problem_id"])).all()
        assert states.count(BidState.AWARDED) == 1
        assert session.get(Problem, data["problem_id"]).state == "awarded"


def test_the_same_award_repeated_in_parallel_changes_nothing(committed):
    app, data = committed
    results = race(app, data, [data["bid_ids"][0]] * 3)
    assert results == ["awarded"] * 3
    with app.app_context(), session_scope(app) as session:
        states = session.exec(select(Bid.state).where(Bid.problem_id == data["problem_id"])).all()
        assert states.count(BidState.AWARDED) == 1
