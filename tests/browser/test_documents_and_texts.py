"""A bid's attachment stays sealed from the SME until the deadline; the agreement page fits a 390 px phone, with
the longest content an agreement can have."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from marketplace.accounts.models import User
from marketplace.agreements import services as agreements
from marketplace.agreements.schemas import ProposalIn
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


#: Worst cases seen in real agreements: a long URL in the approach and the service level, company names with
#: no spaces, big won amounts with units on KPIs, the longest milestone names, 64-hex hashes after signing.
LONG_URL = "https://github.com/hanbit-bakery-data/pos-demand-forecasting-pipeline/blob/main/docs/acceptance-test-v2.md"
KPIS = [{"name": "월 재작업·폐기 비용(3개 매장 합계, 부가세 포함)", "unit": "원/월", "baseline": "128500000",
         "target": "64250000", "direction": "lower"},
        {"name": "Same-day waste rate per store and item", "unit": "%", "baseline": "15.25", "target": "7.125",
         "direction": "lower"},
        {"name": "출하 불량률", "unit": "ppm", "baseline": "1250000", "target": "300000", "direction": "lower"}]


def worst_case_agreement(f):
    """An awarded, signed agreement (then amended, so the page lists the changes) with the longest content."""
    sme = f.sme(name_ko="주식회사한빛베이커리앤컨펙셔너리식품제조가공유통부산해운대본점",
                name_en="Hanbit Bakery and Confectionery Food Manufacturing, Processing and Distribution Co., Ltd.")
    owner = f.user(sme, name="Alexandria-Konstantina Papadopoulou-Kim", email=f"owner{sme.id}@hanbit.example")
    problem = f.problem(owner, state="bidding", kpis=KPIS,
                        title="제빵공정생산계획최적화및품목별익일수요예측기반폐기율저감을위한인공지능도입과제(매장3곳·품목40종·POS/ERP/MES연동)")
    vendor = f.user(f.vendor(name_ko="비전에이아이랩스머신러닝옵스플랫폼엔지니어링주식회사",
                             name_en="VisionAILabsMachineLearningOperationsPlatformEngineering Co., Ltd."),
                    name="Maximilian-Alexander Vandenberghe-Park", email=f"vendor{sme.id}@visionai.example")
    milestones = [{"name": f"{n}단계: 데이터파이프라인구축·검증및운영전환준비(POS/ERP연동)", "week": 2 * n,
                   "deliverable": f"설계서·검증보고서 {LONG_URL}#step-{n}", "payment_percent": 10 if n < 9 else 20}
                  for n in range(1, 10)]
    bid = f.bid(problem, vendor, price_krw=1_250_000_000, milestones=milestones,
                approach=f"POS 판매 기록과 날씨 데이터로 품목별 수요를 예측합니다. 절차서: {LONG_URL}",
                service_level=f"평일 09~18시 원격 지원, 장애 접수 후 4시간 이내 응답 (SLA 전문: {LONG_URL})")
    with travel(timedelta(days=8)):
        bids.award_bid(f.session, user=owner, bid=bid)
        f.session.commit()
    agreement = agreements.agreement_for_problem(f.session, problem)
    for user in (owner, vendor):
        agreements.sign_agreement(f.session, user=user, agreement=agreement, password=PASSWORD,
                                  ip_address="2001:db8:85a3::8a2e:370:7334", user_agent="pytest")
        f.session.commit()
    return agreement, owner, vendor


def overflowing(page) -> list[str]:
    """The elements that reach past the right edge of the viewport, for the failure message."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 390.5 && !e.closest('.table-responsive'))
        .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${Math.round(e.getBoundingClientRect().right)}px`)
        .slice(0, 12)""")


def test_the_agreement_page_fits_a_390_px_phone(browser, live_server, live_factory, fast_pdf):  # noqa: F811
    agreement, owner, vendor = worst_case_agreement(live_factory)
    vendor.locale = "en"  # the SME reads it in Korean, the vendor in English
    live_factory.session.add(vendor)
    live_factory.session.commit()
    for stage in ("signed", "amended"):
        if stage == "amended":  # a new version with the changes listed against the signed one
            agreements.propose_changes(live_factory.session, user=owner, agreement=agreement, proposal=ProposalIn(
                milestone_due_dates={n: date(2027, 12, 1) + timedelta(days=n) for n in range(1, 10)},
                note=f"납기 조정 근거: {LONG_URL}"))
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
            expect(page.get_by_test_id("kpis")).to_contain_text("1,250,000")
            expect(page.get_by_test_id("milestones" if stage == "signed" else "changes")).to_be_visible()
            if stage == "signed":
                expect(page.get_by_test_id("sha256")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
            # A phone (is_mobile) widens its layout viewport to content that overflows, and window.innerWidth with
            # it: so the viewport must still be the phone's 390 px, and the page no wider than that.
            widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[1] == 390 and widths[0] <= widths[1], \
                f"{stage}, {lang_user.locale}: the page is wider than the phone {widths}: {overflowing(page)}"
            context.close()
