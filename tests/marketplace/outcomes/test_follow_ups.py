"""Point 4: the questions at 6, 12 and 24 months after completion — schedule, asked once, answers, rates."""

from __future__ import annotations

import calendar
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from marketplace.notifications.models import Notification, OutboxEmail
from marketplace.outcomes import services
from marketplace.outcomes.models import FollowUp
from marketplace.core.types import utcnow
from marketplace.outcomes.services.follow_ups import KST


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.sampled_from([6, 12, 24]))
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months):
    later = services.add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == min(day.day, calendar.monthrange(later.year, later.month)[1])


def test_add_months_at_the_end_of_a_month():
    assert services.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert services.add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)


def completed(acc, client):
    agreement, milestone, owner, vendor_user, sme, vendor = acc.signed()
    for m in client.get(f"/api/v1/agreements/{agreement.id}", headers=sme).json["milestones"]:
        assert client.post(f"/api/v1/milestones/{m['id']}/deliver", json={}, headers=vendor).status_code == 200
        assert client.post(f"/api/v1/milestones/{m['id']}/accept", headers=sme).status_code == 200
    return agreement, owner, vendor_user, sme, vendor


def test_a_completed_project_is_asked_each_question_once(acc, client, db_session):
    agreement, owner, vendor_user, sme, vendor = completed(acc, client)
    assert services.run_follow_ups(db_session) == (1, 0)
    rows = db_session.exec(select(FollowUp).order_by(FollowUp.months)).all()
    today = utcnow().astimezone(KST).date()
    assert [(r.months, r.due_on) for r in rows] == [(m, services.add_months(today, m)) for m in (6, 12, 24)]
    assert services.run_follow_ups(db_session) == (0, 0)  # scheduled once
    in_a_year = services.add_months(today, 12)
    assert services.ask_due_follow_ups(db_session, today=in_a_year) == 2
    assert services.ask_due_follow_ups(db_session, today=in_a_year) == 0  # each asked once
    asked = db_session.exec(select(Notification).where(Notification.kind == "follow_up_due",
                                                       Notification.user_id == owner.id)).all()
    assert len(asked) == 2
    mails = db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == owner.email)).all()
    assert any("12" in m.subject for m in mails)
    db_session.commit()

    listed = client.get(f"/api/v1/agreements/{agreement.id}/follow-ups", headers=vendor).json
    assert listed["total"] == 3 and [f["months"] for f in listed["items"]] == [6, 12, 24]
    six, twelve, later = (f["id"] for f in listed["items"])
    assert client.post(f"/api/v1/follow-ups/{twelve}", json={"still_in_use": True}, headers=vendor).status_code == 403
    assert client.post(f"/api/v1/follow-ups/{later}", json={"still_in_use": True}, headers=sme).status_code == 409
    no_evidence = client.post(f"/api/v1/follow-ups/{twelve}", json={"still_in_use": True, "kpi_value": "5.1"},
                              headers=sme)
    assert no_evidence.status_code == 422 and no_evidence.json["errors"][0]["field"] == "evidence"
    answer = client.post(f"/api/v1/follow-ups/{twelve}", json={"still_in_use": True, "kpi_value": "5.1",
                                                               "evidence": "2027년 3월 폐기 일지"}, headers=sme)
    assert answer.status_code == 200 and answer.json["kpi_value"] == "5.1" and answer.json["kpi"] == "당일 폐기율"
    assert client.post(f"/api/v1/follow-ups/{twelve}", json={"still_in_use": False}, headers=sme).status_code == 409
    assert client.post(f"/api/v1/follow-ups/{six}", json={"still_in_use": False}, headers=sme).status_code == 200
    outcome = services.verified_kpi_outcomes(db_session, agreement.vendor_id)
    assert (outcome.followed_up_12m, outcome.in_use_12m, outcome.in_use_rate) == (1, 1, 100)
    assert "12개월 후 계속 사용: 100%" in client.get(f"/vendors/{agreement.vendor_id}").get_data(as_text=True)
