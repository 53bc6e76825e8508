"""Several hosts, in one process: ProxyFix trusts only the configured number of proxies, rate limits use
Redis when it is configured, and an unreachable Redis never makes a limit disappear."""

from __future__ import annotations

import contextlib
import logging
import uuid

import pytest
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from marketplace import create_app
from marketplace.config import ConfigError
from tests.conftest import app_settings, bind_to
from tests.redis_server import redis_url


@pytest.fixture
def app_config(database_url, tmp_path):
    return app_settings(database_url, tmp_path, LOGIN_LIMIT_PER_ADDRESS="2 per minute",
                        LOGIN_LIMIT_PER_ACCOUNT="100 per minute", RATELIMIT_KEY_PREFIX=f"t{uuid.uuid4().hex[:8]}")


@contextlib.contextmanager
def bound(app, engine):
    """The app on the test's rolled-back transaction."""
    connection = engine.connect()
    outer = connection.begin()
    bind_to(app, engine, sessionmaker(bind=connection, class_=Session, join_transaction_mode="create_savepoint"))
    try:
        yield app.test_client()
    finally:
        outer.rollback()
        connection.close()


def fail_login(client, address: str, n: int):
    return client.post("/api/v1/tokens", json={"email": f"x{n}@nowhere.example", "password": "wrong-password"},
                       headers={"X-Forwarded-For": address})


@pytest.mark.parametrize("proxies, other_address_limited", [(0, True), (1, False)])
def test_the_client_address_comes_from_trusted_proxies_only(app_config, engine, proxies, other_address_limited):
    with bound(create_app({**app_config, "TRUSTED_PROXIES": proxies}), engine) as client:
        assert [fail_login(client, "203.0.113.7", n).status_code for n in range(3)] == [401, 401, 429]
        other = fail_login(client, "198.51.100.9", 9).status_code
    assert (other == 429) is other_address_limited


def test_production_refuses_to_start_when_the_configured_redis_does_not_answer(tmp_path):
    with pytest.raises(ConfigError, match="AXBRIDGE_REDIS_URL"):
        create_app({"ENV": "production", "SECRET_KEY": "k" * 40, "INSTANCE_PATH": str(tmp_path),
                    "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "REDIS_URL": "redis://127.0.0.1:1/0"})


def test_limits_go_to_redis_when_configured(app_config):
    url = redis_url()
    app = create_app({**app_config, "REDIS_URL": url})
    assert app.config["RATELIMIT_STORAGE_URI"] == url


def test_an_unreachable_redis_falls_back_to_per_process_limits_with_a_log_line(app_config, engine, caplog):
    app = create_app({**app_config, "REDIS_URL": "redis://127.0.0.1:1/0"})  # testing: starts, then falls back
    with bound(app, engine) as client, caplog.at_level(logging.WARNING):
        statuses = [fail_login(client, "203.0.113.7", n).status_code for n in range(3)]
    assert statuses == [401, 401, 429]
    assert "falling back to in-memory storage" in caplog.text
