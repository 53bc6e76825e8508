"""The parties sign the agreement in the browser (each entering the password again) and download the PDF.

A cooperative's member SMEs find the joint agreement under My problems and each sign it too.
"""

import subprocess
from datetime import timedelta

from playwright.sync_api import expect

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organisation, User
from marketplace.agreements import services as agreements
from marketplace.bids import services as bids
from marketplace.core.types import travel
from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.marketplace.agreements.conftest import fast_pdf  # noqa: F401 - a fixture


def test_both_parties_sign_and_download_the_signed_pdf(browser, live_server, live_factory, tmp_path):
    problem = live_factory.problem(state="bidding")
    vendor_user = live_factory.user(live_factory.vendor(), name="이공급")
    bid = live_factory.bid(problem, vendor_user)
    owner = live_factory.session.get(User, problem.created_by_id)
    sme = live_factory.session.get(Organisation, owner.organisation_id)
    with travel(timedelta(days=8)):
        bids.award_bid(live_factory.session, user=owner, bid=bid)
        live_factory.session.commit()
    agreement = agreements.agreement_for_problem(live_factory.session, problem)
    live_factory.session.commit()

    for user in (owner, vendor_user):
        context = browser.new_context(base_url=live_server.base_url, viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(20_000)
        log_in(page, user.email, PASSWORD)
        page.goto(f"/problems/{problem.id}")
        page.get_by_test_id("agreement-link").click()
        expect(page.get_by_test_id("kpis")).to_contain_text("당일 폐기율")
        page.get_by_label("비밀번호").fill("wrong-password")
        page.get_by_test_id("sign").click()
        expect(page.get_by_test_id("error-password")).to_have_text("비밀번호가 올바르지 않습니다.")
        page.get_by_label("비밀번호").fill(PASSWORD)
        page.get_by_test_id("sign").click()
        if user is owner:
            expect(page.get_by_text("서명했습니다. 상대방의 서명을 기다립니다.").first).to_be_visible()
            expect(page.get_by_test_id("agreement-status")).to_have_text("한쪽 당사자 서명 완료")
            context.close()
    expect(page.get_by_test_id("agreement-status")).to_have_text("양 당사자 서명 완료")
    expect(page.get_by_test_id("milestone")).to_have_count(3)
    page.screenshot(path=str(tmp_path / "agreement.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_test_id("pdf-ko").click()
    download = info.value
    assert download.suggested_filename == f"agreement-{agreement.id}-v1-ko.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert sme.name_ko in text.replace("\u2060", "")
    context.close()


def test_each_member_sme_of_a_cooperative_finds_and_signs_the_joint_agreement(
        browser, live_server, live_factory, fast_pdf):  # noqa: F811 - the imported fixture
    session = live_factory.session
    coop = live_factory.organisation("cooperative")
    members = [live_factory.sme(name_ko="대성정밀"), live_factory.sme(name_ko="한일기공")]
    for member in members:
        accounts.add_cooperative_member(session, cooperative=coop, member=member)
    session.commit()
    member_owners = [live_factory.user(members[0], name="이대성"), live_factory.user(members[1], name="박한일")]
    coop_owner = live_factory.user(coop, name="남기훈")
    problem = live_factory.problem(coop_owner, state="bidding")
    vendor_user = live_factory.user(live_factory.vendor(), name="이공급")
    bid = live_factory.bid(problem, vendor_user)
    with travel(timedelta(days=8)):
        bids.award_bid(session, user=coop_owner, bid=bid)
        session.commit()
    agreement = agreements.agreement_for_problem(session, problem)
    for user in (coop_owner, vendor_user):
        agreements.sign_agreement(session, user=user, agreement=agreement, password=PASSWORD,
                                  ip_address="203.0.113.9", user_agent="pytest")
    session.commit()

    for user in member_owners:
        context = browser.new_context(base_url=live_server.base_url, viewport={"width": 1280, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(20_000)
        log_in(page, user.email, PASSWORD)
        page.get_by_test_id("nav-problems").click()
        page.get_by_test_id("joint-agreements").get_by_role("link", name=problem.title).click()
        expect(page.get_by_test_id("party-member")).to_have_count(2)
        expect(page.get_by_test_id("member-note")).to_be_visible()
        expect(page.get_by_test_id("proposal-form")).to_have_count(0)
        page.get_by_label("비밀번호").fill(PASSWORD)
        page.get_by_test_id("sign").click()
        if user is member_owners[0]:
            expect(page.get_by_text("서명했습니다. 다른 당사자들의 서명을 기다립니다.").first).to_be_visible()
            expect(page.get_by_test_id("agreement-status")).to_have_text("일부 서명: 다른 당사자의 서명 대기 중")
            context.close()
    expect(page.get_by_test_id("agreement-status")).to_have_text("모든 당사자 서명 완료")
    expect(page.get_by_test_id("parties")).to_contain_text("이대성")
    expect(page.get_by_test_id("parties")).to_contain_text("박한일")
    expect(page.get_by_test_id("milestone")).to_have_count(3)
    context.close()
