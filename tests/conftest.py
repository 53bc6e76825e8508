"""Fixtures shared by the whole suite.

The database is built once per run by the real migrations: SQLite in a temporary file by
default, PostgreSQL when ``AXBRIDGE_TEST_DATABASE_URL`` is set (``make test`` runs both). Each
test runs inside one outer transaction that is rolled back afterwards; the app's own commits
become savepoints inside it, so tests never see each other's data.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from marketplace import create_app
from marketplace.database import make_engine, normalise_url
from marketplace.migrate import upgrade
from tests.factories import Factory

FAST_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("AXBRIDGE_TEST_DATABASE_URL")
    if url:
        url = normalise_url(url)
        reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_config(database_url: str, instance_path, **overrides) -> dict:
    config = {
        "ENV": "testing",
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "INSTANCE_PATH": str(instance_path),
        "ARGON2_COST": FAST_ARGON2,
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return config


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    """Override in a test module to change settings for its app."""
    return test_config(database_url, tmp_path)


def bind_to(app, engine, maker) -> None:
    state = app.extensions["axbridge_db"]
    state.engine.dispose()
    state.engine = engine
    state.sessionmaker = maker


@pytest.fixture
def app(app_config, engine):
    app = create_app(app_config)
    connection = engine.connect()
    outer = connection.begin()
    bind_to(app, engine, sessionmaker(bind=connection, class_=Session, expire_on_commit=False,
                                      join_transaction_mode="create_savepoint"))
    yield app
    outer.rollback()
    connection.close()


@pytest.fixture
def db_session(app, app_config, engine):
    """A session on the test's transaction, inside an app context (services read config).

    The context belongs to a twin of ``app`` that shares its config and connection: requests made
    with ``client`` then get an app context (and ``g``) of their own, as in production.
    """
    twin = create_app(app_config)
    twin.config = app.config
    bind_to(twin, engine, app.extensions["axbridge_db"].sessionmaker)
    with twin.app_context():
        session = twin.extensions["axbridge_db"].sessionmaker()
        yield session
        session.close()


@pytest.fixture
def factory(app, db_session) -> Factory:
    return Factory(db_session)


@pytest.fixture
def client(app):
    return app.test_client()
