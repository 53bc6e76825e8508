"""Criteria decide among equally relevant offerings; industry fit; words shown to users; processes."""

import pytest

from matching import MatchIndex, OfferingRecord, ProblemRecord, ScoringConfig, taxonomy, terms

VISION = "사출 부품 외관 불량 검사 비전 시스템. 카메라로 스크래치와 찍힘을 자동 검출합니다."


def _twin(oid, profile, **kw):
    return OfferingRecord(oid, "사출품 비전 검사", VISION, capabilities=["불량 검사"], industries=["C22"],
                          profile=profile, completed_projects=5, mean_review=4.5, **kw)


def _plant(weights, **kw):
    return ProblemRecord("p", "사출품 외관 불량 검사", "사출 성형 부품의 외관 불량을 카메라로 검사하고 싶습니다.",
                         industry="C22", weights=weights, **kw)


def test_equally_relevant_vendors_swap_when_weights_move_from_quality_to_throughput():
    careful = _twin("careful", {"quality": 0.95, "throughput": 0.35})
    fast = _twin("fast", {"quality": 0.35, "throughput": 0.95})
    index = MatchIndex.build([careful, fast])
    quality_first = index.rank_offerings(_plant({"quality": 60, "throughput": 10, "cost": 30}))
    throughput_first = index.rank_offerings(_plant({"quality": 10, "throughput": 60, "cost": 30}))
    assert [m.id for m in quality_first] == ["careful", "fast"]
    assert [m.id for m in throughput_first] == ["fast", "careful"]
    # Same text and taxonomy: only the criteria contribution differs.
    a, b = quality_first
    assert a.contributions["text"] == b.contributions["text"]
    assert a.contributions["criteria"] > b.contributions["criteria"]


def test_a_cost_weight_of_80_puts_in_budget_offerings_above_over_budget_ones():
    offerings = [
        _twin("cheap-1", {"quality": 0.4, "cost": 0.9}, price_min=20_000_000, price_max=30_000_000),
        _twin("cheap-2", {"quality": 0.5}, price_min=35_000_000, price_max=40_000_000),
        # More relevant (declares more) and stronger on quality, but above the budget.
        OfferingRecord("premium-1", "사출품 비전 불량 검사 프리미엄", VISION + " 사출 성형 외관 검사 전문.",
                       capabilities=["불량 검사", "외관 검사"], industries=["C22"], profile={"quality": 1.0},
                       price_min=60_000_000, price_max=90_000_000, completed_projects=30, mean_review=5.0),
        _twin("premium-2", {"quality": 0.95}, price_min=48_000_000, price_max=70_000_000),
    ]
    index = MatchIndex.build(offerings)
    ranked = index.rank_offerings(_plant({"cost": 80, "quality": 20}, budget_max=40_000_000))
    ids = [m.id for m in ranked]
    assert set(ids[:2]) == {"cheap-1", "cheap-2"}, ids
    assert all(r.code != "budget_below_price" for m in ranked[:2] for r in m.reasons)
    assert any(r.code == "budget_below_price" for r in ranked[2].reasons)


def test_evidence_hook_shrinks_bare_claims_toward_the_prior():
    claimed = _twin("claimed", {"quality": 1.0, "throughput": 0.2})
    verified = _twin("verified", {"quality": 0.85, "throughput": 0.2}, evidence={"quality": 1.0})
    problem = _plant({"quality": 80, "throughput": 20})
    plain = MatchIndex.build([claimed, verified]).rank_offerings(problem)
    assert plain[0].id == "claimed"  # default claim_shrink = 0: claims count fully
    strict = MatchIndex.build([claimed, verified], config=ScoringConfig(claim_shrink=0.8)).rank_offerings(problem)
    assert strict[0].id == "verified"


def test_food_only_sorting_vision_is_not_second_for_a_plastics_injection_plant():
    plastics = ProblemRecord("plastics", "사출 성형 쇼트샷·버 불량 조기 예측",
                             "사출기 22대에서 가전·자동차 내장 부품을 찍는데, 쇼트샷과 버 불량이 전체 불량의 70%를 "
                             "차지합니다. 사출 압력, 보압, 금형 온도 데이터로 불량을 예측하고 외관 불량도 검사하고 싶습니다.",
                             problem_types=["quality_prediction", "visual_inspection"], industry="C22",
                             budget_max=60_000_000)
    offerings = [
        OfferingRecord("food-sorter", "식품 선별 비전", "농산물과 식품의 이물·색상 불량을 카메라로 선별하는 비전 시스템입니다.",
                       capabilities=["visual_inspection"], industries=["C10"], profile={"quality": 0.9},
                       price_min=30_000_000, completed_projects=25, mean_review=4.8),
        OfferingRecord("injection-ai", "사출 불량 예측", "사출기 공정 조건(사출압, 보압, 금형 온도)으로 쇼트샷과 버 불량을 예측합니다.",
                       capabilities=["quality_prediction"], industries=["C22"], price_min=20_000_000),
        OfferingRecord("surface-vision", "금속·사출품 표면 검사", "금속과 사출품 표면의 스크래치, 찍힘을 딥러닝으로 검출합니다.",
                       capabilities=["visual_inspection"], industries=["C22", "C25"], price_min=40_000_000),
        OfferingRecord("process-opt", "공정 조건 최적화", "제조 공정 조건 데이터로 불량을 줄이는 최적 조건을 찾습니다.",
                       capabilities=["process_optimization", "quality_prediction"], industries=["C22", "C24"],
                       price_min=25_000_000),
    ]
    ranked = MatchIndex.build(offerings, [plastics]).rank_offerings("plastics")
    ids = [m.id for m in ranked]
    assert ids.index("food-sorter") >= 2, ids
    food = next(m for m in ranked if m.id == "food-sorter")
    assert any(r.code == "industry_other" for r in food.reasons)
    assert food.contributions["constraints"] < 0


@pytest.mark.parametrize("ko,en", [("사출", "injection_moulding"), ("프레스", "press_stamping"), ("금형", "mould_die"),
                                   ("도장", "painting_coating"), ("용접", "welding"), ("열처리", "heat_treatment"),
                                   ("주조", "casting"), ("단조", "forging"), ("CNC 가공", "machining_cnc"),
                                   ("injection molding", "injection_moulding"), ("heat treatment", "heat_treatment")])
def test_manufacturing_processes_are_known_in_both_languages(ko, en):
    assert terms.normalise_tag(ko, "process") == en
    entry = taxonomy.get_process(en)
    assert entry.ko and entry.en and taxonomy.get_industry(entry.industry)


def test_particles_and_stop_words_never_appear_as_matched_keywords():
    offering = OfferingRecord("o", "사출 불량 예측", "최근 사출 공정 데이터가 있고 불량 예측 모델을 만들어 드립니다. 데이터가 많이 있고 "
                              "최근 3년치면 충분합니다.", capabilities=["quality_prediction"])
    problem = ProblemRecord("p", "사출 불량", "최근 불량이 많이 늘었고 사출 공정 데이터가 있고 불량 예측을 하고 싶습니다.")
    match = MatchIndex.build([offering], [problem]).rank_offerings("p")[0]
    shown = [t for r in match.reasons if r.code == "text_match" for t in r.params["terms"]]
    assert shown and "사출" in shown or "불량" in shown
    for word in ("있고", "최근", "많이", "하고"):
        assert word not in shown
        assert word not in match.matched_terms
