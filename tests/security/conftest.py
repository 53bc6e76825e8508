"""A small world for the security tests: two organisations of each kind and objects owned by one of them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from marketplace.accounts.models import User
from tests.helpers import api_token
from tests.marketplace.agreements.conftest import AgreementKit, fast_pdf  # noqa: F401
from tests.marketplace.programs.conftest import ProgramKit


@dataclass
class World:
    owner: User
    other_sme: User
    vendor: User
    other_vendor: User
    officer: User
    other_officer: User
    admin: User
    draft: object
    bidding: object
    bid: object
    agreement: object
    program: object
    application_problem: object
    subsidy: object


@pytest.fixture
def world(db_session, factory, fast_pdf):  # noqa: F811
    agreements = AgreementKit(db_session, factory)
    programs = ProgramKit(db_session, factory)
    agreement, owner, vendor = agreements.signed()
    draft = factory.problem(owner, state="draft", title="아직 공개하지 않은 초안 과제")
    bidding = factory.problem(owner, state="bidding", title="입찰 중인 과제")
    bid = factory.bid(bidding, vendor, price_krw=33_000_000)
    officer = programs.officer()
    program = programs.program(officer)
    application_problem = programs.applied_problem(program, owner)
    subsidy = programs.subsidy(program)
    return World(owner=owner, other_sme=factory.user(factory.sme()), vendor=vendor,
                 other_vendor=factory.user(factory.vendor()), officer=officer, other_officer=programs.officer(),
                 admin=factory.admin(), draft=draft, bidding=bidding, bid=bid, agreement=agreement,
                 program=program, application_problem=application_problem, subsidy=subsidy)


@pytest.fixture
def tokens(client, world):
    return {name: api_token(client, getattr(world, name))
            for name in ("owner", "other_sme", "vendor", "other_vendor", "officer", "other_officer", "admin")}
