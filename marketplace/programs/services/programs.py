"""Programs: reading them (drafts only for their agency) and writing them (agency officers).

The input is a validated :class:`~marketplace.programs.schemas.ProgramCreate` (or ``ProgramUpdate``):
its rules are written there, once, for the API and the program form alike.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import OrgKind, User
from marketplace.core.errors import NotAllowed, NotFound, ValidationFailed
from marketplace.programs.models import Program, ProgramStatus
from marketplace.programs.schemas import ProgramCreate, ProgramUpdate
from marketplace.programs.services.common import can_view_program, organisation_of, require_officer
from marketplace.programs.services.ledger import budget_of

logger = logging.getLogger(__name__)


def get_program(session: Session, program_id: int, *, viewer: User | None) -> Program:
    program = session.get(Program, program_id)
    if program is None or not can_view_program(program, viewer):
        raise NotFound(_("No such program."))
    return program


def list_programs(session: Session, *, viewer: User | None):
    """Open and closed programs for everyone, plus the viewer's agency's drafts."""
    query = select(Program)
    org_id = viewer.organisation_id if viewer is not None and getattr(viewer, "is_authenticated", False) else None
    if not (viewer is not None and getattr(viewer, "is_admin", False)):
        query = query.where((Program.status != ProgramStatus.DRAFT) | (Program.agency_id == (org_id or -1)))
    return query.order_by(Program.closes_on.desc(), Program.id.desc())


def create_program(session: Session, *, officer: User, data: ProgramCreate) -> Program:
    org = organisation_of(session, officer)
    if org is None or org.kind != OrgKind.AGENCY:
        raise NotAllowed(_("Only public agencies can run subsidy programs."))
    accounts.require_verified(session, officer, "create_program")
    program = Program(agency_id=org.id, created_by_id=officer.id, **data.model_dump())
    session.add(program)
    session.flush()
    logger.info("program created id=%s agency=%s", program.id, org.id)
    return program


def update_program(session: Session, *, officer: User, program: Program, data: ProgramUpdate) -> Program:
    """Every field replaced; the budget never drops below what is approved or committed already."""
    require_officer(session, officer, program, action="create_program")
    used = budget_of(session, program).used
    if data.total_budget_krw < used:
        raise ValidationFailed(_("The budget cannot go below what is already approved (%(amount)s won).",
                                 amount=f"{used:,}"), field="total_budget_krw")
    for key, value in data.model_dump().items():
        setattr(program, key, value)
    session.add(program)
    session.flush()
    logger.info("program updated id=%s", program.id)
    return program
