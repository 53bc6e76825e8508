"""A bid's attachment stays sealed from the SME until the deadline; the agreement page fits a 390 px phone."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from marketplace.accounts.models import User
from marketplace.agreements import services as agreements
from marketplace.bids import services as bids
from marketplace.core.types import travel, utcnow
from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.marketplace.agreements.conftest import fast_pdf  # noqa: F401 - a fixture

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_a_sealed_attachment_is_invisible_to_the_sme_until_the_deadline(browser, live_server, live_factory,
                                                                        tmp_path):
    problem = live_factory.problem(state="bidding")
    vendor = live_factory.user(live_factory.vendor(), name="이공급")
    bid = live_factory.bid(problem, vendor)
    owner = live_factory.session.get(User, problem.created_by_id)
    live_factory.session.commit()
    proposal = tmp_path / "제안서.pdf"
    proposal.write_bytes(PDF)

    context = browser.new_context(base_url=live_server.base_url, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    log_in(page, vendor.email, PASSWORD)
    page.goto(f"/problems/{problem.id}/bid")
    fake = tmp_path / "photo.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    page.get_by_label("문서 추가").set_input_files(str(fake))
    page.get_by_role("button", name="올리기").click()
    expect(page.get_by_test_id("error-file")).to_contain_text("내용은 PNG입니다")
    expect(page.get_by_label("문서 추가")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("문서 추가").set_input_files(str(proposal))
    page.get_by_role("button", name="올리기").click()
    expect(page.get_by_test_id("document")).to_contain_text("제안서.pdf")
    document_url = page.get_by_role("link", name="제안서.pdf").get_attribute("href")
    context.close()

    context = browser.new_context(base_url=live_server.base_url, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    log_in(page, owner.email, PASSWORD)
    page.goto(f"/problems/{problem.id}")
    expect(page.get_by_text("제안서.pdf")).to_have_count(0)
    assert page.request.get(live_server.base_url + document_url).status == 404

    problem.bid_deadline = utcnow() - timedelta(minutes=1)
    live_factory.session.add(problem)
    live_factory.session.commit()
    response = page.request.get(live_server.base_url + document_url)
    assert response.status == 200 and response.body() == PDF
    page.goto(f"/problems/{problem.id}/evaluation")
    expect(page.get_by_role("link", name="제안서.pdf")).to_be_visible()
    context.close()
    assert bid.id


def test_the_agreement_page_fits_a_390_px_phone(browser, live_server, live_factory, fast_pdf):  # noqa: F811
    problem = live_factory.problem(state="bidding")
    vendor = live_factory.user(live_factory.vendor(), name="이공급")
    bid = live_factory.bid(problem, vendor)
    owner = live_factory.session.get(User, problem.created_by_id)
    with travel(timedelta(days=8)):
        bids.award_bid(live_factory.session, user=owner, bid=bid)
        live_factory.session.commit()
    agreement = agreements.agreement_for_problem(live_factory.session, problem)
    vendor.locale = "en"  # the SME reads it in Korean, the vendor in English
    live_factory.session.add(vendor)
    live_factory.session.commit()
    for lang_user in (owner, vendor):
        context = browser.new_context(base_url=live_server.base_url, viewport={"width": 390, "height": 844},
                                      is_mobile=True, has_touch=True, device_scale_factor=3)
        page = context.new_page()
        page.goto("/login")
        page.locator("input[name=email]").fill(lang_user.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button").last.click()
        page.get_by_test_id("logout").wait_for(state="attached")  # in the collapsed menu at this width
        page.goto(f"/agreements/{agreement.id}")
        expect(page.get_by_test_id("kpis")).to_be_visible()
        widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"the agreement page scrolls sideways: {widths}"
        context.close()
