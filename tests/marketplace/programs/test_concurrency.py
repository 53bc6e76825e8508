"""Approvals that race never exceed the budget.

Each thread has its own connection and session on the test database (not the rolled-back test
transaction), as concurrent requests would. The rows are real commits, deleted afterwards.
"""

from __future__ import annotations

import threading

from sqlalchemy import delete
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from marketplace import create_app
from marketplace.accounts.models import Organisation, User
from marketplace.bids.models import Bid
from marketplace.core.errors import Conflict
from marketplace.database import make_engine
from marketplace.programs import services
from marketplace.programs.models import Program, Subsidy, SubsidyStatus
from marketplace.programs.schemas import ProgramCreate
from tests.factories import Factory
from tests.marketplace.programs.conftest import ProgramKit, program_data

THREADS = 8
BUDGET = 100_000_000
PRICE = 50_000_000      # ratio 0.5 → 25,000,000 each; 8 × 25M = 200M asks for twice the budget


def test_racing_approvals_stay_within_the_budget(database_url, app_config):
    engine = make_engine(database_url, pool_size=THREADS + 2) if not database_url.startswith("sqlite") \
        else make_engine(database_url)
    app = create_app(app_config)  # its own engine on the test database, outside the test transaction
    maker = sessionmaker(bind=engine, class_=Session, expire_on_commit=False)
    org_ids: list[int] = []
    try:
        with app.test_request_context():
            with maker() as session:
                factory = Factory(session)
                agency = factory.agency()
                officer = factory.user(agency)
                org_ids.append(agency.id)
                program = services.create_program(session, officer=officer, data=ProgramCreate(**program_data(
                    total_budget_krw=BUDGET, cap_per_project_krw=BUDGET, subsidy_ratio="0.5",
                    min_own_share_ratio="0.5")))
                session.commit()
                kit = ProgramKit(session, factory)
                subsidy_ids = []
                for _ in range(THREADS):
                    owner = kit.sme_user()
                    org_ids.append(owner.organisation_id)
                    subsidy = kit.subsidy(program, price=PRICE, owner=owner)
                    org_ids.append(session.get(Bid, subsidy.bid_id).vendor_id)
                    subsidy_ids.append(subsidy.id)
                officer_id, program_id = officer.id, program.id

        barrier = threading.Barrier(THREADS)
        outcomes: dict[int, str] = {}

        def approve(subsidy_id: int) -> None:
            with app.test_request_context(), maker() as session:
                barrier.wait()
                try:
                    services.approve_subsidy(session, officer=session.get(User, officer_id),
                                             subsidy=session.get(Subsidy, subsidy_id))
                    session.commit()
                    outcomes[subsidy_id] = "approved"
                except Conflict:
                    session.rollback()
                    outcomes[subsidy_id] = "conflict"
                except Exception as exc:  # noqa: BLE001 - reported below
                    session.rollback()
                    outcomes[subsidy_id] = f"error: {exc!r}"

        threads = [threading.Thread(target=approve, args=(sid,)) for sid in subsidy_ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)

        assert sorted(outcomes.values()) == ["approved"] * 4 + ["conflict"] * 4, outcomes
        with app.test_request_context(), maker() as session:
            program = session.get(Program, program_id)
            budget = services.budget_of(session, program)
            assert budget.reserved == BUDGET and budget.left == 0
            approved = [s for s in (session.get(Subsidy, i) for i in subsidy_ids) if s.status == SubsidyStatus.APPROVED]
            assert len(approved) == 4
    finally:
        with engine.begin() as conn:
            conn.execute(delete(Organisation).where(Organisation.id.in_(org_ids)))
        engine.dispose()
        app.extensions["axbridge_db"].engine.dispose()  # jobs run after commit used the app's own pool
