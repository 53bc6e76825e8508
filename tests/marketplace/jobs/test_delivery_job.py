"""The e-mail job: a worker that dies while sending leaves the message pending, and the next run sends it once."""

from __future__ import annotations

import pytest
from sqlmodel import select

from marketplace import jobs, mail
from marketplace.notifications import services as notifications
from marketplace.notifications.models import DeliveryState, OutboxEmail


class Killed(BaseException):
    """What the job sees when its process is killed mid-send (the transaction never commits)."""


def test_a_job_killed_while_sending_leaves_the_message_pending_and_it_is_sent_on_the_next_run(
        db_session, factory, monkeypatch):
    user = factory.user()
    notifications.notify(db_session, [user], "invited", {"title": "빵 수요 예측"})
    db_session.commit()  # in-process mode: the delivery ran right after this commit
    row = db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == user.email)).one()
    row.state, row.sent_at, row.attempts = DeliveryState.PENDING, None, 0  # as if it had not run yet
    db_session.add(row)
    db_session.commit()

    sent = []

    def die(email):
        raise Killed

    monkeypatch.setattr(mail, "send", die)
    with pytest.raises(Killed):
        jobs.deliver_email(row.id)
    db_session.refresh(row)
    assert (row.state, row.attempts, row.sent_at) == (DeliveryState.PENDING, 0, None)

    monkeypatch.setattr(mail, "send", sent.append)
    assert jobs.deliver_email(row.id) == "sent"
    assert jobs.deliver_email(row.id) is None  # a duplicate job finds nothing to do
    assert [e.id for e in sent] == [row.id]
