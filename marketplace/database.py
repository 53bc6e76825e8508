"""Engine and per-request session.

One transaction per request: views and services use :data:`db.session`; services flush, never
commit. The request commits once at the end when the response is not an error, and rolls back
otherwise. CLI commands use :func:`session_scope`.

SQLite (the embedded default) gets WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE``
transactions: a transaction takes the write lock when it starts, so two writers queue instead of
deadlocking on a lock upgrade. Requests that only read by their method (GET, HEAD, OPTIONS) begin
deferred instead: in WAL they read a snapshot without the write lock, so pages are served in parallel
and while a writer works. Such a request may still write (a GET that records something); its
transaction then upgrades, which SQLite refuses at once ("database is locked") when another
connection committed since the snapshot was taken. That request is then run once more from the
start with the write lock taken at ``BEGIN``, exactly as before (see :meth:`Database._dispatch`).
PostgreSQL is used through psycopg 3.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Flask, current_app, g, has_app_context, has_request_context, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 15_000
#: Methods that only read by HTTP's definition; their SQLite transactions begin deferred.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The execution option that makes :func:`_configure_sqlite`'s ``BEGIN`` deferred.
DEFERRED = "axbridge_deferred_begin"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def normalise_url(url: str) -> str:
    """Accept the usual spellings of a PostgreSQL URL and use psycopg 3 for all of them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, **kwargs) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000}, **kwargs)
        _configure_sqlite(engine, busy_timeout_ms)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised on every connect
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(DEFERRED) else "BEGIN IMMEDIATE")

    @event.listens_for(engine, "handle_error")
    def _on_error(context):
        # A deferred transaction could not upgrade to write: the request is run again with the lock.
        conn = context.connection
        if (conn is not None and conn.get_execution_options().get(DEFERRED) and has_app_context()
                and "locked" in str(context.original_exception)
                and (context.statement or "").lstrip()[:7].upper().startswith(WRITES)):
            g.db_retry_with_write_lock = True


@dataclass
class DatabaseState:
    engine: Engine
    sessionmaker: sessionmaker
    #: ``(engine, engine with deferred BEGIN)`` for read requests on SQLite (see :meth:`Database.session`)
    deferred: tuple[Engine, Engine] | None = None

    def read_bind(self) -> Engine | None:
        """What read requests' sessions bind to instead of ``engine``: ``engine`` with a deferred
        ``BEGIN`` on SQLite; None on PostgreSQL, or when the sessions were bound elsewhere (tests)."""
        if self.engine.dialect.name != "sqlite" or self.sessionmaker.kw.get("bind") is not self.engine:
            return None
        if self.deferred is None or self.deferred[0] is not self.engine:
            self.deferred = (self.engine, self.engine.execution_options(**{DEFERRED: True}))
        return self.deferred[1]


class Database:
    """The app's database handle; state lives on each app, so several apps can coexist."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"],
                             busy_timeout_ms=app.config.get("SQLITE_BUSY_TIMEOUT_MS", SQLITE_BUSY_TIMEOUT_MS))
        app.extensions["axbridge_db"] = DatabaseState(
            engine=engine,
            sessionmaker=sessionmaker(bind=engine, class_=Session, expire_on_commit=False),
        )
        app.full_dispatch_request = self._dispatch(app.full_dispatch_request)
        app.after_request(self._finish_request)
        # The session ends with the request, or with the app context outside requests (CLI).
        app.teardown_request(self._close_session)
        app.teardown_appcontext(self._close_session)

    @staticmethod
    def state(app: Flask | None = None) -> DatabaseState:
        return (app or current_app).extensions["axbridge_db"]

    @property
    def engine(self) -> Engine:
        return self.state().engine

    @property
    def session(self) -> Session:
        """The session of the current app context, created on first use."""
        if "db_session" not in g:
            state = self.state()
            bind = (state.read_bind() if has_request_context() and request.method in READ_METHODS
                    and not g.get("db_write_lock") else None)
            g.db_session = state.sessionmaker(bind=bind) if bind is not None else state.sessionmaker()
        return g.db_session

    def _dispatch(self, dispatch):
        """Flask's ``full_dispatch_request``, run once more with the write lock when a read request's
        deferred SQLite transaction could not upgrade to write (see the module's docstring)."""

        def full_dispatch_request():
            try:
                response = dispatch()
            except OperationalError:
                if not g.pop("db_retry_with_write_lock", False):
                    raise
            else:
                if not g.pop("db_retry_with_write_lock", False):
                    return response
            logger.info("%s %s wrote after another connection's commit: run again with the write lock",
                        request.method, request.path)
            self._close_session(None)
            g.db_write_lock = True
            return dispatch()

        return full_dispatch_request

    @staticmethod
    def _finish_request(response):
        session: Session | None = g.get("db_session")
        if session is not None:
            if response.status_code < 400:
                session.commit()
            else:
                session.rollback()
        return response

    @staticmethod
    def _close_session(_exc):
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()


@contextlib.contextmanager
def session_scope(app: Flask | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error (CLI, seed, scripts)."""
    session = Database.state(app).sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
