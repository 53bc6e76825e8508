import re

import pytest
from sqlmodel import select

from marketplace.accounts.models import Invitation, Organisation, User
from tests.factories import PASSWORD
from tests.helpers import csrf_token, login, post_form

SIGNUP = {
    "kind": "sme", "name_ko": "대성염색", "name_en": "Daesung Dyeing", "brn": "220-81-62517", "region": "daegu",
    "industry": "C13", "employees": "38", "annual_revenue_krw": "6200000000", "name": "최영호",
    "email": "owner@daesung.example", "password": PASSWORD, "password_confirm": PASSWORD,
}


def test_home_page_is_korean_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="ko">' in html
    assert "우리 공장의 진짜 문제에 맞는 AI 파트너" in html


def test_sign_up_registers_the_owner_who_logs_in_with_the_password(client, db_session):
    response = post_form(client, "/signup", SIGNUP)
    assert response.status_code == 302 and response.location.endswith("/signup/sent")
    assert "owner@daesung.example" in client.get("/signup/sent").get_data(as_text=True)
    assert db_session.exec(select(User).where(User.email == "owner@daesung.example")).one().is_owner
    post_form(client, "/login", {"email": SIGNUP["email"], "password": PASSWORD})
    page = client.get("/account").get_data(as_text=True)
    assert "대성염색" in page and "인증 대기" in page


def test_sign_up_with_a_wrong_business_number_shows_why_and_saves_nothing(client, db_session):
    response = post_form(client, "/signup", {**SIGNUP, "brn": "220-81-62518"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "유효하지 않은 사업자등록번호입니다" in html
    assert db_session.exec(select(Organisation)).all() == []


def test_sign_up_in_english_shows_english_errors(client):
    post_form(client, "/language", {"lang": "en", "next": "/signup"}, page="/login")
    response = post_form(client, "/signup", {**SIGNUP, "email": "nope"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a valid e-mail address." in html
    assert '<html lang="en">' in html


def test_forms_without_a_csrf_token_are_refused(client):
    response = client.post("/signup", data=SIGNUP)
    assert response.status_code == 400
    assert "양식이 만료되었거나" in response.get_data(as_text=True)


def test_a_visitor_switches_language_without_a_token_but_a_signed_in_user_needs_one(app, client, factory):
    # A visitor's pages hand out no token and set no cookie: the switch changes only their own session.
    home = client.get("/")
    assert 'name="csrf_token"' not in home.get_data(as_text=True) and "Set-Cookie" not in home.headers
    # ... but another site cannot switch it for them: the browser says where the post comes from
    for cross_site in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}, {"Origin": "null"},
                       {"Referer": "https://evil.example/page"}):
        assert client.post("/language", data={"lang": "en", "next": "/"}, headers=cross_site).status_code == 400
    assert '<html lang="ko">' in client.get("/").get_data(as_text=True)
    same_site = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost", "Referer": "http://localhost/"}
    assert client.post("/language", data={"lang": "en", "next": "/"}, headers=same_site).status_code == 302
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    # Signed in, the choice is saved to the account: a forged post (no token) is refused and changes nothing.
    user = factory.user()
    signed_in = app.test_client()
    login(signed_in, user)
    forged = signed_in.post("/language", data={"lang": "en", "next": "/"})
    assert forged.status_code == 400
    assert '<html lang="ko">' in signed_in.get("/").get_data(as_text=True)
    assert post_form(signed_in, "/language", {"lang": "en", "next": "/"}, page="/").status_code == 302
    assert '<html lang="en">' in signed_in.get("/").get_data(as_text=True)


def test_login_without_a_password_asks_for_it(client, factory):
    response = post_form(client, "/login", {"email": factory.user().email})
    assert response.status_code == 422
    assert re.search(r'data-testid="error-password">필수 항목입니다.<', response.get_data(as_text=True))


def test_login_with_a_wrong_password_says_so(client, factory):
    user = factory.user()
    response = post_form(client, "/login", {"email": user.email, "password": "not-the-password"})
    assert response.status_code == 422
    assert "이메일 주소 또는 비밀번호가 올바르지 않습니다" in response.get_data(as_text=True)


def test_session_cookie_is_rotated_at_login(client, factory):
    user = factory.user()
    client.get("/login")
    before = client.get_cookie("axbridge_session").value
    login(client, user)
    after = client.get_cookie("axbridge_session").value
    assert before != after


def test_cookie_copied_before_logout_is_refused_afterwards(app, client, factory):
    user = factory.user()
    login(client, user)
    stolen = client.get_cookie("axbridge_session").value
    assert client.get("/account").status_code == 200
    post_form(client, "/logout", {}, page="/account")
    assert client.get("/account").status_code == 302

    thief = app.test_client()
    thief.set_cookie("axbridge_session", stolen)
    response = thief.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_session_cookie_flags(client, factory):
    user = factory.user()
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.fixture
def strict_limits(app):
    app.config.update(LOGIN_FREE_FAILURES_PER_ACCOUNT=3, LOGIN_FIRST_DELAY_SECONDS=60)


def test_failed_logins_are_limited_per_account(strict_limits, client, factory):
    user = factory.user()
    for _ in range(3):
        assert post_form(client, "/login", {"email": user.email, "password": "wrong-password"}).status_code == 422
    blocked = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "로그인 실패가 너무 많습니다" in blocked.get_data(as_text=True)
    # The API shares the same per-account limit.
    assert client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD}).status_code == 429


