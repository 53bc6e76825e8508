"""An agency officer's journey: recommend vendors, batch-match, approve a subsidy, read the dashboard."""

from datetime import timedelta

from playwright.sync_api import expect

from marketplace.accounts.models import User
from marketplace.bids import services as bids
from marketplace.core.types import travel
from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.marketplace.programs.conftest import ProgramKit


def test_officer_recommends_matches_approves_and_reads_the_dashboard(page, live_factory, tmp_path):
    kit = ProgramKit(live_factory.session, live_factory)
    officer = kit.officer()
    program = kit.program(officer, name_ko="제조 AI 패스트트랙", total_budget_krw=500_000_000)
    problem = kit.applied_problem(program)
    offering = live_factory.offering()
    awarded_problem = kit.applied_problem(program, state="bidding")
    bid = live_factory.bid(awarded_problem, price_krw=30_000_000)
    with travel(timedelta(days=8)):
        bids.award_bid(live_factory.session, user=live_factory.session.get(User, awarded_problem.created_by_id),
                       bid=bid)
    live_factory.session.commit()

    log_in(page, officer.email, PASSWORD)
    page.get_by_test_id("nav-programs").click()
    page.get_by_role("link", name="제조 AI 패스트트랙").first.click()
    expect(page.get_by_test_id("program-name")).to_have_text("제조 AI 패스트트랙")

    page.goto(f"/programs/{program.id}/brokering")
    section = page.get_by_test_id("brokered-problem").filter(has_text=problem.title).first
    section.get_by_role("checkbox").first.check()
    section.get_by_role("button", name="선택한 공급기업 추천").click()
    expect(page.get_by_text("추천했습니다").first).to_be_visible()

    page.goto(f"/programs/{program.id}/batch")
    page.get_by_test_id("batch-form").get_by_role("button").click()
    expect(page.get_by_test_id("pair").first).to_be_visible()
    expect(page.get_by_test_id("objective")).not_to_have_text("0.00")

    page.goto("/subsidies")
    row = page.get_by_test_id("subsidy").filter(has_text=awarded_problem.title)
    expect(row).to_contain_text("24,000,000원")
    row.get_by_test_id("approve").click()
    expect(page.get_by_text("지원금을 승인했습니다").first).to_be_visible()

    page.goto(f"/programs/{program.id}/dashboard")
    expect(page.get_by_test_id("left")).to_have_text("476,000,000원")
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    content = download.value.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the Korean
    text = content.decode("utf-8-sig")
    assert "과제" in text.splitlines()[0] and problem.title in text
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert offering.id
