"""Notifications: one row per person, worded when read in the reader's language, and an e-mail in the outbox."""

from __future__ import annotations

from flask_babel import force_locale
from sqlmodel import select

from marketplace.notifications import services
from marketplace.notifications.models import Notification, OutboxEmail


def test_each_active_member_is_notified_once_and_mailed_in_their_language(app, factory, db_session):
    vendor = factory.vendor()
    korean, english = factory.user(vendor), factory.user(vendor, role="member", locale="en")
    gone = factory.user(vendor, role="member")
    gone.is_active = False
    app.config["PUBLIC_URL"] = "https://axbridge.example"
    sent = services.notify(db_session, [korean, english, korean, gone, None], "invited", {"title": "빵 수요 예측"},
                           link="/problems/7")
    assert sent == 2
    rows = db_session.exec(select(Notification).where(Notification.user_id.in_([korean.id, english.id, gone.id]))
                           .order_by(Notification.id)).all()
    assert [(n.user_id, n.kind, n.link) for n in rows] == [(korean.id, "invited", "/problems/7"),
                                                           (english.id, "invited", "/problems/7")]
    mails = {m.to_email: m for m in db_session.exec(select(OutboxEmail).where(
        OutboxEmail.to_email.in_([korean.email, english.email, gone.email])))}
    assert set(mails) == {korean.email, english.email}
    assert mails[korean.email].subject == "[AX Bridge] “빵 수요 예측” 과제 입찰에 초대받았습니다."
    assert mails[english.email].subject == "[AX Bridge] You are invited to bid on “빵 수요 예측”."
    assert mails[korean.email].body.endswith("바로 가기: https://axbridge.example/problems/7")


def test_a_notification_is_worded_when_read_in_the_readers_language(app):
    with app.test_request_context(), force_locale("ko"):
        assert services.message("invited", {"title": "염색 레시피"}) == "“염색 레시피” 과제 입찰에 초대받았습니다."
        assert services.message("something_new", {"title": "염색 레시피"}) == "“염색 레시피” 과제에 변경이 있습니다."
    with app.test_request_context(), force_locale("en"):
        assert services.message("award_lost", {"title": "Dyeing", "score": "71.5", "rank": 2}) == (
            "Another bid was awarded for “Dyeing”. Your bid scored 71.5 and ranked 2.")


def test_organisations_are_notified_through_their_members(factory, db_session):
    one, other = factory.vendor(), factory.vendor()
    users = [factory.user(one), factory.user(one, role="member"), factory.user(other)]
    assert services.notify_organisations(db_session, [], "invited", {"title": "x"}) == 0
    assert services.notify_organisations(db_session, {one.id}, "invited", {"title": "x"}) == 2
    notified = set(db_session.exec(select(Notification.user_id).where(
        Notification.user_id.in_([u.id for u in users]))).all())
    assert notified == {users[0].id, users[1].id}


def test_reading_marks_all_read_and_the_count_follows(factory, db_session):
    user = factory.user(factory.vendor())
    other = factory.user(factory.vendor())
    for title in ("첫째", "둘째"):
        services.notify(db_session, [user, other], "answer", {"title": title})
    assert services.unread_count(db_session, user) == 2
    assert [n.params["title"] for n in services.list_notifications(db_session, user)] == ["둘째", "첫째"]
    assert services.mark_all_read(db_session, user) == 2
    assert services.unread_count(db_session, user) == 0
    assert services.mark_all_read(db_session, user) == 0
    assert services.unread_count(db_session, other) == 2  # someone else's stay unread


def test_the_outbox_is_sent_once(factory, db_session):
    services.deliver_outbox(db_session, limit=100_000)  # whatever earlier runs left
    user = factory.user(factory.vendor())
    services.notify(db_session, [user], "bids_ready", {"title": "빵"})
    assert services.deliver_outbox(db_session) == 1
    assert services.deliver_outbox(db_session) == 0
    assert db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == user.email)).one().sent_at is not None
