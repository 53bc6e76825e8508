"""Taxonomy and words on the demo world: reason words, bilingual search, industry constraints."""

import pytest
from sqlmodel import select

from marketplace.discovery import services as discovery
from marketplace.offerings import services as offerings
from marketplace.offerings.schemas import OfferingFilters
from marketplace.problems.models import Problem
from seed.loader import load_demo_world

#: Korean particles, verb endings and function words, and English stop words: never a "matched keyword".
STOP_WORDS = {"있고", "최근", "많이", "하고", "있는", "있습니다", "합니다", "싶습니다", "위해", "통해", "대한", "및", "등",
              "또는", "그리고", "매일", "현재", "우리", "저희", "너무", "정도", "가장", "the", "and", "with", "for", "our",
              "we", "of", "to", "in", "on", "a", "an", "is", "are", "that", "this"}
PARTICLE_ENDINGS = ("에서", "으로", "에게", "까지", "부터", "하고", "했고", "있고", "없고", "습니다", "니다", "해서", "하여")


def _shown_words(ranked):
    for r in ranked:
        yield from r.matched_terms


@pytest.mark.slow
def test_on_the_demo_world_no_matched_keyword_is_a_particle_or_stop_word(app, db_session):
    load_demo_world(app)
    shown = set()
    with app.test_request_context():
        for problem in db_session.exec(select(Problem)).all():
            shown.update(_shown_words(discovery.rank_offerings_for_problem(db_session, problem, top=10)))
    assert shown, "the demo world shows matched keywords"
    assert not shown & STOP_WORDS, sorted(shown & STOP_WORDS)
    assert not [w for w in shown if len(w) > 2 and w.endswith(PARTICLE_ENDINGS)]


@pytest.mark.slow
def test_on_the_demo_world_food_only_sorting_vision_is_not_second_for_the_plastics_plant(app, db_session):
    load_demo_world(app)
    plant = db_session.exec(select(Problem).where(Problem.title.contains("쇼트샷"))).one()
    with app.test_request_context():
        titles = [r.offering.title for r in discovery.rank_offerings_for_problem(db_session, plant, top=10)]
    food = "농산물·식품 고속 선별 비전"
    assert food not in titles[:3], titles


def _catalogue(session, q):
    return {o.title for o, _org in offerings.list_offerings(session, OfferingFilters(q=q))}


def test_catalogue_search_finds_korean_offerings_for_an_english_word_and_the_reverse(factory, db_session):
    korean = factory.offering(title="사출 성형 불량 예측", description="사출기 공정 조건으로 쇼트샷을 예측합니다.")
    english = factory.offering(title="Weld seam inspection", description="Laser welding lines, seam defects.")
    factory.offering(title="베이커리 수요 예측", description="빵집의 일일 판매량 예측.")
    assert _catalogue(db_session, "injection") == {korean.title}
    assert _catalogue(db_session, "injection moulding") == {korean.title}
    assert _catalogue(db_session, "용접") == {english.title}
    assert _catalogue(db_session, "사출") == {korean.title}
    assert _catalogue(db_session, "쇼트샷") == {korean.title}  # plain words still match as written


@pytest.mark.slow
def test_on_the_demo_world_catalogue_search_is_bilingual(app, db_session):
    load_demo_world(app)
    assert _catalogue(db_session, "press") >= {"프레스·금형 이상감지 엣지 모듈"}
    assert _catalogue(db_session, "heat treatment") >= {"열처리·반응 공정 품질 예측과 조건 최적화"}
    assert "Multivariate anomaly detection for critical equipment" in _catalogue(db_session, "이상 감지")


def test_vendor_opportunity_search_is_bilingual(factory, db_session, app):
    vendor = factory.vendor()
    vendor_user = factory.user(vendor)
    factory.offering(vendor, title="Injection moulding defect prediction",
                     description="Short shots and flash predicted from injection pressure and mould temperature.",
                     capabilities=["quality_prediction"], industries=["C22"])
    plastics = factory.problem(state="enquiries", title="사출 성형 불량 예측", industry="C22",
                               description="사출기 22대의 쇼트샷 불량을 공정 데이터로 예측하고 싶습니다.",
                               problem_types=["quality_prediction"])
    with app.test_request_context():
        found = discovery.rank_problems_for_vendor(db_session, user=vendor_user, vendor=vendor, query="injection")
        assert [r.problem.id for r in found] == [plastics.id]
        assert discovery.rank_problems_for_vendor(db_session, user=vendor_user, vendor=vendor, query="welding") == []
