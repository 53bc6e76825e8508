"""Helpers for the agreement tests: an awarded problem in one line, signing, and a fast PDF stand-in."""

from __future__ import annotations

from datetime import timedelta

import pytest

import contracts
from marketplace.accounts.models import User
from marketplace.agreements import services
from marketplace.bids import services as bids
from marketplace.core.types import travel
from tests.factories import PASSWORD


@pytest.fixture
def fast_pdf(monkeypatch):
    """Replace rendering (0.5–1 s a PDF) by distinct fake PDF bytes where the PDF content does not matter."""
    def render(terms, lang="ko", **_kw):
        return b"%PDF-1.7\n% fake for tests\n" + contracts.terms_to_json(terms) + lang.encode()

    monkeypatch.setattr(contracts, "render_pdf", render)
    return render


class AgreementKit:
    def __init__(self, session, factory):
        self.session, self.factory = session, factory

    def awarded(self, *, owner=None, vendor_user=None, problem=None, **problem_overrides):
        """(problem, bid, sme owner, vendor owner): a bakery problem awarded to a vendor with an offering."""
        problem = problem or self.factory.problem(owner, state="bidding", **problem_overrides)
        owner = self.session.get(User, problem.created_by_id)
        vendor_user = vendor_user or self.factory.user(self.factory.vendor(), name="박공급")
        offering = self.factory.offering(_org(self.session, vendor_user))
        bid = self.factory.bid(problem, vendor_user, offering_id=offering.id)
        with travel(timedelta(days=8)):
            bids.award_bid(self.session, user=owner, bid=bid)
            self.session.commit()
        return problem, bid, owner, vendor_user

    def agreement(self, **kw):
        problem, bid, owner, vendor_user = self.awarded(**kw)
        agreement = services.agreement_for_problem(self.session, problem)
        return agreement, owner, vendor_user

    def sign(self, agreement, user, password=PASSWORD, ip="203.0.113.9"):
        sig = services.sign_agreement(self.session, user=user, agreement=agreement, password=password,
                                      ip_address=ip, user_agent="pytest")
        self.session.commit()
        return sig

    def signed(self, **kw):
        agreement, owner, vendor_user = self.agreement(**kw)
        self.sign(agreement, owner)
        self.sign(agreement, vendor_user)
        return agreement, owner, vendor_user


def _org(session, user):
    from marketplace.accounts.models import Organisation

    return session.get(Organisation, user.organisation_id)


@pytest.fixture
def kit(db_session, factory) -> AgreementKit:
    return AgreementKit(db_session, factory)
