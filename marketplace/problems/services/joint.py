"""A cooperative's joint problem: the member SMEs who share the SME cost, and their shares."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts.models import CooperativeMember, Organisation, OrgKind, User
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.schemas import parse
from marketplace.problems.models import Problem, ProblemShare, ProblemState
from marketplace.problems.schemas import JointSharesIn
from marketplace.problems.services.access import is_joint_member, is_member
from marketplace.problems.shares import even_split, split_refusals

logger = logging.getLogger(__name__)

#: Until the agreement is signed, the cooperative may change the split.
SPLIT_STATES = (ProblemState.DRAFT, ProblemState.ENQUIRIES, ProblemState.BIDDING, ProblemState.EVALUATION,
                ProblemState.AWARDED)


@dataclass(frozen=True)
class JointParty:
    organisation: Organisation
    share_percent: Decimal


def visible_joint_parties(session: Session, problem: Problem, *, viewer: User | None) -> list[JointParty]:
    """The cost split as the API shows it: to the cooperative's people and its member SMEs only (the members
    of an anonymous joint brief would otherwise name its poster)."""
    if not (is_member(viewer, problem.organisation_id)
            or is_joint_member(session, problem, getattr(viewer, "organisation_id", None))):
        raise NotAllowed(_("Only the cooperative and its member companies see the cost split."))
    return joint_parties(session, problem)


def joint_parties(session: Session, problem: Problem) -> list[JointParty]:
    """For a cooperative's joint problem, the member SMEs who share the SME's cost, with their shares.

    Shares are an even split (to 0.01%, the remainder on the first member) unless the cooperative
    set them; empty for a problem posted by a single SME.
    """
    poster = session.get(Organisation, problem.organisation_id)
    if poster is None or poster.kind != OrgKind.COOPERATIVE:
        return []
    members = list(session.exec(select(Organisation).join(CooperativeMember,
                                                          CooperativeMember.member_id == Organisation.id)
                                .where(CooperativeMember.cooperative_id == poster.id).order_by(Organisation.id)))
    if not members:
        return []
    explicit = {s.member_id: s.share_percent for s in _stored_shares(session, problem)}
    if explicit and set(explicit) == {m.id for m in members}:
        return [JointParty(m, Decimal(explicit[m.id])) for m in members]
    return [JointParty(m, share) for m, share in zip(members, even_split(len(members)), strict=True)]


def _stored_shares(session: Session, problem: Problem) -> list[ProblemShare]:
    return list(session.exec(select(ProblemShare).where(ProblemShare.problem_id == problem.id)))


def set_joint_shares(session: Session, *, user: User, problem: Problem,
                     shares: Mapping[int, Decimal | int | str]) -> list[JointParty]:
    """The cooperative splits the SME cost among its members: every member once, shares summing to 100
    (each share: the contract :class:`JointSharesIn`; the split: :func:`marketplace.problems.shares.split_refusals`)."""
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if problem.state not in SPLIT_STATES:
        raise Conflict(_("The cost split can no longer change once the agreement is signed."))
    members = {p.organisation.id for p in joint_parties(session, problem)}
    if not members:
        raise ValidationFailed(_("Only a cooperative's joint problem is split among member companies."))
    split = parse(JointSharesIn, {"shares": dict(shares)}).shares
    refusals = split_refusals(split, members)
    if refusals:
        raise ValidationFailed(_("Please correct the highlighted fields."),
                               fields={name: _refusal(code, params) for name, (code, params) in refusals.items()})
    for old in _stored_shares(session, problem):
        session.delete(old)
    session.flush()
    for member_id, share in split.items():
        session.add(ProblemShare(problem_id=problem.id, member_id=member_id, share_percent=share))
    session.flush()
    logger.info("joint shares set problem=%s", problem.id)
    return joint_parties(session, problem)


def _refusal(code: str, params: dict[str, Any]) -> str:
    if code == "not_member":
        return _("This company is not a member of the cooperative.")
    if code == "members_missing":
        return _("Give every member company a share.")
    return _("The shares must add up to 100; now they add up to %(total)s.", total=params["total"])
