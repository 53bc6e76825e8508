"""Append to and verify the audit hash chain.

Each entry stores ``seq`` (1, 2, 3, ...), the previous entry's hash and its own hash; the hashing and
the checks are the pure rule in :mod:`marketplace.audit.chain`. Appends are serialised (PostgreSQL: a
transaction-scoped advisory lock; SQLite: its single writer), so the chain never forks. Truncating the
tail cannot be seen from inside; ``axbridge audit verify`` prints the head hash to keep elsewhere.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from flask import has_request_context, request
from sqlalchemy import text
from sqlmodel import Session, select

from marketplace.audit import chain
from marketplace.audit.chain import GENESIS, ChainProblem  # noqa: F401 (re-exported for callers)
from marketplace.audit.models import AuditEntry
from marketplace.core.types import utcnow
from marketplace.problems.models import Problem, ProblemState

logger = logging.getLogger(__name__)

LOCK_KEY = 7_426_001


def _plain(entry: AuditEntry) -> dict[str, Any]:
    """The row as the chain's plain entry."""
    return {name: getattr(entry, name) for name in (*chain.HASHED_FIELDS, "prev_hash", "hash")}


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return chain.entry_hash(prev_hash, _plain(entry))


def record(session: Session, action: str, *, actor=None, organisation_id: int | None = None,
           obj=None, object_type: str | None = None, object_id: int | None = None,
           details: dict | None = None) -> AuditEntry:
    """Append an entry in the caller's transaction (it commits or rolls back with the change it records)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    last = session.exec(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
    actor_id = getattr(actor, "id", None)
    if organisation_id is None and actor is not None:
        organisation_id = getattr(actor, "organisation_id", None)
    entry = AuditEntry(seq=(last.seq + 1) if last else 1, created_at=utcnow().replace(microsecond=0), action=action,
                       actor_id=actor_id, organisation_id=organisation_id, object_type=object_type,
                       object_id=object_id, details=details or {},
                       ip_address=(request.remote_addr or "")[:45] if has_request_context() else None,
                       prev_hash=last.hash if last else GENESIS, hash="")
    entry.hash = entry_hash(entry.prev_hash, entry)
    session.add(entry)
    session.flush()
    logger.info("audit %s seq=%s actor=%s object=%s:%s", action, entry.seq, actor_id, object_type, object_id)
    return entry


def _entries(session: Session, batch: int) -> Iterator[dict[str, Any]]:
    """Every entry in ``seq`` order, ``batch`` rows at a time."""
    after = 0
    while rows := session.exec(select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
                               .limit(batch)).all():
        for entry in rows:
            yield _plain(entry)
        after = rows[-1].seq


def verify_chain(session: Session, *, batch: int = 1000) -> tuple[int, str, list[ChainProblem]]:
    """Walk the chain: (entries checked, head hash, problems found)."""
    report = chain.walk(_entries(session, batch))
    return report.checked, report.head, report.problems


ACTIONS = ("login", "login_failed", "organisation_registered", "organisation_verified", "member_invited",
           "member_joined", "api_token_revoked", "problem_published", "problem_edited", "bidding_opened",
           "problem_cancelled", "bid_submitted", "bid_withdrawn", "bid_shortlisted", "bid_rejected", "bid_awarded",
           "subsidy_approved", "subsidy_rejected", "agreement_signed", "agreement_terminated", "password_changed",
           "email_changed", "password_reset_requested", "password_reset", "email_verified",
           "kpi_holdout_sealed", "kpi_protocol_fixed", "kpi_evaluated", "kpi_waived", "kpi_measured")

#: Events about bids stay out of every listing while their problem's bids are sealed.
SEALED_ACTIONS = ("bid_submitted", "bid_withdrawn")


def visible_entries(session: Session, *, action: str | None = None, page: int = 1, per_page: int = 50
                    ) -> list[AuditEntry]:
    """Entries for the admin page, newest first, without events that would reveal sealed bids.

    The withheld events are left out by the query itself, so every page is full until the last one (a short
    page would count them). The page shows no sequence numbers: their gaps, and the
    logins just before each gap, would tell who bid. ``axbridge audit verify`` still checks the whole chain.
    """
    query = select(AuditEntry).order_by(AuditEntry.seq.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    sealed = list(session.exec(select(Problem.id).where(Problem.state == ProblemState.BIDDING,
                                                        Problem.bid_deadline > utcnow())))
    if sealed:
        problem_id = AuditEntry.details["problem_id"].as_integer()
        query = query.where(~(AuditEntry.action.in_(SEALED_ACTIONS) & problem_id.in_(sealed)))
    return list(session.exec(query.offset((page - 1) * per_page).limit(per_page)).all())

