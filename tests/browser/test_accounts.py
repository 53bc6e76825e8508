"""Sign up as an SME in Korean, log in, log out, log in again, switch to English."""

import itertools
import re

from playwright.sync_api import expect

from tests.factories import PASSWORD, brn

_numbers = itertools.count(7001)


def test_sme_signs_up_in_korean_logs_out_logs_in_and_switches_to_english(page, tmp_path):
    n = next(_numbers)
    email = f"owner{n}@sejin-remicon.example"

    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    page.get_by_role("link", name="가입하기").click()

    page.get_by_label("기관 유형").select_option("sme")
    page.get_by_label("사업자등록번호").fill(brn(n)[:3] + "-" + brn(n)[3:5] + "-" + brn(n)[5:])
    page.get_by_label("기관명 (국문)").fill(f"세진레미콘 {n}")
    page.get_by_label("기관명 (영문)").fill(f"Sejin Remicon {n}")
    page.get_by_label("지역 (시·도)").select_option(label="충청북도")
    page.get_by_label("업종 (한국표준산업분류)").select_option("C23")
    page.get_by_label("상시 근로자 수").fill("54")
    page.get_by_label("연 매출액 (원)").fill("18500000000")
    page.get_by_label("이름").fill("정해진")
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_label("비밀번호 확인").fill(PASSWORD)
    page.get_by_role("button", name="계정 만들기").click()

    # the same answer whatever the address (13.11): a link is e-mailed; the password works at once too
    expect(page.get_by_test_id("signup-sent")).to_contain_text(email)
    page.goto("/login")
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_text("로그인되었습니다.")).to_be_visible()
    page.goto("/account")
    expect(page.get_by_test_id("verify-email-banner")).to_be_visible()
    expect(page.get_by_test_id("org-name")).to_contain_text(f"세진레미콘 {n}")
    expect(page.get_by_text("인증 대기")).to_be_visible()
    page.screenshot(path=str(tmp_path / "account-ko.png"), full_page=True)

    page.get_by_test_id("logout").click()
    expect(page.get_by_text("로그아웃되었습니다.")).to_be_visible()
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login"))

    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill("wrong-password-1")
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_test_id("form-error")).to_have_text("이메일 주소 또는 비밀번호가 올바르지 않습니다.")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_text("로그인되었습니다.")).to_be_visible()

    page.get_by_test_id("lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/account")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_text("Awaiting verification")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.screenshot(path=str(tmp_path / "account-en.png"), full_page=True)


def test_wrong_business_number_is_explained_in_the_form(page):
    page.goto("/signup")
    page.get_by_label("사업자등록번호").fill("220-81-62518")
    page.get_by_role("button", name="계정 만들기").click()
    expect(page.get_by_test_id("error-brn")).to_contain_text("검증 번호가 맞지 않습니다")
    expect(page.get_by_label("사업자등록번호")).to_have_value("220-81-62518")
