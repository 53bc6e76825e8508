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

PostgreSQL is used through psycopg 3. Read requests there run in autocommit: each statement is its own
transaction, which under READ COMMITTED (each statement sees the data committed when it starts, inside a
transaction or not) reads exactly what a transaction would, without the ``BEGIN`` and ``COMMIT`` round trips.
The first statement that writes or locks (``INSERT``, ``UPDATE``, ``DELETE``, ``SAVEPOINT``, ``FOR UPDATE``,
an advisory transaction lock ...) opens a transaction first, so whatever a read request writes still commits
or rolls back as one. A pooled connection idle for more than :data:`PING_AFTER_IDLE_SECONDS` is pinged
before use; a busy one is not, and a read request that meets a connection the server closed since (it
restarted) is run once more on a fresh one.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Flask, current_app, g, has_app_context, has_request_context, request
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 15_000
#: Methods that only read by HTTP's definition; their SQLite transactions begin deferred.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The execution option that makes :func:`_configure_sqlite`'s ``BEGIN`` deferred.
DEFERRED = "axbridge_deferred_begin"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
#: The execution option that puts a PostgreSQL read request's connection in autocommit.
READ_AUTOCOMMIT = "axbridge_read_autocommit"
#: What must run inside a transaction on PostgreSQL (conservative: a read-only ``WITH`` opens one too).
TRANSACTIONAL = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE|SAVEPOINT|LOCK|WITH|COPY|SET\s+LOCAL)\b"
                           r"|\bFOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE)\b|_xact_", re.IGNORECASE)
PING_AFTER_IDLE_SECONDS = 5.0
IDLE = TransactionStatus.IDLE


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
    engine = create_engine(url, **kwargs)
    _configure_postgresql(engine)
    return engine


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


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        record.info["axbridge_returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        returned = record.info.get("axbridge_returned_at")
        if returned is None or time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
            return  # just connected, or in use a moment ago
        try:
            dbapi_connection.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as exc:  # the server closed it: the pool connects afresh
            raise DisconnectionError(str(exc)) from exc

    @event.listens_for(engine, "before_cursor_execute")
    def _before_execute(conn, cursor, statement, _parameters, _context, _executemany):
        # In a read request's autocommit, what writes or locks opens a transaction first (see the docstring).
        if conn.get_execution_options().get(READ_AUTOCOMMIT) and TRANSACTIONAL.search(statement):
            dbapi_connection = cursor.connection
            if dbapi_connection.info.transaction_status == IDLE:
                dbapi_connection.execute("BEGIN")
                if has_app_context():
                    g.db_wrote = True

    @event.listens_for(engine, "handle_error")
    def _on_error(context):
        # A read request met a connection the server had closed: it runs again on a fresh one (unless it wrote).
        if (context.is_disconnect and has_request_context() and request.method in READ_METHODS
                and not g.get("db_wrote")):
            g.db_retry_reconnected = True


@dataclass
class DatabaseState:
    engine: Engine
    sessionmaker: sessionmaker
    #: ``(engine, engine for read requests)`` (see :meth:`read_bind`)
    deferred: tuple[Engine, Engine] | None = None

    def read_bind(self) -> Engine | None:
        """What read requests' sessions bind to instead of ``engine``: ``engine`` with a deferred ``BEGIN``
        on SQLite, in autocommit on PostgreSQL; None when the sessions were bound elsewhere (tests)."""
        if self.sessionmaker.kw.get("bind") is not self.engine:
            return None
        if self.deferred is None or self.deferred[0] is not self.engine:
            options = ({DEFERRED: True} if self.engine.dialect.name == "sqlite"
                       else {READ_AUTOCOMMIT: True, "isolation_level": "AUTOCOMMIT"})
            self.deferred = (self.engine, self.engine.execution_options(**options))
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

        def again() -> bool:
            return bool(g.get("db_retry_with_write_lock") or g.get("db_retry_reconnected"))

        def full_dispatch_request():
            try:
                response = dispatch()
            except OperationalError:
                if not again():
                    raise
            else:
                if not again():
                    return response
            if g.pop("db_retry_reconnected", False):
                logger.warning("%s %s met a database connection the server had closed: run again on a new one",
                               request.method, request.path)
            else:
                g.pop("db_retry_with_write_lock")
                logger.info("%s %s wrote after another connection's commit: run again with the write lock",
                            request.method, request.path)
                g.db_write_lock = True
            self._close_session(None)
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