def test_language_choice_is_remembered_for_the_user(app, client, factory):
    user = factory.user()
    login(client, user)
    post_form(client, "/language", {"lang": "en", "next": "/account"}, page="/account")
    other_browser = app.test_client()
    login(other_browser, user)
    assert "Your account" in other_browser.get("/account").get_data(as_text=True)


def test_owner_invites_a_colleague_who_joins(app, client, factory):
    owner = factory.user()
    login(client, owner)
    response = post_form(client, "/account/invitations", {"email": "new@hanbit.example", "role": "member"},
                         page="/account", follow_redirects=True)
    link = re.search(r"(http://localhost/invitations/[\w-]+)", response.get_data(as_text=True)).group(1)
    guest = app.test_client()
    path = link.removeprefix("http://localhost")
    joined = post_form(guest, path, {"name": "신입 직원", "password": "welcome-aboard-1", "password_confirm":
                                     "welcome-aboard-1"})
    assert joined.status_code == 302
    assert "신입 직원" in guest.get("/account").get_data(as_text=True)


def test_admin_pages_are_for_admins_only(client, factory):
    login(client, factory.user())
    assert client.get("/admin/organisations").status_code == 403


def test_admin_verifies_an_organisation(app, client, factory):
    org = factory.sme()
    login(client, factory.admin())
    page = client.get("/admin/organisations").get_data(as_text=True)
    assert org.name_ko in page
    response = client.post(f"/admin/organisations/{org.id}/verify", data={"csrf_token": csrf_token(client, "/admin/organisations")})
    assert response.status_code == 302
    assert "인증됨" in client.get("/admin/organisations").get_data(as_text=True)


def test_friendly_404_in_both_languages(client):
    assert "페이지를 찾을 수 없습니다" in client.get("/no-such-page").get_data(as_text=True)
    post_form(client, "/language", {"lang": "en", "next": "/"}, page="/login")
    assert "We could not find this page" in client.get("/no-such-page").get_data(as_text=True)


def test_changing_the_password_needs_the_current_one_and_signs_out_other_browsers(app, client, factory):
    from tests.helpers import api_token, bearer

    user = factory.user()
    login(client, user)
    other = app.test_client()
    login(other, user)
    token = api_token(app.test_client(), user)
    wrong = post_form(client, "/account/security", {"action": "password", "pw-current_password": "not-it-at-all",
                                                    "pw-new_password": "a-brand-new-pass", "pw-new_password_confirm":
                                                    "a-brand-new-pass"})
    assert wrong.status_code == 422 and "현재 비밀번호가 올바르지 않습니다" in wrong.get_data(as_text=True)
    ok = post_form(client, "/account/security", {"action": "password", "pw-current_password": PASSWORD,
                                                 "pw-new_password": "a-brand-new-pass",
                                                 "pw-new_password_confirm": "a-brand-new-pass"})
    assert ok.status_code == 302
    assert client.get("/account").status_code == 200  # this browser stays signed in
    assert other.get("/account").status_code == 302  # the other one is signed out
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 401
    fresh = app.test_client()
    assert post_form(fresh, "/login", {"email": user.email, "password": "a-brand-new-pass"}).status_code == 302


