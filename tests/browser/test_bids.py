"""A vendor submits a sealed bid in the browser; after the deadline the SME compares and awards."""

from datetime import timedelta

from playwright.sync_api import expect

from marketplace.accounts.models import User
from marketplace.core.types import travel
from tests.browser.conftest import log_in
from tests.factories import PASSWORD


def test_vendor_submits_then_sme_compares_and_awards(browser, live_server, live_factory, tmp_path):
    problem = live_factory.problem(state="bidding")
    rival = live_factory.bid(problem, price_krw=34_000_000, duration_weeks=12)
    vendor_user = live_factory.user(live_factory.vendor(), name="이공급")
    owner = live_factory.session.get(User, problem.created_by_id)
    live_factory.session.commit()

    vendor = browser.new_context(base_url=live_server.base_url, viewport={"width": 1280, "height": 1000})
    page = vendor.new_page()
    page.set_default_timeout(10_000)
    log_in(page, vendor_user.email, PASSWORD)
    page.goto(f"/problems/{problem.id}")
    page.get_by_test_id("bid-link").click()
    page.get_by_label("가격 (원, 부가세 별도)").fill("0")
    page.get_by_test_id("submit-bid").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # a clear message, nothing sealed

    page.get_by_label("가격 (원, 부가세 별도)").fill("27000000")
    page.get_by_label("수행 기간 (주)").fill("9")
    page.get_by_label("당일 폐기율").fill("6.5")
    page.get_by_label("수행 방법").fill("POS 판매 기록과 날씨로 품목별 수요를 예측하고 매일 저녁 생산 수량을 앱으로 안내합니다.")
    page.get_by_label("마일스톤 1").fill("데이터 연동")
    page.get_by_label("주차 1").fill("3")
    page.get_by_label("지급 비율 1").fill("40")
    page.get_by_label("마일스톤 2").fill("운영 전환")
    page.get_by_label("주차 2").fill("9")
    page.get_by_label("지급 비율 2").fill("60")
    page.get_by_label("납품 후 연간 유지보수 비용 (원)").fill("2400000")
    page.get_by_label("유지보수 제공 기간 (년)").fill("2")
    page.get_by_test_id("submit-bid").click()
    expect(page.get_by_text("입찰서를 제출했으며 마감까지 봉인됩니다")).to_be_visible()
    expect(page.get_by_test_id("bid-state")).to_have_text("제출됨")
    vendor.close()

    sme = browser.new_context(base_url=live_server.base_url, viewport={"width": 1280, "height": 1000})
    page = sme.new_page()
    page.set_default_timeout(10_000)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/problems/{problem.id}")
    expect(page.get_by_test_id("sealed")).to_be_visible()
    assert "27,000,000" not in page.content() and "34,000,000" not in page.content()
    page.goto(f"/problems/{problem.id}/evaluation")
    expect(page.get_by_text("입찰 내용은 마감까지 봉인되어 있습니다.")).to_be_visible()

    with travel(timedelta(days=8)):
        page.goto(f"/problems/{problem.id}/evaluation")
        expect(page.get_by_test_id("bid-column")).to_have_count(2)
        expect(page.get_by_test_id("evaluation")).to_contain_text("27,000,000원")
        expect(page.get_by_test_id("sensitivity")).to_be_visible()
        page.screenshot(path=str(tmp_path / "evaluation.png"), full_page=True)
        page.get_by_test_id("award").first.click()
        page.get_by_test_id("confirm-award").click()
        expect(page.get_by_text("낙찰했습니다.")).to_be_visible()
        page.goto(f"/problems/{problem.id}/evaluation")
        expect(page.get_by_test_id("state")).to_have_text("낙찰")
        expect(page.get_by_test_id("award")).to_have_count(0)
    sme.close()
    assert rival.id


QUALITY_FIRST = {"quality": 45, "throughput": 5, "cost": 15, "delivery_speed": 10, "explainability": 5,
                 "data_privacy": 5, "maintenance": 15}


def test_quality_first_sme_compares_asks_for_an_explanation_and_awards_with_a_reason(
        browser, live_server, live_factory, tmp_path):
    problem = live_factory.problem(state="bidding", weights=QUALITY_FIRST)
    low = live_factory.bid(problem, price_krw=9_000_000, duration_weeks=6, maintenance_years=0,
                           maintenance_yearly_krw=0, approach="기존 모델을 재사용해 6주 안에 적용합니다.")
    live_factory.bid(problem, price_krw=75_000_000, duration_weeks=16, maintenance_yearly_krw=9_000_000,
                     maintenance_years=2, approach="엣지 비전 장비와 검증된 검사 모델로 불량을 잡습니다.")
    live_factory.bid(problem, price_krw=60_000_000, duration_weeks=12)
    owner = live_factory.session.get(User, problem.created_by_id)
    live_factory.session.commit()

    sme = browser.new_context(base_url=live_server.base_url, viewport={"width": 1400, "height": 1000})
    page = sme.new_page()
    page.set_default_timeout(10_000)
    log_in(page, owner.email, PASSWORD)
    with travel(timedelta(days=8)):
        page.goto(f"/problems/{problem.id}/evaluation")
        table = page.get_by_test_id("evaluation")
        expect(page.get_by_test_id("bid-column")).to_have_count(3)
        expect(table).to_contain_text("엣지 비전 장비와 검증된 검사 모델로")  # the proposals, side by side
        expect(page.get_by_test_id("no-maintenance")).to_contain_text("보조금 종료 후 유지보수 없음")
        expect(page.get_by_test_id("abnormally-low")).to_have_count(1)
        page.get_by_placeholder("공급기업이 무엇을 해명해야 하나요?").fill("9백만 원으로 가능한 인건비 근거를 알려 주세요.")
        page.get_by_test_id("request-explanation").click()
        expect(page.get_by_text("가격을 해명하도록 요청했습니다")).to_be_visible()
        expect(page.get_by_test_id("explanation")).to_contain_text("해명 요청됨")
        page.screenshot(path=str(tmp_path / "quality-first.png"), full_page=True)
        # the bid the SME prefers is not the top-scored one: the award asks why
        columns = page.get_by_test_id("award")
        expect(columns).to_have_count(2)
        columns.last.click()
        expect(page.get_by_text("최고 점수 입찰이 아닙니다")).to_be_visible()
        page.get_by_test_id("confirm-award").click()
        expect(page.locator(".invalid-feedback")).to_be_visible()
        page.get_by_label("사유 (공급기업에 전달됩니다)").fill("현장 실사에서 유지보수 인력을 확인했습니다.")
        page.get_by_test_id("confirm-award").click()
        expect(page.get_by_test_id("award-reason")).to_contain_text("현장 실사에서 유지보수 인력을 확인했습니다.")
        expect(page.get_by_test_id("opening")).to_contain_text("9,000,000")
    sme.close()
    assert low.id
