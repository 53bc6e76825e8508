"""Append to and verify the audit hash chain.

Each entry stores ``seq`` (1, 2, 3, ...), the previous entry's hash and its own hash: the SHA-256 of
the previous hash and a canonical JSON of the entry. Editing an entry changes its hash; deleting one
leaves a gap in ``seq`` and breaks the next entry's link. Appends are serialised (PostgreSQL: a
transaction-scoped advisory lock; SQLite: its single writer), so the chain never forks. Truncating the
tail cannot be seen from inside; ``axbridge audit verify`` prints the head hash to keep elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from flask import has_request_context, request
from sqlalchemy import text
from sqlmodel import Session, select

from marketplace.audit.models import AuditEntry
from marketplace.core.types import utcnow
from marketplace.problems.models import Problem, ProblemState

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
LOCK_KEY = 7_426_001


def _payload(entry: AuditEntry) -> str:
    return json.dumps({
        "seq": entry.seq, "created_at": entry.created_at.isoformat(), "action": entry.action,
        "actor_id": entry.actor_id, "organisation_id": entry.organisation_id, "object_type": entry.object_type,
        "object_id": entry.object_id, "ip_address": entry.ip_address, "details": entry.details,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + _payload(entry)).encode()).hexdigest()


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


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def verify_chain(session: Session, *, batch: int = 1000) -> tuple[int, str, list[ChainProblem]]:
    """Walk the chain: (entries checked, head hash, problems found)."""
    problems: list[ChainProblem] = []
    prev_hash, expected_seq, count, after = GENESIS, 1, 0, 0
    while True:
        rows = session.exec(select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
                            .limit(batch)).all()
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                problems.append(ChainProblem(expected_seq, f"entries {expected_seq}–{entry.seq - 1} are missing"))
            if entry.prev_hash != prev_hash:
                problems.append(ChainProblem(entry.seq, "does not link to the previous entry"))
            if entry_hash(entry.prev_hash, entry) != entry.hash:
                problems.append(ChainProblem(entry.seq, "was changed after it was written"))
            prev_hash, expected_seq, after = entry.hash, entry.seq + 1, entry.seq
            count += 1
    return count, prev_hash, problems


ACTIONS = ("login", "login_failed", "organisation_registered", "organisation_verified", "member_invited",
           "member_joined", "api_token_revoked", "problem_published", "problem_edited", "bidding_opened",
           "problem_cancelled", "bid_submitted", "bid_withdrawn", "bid_shortlisted", "bid_rejected", "bid_awarded",
           "subsidy_approved", "subsidy_rejected", "agreement_signed", "agreement_terminated", "password_changed",
           "email_changed")

#: Events about bids stay out of every listing while their problem's bids are sealed.
SEALED_ACTIONS = ("bid_submitted", "bid_withdrawn")


def visible_entries(session: Session, *, action: str | None = None, page: int = 1, per_page: int = 50
                    ) -> list[AuditEntry]:
    """Entries for the admin page, newest first, without events that would reveal sealed bids."""
    query = select(AuditEntry).order_by(AuditEntry.seq.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    sealed = {p.id for p in session.exec(select(Problem).where(Problem.state == ProblemState.BIDDING,
                                                                 Problem.bid_deadline > utcnow()))}
    rows = session.exec(query.offset((page - 1) * per_page).limit(per_page * 4)).all()
    shown = [e for e in rows if not (e.action in SEALED_ACTIONS and e.details.get("problem_id") in sealed)]
    return shown[:per_page]
