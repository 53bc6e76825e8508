"""What every section of the program services shares: who is asking, groups of problem states, labels of
taxonomy codes, the Korean calendar day."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlmodel import Session

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.core.errors import NotAllowed
from marketplace.core.types import utcnow
from marketplace.problems.models import ProblemState
from marketplace.programs.models import Program, ProgramStatus
from matching import taxonomy

#: Problem states from which an SME may still apply.
APPLICABLE_STATES = (ProblemState.DRAFT, ProblemState.ENQUIRIES, ProblemState.BIDDING)
#: Problems open to vendors, the ones batch matching works on.
MATCHABLE_STATES = (ProblemState.ENQUIRIES, ProblemState.BIDDING)
#: Problem states that come after an award.
AWARDED_STATES = (ProblemState.AWARDED, ProblemState.CONTRACTED, ProblemState.IN_DELIVERY, ProblemState.COMPLETED)
POSTER_KINDS = (OrgKind.SME, OrgKind.COOPERATIVE)


# --- access ----------------------------------------------------------------------------------------

def organisation_of(session: Session, user: User | None) -> Organisation | None:
    """The signed-in user's organisation, or None."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return None
    return session.get(Organisation, user.organisation_id)


def is_agency_user(session: Session, user: User | None) -> bool:
    org = organisation_of(session, user)
    return org is not None and org.kind == OrgKind.AGENCY


def is_officer(user: User | None, program: Program) -> bool:
    """A member of the agency that runs the program."""
    return bool(user and getattr(user, "is_authenticated", False) and user.organisation_id == program.agency_id)


def can_view_program(program: Program, user: User | None) -> bool:
    if program.status != ProgramStatus.DRAFT:
        return True
    return is_officer(user, program) or bool(user and getattr(user, "is_admin", False))


def require_officer(session: Session, user: User | None, program: Program, *,
                    action: str = "see_applicants") -> None:
    """An officer of the program's agency, and that agency verified (:class:`Unverified` otherwise): an
    unverified agency sees no applicants and decides nothing."""
    if not is_officer(user, program):
        raise NotAllowed(_("Only officers of the agency that runs this program can do this."))
    accounts.require_verified(session, user, action)


# --- labels and days -------------------------------------------------------------------------------

def label(lookup, code: str, lang: str) -> str:
    """A taxonomy code's label in ``lang`` (``lookup``: ``taxonomy.get_region`` and the like); unknown: the code."""
    item = lookup(code)
    return item.label(lang) if item is not None else code


def region_key(code: str) -> str:
    """``capital`` for the capital region (수도권), ``non_capital`` elsewhere."""
    region = taxonomy.get_region(code)
    return "capital" if region and region.capital else "non_capital"


def today() -> date:
    """Programs run on Korean calendar days."""
    return (utcnow() + timedelta(hours=9)).date()
