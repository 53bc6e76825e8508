"""The workflows people expect, in a real browser: a cooperative's members and shares, a question reaching the
SME, an amendment reaching a vendor with the changed fields, a vendor's 내 입찰."""

from playwright.sync_api import expect

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organisation, User
from marketplace.problems import services as problems
from marketplace.problems.schemas import ProblemUpdate
from tests.browser.conftest import log_in
from tests.factories import PASSWORD


def _page(browser, live_server):
    context = browser.new_context(base_url=live_server.base_url, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_a_cooperative_adds_a_member_by_number_and_sets_the_shares(browser, live_server, live_factory):
    owner = live_factory.user(live_factory.organisation("cooperative"))
    first, second = live_factory.sme(), live_factory.sme()
    coop = live_factory.session.get(Organisation, owner.organisation_id)
    accounts.add_cooperative_member(live_factory.session, cooperative=coop, member=first)
    live_factory.session.commit()
    problem = live_factory.problem(owner, title="회원사 공동 설비 예지보전 과제")
    context, page = _page(browser, live_server)
    log_in(page, owner.email, PASSWORD)
    page.get_by_test_id("nav-members").click()
    page.get_by_label("사업자등록번호 (이미 가입한 회사)").fill(second.brn)
    page.get_by_test_id("add-member-submit").click()
    expect(page.get_by_text("회원사가 되었습니다")).to_be_visible()
    expect(page.get_by_test_id("member")).to_have_count(2)
    page.goto(f"/problems/{problem.id}")
    page.get_by_label(first.name_ko).fill("60")
    page.get_by_label(second.name_ko).fill("30")
    page.get_by_test_id("save-shares").click()
    expect(page.get_by_text("지금은 90.00입니다")).to_be_visible()
    page.get_by_label(first.name_ko).fill("60")
    page.get_by_label(second.name_ko).fill("40")
    page.get_by_test_id("save-shares").click()
    expect(page.get_by_text("비용 분담을 저장했습니다")).to_be_visible()
    context.close()


def test_a_question_reaches_the_sme(browser, live_server, live_factory):
    problem = live_factory.problem(state="enquiries")
    owner = live_factory.session.get(User, problem.created_by_id)
    vendor_user = live_factory.user(live_factory.vendor())
    context, page = _page(browser, live_server)
    log_in(page, vendor_user.email, PASSWORD)
    page.goto(f"/problems/{problem.id}")
    page.get_by_label("질문").fill("POS 데이터는 CSV로 내보낼 수 있나요? 매장별로 나뉘어 있나요?")
    page.get_by_role("button", name="질문하기").click()
    context.close()
    context, page = _page(browser, live_server)
    log_in(page, owner.email, PASSWORD)
    expect(page.get_by_test_id("unread")).to_have_text("1")
    page.get_by_test_id("notifications-link").click()
    expect(page.get_by_text("질문했습니다")).to_be_visible()
    page.goto(f"/problems/{problem.id}")
    expect(page.get_by_test_id("question")).to_contain_text("CSV로 내보낼 수 있나요")
    context.close()


def test_an_amendment_reaches_a_vendor_with_the_changed_fields(browser, live_server, live_factory):
    problem = live_factory.problem(state="bidding")
    owner = live_factory.session.get(User, problem.created_by_id)
    vendor_user = live_factory.user(live_factory.vendor())
    live_factory.bid(problem, vendor_user)
    problems.update_problem(live_factory.session, user=owner, problem=problem,
                            changes=ProblemUpdate(on_premises_required=True, budget_max_krw=40_000_000))
    live_factory.session.commit()
    context, page = _page(browser, live_server)
    log_in(page, vendor_user.email, PASSWORD)
    page.get_by_test_id("notifications-link").click()
    expect(page.get_by_text("정정공고 1호")).to_be_visible()
    expect(page.get_by_text("최대 예산")).to_be_visible()
    page.goto(f"/problems/{problem.id}")
    rows = page.get_by_test_id("amended-field")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("사내 설치")
    expect(rows.last).to_contain_text("40,000,000원")
    expect(page.get_by_test_id("amendment")).to_contain_text("입찰 재확인 필요")
    page.goto("/my/bids")
    expect(page.get_by_test_id("next-step")).to_have_text("입찰 재확인하기")
    context.close()


def test_a_vendor_finds_every_bid_under_my_bids(browser, live_server, live_factory):
    vendor_user = live_factory.user(live_factory.vendor())
    live_factory.bid(live_factory.problem(state="bidding", title="염색 레시피 최적화 과제"), vendor_user)
    live_factory.bid(live_factory.problem(state="bidding", title="레미콘 배합 자동화 과제"), vendor_user, submit=False)
    context, page = _page(browser, live_server)
    log_in(page, vendor_user.email, PASSWORD)
    page.get_by_test_id("nav-my-bids").click()
    expect(page.get_by_test_id("my-bid")).to_have_count(2)
    expect(page.get_by_test_id("my-bids")).to_contain_text("염색 레시피 최적화 과제")
    expect(page.get_by_test_id("my-bids")).to_contain_text("입찰 마감")
    expect(page.get_by_test_id("my-bids")).to_contain_text("입찰서 제출하기")
    context.close()
