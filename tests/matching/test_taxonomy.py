import dataclasses
import re

import pytest

from matching import MatchingError, taxonomy, terms

PROBLEM_TYPES = {
    "demand_forecasting", "visual_inspection", "predictive_maintenance", "process_optimization",
    "scheduling", "quality_prediction", "anomaly_detection", "inventory_optimization",
    "energy_optimization", "document_language",
}
HANGUL = re.compile(r"[가-힣]")


def test_criteria_keys_and_labels():
    assert taxonomy.CRITERIA == (
        "quality", "throughput", "cost", "delivery_speed", "explainability", "data_privacy", "maintenance",
    )
    assert taxonomy.criterion_label("quality", "ko") == "품질"
    assert taxonomy.criterion_label("delivery_speed", "en") == "Delivery speed"
    assert taxonomy.criterion_label("cost", "ko_KR") == "비용"
    with pytest.raises(MatchingError, match="unknown criterion"):
        taxonomy.criterion_label("speed", "en")
    with pytest.raises(MatchingError, match="language"):
        taxonomy.criterion_label("cost", "fr")


def test_problem_types_are_the_shared_codes_with_bilingual_synonyms():
    types = taxonomy.problem_types()
    assert {t.code for t in types} == PROBLEM_TYPES
    for t in types:
        assert HANGUL.search(t.label("ko")) and not HANGUL.search(t.label("en"))
        korean = [s for s in t.synonyms if HANGUL.search(s)]
        english = [s for s in t.synonyms if not HANGUL.search(s)]
        assert len(korean) >= 6 and len(english) >= 6, t.code


@pytest.mark.parametrize("kind", ["problem_type", "industry", "region"])
def test_no_synonym_points_at_two_codes(kind):
    seen = {}
    entries = {"problem_type": taxonomy.problem_types, "industry": taxonomy.industries, "region": taxonomy.regions}
    for entry in entries[kind]():
        for term in entry.terms:
            key = terms.normalise_text(term).replace(" ", "")
            assert seen.setdefault(key, entry.code) == entry.code, f"{term!r}: {seen[key]} and {entry.code}"


def test_industry_sections_and_divisions():
    assert [s.code for s in taxonomy.industry_sections()] == [chr(c) for c in range(ord("A"), ord("V"))]
    codes = {i.code for i in taxonomy.industries()}
    assert {f"C{n}" for n in range(10, 35)} <= codes
    assert {"J58", "J59", "J60", "J61", "J62", "J63", "M70", "M71", "M72", "M73", "O84", "S94", "S95", "S96"} <= codes
    food = taxonomy.get_industry("C10")
    assert food.section == "C" and food.division == "10"
    assert food.label("ko") == "식료품 제조업" and food.label("en") == "Manufacture of food products"
    assert taxonomy.get_industry("c23").code == "C23"
    for ind in taxonomy.industries():
        assert taxonomy.get_industry_section(ind.section) is not None
    assert [i.code for i in taxonomy.industries("j")] == ["J58", "J59", "J60", "J61", "J62", "J63"]


def test_regions():
    regions = taxonomy.regions()
    assert len(regions) == 17
    assert {r.code for r in regions if r.capital} == {"seoul", "incheon", "gyeonggi"} == taxonomy.CAPITAL_REGION
    assert taxonomy.get_region("jeonbuk").label("ko") == "전북특별자치도"
    assert taxonomy.get_region("gangwon").label("ko") == "강원특별자치도"
    assert taxonomy.get_region("busan").label("en") == "Busan"


def test_deployment_modes():
    modes = {m.code: m for m in taxonomy.deployment_modes()}
    assert set(modes) == {"cloud", "on_premises", "hybrid", "edge"}
    assert [c for c, m in modes.items() if m.on_premises_ok] == ["on_premises", "hybrid", "edge"]


def test_unknown_codes_give_none():
    assert taxonomy.get_problem_type("telepathy") is None
    assert taxonomy.get_industry("Z99") is None
    assert taxonomy.get_region("tokyo") is None
    assert taxonomy.get_deployment_mode("mainframe") is None
    assert taxonomy.get_problem_type(None) is None


def test_records_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        taxonomy.get_region("seoul").capital = False


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("visual_inspection", "visual_inspection"),
        ("불량 검사", "visual_inspection"),
        ("불량검사 자동화", "visual_inspection"),
        ("외관 불량", "visual_inspection"),
        ("Defect Detection", "visual_inspection"),
        ("치수 검사", "visual_inspection"),
        ("예지보전", "predictive_maintenance"),
        ("예지보정", "predictive_maintenance"),  # typo, one letter off
        ("predictiv maintenance", "predictive_maintenance"),
        ("빵 수요 예측", "demand_forecasting"),
        ("sales forecasting", "demand_forecasting"),
        ("레미콘 배합", "process_optimization"),
        ("dyeing recipe", "process_optimization"),
        ("유통기한 예측", "quality_prediction"),
        ("shelf-life", "quality_prediction"),
        ("생산 스케줄링", "scheduling"),
        ("재고 관리", "inventory_optimization"),
        ("FEMS", "energy_optimization"),
        ("OCR", "document_language"),
        ("챗봇", "document_language"),
        ("이상 감지", "anomaly_detection"),
    ],
)
def test_normalise_tag_problem_types(tag, code):
    assert terms.normalise_tag(tag) == code


@pytest.mark.parametrize("tag", ["", "   ", "xyz", "블록체인", "quantum", None, 42])
def test_normalise_tag_gives_none_when_nothing_fits(tag):
    assert terms.normalise_tag(tag) is None


def test_normalise_tag_other_kinds():
    assert terms.normalise_tag("레미콘", "industry") == "C23"
    assert terms.normalise_tag("bakery", "industry") == "C10"
    assert terms.normalise_tag("10", "industry") == "C10"
    assert terms.normalise_tag("반도체", "industry") == "C26"
    assert terms.normalise_tag("경북", "region") == "gyeongbuk"
    assert terms.normalise_tag("Busan", "region") == "busan"
    assert terms.normalise_tag("서울특별시", "region") == "seoul"
    with pytest.raises(MatchingError):
        terms.normalise_tag("x", "planet")


def test_find_terms_bridges_spacing_and_languages():
    hits = terms.find_terms("빵집 수요예측, 불량 검사 and predictive maintenance with OCR")
    assert [h.code for h in hits] == ["demand_forecasting", "visual_inspection", "predictive_maintenance", "document_language"]
    assert hits[-1].term == "OCR"
    # English terms match whole words only: "democracy" holds no OCR.
    assert terms.find_terms("democracy") == []
