"""The SME's problem wizard in Korean, and discovery re-ranking when a criteria slider moves."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD


def test_sme_defines_and_publishes_a_problem_with_the_wizard(page, live_factory, tmp_path):
    owner = live_factory.user(live_factory.sme(region="daegu", industry="C13"), name="최영호")
    live_factory.session.commit()
    log_in(page, owner.email, PASSWORD)

    page.get_by_test_id("nav-problems").click()
    page.get_by_role("link", name="과제 올리기").click()
    page.get_by_test_id("start-blank").click()

    page.get_by_label("제목").fill("염색 재작업률 줄이기")
    page.get_by_label("문제를 우리 말로 설명해 주세요").fill(
        "폴리에스터 원단을 염색하는데 색차 불량으로 재작업이 월 40건 발생합니다. 숙련공의 감에 의존하는 레시피 조정을 "
        "데이터로 최적화하고 싶습니다. 배합 기록 2년치와 분광측색기 측정값이 있습니다.")
    page.get_by_label("공정", exact=True).fill("염색 공정")
    page.get_by_label("업종 (한국표준산업분류)").select_option("C13")
    page.get_by_role("checkbox", name="공정 최적화").check()
    page.get_by_test_id("save-next").click()

    expect(page.get_by_role("heading", name="성공의 기준")).to_be_visible()
    page.get_by_label("핵심 지표(KPI) 1").fill("재작업률")
    page.get_by_label("단위 1").fill("%")
    page.get_by_label("현재값 1").fill("8.5")
    page.get_by_label("목표값 1").fill("3")
    page.get_by_test_id("save-next").click()

    expect(page.get_by_role("heading", name="데이터와 시스템")).to_be_visible()
    page.get_by_label("데이터 종류").first.fill("염색 배합 기록")
    page.get_by_label("기간(개월)").first.fill("24")
    page.get_by_label("MES").check()
    page.get_by_test_id("save-next").click()

    page.get_by_label("최대 예산 (원)").fill("120000000")
    page.get_by_label("희망 납기일").fill("2027-06-30")
    page.get_by_test_id("save-next").click()

    expect(page.get_by_role("heading", name="중요하게 여기는 것")).to_be_visible()
    page.locator("input[data-weight=quality]").fill("60")
    expect(page.locator("[data-total]")).to_have_text("100")
    page.get_by_test_id("save-next").click()

    page.get_by_label("익명: 공급기업은 과제만 보고, 회사명은 공개할 때까지 숨겨집니다").check()
    page.get_by_test_id("save-next").click()

    expect(page.get_by_role("heading", name="검토와 게시")).to_be_visible()
    expect(page.get_by_test_id("quality").first).to_contain_text("잘 정의됨")
    page.screenshot(path=str(tmp_path / "wizard-review.png"), full_page=True)
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("state")).to_have_text("질의 접수 중")
    expect(page.get_by_test_id("problem-title")).to_have_text("염색 재작업률 줄이기")


def test_moving_a_criteria_slider_re_ranks_without_reloading(page, live_factory, tmp_path):
    problem = live_factory.problem(state="enquiries")
    cheap = live_factory.offering(title="저가형 베이커리 수요 예측", profile={
        "quality": 0.3, "throughput": 0.5, "cost": 1.0, "delivery_speed": 0.9, "explainability": 0.3,
        "data_privacy": 0.3, "maintenance": 0.4})
    premium = live_factory.offering(title="고정밀 베이커리 수요 예측", profile={
        "quality": 1.0, "throughput": 0.5, "cost": 0.2, "delivery_speed": 0.4, "explainability": 0.9,
        "data_privacy": 0.8, "maintenance": 0.9})
    from marketplace.accounts.models import User
    owner = live_factory.session.get(User, problem.created_by_id)
    live_factory.session.commit()
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/problems/{problem.id}/discover")
    titles = page.get_by_test_id("match-title")
    expect(titles).to_have_count(2)
    page.evaluate("window.__sameDocument = true")

    page.locator("#w-quality").fill("95")
    expect(titles.first).to_have_text(premium.title)
    page.locator("#w-cost").fill("95")
    expect(titles.first).to_have_text(cheap.title)
    assert page.evaluate("window.__sameDocument") is True  # no page reload happened
    page.get_by_role("button", name="입찰 초대").first.click()
    expect(page.get_by_text("입찰에 초대했습니다")).to_be_visible()
    expect(page.get_by_test_id("reasons").first).to_contain_text(re.compile("수요 예측"))
    page.screenshot(path=str(tmp_path / "discover.png"), full_page=True)
