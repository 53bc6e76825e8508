"""Brokering, batch matching, the dashboard and the CSV export on realistic data."""

import csv
import io
from datetime import timedelta

import pytest

from marketplace.core.errors import NotAllowed, ValidationFailed
from marketplace.discovery import services as discovery
from marketplace.programs import services

BAKERY = dict(title="내일 구울 빵 수량 예측으로 폐기 줄이기")
VISION = dict(title="프레스 부품 치수 불량 비전 검사 자동화", process="프레스 검사", industry="C30",
              problem_types=["visual_inspection"],
              description=("프레스로 찍어 낸 브래킷의 구멍 위치와 치수를 사람이 캘리퍼로 샘플 검사하고 있어 불량이 고객사까지 "
                           "넘어갑니다. 라인 끝에 카메라를 달아 전수 검사로 치수 불량을 잡아내고 싶습니다."),
              budget_min_krw=60_000_000, budget_max_krw=120_000_000)


def vision_offering(kit, vendor, **kw):
    return kit.factory.offering(vendor, title="정밀 치수 비전 검사", capabilities=["visual_inspection"],
                                industries=["C30", "C29"], deployment_modes=["edge", "on_premises"],
                                description="카메라와 엣지 장비로 프레스·가공 부품의 치수와 외관 불량을 전수 검사합니다.",
                                price_min_krw=50_000_000, price_max_krw=130_000_000, **kw)


def test_officers_recommend_vendors_once_and_the_sme_sees_who_recommended(kit, factory):
    officer = kit.officer()
    program = kit.program(officer)
    problem = kit.applied_problem(program)
    vendor = factory.vendor()
    factory.offering(vendor)
    [rec] = services.recommend_vendors(kit.session, officer=officer, program=program, problem=problem,
                                       vendor_ids=[vendor.id])
    assert rec.offering_id is not None
    assert services.recommend_vendors(kit.session, officer=officer, program=program, problem=problem,
                                      vendor_ids=[vendor.id]) == []
    agency = services.organisation_of(kit.session, officer)
    assert discovery.recommended_by(kit.session, problem) == {vendor.id: agency.name_ko}
    with pytest.raises(ValidationFailed):  # an SME is not a vendor
        services.recommend_vendors(kit.session, officer=officer, program=program, problem=problem,
                                   vendor_ids=[problem.organisation_id])
    with pytest.raises(NotAllowed):
        services.recommend_vendors(kit.session, officer=kit.officer(), program=program, problem=problem,
                                   vendor_ids=[vendor.id])


def test_the_broker_view_ranks_vendors_for_each_entered_problem(kit, factory):
    officer = kit.officer()
    program = kit.program(officer)
    bakery = kit.applied_problem(program)
    vision = kit.applied_problem(program, kit.sme_user(region="ulsan", industry="C30"), **VISION)
    forecaster, inspector = factory.vendor(), factory.vendor()
    factory.offering(forecaster)
    vision_offering(kit, inspector)
    rows = {row.problem.id: row for row in services.broker_view(kit.session, program)}
    assert rows[bakery.id].ranked[0].vendor.id == forecaster.id
    assert rows[vision.id].ranked[0].vendor.id == inspector.id


