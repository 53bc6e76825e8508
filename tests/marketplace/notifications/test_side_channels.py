"""Issue 13.2: notification ids and recipients must not let anyone count sealed bids."""

from __future__ import annotations

import re

from sqlmodel import select

from marketplace.accounts.models import User
from marketplace.notifications import services
from marketplace.notifications.models import Notification
from marketplace.problems import services as problems
from tests.helpers import api_token, bearer


def test_notification_ids_are_opaque_and_reveal_no_order_or_count(client, factory, db_session):
    watcher, other = factory.user(factory.vendor()), factory.user(factory.vendor())
    services.notify(db_session, [watcher], "answer", {"title": "첫째"})
    for title in ("남1", "남2", "남3"):
        services.notify(db_session, [other], "answer", {"title": title})  # what an attacker would count
    services.notify(db_session, [watcher], "answer", {"title": "둘째"})
    db_session.commit()
    items = client.get("/api/v1/notifications", headers=bearer(api_token(client, watcher))).json["items"]
    ids = [item["id"] for item in items]
    assert len(ids) == 2 and all(isinstance(i, str) and re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    rows = db_session.exec(select(Notification).where(Notification.user_id == watcher.id)).all()
    assert {r.public_id for r in rows} == set(ids) and not {str(r.id) for r in rows} & set(ids)


def test_an_answer_is_not_sent_to_vendors_only_because_they_bid(client, factory, db_session):
    problem = factory.problem(state="bidding")
    owner = db_session.get(User, problem.created_by_id)
    asker = factory.user(factory.vendor())
    silent_bidder = factory.user(factory.vendor())
    factory.bid(problem, silent_bidder, submit=False)  # a draft: sealed, and nobody's business
    factory.bid(problem, factory.user(factory.vendor()))  # a submitted bid
    question = problems.ask_question(db_session, user=asker, problem=problem, body="POS 데이터는 어떤 형식인가요?")
    db_session.commit()
    problems.answer_question(db_session, user=owner, question=question, answer="CSV로 내보낼 수 있습니다.")
    db_session.commit()
    told = set(db_session.exec(select(Notification.user_id).where(Notification.kind == "answer")))
    assert asker.id in told
    assert told == {asker.id}, "bidders were told because they bid: the count of those told counts the bids"
