"""Password reset by an e-mailed one-time link: no hint whether the address exists, expiring, single use,
the sign-up password rule, and every session and API token ended after the change."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from marketplace.core.types import travel
from marketplace.notifications.models import OutboxEmail
from tests.factories import PASSWORD
from tests.helpers import api_token, bearer, login, post_form

NEW = "hanbit-bakery-ovens-42"
LINK = re.compile(r"http://\S+/password-reset/(\S+)")


def reset_emails(db_session, email):
    return db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == email,
                                                     OutboxEmail.subject.contains("비밀번호"))).all()


def ask(client, db_session, user) -> str:
    response = client.post("/api/v1/password-resets", json={"email": user.email.upper()})
    assert response.status_code == 202
    (email,) = reset_emails(db_session, user.email)
    return LINK.search(email.body).group(1)


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(client, db_session, factory):
    user = factory.user()
    known = client.post("/api/v1/password-resets", json={"email": user.email})
    unknown = client.post("/api/v1/password-resets", json={"email": "nobody@nowhere.example"})
    malformed = client.post("/api/v1/password-resets", json={"email": "not an address"})
    assert known.status_code == unknown.status_code == malformed.status_code == 202
    assert known.json == unknown.json == malformed.json
    assert len(reset_emails(db_session, user.email)) == 1
    assert db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == "nobody@nowhere.example")).all() == []


def test_the_link_sets_a_new_password_once_and_signs_everything_out(client, app, db_session, factory):
    user = factory.user()
    other_browser = app.test_client()
    login(other_browser, user)
    token = api_token(client, user)
    link = ask(client, db_session, user)

    page = client.get(f"/password-reset/{link}")
    assert page.status_code == 200 and "새 비밀번호 설정" in page.get_data(as_text=True)
    done = post_form(client, f"/password-reset/{link}", {"password": NEW, "password_confirm": NEW})
    assert done.status_code == 302 and done.location.endswith("/login")

    assert other_browser.get("/account").status_code == 302  # signed out
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert post_form(client, "/login", {"email": user.email, "password": PASSWORD}).status_code == 422
    login(client, user, NEW)

    again = client.get(f"/password-reset/{link}")
    assert again.status_code == 410 and "이미 사용한 링크입니다" in again.get_data(as_text=True)


def test_an_expired_or_tampered_link_says_so_and_changes_nothing(client, db_session, factory):
    user = factory.user()
    link = ask(client, db_session, user)
    tampered = client.get(f"/password-reset/{link[:-2]}xy")
    assert tampered.status_code == 410 and "유효하지 않은 링크입니다" in tampered.get_data(as_text=True)
    with travel(timedelta(minutes=61)):
        expired = post_form(client, f"/password-reset/{link}", {"password": NEW, "password_confirm": NEW},
                            page="/password-reset")
    assert expired.status_code == 410 and "유효 시간이 지났습니다" in expired.get_data(as_text=True)
    login(client, user)  # the old password still works


def test_the_new_password_follows_the_sign_up_rule(client, db_session, factory):
    user = factory.user()
    link = ask(client, db_session, user)
    short = post_form(client, f"/password-reset/{link}", {"password": "short", "password_confirm": "short"})
    assert short.status_code == 422 and "10자 이상" in short.get_data(as_text=True)
    like_email = post_form(client, f"/password-reset/{link}", {"password": user.email, "password_confirm": user.email})
    assert like_email.status_code == 422
    assert client.get(f"/password-reset/{link}").status_code == 200  # not used up by the failed tries


def test_the_login_page_links_to_the_reset_page(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/password-reset"' in html and "비밀번호를 잊으셨나요?" in html
    page = client.get("/password-reset")
    assert page.status_code == 200
    asked = post_form(client, "/password-reset", {"email": "nobody@nowhere.example"})
    assert asked.status_code == 302
    assert "이메일로 보냈습니다" in client.get("/login").get_data(as_text=True)
