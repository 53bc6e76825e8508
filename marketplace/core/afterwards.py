"""Work to start once the current transaction has committed (e.g. "send e-mail 42").

A service calls :func:`after_commit` with a job name; nothing happens if the transaction rolls back.
marketplace/jobs installs the dispatcher (onto a queue, or run in-process when no broker is configured),
so services need not know how jobs run.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "axbridge_after_commit"
_dispatch: Callable[[str, dict], None] | None = None


def after_commit(session: Session, job: str, **kwargs) -> None:
    session.info.setdefault(_KEY, []).append((job, kwargs))


def install(dispatch: Callable[[str, dict], None]) -> None:
    global _dispatch
    _dispatch = dispatch


@event.listens_for(Session, "after_commit")
def _run(session: Session) -> None:
    if session.get_nested_transaction() is not None:  # a SAVEPOINT was released; the transaction goes on
        return
    pending = session.info.pop(_KEY, None)
    if pending and _dispatch is not None:
        for job, kwargs in pending:
            _dispatch(job, kwargs)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous) -> None:
    if not previous.nested:
        session.info.pop(_KEY, None)


def discard(session: Session) -> None:
    """Forget the jobs asked for so far in this session (the caller does their work itself)."""
    session.info.pop(_KEY, None)
