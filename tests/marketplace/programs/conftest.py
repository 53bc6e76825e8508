"""Helpers for the program tests: an agency with an officer, a program in one line, awarded bids."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.bids.models import Bid, BidState
from marketplace.core.types import utcnow
from marketplace.programs import services
from marketplace.programs.schemas import ProgramCreate


def program_data(**overrides) -> dict:
    today = (utcnow() + timedelta(hours=9)).date()
    data = dict(name_ko="AI 도입 바우처", name_en="AI Adoption Voucher", description_ko="AI 솔루션 도입 지원",
                description_en="Support for adopting AI", total_budget_krw=1_000_000_000, subsidy_ratio="0.80",
                cap_per_project_krw=200_000_000, min_own_share_ratio="0.20", max_employees=300,
                max_revenue_krw=150_000_000_000, regions=[], industries=[], problem_types=[],
                exclude_previously_subsidised=False, opens_on=today - timedelta(days=10),
                closes_on=today + timedelta(days=30), status="open")
    data.update(overrides)
    return data


class ProgramKit:
    def __init__(self, session, factory):
        self.session, self.factory = session, factory

    def officer(self, agency=None):
        return self.factory.user(agency or self.factory.agency())

    def program(self, officer=None, **overrides):
        officer = officer or self.officer()
        program = services.create_program(self.session, officer=officer,
                                          data=ProgramCreate(**program_data(**overrides)))
        self.session.commit()
        return program

    def sme_user(self, **org):
        org.setdefault("region", "busan")
        org.setdefault("industry", "C10")
        return self.factory.user(self.factory.sme(**org))

    def applied_problem(self, program, owner=None, *, state="enquiries", **overrides):
        owner = owner or self.sme_user()
        problem = self.factory.problem(owner, state=state, **overrides)
        services.apply_to_program(self.session, user=owner, program=program, problem=problem)
        self.session.commit()
        return problem

    def awarded_bid(self, problem, *, vendor=None, price=100_000_000, decided_at=None):
        from marketplace.problems import services as problems

        vendor = vendor or self.factory.vendor()
        kpis = problems.list_kpis(self.session, problem)
        bid = Bid(problem_id=problem.id, vendor_id=vendor.id, price_krw=price, duration_weeks=10,
                  state=BidState.AWARDED, decided_at=decided_at or utcnow(), submitted_at=utcnow(),
                  approach="POS 판매 기록으로 품목별 수요를 예측해 매일 생산 수량을 안내합니다.",
                  milestones=[{"name": "데이터 연동", "deliverable": "연동 모듈", "week": 4, "payment_percent": 40},
                              {"name": "운영 전환", "deliverable": "예측 서비스", "week": 10, "payment_percent": 60}],
                  kpi_commitments=[{"kpi_id": k.id, "name": k.name, "unit": k.unit, "value": str(k.target)}
                                   for k in kpis])
        self.session.add(bid)
        self.session.commit()
        return bid

    def subsidy(self, program, *, price=100_000_000, owner=None):
        problem = self.applied_problem(program, owner)
        bid = self.awarded_bid(problem, price=price)
        subsidy = services.request_subsidy(self.session, program=program, problem=problem, bid=bid)
        self.session.commit()
        return subsidy


@pytest.fixture
def kit(db_session, factory) -> ProgramKit:
    return ProgramKit(db_session, factory)
