"""13.11, sign-up part: a sign-up with an address that already has an account answers exactly like a new
one, creates nothing, and e-mails the address's owner instead."""

from __future__ import annotations

from sqlmodel import select

from marketplace.accounts.models import Organisation
from marketplace.notifications.models import OutboxEmail
from tests.factories import PASSWORD, brn
from tests.helpers import post_form
from tests.marketplace.accounts.test_views import SIGNUP


def test_a_taken_address_gets_the_same_answer_and_its_owner_is_told(app, db_session, factory):
    owner = factory.user(email="kim@dongjin.example")
    organisations = len(db_session.exec(select(Organisation)).all())

    fresh, taken = app.test_client(), app.test_client()
    new = post_form(fresh, "/signup", SIGNUP)
    # another organisation (a valid, unregistered business number) with the taken address
    again = post_form(taken, "/signup", {**SIGNUP, "brn": brn(9901), "email": owner.email.upper()})
    assert (new.status_code, new.location) == (again.status_code, again.location)
    sent_new = fresh.get(new.location).get_data(as_text=True).replace(SIGNUP["email"], "<address>")
    sent_taken = taken.get(again.location).get_data(as_text=True).replace(owner.email, "<address>")
    strip = lambda html: html.split('name="csrf_token"')[0]  # noqa: E731 - tokens differ per browser
    assert strip(sent_new) == strip(sent_taken)

    assert len(db_session.exec(select(Organisation)).all()) == organisations + 1  # only the fresh sign-up
    (told,) = db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == owner.email)).all()
    assert "가입" in told.subject and "/password-reset" in told.body
    assert post_form(taken, "/login", {"email": owner.email, "password": PASSWORD}).status_code == 302  # unchanged
