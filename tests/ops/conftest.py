"""Fresh, really-committing databases for the operations tests (backup, faults).

Each test gets a database of its own on the backend of the run: a copy of a SQLite file built
once by the migrations, or (when ``AXBRIDGE_TEST_DATABASE_URL`` is set, ``make test``'s second
pass) a temporary PostgreSQL database created from a migrated template next to the test one and
dropped afterwards, so the shared test database is never touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from marketplace import create_app
from marketplace.database import make_engine
from marketplace.migrate import upgrade
from tests.conftest import app_settings, private_postgres_database

POSTGRES = os.environ.get("AXBRIDGE_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite file built once by the migrations; each test copies it."""
    path = tmp_path_factory.mktemp("ops-template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template():
    """A PostgreSQL database built once by the migrations; each test's database is a copy of it."""
    if not POSTGRES:
        yield None
        return
    with private_postgres_database(POSTGRES) as url:
        upgrade(url)
        yield url


@contextlib.contextmanager
def _postgres_copy(template: str):
    base = make_url(template)
    name = f"{base.database}_ops_{uuid.uuid4().hex[:8]}"
    admin = make_engine(template, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{base.database}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _fresh(kind: str, tmp_path, request):
    if kind == "sqlite":
        path = tmp_path / "ops.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    if not POSTGRES:
        pytest.skip("PostgreSQL run only (AXBRIDGE_TEST_DATABASE_URL)")
    with _postgres_copy(request.getfixturevalue("postgres_template")) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    """A migrated database of this test's own, on each backend."""
    yield from _fresh(request.param, tmp_path, request)


@pytest.fixture
def backend_url(request, tmp_path):
    """A migrated database of this test's own on the backend of this run (PostgreSQL or SQLite)."""
    yield from _fresh("postgresql" if POSTGRES else "sqlite", tmp_path, request)


@pytest.fixture
def ops_app(tmp_path):
    """``ops_app(url)``: an app on ``url`` whose sessions really commit; its engine is disposed afterwards."""
    apps = []

    def make(url, **overrides):
        app = create_app(app_settings(url, tmp_path / "instance", **overrides))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["axbridge_db"].engine.dispose()


def count(app, sql: str, **params) -> int:
    with app.extensions["axbridge_db"].engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()
