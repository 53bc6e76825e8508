"""E-mail verification at sign-up (a banner until the e-mailed link is opened) and the e-mail
notification preference on the account page."""

from __future__ import annotations

import re

from sqlmodel import select

from marketplace.accounts.models import User
from marketplace.notifications import services as notifications
from marketplace.notifications.models import Notification, OutboxEmail
from tests.factories import PASSWORD
from tests.helpers import login, post_form
from tests.marketplace.accounts.test_views import SIGNUP

LINK = re.compile(r"http://\S+(/verify-email/\S+)")
BANNER = 'data-testid="verify-email-banner"'


def verification_links(db_session, email) -> list[str]:
    rows = db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == email).order_by(OutboxEmail.id)).all()
    return [m.group(1) for row in rows if (m := LINK.search(row.body))]


def test_sign_up_e_mails_a_link_and_shows_a_banner_until_it_is_opened(client, db_session):
    post_form(client, "/signup", SIGNUP)
    page = client.get("/account").get_data(as_text=True)
    assert BANNER in page and "owner@daesung.example 주소로 보낸 링크를 열어" in page
    (link,) = verification_links(db_session, SIGNUP["email"])

    opened = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "이메일 주소가 확인되었습니다" in opened and BANNER not in opened
    user = db_session.exec(select(User).where(User.email == SIGNUP["email"])).one()
    db_session.refresh(user)
    assert user.email_verified_at is not None
    assert client.get(link).status_code == 302  # a second visit is harmless


def test_a_tampered_link_says_so_and_the_banner_can_send_a_new_one(client, db_session):
    post_form(client, "/signup", SIGNUP)
    (link,) = verification_links(db_session, SIGNUP["email"])
    page = client.get(link[:-3] + "abc", follow_redirects=True).get_data(as_text=True)
    assert "유효하지 않은 링크입니다" in page and BANNER in page
    resent = post_form(client, "/account/verify-email", {"next": "/account"}, page="/account", follow_redirects=True)
    assert "새 링크를 보냈습니다" in resent.get_data(as_text=True)
    assert len(verification_links(db_session, SIGNUP["email"])) == 2


def test_a_changed_address_must_be_confirmed_again(client, db_session, factory):
    user = factory.user()
    login(client, user)
    assert BANNER not in client.get("/account").get_data(as_text=True)  # operator-made users are verified
    post_form(client, "/account/security", {"action": "email", "em-email": "new@dongjin.example",
                                            "em-current_password": PASSWORD})
    assert BANNER in client.get("/account").get_data(as_text=True)
    assert len(verification_links(db_session, "new@dongjin.example")) == 1


def test_with_e_mail_notifications_off_a_notification_stays_in_the_app(client, db_session, factory):
    user = factory.user()
    login(client, user)
    assert post_form(client, "/account/notifications", {"email_notifications": "none"}, page="/account").status_code == 302
    db_session.refresh(user)
    assert user.email_notifications == "none"
    notifications.notify(db_session, [user], "invited", {"title": "빵 수요 예측"})
    assert db_session.exec(select(Notification).where(Notification.user_id == user.id)).all()
    assert db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == user.email)).all() == []

    post_form(client, "/account/notifications", {"email_notifications": "all"}, page="/account")
    db_session.refresh(user)
    notifications.notify(db_session, [user], "invited", {"title": "빵 수요 예측"})
    assert len(db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == user.email)).all()) == 1
    bad = post_form(client, "/account/notifications", {"email_notifications": "sometimes"}, page="/account",
                    follow_redirects=True)
    assert bad.status_code == 200
