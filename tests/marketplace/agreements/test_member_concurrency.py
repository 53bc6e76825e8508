"""The last two member SMEs sign at the same moment, in separate transactions (SQLite and PostgreSQL).

Signing locks the agreement row, so the second signer sees the first one's signature: both
signatures count, and the signing is completed (final PDFs rendered and stored) exactly once.
The completion itself is replaced by a spy here: a signed version can never be deleted again
(database triggers), and this test's rows must go when it ends.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func
from sqlmodel import select

from marketplace import create_app
from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organisation, User
from marketplace.agreements import services
from marketplace.agreements.services import signing
from marketplace.agreements.models import Agreement
from marketplace.audit.models import AuditEntry
from marketplace.bids import services as bids
from marketplace.core.types import travel
from marketplace.database import session_scope
from marketplace.notifications.models import OutboxEmail
from tests.conftest import app_settings
from tests.factories import PASSWORD, Factory


@pytest.fixture
def committed(database_url, tmp_path, monkeypatch):
    """A joint agreement signed by the cooperative and the vendor, really committed; removed afterwards."""
    completions: list[list[int]] = []

    def complete(session, agreement, version, problem, signatures):
        completions.append(sorted(s.organisation_id for s in signatures))

    monkeypatch.setattr(signing, "_complete_signing", complete)
    app = create_app(app_settings(database_url, tmp_path))
    with app.app_context(), session_scope(app) as session:
        last_audit = session.exec(select(func.max(AuditEntry.seq))).one() or 0
        last_email = session.exec(select(func.max(OutboxEmail.id))).one() or 0
        factory = Factory(session)
        coop = factory.organisation("cooperative")
        members = [factory.sme(), factory.sme()]
        for member in members:
            accounts.add_cooperative_member(session, cooperative=coop, member=member)
        member_owners = [factory.user(m) for m in members]
        coop_owner = factory.user(coop)
        problem = factory.problem(coop_owner, state="bidding")
        vendor_owner = factory.user(factory.vendor())
        bid = factory.bid(problem, vendor_owner)
        with travel(timedelta(days=8)):
            bids.award_bid(session, user=coop_owner, bid=bid)
        agreement = services.agreement_for_problem(session, problem)
        for user in (coop_owner, vendor_owner):
            services.sign_agreement(session, user=user, agreement=agreement, password=PASSWORD,
                                    ip_address="203.0.113.9", user_agent="pytest")
        data = {"agreement_id": agreement.id, "member_owner_ids": [u.id for u in member_owners],
                "parties": sorted(services.party_ids(session, agreement))}
        created = [coop.id, *[m.id for m in members], vendor_owner.organisation_id]
    yield app, data, completions
    with app.app_context(), session_scope(app) as session:
        session.exec(delete(Organisation).where(Organisation.id.in_(created)))
        session.exec(delete(AuditEntry).where(AuditEntry.seq > last_audit))  # only this test's tail
        session.exec(delete(OutboxEmail).where(OutboxEmail.id > last_email))
    app.extensions["axbridge_db"].engine.dispose()


def test_the_last_two_members_signing_at_once_both_count_and_signing_completes_once(committed):
    app, data, completions = committed
    barrier = threading.Barrier(2)
    results: list[str] = []

    def sign(user_id):
        with app.app_context():
            barrier.wait()
            try:
                with session_scope(app) as session:
                    agreement = session.get(Agreement, data["agreement_id"])
                    services.sign_agreement(session, user=session.get(User, user_id), agreement=agreement,
                                            password=PASSWORD, ip_address="198.51.100.7", user_agent="pytest")
                results.append("signed")
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                results.append(repr(exc))

    threads = [threading.Thread(target=sign, args=(user_id,)) for user_id in data["member_owner_ids"]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == ["signed", "signed"]
    assert completions == [data["parties"]]  # once, with the client, both members and the vendor
    with app.app_context(), session_scope(app) as session:
        version = services.get_version(session, session.get(Agreement, data["agreement_id"]))
        assert sorted(s.organisation_id for s in services.list_signatures(session, version)) == data["parties"]
