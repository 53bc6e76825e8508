"""Failed sign-ins slow down per account and per address with growing delays (13.9); the real owner is
never locked out: the wait ends, and an e-mailed reset link lets them in at once."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from marketplace import create_app
from marketplace.accounts import throttle
from marketplace.accounts.login_delays import delay_after
from marketplace.notifications.models import OutboxEmail
from tests.factories import PASSWORD
from tests.helpers import post_form
from tests.redis_server import redis_url


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(throttle.time, "time", clock)
    return clock


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LOGIN_FREE_FAILURES_PER_ACCOUNT": 3, "LOGIN_FREE_FAILURES_PER_ADDRESS": 6,
            "LOGIN_FIRST_DELAY_SECONDS": 10, "LOGIN_MAX_DELAY_SECONDS": 60}


@given(st.integers(0, 200), st.integers(1, 30), st.floats(0.1, 100), st.floats(100, 10_000))
def test_the_delay_is_free_then_grows_and_is_capped(failures, free, first, cap):
    delay = delay_after(failures, free=free, first=first, cap=cap)
    following = delay_after(failures + 1, free=free, first=first, cap=cap)
    assert 0 <= delay <= following <= cap
    if failures < free:
        assert delay == 0
    elif delay < cap:
        assert following == min(cap, 2 * delay)


def token(client, email, password="wrong-password"):
    return client.post("/api/v1/tokens", json={"email": email, "password": password})


def test_each_failure_beyond_the_free_ones_doubles_the_wait_but_never_locks_out(client, factory, clock):
    user = factory.user()
    assert [token(client, user.email).status_code for _ in range(3)] == [401, 401, 401]
    waits = []
    for _ in range(4):
        refused = token(client, user.email, PASSWORD)  # even the right password waits: it is not checked
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        clock.now += waits[-1]
        assert token(client, user.email).status_code == 401
    assert waits == [10, 20, 40, 60]
    clock.now += 60
    assert token(client, user.email, PASSWORD).status_code == 201  # the owner gets in after the wait
    assert token(client, user.email).status_code == 401  # and the count started again


def test_the_login_page_names_the_wait_and_the_reset_link_lets_the_owner_in_at_once(client, db_session, factory,
                                                                                   clock):
    user = factory.user()
    for _ in range(3):
        post_form(client, "/login", {"email": user.email, "password": "wrong-password"})
    page = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    html = page.get_data(as_text=True)
    assert page.status_code == 429 and "10초 뒤에 다시 시도" in html and 'href="/password-reset"' in html

    client.post("/api/v1/password-resets", json={"email": user.email})
    (mail,) = db_session.exec(select(OutboxEmail).where(OutboxEmail.to_email == user.email)).all()
    link = re.search(r"/password-reset/(\S+)", mail.body).group(1)
    new = "a-brand-new-passphrase-9"
    post_form(client, f"/password-reset/{link}", {"password": new, "password_confirm": new})
    assert post_form(client, "/login", {"email": user.email, "password": new}).status_code == 302


def test_one_address_trying_many_accounts_slows_down_too(client, clock):
    statuses = [token(client, f"guess{n}@nowhere.example").status_code for n in range(7)]
    assert statuses == [401] * 6 + [429]
    assert token(client, "another@nowhere.example").status_code == 429


def test_the_counts_are_shared_through_redis(app_config, app, clock):
    """Two apps (two processes or hosts) with one Redis: failures on one slow the other down."""
    config = {**app_config, "REDIS_URL": redis_url(), "JOBS_NAMESPACE": f"axbridge-test-{uuid.uuid4().hex[:8]}"}
    first, second = create_app(config), create_app(config)
    for other in (first, second):
        other.extensions["axbridge_db"] = app.extensions["axbridge_db"]
    email = f"shared-{uuid.uuid4().hex[:6]}@nowhere.example"
    a, b = first.test_client(), second.test_client()
    assert [token(c, email).status_code for c in (a, b, a)] == [401, 401, 401]
    assert token(b, email).status_code == 429
