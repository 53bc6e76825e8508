"""The notification centre page and the unread count every page's menu shows."""

from __future__ import annotations

from marketplace.notifications import services
from tests.helpers import csrf_token, login


def test_the_centre_lists_the_readers_notifications_and_marks_them_read(client, factory, db_session):
    user = factory.user(factory.vendor())
    login(client, user)
    assert 'data-testid="unread"' not in client.get("/notifications").get_data(as_text=True)
    services.notify(db_session, [user], "invited", {"title": "빵 수요 예측"}, link="/problems/3")
    db_session.commit()
    page = client.get("/notifications").get_data(as_text=True)
    assert "“빵 수요 예측” 과제 입찰에 초대받았습니다." in page and 'href="/problems/3"' in page
    assert 'data-testid="unread">1<' in page
    response = client.post("/notifications/read", data={"csrf_token": csrf_token(client, "/notifications")})
    assert response.status_code == 302
    page = client.get("/notifications").get_data(as_text=True)
    assert 'data-testid="unread"' not in page and services.unread_count(db_session, user) == 0


def test_an_empty_centre_says_so(client, factory):
    login(client, factory.user(factory.sme()))
    assert "새 알림이 없습니다." in client.get("/notifications").get_data(as_text=True)
