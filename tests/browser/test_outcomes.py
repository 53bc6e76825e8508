"""KPI acceptance in the browser: the SME seals a holdout, the vendor uploads predictions, the verdict shows."""

from datetime import timedelta

from playwright.sync_api import expect

from marketplace.accounts.models import User
from marketplace.agreements import services as agreements
from marketplace.bids import services as bids
from marketplace.core.types import travel
from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.marketplace.agreements.conftest import fast_pdf  # noqa: F401 - a fixture
from tests.marketplace.outcomes.conftest import GOOD, HOLDOUT


def test_sme_seals_a_holdout_vendor_submits_predictions_and_both_see_the_verdict(
        browser, live_server, live_factory, tmp_path, fast_pdf):  # noqa: F811 - the imported fixture
    session = live_factory.session
    problem = live_factory.problem(state="bidding")
    vendor_user = live_factory.user(live_factory.vendor(), name="최공급")
    bid = live_factory.bid(problem, vendor_user)
    owner = session.get(User, problem.created_by_id)
    with travel(timedelta(days=8)):
        bids.award_bid(session, user=owner, bid=bid)
        session.commit()
    agreement = agreements.agreement_for_problem(session, problem)
    session.commit()
    holdout, predictions = tmp_path / "정답.csv", tmp_path / "예측.csv"
    holdout.write_bytes(HOLDOUT.decode().encode("cp949"))  # as Korean Excel saves it
    predictions.write_bytes(GOOD)

    context = browser.new_context(base_url=live_server.base_url, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/agreements/{agreement.id}")
    page.get_by_test_id("acceptance-link").get_by_role("link").click()
    page.wait_for_url(f"**/agreements/{agreement.id}/acceptance")
    form = page.get_by_test_id("holdout-form")
    form.locator("input[type=file]").set_input_files(str(holdout))
    form.get_by_role("button", name="평가 데이터 봉인").click()
    expect(page.get_by_test_id("seal")).to_contain_text("4행")
    context.close()

    agreements.sign_agreement(session, user=owner, agreement=agreement, password=PASSWORD, ip_address="127.0.0.1",
                              user_agent="pytest")
    agreements.sign_agreement(session, user=vendor_user, agreement=agreement, password=PASSWORD,
                              ip_address="127.0.0.1", user_agent="pytest")
    session.commit()

    context = browser.new_context(base_url=live_server.base_url, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, vendor_user.email, PASSWORD)
    page.goto(f"/agreements/{agreement.id}/acceptance")
    expect(page.get_by_test_id("seal")).to_contain_text("SHA-256")
    page.get_by_test_id("predictions-form").first.locator("input[type=file]").set_input_files(str(predictions))
    page.get_by_test_id("predictions-form").first.get_by_role("button", name="측정 요청").click()
    expect(page.get_by_test_id("verdict").first).to_contain_text("KPI 달성 1/1")
    expect(page.get_by_test_id("verdict").first).to_contain_text("합격")
    page.screenshot(path=str(tmp_path / "verdict.png"), full_page=True)
    assert "98761" not in page.content()
    context.close()
