"""Fixtures shared by the whole suite.

The database is built once per run by the real migrations: SQLite in a temporary file by
default, PostgreSQL when ``AXBRIDGE_TEST_DATABASE_URL`` is set (``make test`` runs both). Each
test runs inside one outer transaction that is rolled back afterwards; the app's own commits
become savepoints inside it, so tests never see each other's data.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hypothesis import settings
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from marketplace import create_app
from marketplace.database import make_engine, normalise_url
from marketplace.migrate import upgrade
from tests.factories import Factory

FAST_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
TRANSLATIONS = Path(__file__).resolve().parent.parent / "marketplace" / "translations"


def compile_translations() -> None:
    """Compile each catalogue whose .mo is missing or older than its .po (what ``make translations`` does),
    so that a plain ``pytest`` after ``make setup`` sees the Korean and English texts."""
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        temp = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")  # xdist workers may compile at once
        with temp.open("wb") as target:
            write_mo(target, catalog)
        os.replace(temp, mo)


def pytest_configure(config):
    compile_translations()

# Hypothesis (and Schemathesis through it) draws the same cases on every run of the suite, so a red
# run means a regression, not an unlucky draw. `make fuzz` explores with fresh random cases instead.
# No per-example deadline: speed lives in benchmarks, and on a shared machine a slow draw is not a bug.
settings.register_profile("reproducible", derandomize=True, database=None, print_blob=True, deadline=None)
settings.register_profile("explore", derandomize=False, database=None, print_blob=True, deadline=None)
settings.load_profile(os.environ.get("AXBRIDGE_HYPOTHESIS_PROFILE", "reproducible"))


@contextlib.contextmanager
def private_postgres_database(url: str):
    """A database of this test run's own next to the given one, dropped afterwards.

    Two runs (a developer's and CI's, or two workers) never share tables.
    """
    base = make_url(normalise_url(url))
    name = f"{base.database}_run_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("AXBRIDGE_TEST_DATABASE_URL")
    if url:
        with private_postgres_database(url) as private:
            upgrade(private)
            yield private
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def app_settings(database_url: str, instance_path, **overrides) -> dict:
    config = {
        "ENV": "testing",
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "INSTANCE_PATH": str(instance_path),
        "ARGON2_COST": FAST_ARGON2,
        "SERVER_NAME": None,
        # Every /api/v1 answer must carry a status its operation declares (marketplace.api.statuses).
        "API_CHECK_DECLARED_STATUSES": True,
    }
    config.update(overrides)
    return config


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    """Override in a test module to change settings for its app."""
    return app_settings(database_url, tmp_path)


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


def pytest_collection_modifyitems(config, items):
    """Browser tests last: they are the slowest, and their live server and browser threads stay up
    until the end of the run (the fault tests fork worker processes and need a single thread)."""
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))
