"""The change log the shared ranking index is refreshed from (:class:`~marketplace.discovery.models.IndexChange`).

A SQLAlchemy session event (connected once by :func:`marketplace.discovery.receivers.connect`) writes one row for
every offering or problem inserted, updated or deleted in a flush, and for every organisation whose region
changed, on the flush's own connection: the row commits or rolls back with the change. Nothing polls
``updated_at``, so clock skew between hosts and long transactions cannot hide a change.

On PostgreSQL numbers are handed out when a row is written but become visible when its transaction commits,
possibly out of order. Writers therefore hold a shared advisory lock until they commit, and
:func:`safe_high_water` takes it exclusively for an instant: every number up to the maximum it then reads is
committed (or rolled back for good). On SQLite writers are serialised (``BEGIN IMMEDIATE``), so the maximum is
always safe.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.accounts.models import Organisation
from marketplace.discovery.models import IndexChange
from marketplace.offerings.models import Offering, VendorEvidence
from marketplace.problems.models import Problem

#: Advisory lock key shared by writers of the change log (shared) and the refresh (exclusive). "AXIX".
ADVISORY_KEY = 0x41584958

_TABLE = IndexChange.__table__


def _changed(session: Session) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Offering):
            kind = "offering"
        elif isinstance(obj, Problem):
            kind = "problem"
        elif isinstance(obj, VendorEvidence):
            out.append(("organisation", obj.organisation_id))  # evidence moves the vendor's adjusted profiles
            continue
        elif isinstance(obj, Organisation):
            if obj in session.new or not sa.inspect(obj).attrs.region.history.has_changes():
                continue  # a new organisation has no problems yet; other fields are not indexed
            kind = "organisation"
        else:
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if obj.id is not None:
            out.append((kind, obj.id))
    return sorted(set(out))


def _record_changes(session: Session, _flush_context) -> None:
    rows = _changed(session)
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": ADVISORY_KEY})
    connection.execute(_TABLE.insert(), [{"kind": kind, "record_id": rid} for kind, rid in rows])


def connect() -> None:
    """Record changes in every session of the process (idempotent)."""
    if not event.contains(Session, "after_flush", _record_changes):
        event.listen(Session, "after_flush", _record_changes)


def safe_high_water(session: Session) -> int:
    """The highest change number below which every change is committed or gone for good (0: none yet)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY})
    return int(session.execute(sa.select(sa.func.coalesce(sa.func.max(_TABLE.c.seq), 0))).scalar_one())


_AFTER = sa.select(_TABLE.c.seq, _TABLE.c.kind, _TABLE.c.record_id).where(_TABLE.c.seq > sa.bindparam("seq"))
#: Built once: every ranking of every worker asks (``:seq``, ``:upto`` bound per call).
_CHANGES_AFTER = _AFTER.order_by(_TABLE.c.seq)
_CHANGES_BETWEEN = _AFTER.where(_TABLE.c.seq <= sa.bindparam("upto")).order_by(_TABLE.c.seq)


def changes_after(session: Session, seq: int, upto: int | None = None) -> list[tuple[int, str, int]]:
    """``(seq, kind, record_id)`` of the changes after ``seq`` (up to ``upto``), in order."""
    rows = (session.execute(_CHANGES_AFTER, {"seq": seq}) if upto is None
            else session.execute(_CHANGES_BETWEEN, {"seq": seq, "upto": upto}))
    return [(int(s), k, int(r)) for s, k, r in rows]


def prune(session: Session, upto: int) -> int:
    """Forget the changes up to ``upto`` (folded into every snapshot still kept). Returns how many."""
    return session.execute(_TABLE.delete().where(_TABLE.c.seq <= upto)).rowcount or 0
