"""Realistic objects in one line: ``factory.sme()``, ``factory.user(org)``.

Factories go through the services (so the same rules apply) and commit, which inside a test is a
savepoint of the test's rolled-back transaction.
"""

from __future__ import annotations

import itertools
import re

from domain.brn import check_digit
from marketplace.accounts import services as accounts
from marketplace.accounts.models import MemberRole, Organisation, User
from marketplace.accounts.schemas import OrganisationProfile, UserCreate

PASSWORD = "correct-horse-battery"

_counter = itertools.count(1)

_NAMES = {
    "sme": [("한빛베이커리", "Hanbit Bakery", "C10", "busan"), ("대성염색", "Daesung Dyeing", "C13", "daegu"),
            ("동아레미콘", "Donga Ready-Mix", "C23", "chungbuk"), ("정밀오토텍", "Jeongmil Autotech", "C30", "ulsan")],
    "vendor": [("비전에이아이랩", "Vision AI Lab", "J62", "seoul"), ("예측솔루션즈", "Forecast Solutions", "J62", "gyeonggi")],
    "agency": [("한국AI진흥원", "Korea AI Promotion Agency", "O84", "sejong")],
    "cooperative": [("경남기계부품협동조합", "Gyeongnam Machine Parts Cooperative", "S94", "gyeongnam")],
}


def brn(n: int) -> str:
    """A valid business registration number derived from ``n``."""
    first = f"{101 + n % 899:03d}{1 + (80 + n) % 99:02d}{1 + n % 9999:04d}"  # no part is zero (stdnum)
    return first + str(check_digit(first))


