"""Who may see and change a problem, and reading problems and their KPIs."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_
from sqlmodel import Session, select

from marketplace.accounts.models import CooperativeMember, Organisation, OrgKind, User
from marketplace.core.errors import NotFound
from marketplace.problems.models import (
    PUBLISHED_STATES,
    Problem,
    ProblemInvitation,
    ProblemKpi,
    ProblemState,
    Visibility,
)
from matching import taxonomy

#: Organisations that post problems (a cooperative posts joint problems for its member SMEs).
POSTER_KINDS = (OrgKind.SME, OrgKind.COOPERATIVE)


def is_member(user: User | None, organisation_id: int) -> bool:
    return bool(user and user.is_authenticated and user.organisation_id == organisation_id)


def org_kind(session: Session, user: User | None) -> OrgKind | None:
    if not user or not user.is_authenticated or not user.organisation_id:
        return None
    org = session.get(Organisation, user.organisation_id)
    return org.kind if org else None


def is_invited(session: Session, problem: Problem, organisation_id: int | None) -> bool:
    return organisation_id is not None and session.get(ProblemInvitation, (problem.id, organisation_id)) is not None


def is_joint_member(session: Session, problem: Problem, organisation_id: int | None) -> bool:
    """Whether the organisation is a member SME of the cooperative that posted the problem (a joint problem)."""
    return organisation_id is not None and session.get(
        CooperativeMember, (problem.organisation_id, organisation_id)) is not None


def joint_problems_of(organisation_id: int):
    """The cooperatives' problems an SME shares as a member (a query of problem ids' posters)."""
    return select(CooperativeMember.cooperative_id).where(CooperativeMember.member_id == organisation_id)


def can_view(session: Session, problem: Problem, user: User | None) -> bool:
    """Owners, admins and (for a cooperative's joint problem) its member SMEs always; others only once
    published, and invited-only problems only by invitees."""
    if user is not None and user.is_authenticated and (user.is_admin or is_member(user, problem.organisation_id)
                                                       or is_joint_member(session, problem, user.organisation_id)):
        return True
    if problem.state not in PUBLISHED_STATES:
        return False
    if problem.visibility == Visibility.INVITED:
        return is_invited(session, problem, getattr(user, "organisation_id", None))
    return True


def get_problem(session: Session, problem_id: int, *, viewer: User | None) -> Problem:
    """The problem, or NotFound also when the viewer may not know it exists."""
    problem = session.get(Problem, problem_id)
    if problem is None or not can_view(session, problem, viewer):
        raise NotFound(_("No such problem."))
    return problem


def get_own_problem(session: Session, problem_id: int, *, user: User) -> Problem:
    """A problem the user's organisation posted (for changes); NotFound for everyone else."""
    problem = session.get(Problem, problem_id)
    if problem is None or not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    return problem


def shows_identity(problem: Problem, viewer: User | None) -> bool:
    """Whether the viewer may see which company posted the problem."""
    if problem.visibility != Visibility.ANONYMOUS or problem.identity_revealed:
        return True
    return bool(viewer and viewer.is_authenticated and (viewer.is_admin or is_member(viewer, problem.organisation_id)))


def public_industry(problem: Problem, viewer: User | None) -> str | None:
    """The industry code the viewer may read: while an anonymous brief hides its poster, only the KSIC
    section letter (``"C"`` for every manufacturer), never the division that could single the poster out."""
    if problem.industry is None or shows_identity(problem, viewer):
        return problem.industry
    industry = taxonomy.get_industry(problem.industry)
    return industry.section if industry is not None else None


#: match reasons that name the problem's exact industry or its poster's region
POSTER_FACT_REASONS = frozenset({"industry_match", "industry_other", "region_served", "region_not_served"})


def public_reasons(reasons, problem: Problem, viewer: User | None) -> list:
    """Match reasons the viewer may read: none that names the hidden poster's industry or region."""
    if shows_identity(problem, viewer):
        return list(reasons)
    return [r for r in reasons if r.code not in POSTER_FACT_REASONS]


def list_kpis(session: Session, problem: Problem) -> list[ProblemKpi]:
    return list(session.exec(select(ProblemKpi).where(ProblemKpi.problem_id == problem.id)
                             .order_by(ProblemKpi.position)))


def list_own_problems(session: Session, organisation_id: int):
    return select(Problem).where(Problem.organisation_id == organisation_id).order_by(Problem.updated_at.desc())


def visible_problems_query(session: Session, viewer: User | None, *, states=None):
    """Published problems the viewer may see (invited-only ones only with an invitation)."""
    states = tuple(states or (ProblemState.ENQUIRIES, ProblemState.BIDDING))
    query = select(Problem).where(Problem.state.in_(states))
    org_id = getattr(viewer, "organisation_id", None) if viewer is not None and viewer.is_authenticated else None
    invited = select(ProblemInvitation.problem_id).where(ProblemInvitation.vendor_id == org_id)
    if viewer is not None and viewer.is_authenticated and viewer.is_admin:
        return query
    return query.where(or_(Problem.visibility != Visibility.INVITED, Problem.id.in_(invited),
                           Problem.organisation_id == org_id))
