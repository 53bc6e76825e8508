"""Declared problem types and capabilities take precedence over types the text merely mentions."""

import json

import pytest

from matching import MatchIndex, MatchingError, OfferingRecord, ProblemRecord, ScoringConfig, Weights
from matching.scoring import offering_type_hits, problem_type_hits

# Copied from seed/data/problems.json ("daeyoung-metal-production-scheduling") and
# seed/data/offerings.json, as marketplace/discovery/services.py converts them.
SHEET_METAL = ProblemRecord(
    id=11,
    title="다품종 소량 판금·용접 생산 일정 자동 편성",
    description=(
        "매달 600개가 넘는 품목을 소량으로 받아 프레스 9대, 레이저 절단기 3대, 용접 셀 12개에서 만듭니다. "
        "생산계획 담당자 한 명이 엑셀로 일정을 짜는데 급한 주문이 끼어들 때마다 다시 짜야 하고, 납기 준수율이 "
        "82%에 머물러 있습니다. 금형 교체가 하루 평균 14회로 셋업 시간도 많이 듭니다. ERP 수주 데이터와 MES "
        "작업 실적을 연결해 설비·금형 제약을 반영한 일정을 자동으로 짜 주고, 라인 가동률을 높이는 것이 목표입니다."
    ),
    problem_types=("scheduling",),
    industry="C25",
    region="gyeongbuk",
    budget_min=80_000_000,
    budget_max=150_000_000,
    on_premises_required=False,
    data_available=("tabular", "tabular", "tabular"),
    existing_systems=("erp", "mes", "spreadsheet"),
    weights=Weights.from_mapping({"quality": 10, "throughput": 30, "cost": 15, "delivery_speed": 15,
                                  "explainability": 5, "data_privacy": 5, "maintenance": 20}),
)

FOOD_FORECAST = OfferingRecord(
    id=6,
    title="식품 제조 수요예측·재고 최적화",
    description=(
        "B2B 주문, 온라인몰 판매, 계절·관광 수요를 함께 학습해 품목별 주간 생산계획과 원재료·완제품 적정 재고를 "
        "제안합니다. 유통기한이 짧은 식품의 특성을 반영해 폐기 비용과 결품 비용의 균형을 맞추며, ERP나 엑셀 발주 "
        "파일과 연동합니다."
    ),
    capabilities=("demand_forecasting", "inventory_optimization"),
    industries=("C10", "C20", "C22", "C25"),
    regions_served=(),
    deployment_modes=("cloud", "hybrid"),
    price_min=30_000_000,
    price_max=90_000_000,
    duration_weeks=10,
    profile={"quality": 0.82, "throughput": 0.5, "cost": 0.85, "delivery_speed": 0.78, "explainability": 0.8,
             "data_privacy": 0.5, "maintenance": 0.88},
    completed_projects=12,
    mean_review=4.4,
    capacity=3,
)

APS = OfferingRecord(
    id=7,
    title="MES 연계 AI 생산 스케줄링(APS)·재고 최적화",
    description=(
        "ERP 수주와 MES 실적을 실시간으로 받아 설비·금형·작업자 제약을 반영한 생산 일정을 자동 편성합니다. "
        "강화학습 기반 순서 최적화로 셋업 시간을 줄이고 납기 위험 주문을 미리 알려 주며, 자재 소요와 안전재고도 "
        "함께 계산합니다. 국내 주요 ERP·MES와 표준 연동 모듈을 갖추고 있고, 전국 8개 거점에서 유지보수를 제공합니다."
    ),
    capabilities=("scheduling", "inventory_optimization", "process_optimization"),
    industries=("C25", "C29", "C30", "C22", "C26", "C28"),
    regions_served=(),
    deployment_modes=("on_premises", "hybrid"),
    price_min=120_000_000,
    price_max=400_000_000,
    duration_weeks=24,
    profile={"quality": 0.72, "throughput": 0.92, "cost": 0.35, "delivery_speed": 0.65, "explainability": 0.55,
             "data_privacy": 0.8, "maintenance": 0.92},
    completed_projects=48,
    mean_review=4.2,
    capacity=2,
)


def _reason(match, code):
    return [r for r in match.reasons if r.code == code]


