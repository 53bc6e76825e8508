"""``/api/v1/notifications``: the caller's own notifications, newest first, in the caller's language."""

from __future__ import annotations

from marketplace.accounts.models import User
from marketplace.notifications import services
from marketplace.problems import services as problems
from tests.helpers import api_token, bearer


def test_notifications_list_in_the_readers_language(client, factory, db_session):
    problem = factory.problem(state="bidding")
    vendor = factory.vendor()
    vendor_user = factory.user(vendor, locale="en")
    problems.invite_vendor(db_session, user=db_session.get(User, problem.created_by_id), problem=problem, vendor=vendor)
    db_session.commit()
    token = api_token(client, vendor_user)
    items = client.get("/api/v1/notifications", headers=bearer(token)).json["items"]
    assert items and items[0]["kind"] == "invited"
    assert items[0]["message"].startswith("You are invited to bid on")


def test_the_list_pages_newest_first_and_shows_only_the_callers_own(client, factory, db_session):
    user, other = factory.user(factory.vendor()), factory.user(factory.vendor())
    for title in ("하나", "둘", "셋"):
        services.notify(db_session, [user], "answer", {"title": title})
    services.notify(db_session, [other], "answer", {"title": "남의 것"})
    db_session.commit()
    token = api_token(client, user)
    first = client.get("/api/v1/notifications?per_page=2", headers=bearer(token)).json
    assert first["total"] == 3 and [i["message"] for i in first["items"]] == [
        "“셋” 과제에 새 답변이 올라왔습니다.", "“둘” 과제에 새 답변이 올라왔습니다."]
    second = client.get("/api/v1/notifications?per_page=2&page=2", headers=bearer(token)).json
    assert [i["read"] for i in second["items"]] == [False] and "하나" in second["items"][0]["message"]