class Factory:
    def __init__(self, session):
        self.session = session

    def organisation(self, kind: str = "sme", *, verified: bool = True, **overrides) -> Organisation:
        """A registered organisation, verified by the platform unless ``verified=False`` (as the demo world's)."""
        n = next(_counter)
        name_ko, name_en, industry, region = _NAMES[kind][n % len(_NAMES[kind])]
        data = dict(kind=kind, name_ko=f"{name_ko} {n}", name_en=f"{name_en} {n}", brn=brn(n), region=region,
                    industry=industry, employees=45, annual_revenue_krw=8_500_000_000)
        data.update(overrides)
        org = accounts.register_organisation(self.session, OrganisationProfile(**data))
        if verified:
            from marketplace.core.types import utcnow

            org.verified_at = utcnow()
            self.session.add(org)
        self.session.commit()
        return org

    def sme(self, **kw) -> Organisation:
        return self.organisation("sme", **kw)

    def vendor(self, **kw) -> Organisation:
        return self.organisation("vendor", **kw)

    def agency(self, **kw) -> Organisation:
        return self.organisation("agency", **kw)

    def user(self, organisation: Organisation | None = None, *, role: str = "owner", email: str | None = None,
             password: str = PASSWORD, is_admin: bool = False, locale: str = "ko", name: str = "김민수") -> User:
        if organisation is None and not is_admin:
            organisation = self.sme()
        n = next(_counter)
        slug = re.sub(r"[^a-z0-9]+", "-", (organisation.name_en if organisation else "admin").lower()).strip("-")
        account = UserCreate(email=email or f"user{n}@{slug}.example", name=name, password=password, locale=locale)
        user = accounts.create_user(self.session, account, organisation=organisation, role=MemberRole(role),
                                    is_admin=is_admin)
        self.session.commit()
        return user

    def admin(self) -> User:
        return self.user(None, is_admin=True, role="member", name="관리자")

    def problem(self, owner: User | None = None, *, state: str = "draft", **overrides):
        """A well-defined bakery demand-forecasting problem; ``state`` drafts, publishes or opens bidding."""
        from datetime import timedelta

        from marketplace.core.types import utcnow
        from marketplace.problems import services as problems
        from marketplace.problems.schemas import ProblemCreate

        owner = owner or self.user(self.sme(region="seoul", industry="C10"))
        data = dict(
            title="내일 구울 빵 수량 예측으로 폐기 줄이기",
            description=("매장 3곳에 매일 새벽 40여 종의 빵을 구워 보내는데, 감으로 수량을 정해 평일 폐기율이 15% "
                         "안팎입니다. POS에 3년치 판매 기록이 있으니 다음 날 품목별 생산 수량을 알려 주는 서비스를 원합니다. "
                         "직원이 적어 스마트폰으로 바로 볼 수 있어야 하고 유지비가 적게 들어야 합니다."),
            process="제빵 생산계획", industry="C10", problem_types=["demand_forecasting"],
            kpis=[{"name": "당일 폐기율", "unit": "%", "baseline": "15.2", "target": "7.0", "direction": "lower"}],
            data_assets=[{"kind": "POS 판매 기록", "description": "매장별·품목별", "volume": "41만 행",
                          "period_months": 36, "labelled": False}],
            systems=["pos", "spreadsheet"], budget_min_krw=20_000_000, budget_max_krw=35_000_000,
            wanted_by=(utcnow().date() + timedelta(days=90)).isoformat(),
            weights={"quality": 15, "throughput": 0, "cost": 30, "delivery_speed": 25, "explainability": 10,
                     "data_privacy": 0, "maintenance": 20},
        )
        data.update(overrides)
        problem = problems.create_problem(self.session, user=owner, draft=ProblemCreate.model_validate(data))
        if state in ("enquiries", "bidding"):
            problems.publish_problem(self.session, user=owner, problem=problem)
        if state == "bidding":
            problems.open_bidding(self.session, user=owner, problem=problem, deadline=utcnow() + timedelta(days=7))
        self.session.commit()
        return problem

    def offering(self, vendor: Organisation | None = None, **overrides):
        """A cloud demand-forecasting offering; override any field."""
        from marketplace.offerings import services as offerings
        from marketplace.offerings.schemas import OfferingCreate

        vendor = vendor or self.vendor()
        data = dict(
            title="소상공인·식품 제조 수요 예측 SaaS",
            description="POS 판매 기록과 날씨·요일 데이터로 내일 품목별 판매량을 예측합니다. 스마트폰 앱으로 생산 수량을 안내합니다.",
            capabilities=["demand_forecasting"], industries=["C10"], regions_served=[],
            deployment_modes=["cloud"], price_min_krw=15_000_000, price_max_krw=40_000_000, typical_weeks=8,
            profile={"quality": 0.7, "throughput": 0.5, "cost": 0.9, "delivery_speed": 0.9, "explainability": 0.6,
                     "data_privacy": 0.5, "maintenance": 0.8},
            capacity=3, references=[], completed_projects=12,
        )
        data.update(overrides)
        offering = offerings.create_offering(self.session, vendor=vendor, data=OfferingCreate(**data))
        self.session.commit()
        return offering

    def bid(self, problem, vendor_user: User | None = None, *, submit: bool = True, **overrides):
        """A complete bid meeting every KPI target; ``submit=False`` keeps a draft."""
        from marketplace.bids import services as bids
        from marketplace.bids.schemas import BidDraft
        from marketplace.core.forms import parse_form
        from marketplace.problems import services as problems

        vendor_user = vendor_user or self.user(self.vendor())
        kpis = problems.list_kpis(self.session, problem)
        data = dict(
            price_krw=30_000_000, duration_weeks=10,
            approach="POS 판매 기록과 날씨 데이터로 품목별 수요를 예측하고, 매일 저녁 8시 전에 생산 수량을 앱으로 안내합니다.",
            team="데이터 과학자 2명, 현장 컨설턴트 1명",
            milestones=[{"name": "데이터 연동", "deliverable": "POS 연동", "week": 3, "payment_percent": 30},
                        {"name": "예측 모델", "deliverable": "모델과 검증 보고서", "week": 7, "payment_percent": 40},
                        {"name": "운영 전환", "deliverable": "앱과 교육", "week": 10, "payment_percent": 30}],
            kpi_commitments=[{"kpi_id": k.id, "value": str(k.target)} for k in kpis],
            maintenance_yearly_krw=3_000_000, maintenance_years=2, service_level="평일 4시간 내 대응",
        )
        data.update(overrides)
        draft = parse_form(BidDraft, {**data, "submit": submit})  # bad data: ValidationFailed, as on the page
        bid = bids.create_bid(self.session, user=vendor_user, problem=problem, draft=draft)
        self.session.commit()
        return bid