def test_declared_scheduling_offering_beats_one_that_only_mentions_production_planning():
    index = MatchIndex.build([FOOD_FORECAST, APS], [SHEET_METAL])
    ranked = index.rank_offerings(SHEET_METAL, top=2)
    assert [m.id for m in ranked] == [APS.id, FOOD_FORECAST.id]
    aps, food = ranked
    assert aps.contributions["taxonomy"] > food.contributions["taxonomy"]
    assert [r.params["codes"] for r in _reason(aps, "problem_type_match")] == [["scheduling"]]
    assert _reason(aps, "problem_type_match")[0].text("ko") == "등록 역량 일치: 생산 계획·스케줄링"
    # The food offering declares neither scheduling nor quality prediction: no reason may say it does.
    assert not _reason(food, "problem_type_match")
    for r in food.reasons:
        assert "문제 유형 일치" not in r.text("ko") and "Covers your problem type" not in r.text("en")
        assert "quality_prediction" not in json.dumps(r.params)
    # It may say, as such, that its description mentions production planning.
    mention = _reason(food, "problem_type_mentioned")
    assert mention and mention[0].params["codes"] == ["scheduling"] and mention[0].params["terms"] == ["생산계획"]
    assert "등록 역량은 아님" in mention[0].text("ko")
    assert "not as a declared capability" in mention[0].text("en")
    # The problem's text mentions 수율 (quality prediction) but it declares only scheduling.
    assert set(problem_type_hits(SHEET_METAL).types) == {"scheduling"}
    assert set(offering_type_hits(FOOD_FORECAST).types) == {"demand_forecasting", "inventory_optimization"}


def _offering(oid, capabilities, description="스마트공장 데이터 분석 서비스"):
    return OfferingRecord(oid, "데이터 분석", description, capabilities=capabilities, industries=("C25",))


def test_declared_exact_match_never_scores_below_a_text_mention():
    problem = ProblemRecord("p", "생산 일정", "공장 일정 관리", problem_types=("scheduling",), industry="C25")
    declared = _offering("declared", ("scheduling",))
    mention = _offering("mention", ("demand_forecasting",), "수요예측과 생산계획, 생산 스케줄링 제안")
    for type_mention in (0.0, 0.25, 1.0):
        index = MatchIndex.build([declared, mention], [problem], config=ScoringConfig(type_mention=type_mention))
        by_id = {m.id: m for m in index.rank_offerings(problem, top=2)}
        assert by_id["declared"].contributions["taxonomy"] >= by_id["mention"].contributions["taxonomy"]
        assert bool(_reason(by_id["mention"], "problem_type_mentioned")) == (type_mention > 0)
    with pytest.raises(MatchingError):
        ScoringConfig(type_mention=1.5)


def test_taxonomy_does_not_reward_types_the_problem_did_not_ask_for():
    problem = ProblemRecord("p", "일정", "공장 일정 관리", problem_types=("scheduling",), industry="C25")
    one = _offering("one", ("scheduling",))
    two = _offering("two", ("scheduling", "inventory_optimization"))
    index = MatchIndex.build([one, two], [problem])
    by_id = {m.id: m for m in index.rank_offerings(problem, top=2)}
    assert by_id["one"].contributions["taxonomy"] >= by_id["two"].contributions["taxonomy"]
    assert by_id["one"].score >= by_id["two"].score


def test_records_that_declare_nothing_are_typed_by_their_text():
    problem = ProblemRecord("p", "생산 스케줄링", "생산 일정을 자동으로 짜고 싶습니다")
    offering = OfferingRecord("o", "생산 스케줄링 솔루션", "APS 기반 생산 일정 자동 편성")
    index = MatchIndex.build([offering], [problem])
    m = index.rank_offerings(problem, top=1)[0]
    assert m.contributions["taxonomy"] == pytest.approx(0.35 * 0.75)
    (r,) = _reason(m, "problem_type_match")
    assert r.params == {"codes": ["scheduling"], "source": "description"}
    assert r.text("en") == "Its description covers your problem type: Production planning and scheduling"


def test_saved_index_keeps_declared_and_mentioned_types(tmp_path):
    index = MatchIndex.build([FOOD_FORECAST, APS], [SHEET_METAL])
    before = [(m.id, round(m.score, 6), [r.code for r in m.reasons]) for m in index.rank_offerings(SHEET_METAL)]
    index.save(tmp_path / "idx")
    loaded = MatchIndex.load(tmp_path / "idx")
    assert [(m.id, round(m.score, 6), [r.code for r in m.reasons]) for m in loaded.rank_offerings(SHEET_METAL)] == before


def test_version_1_index_loads_with_types_recomputed(tmp_path):
    index = MatchIndex.build([FOOD_FORECAST, APS], [SHEET_METAL])
    before = [(m.id, round(m.score, 6), [r.code for r in m.reasons]) for m in index.rank_offerings(SHEET_METAL)]
    path = tmp_path / "idx"
    index.save(path)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = 1
    del manifest["config"]["type_mention"]
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for kind in ("offerings", "problems"):
        rows = [json.loads(x) for x in (path / f"{kind}.jsonl").read_text(encoding="utf-8").splitlines()]
        for row in rows:  # version 1: one merged code -> term map
            row["hits"] = {**row["hits"]["mentioned"], **row["hits"]["declared"]}
        (path / f"{kind}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                            encoding="utf-8")
    loaded = MatchIndex.load(path)
    assert [(m.id, round(m.score, 6), [r.code for r in m.reasons]) for m in loaded.rank_offerings(SHEET_METAL)] == before