def test_changing_the_email_needs_the_current_password(client, factory):
    user = factory.user()
    taken = factory.user()
    login(client, user)
    response = post_form(client, "/account/security", {"action": "email", "em-email": taken.email,
                                                       "em-current_password": PASSWORD}, page="/account/security")
    assert response.status_code == 422 and "이미 있습니다" in response.get_data(as_text=True)
    response = post_form(client, "/account/security", {"action": "email", "em-email": "new@hanbit.example",
                                                       "em-current_password": "wrong-password-1"},
                         page="/account/security")
    assert response.status_code == 422
    response = post_form(client, "/account/security", {"action": "email", "em-email": "new@hanbit.example",
                                                       "em-current_password": PASSWORD}, page="/account/security")
    assert response.status_code == 302
    assert "new@hanbit.example" in client.get("/account").get_data(as_text=True)


def test_an_empty_sign_up_form_marks_every_required_field(client, db_session):
    response = post_form(client, "/signup", {"kind": "sme"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for name in ("name_ko", "name_en", "brn", "region", "industry", "employees", "annual_revenue_krw", "name",
                 "email", "password"):
        assert f'data-testid="error-{name}"' in html, name
    assert 'data-testid="error-kind"' not in html
    assert db_session.exec(select(Organisation)).all() == []


def test_sign_up_errors_sit_next_to_their_fields_with_the_contracts_messages(client):
    response = post_form(client, "/signup", {**SIGNUP, "employees": "많이", "password_confirm": "something-else",
                                             "region": "atlantis"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.compile(r'data-testid="error-(\w+)">([^<]+)<')
    errors = dict(error.findall(html))
    assert errors == {"employees": "정수를 입력하세요.", "password_confirm": "비밀번호가 서로 다릅니다.",
                      "region": "목록에서 지역(시·도)을 선택하세요."}
    assert 'value="많이"' in html  # what was typed is shown again


def test_a_password_that_is_the_email_address_is_refused_on_sign_up(client, db_session):
    response = post_form(client, "/signup", {**SIGNUP, "password": SIGNUP["email"].upper(),
                                             "password_confirm": SIGNUP["email"].upper()})
    assert response.status_code == 422
    assert 'data-testid="error-password"' in response.get_data(as_text=True)
    assert db_session.exec(select(User)).all() == []


def test_a_taken_business_number_is_reported_but_a_taken_email_is_not(client, factory, db_session):
    org = factory.sme()
    user = factory.user(org)
    response = post_form(client, "/signup", {**SIGNUP, "brn": org.brn_display, "email": user.email})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "이미 등록된 기관" in html and 'data-testid="error-email"' not in html


def test_a_new_password_must_follow_the_policy_and_be_typed_twice_alike(client, factory):
    user = factory.user()
    login(client, user)
    short = post_form(client, "/account/security", {"action": "password", "pw-current_password": PASSWORD,
                                                    "pw-new_password": "short", "pw-new_password_confirm": "short"})
    assert short.status_code == 422
    assert re.search(r'data-testid="error-pw-new_password">[^<]*10자', short.get_data(as_text=True))
    differ = post_form(client, "/account/security", {"action": "password", "pw-current_password": PASSWORD,
                                                     "pw-new_password": "a-brand-new-pass",
                                                     "pw-new_password_confirm": "a-brand-new-pasz"})
    assert differ.status_code == 422
    assert 'data-testid="error-pw-new_password_confirm"' in differ.get_data(as_text=True)
    own_email = post_form(client, "/account/security", {"action": "password", "pw-current_password": PASSWORD,
                                                        "pw-new_password": user.email,
                                                        "pw-new_password_confirm": user.email})
    assert own_email.status_code == 422
    assert "추측하기 쉬운" in own_email.get_data(as_text=True)


def test_an_invitation_to_a_bad_address_is_refused_with_the_reason(client, factory, db_session):
    login(client, factory.user())
    response = post_form(client, "/account/invitations", {"email": "not-an-address", "role": "member"},
                         page="/account", follow_redirects=True)
    assert "올바른 이메일 주소를 입력하세요." in response.get_data(as_text=True)
    assert db_session.exec(select(Invitation)).all() == []