def test_batch_matching_respects_capacity_and_the_minimum_non_capital_share(kit, factory):
    officer = kit.officer()
    program = kit.program(officer)
    # Three bakeries in Seoul fit the forecaster a little better (budget inside its price range) than three
    # outside the capital region whose budgets are too small; the forecaster has room for three.
    capital = [kit.applied_problem(program, kit.sme_user(region="seoul")) for _ in range(3)]
    regional = [kit.applied_problem(program, kit.sme_user(region=r), budget_min_krw=3_000_000,
                                    budget_max_krw=6_000_000) for r in ("busan", "jeonnam", "gangwon")]
    vendor = factory.vendor()
    factory.offering(vendor, capacity=2)
    factory.offering(vendor, title="식품 제조 수요 예측과 재고 최적화", capacity=1)

    free = services.batch_match(kit.session, officer=officer, program=program)
    assert free.problem_count == 6 and free.capacities == {vendor.id: 3}
    assert len(free.pairs) == 3
    assert {p.problem.id for p in free.pairs} == {p.id for p in capital}
    assert free.non_capital_share == 0.0

    fair = services.batch_match(kit.session, officer=officer, program=program, min_non_capital_share=0.6)
    assert len(fair.pairs) == 3 and fair.min_share_met
    assert fair.non_capital_share >= 0.6
    assert sum(not p.capital for p in fair.pairs) >= 2
    assert {p.problem.id for p in fair.pairs} & {p.id for p in regional}
    assert fair.objective <= free.objective + 1e-9
    assert free.objective >= free.greedy_objective - 1e-9

    created = services.publish_matches(kit.session, officer=officer, program=program,
                                       pairs=[(p.problem.id, p.vendor.id) for p in fair.pairs])
    assert len(created) == 3 and all(r.vendor_id == vendor.id for r in created)


def test_the_dashboard_numbers_add_up(kit, factory):
    officer = kit.officer()
    program = kit.program(officer, total_budget_krw=500_000_000)
    seoul = kit.applied_problem(program, kit.sme_user(region="seoul"))
    busan = kit.applied_problem(program, kit.sme_user(region="busan"))
    ulsan = kit.applied_problem(program, kit.sme_user(region="ulsan", industry="C30"), **VISION)
    vendor = factory.vendor()
    factory.offering(vendor)
    for problem in (seoul, busan):
        services.recommend_vendors(kit.session, officer=officer, program=program, problem=problem,
                                   vendor_ids=[vendor.id])
    bid = kit.awarded_bid(busan, vendor=vendor, price=50_000_000,
                          decided_at=busan.published_at + timedelta(days=12))
    kit.awarded_bid(ulsan, price=100_000_000, decided_at=ulsan.published_at + timedelta(days=20))
    subsidy = services.request_subsidy(kit.session, program=program, problem=busan, bid=bid)
    services.approve_subsidy(kit.session, officer=officer, subsidy=subsidy)

    data = services.program_dashboard(kit.session, program)
    totals = data["totals"]
    assert (totals["applications"], totals["recommendations"], totals["awards"]) == (3, 2, 2)
    for key in ("applications", "recommendations", "awards"):
        assert sum(r[key] for r in data["by_region"]) == totals[key]
        assert sum(r[key] for r in data["by_industry"]) == totals[key]
        assert data["capital_region"]["capital"][key] + data["capital_region"]["non_capital"][key] == totals[key]
    assert data["capital_region"]["capital"] == {"applications": 1, "recommendations": 1, "awards": 0}
    budget = data["budget"]
    assert budget["reserved_krw"] == 40_000_000
    assert budget["left_krw"] == budget["total_krw"] - budget["reserved_krw"] - budget["committed_krw"]
    assert data["median_days_to_award"] == 16.0
    assert data["completion_rate"] == 0.0


def test_csv_export_opens_in_excel_and_defuses_formulas(kit):
    program = kit.program()
    kit.applied_problem(program, title="=HYPERLINK(\"http://evil.example\",\"클릭\")")
    kit.applied_problem(program, kit.sme_user(region="seoul", name_ko="@한빛 베이커리"))
    body = services.export_csv(kit.session, program)
    assert body.startswith("\ufeff")
    assert "\r\n" in body and "\n" not in body.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(body[1:], newline="")))
    assert len(rows) == 3
    titles = [r[1] for r in rows[1:]]
    companies = [r[2] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://evil.example\",\"클릭\")" in titles
    assert any(c.startswith("'@한빛") for c in companies)
    assert services.csv_cell(-5) == -5 and services.csv_cell("+82") == "'+82" and services.csv_cell("정상") == "정상"
