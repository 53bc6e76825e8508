"""Inviting vendors to bid (the only way to see an invited-only problem)."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlmodel import Session

from marketplace import signals
from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.core.errors import Conflict, NotFound, ValidationFailed
from marketplace.problems.models import Problem, ProblemInvitation, ProblemState
from marketplace.problems.services.access import is_invited, is_member

logger = logging.getLogger(__name__)


def invite_vendor(session: Session, *, user: User, problem: Problem, vendor: Organisation) -> bool:
    """Invite a vendor to bid; True when newly invited."""
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if vendor.kind != OrgKind.VENDOR:
        raise ValidationFailed(_("Only AI vendors can be invited to bid."))
    if problem.state not in (ProblemState.DRAFT, ProblemState.ENQUIRIES, ProblemState.BIDDING):
        raise Conflict(_("Vendors can be invited only before bidding closes."))
    if is_invited(session, problem, vendor.id):
        return False
    session.add(ProblemInvitation(problem_id=problem.id, vendor_id=vendor.id, invited_by_id=user.id))
    session.flush()
    logger.info("vendor invited problem=%s vendor=%s", problem.id, vendor.id)
    signals.vendor_invited.send(problem, session=session, vendor=vendor)
    return True
