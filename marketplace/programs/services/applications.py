"""Applications: an SME enters one of its problems into a program, provided every eligibility rule holds.

The rules are :mod:`marketplace.programs.eligibility` (pure); this module feeds them from the rows and words
their failures in the reader's language.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts.models import Organisation, User
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.types import utcnow
from marketplace.i18n import current_locale
from marketplace.problems.models import Problem, ProblemState
from marketplace.programs.eligibility import (
    PREVIOUS_SUBSIDY_YEARS,
    Applicant,
    Eligibility,
    Failure,
    Rules,
    check_eligibility,
)
from marketplace.programs.models import (
    Application,
    ApplicationStatus,
    Program,
    ProgramStatus,
    Subsidy,
    SubsidyStatus,
)
from marketplace.programs.services.common import (
    APPLICABLE_STATES,
    POSTER_KINDS,
    label,
    organisation_of,
    today,
)
from matching import taxonomy

logger = logging.getLogger(__name__)


# --- eligibility: the pure rules fed from the rows, their failures worded ---------------------------

def _industry_label(code: str, lang: str) -> str:
    """A KSIC division (C10) or a whole section (C)."""
    return label(taxonomy.get_industry, code, lang) if len(code) > 1 else label(taxonomy.get_industry_section,
                                                                                   code, lang)


def reason_message(failure: Failure, lang: str) -> str:
    """A failed eligibility rule in the reader's language (taxonomy labels in ``lang``)."""
    p = failure.params
    match failure.code:
        case "status":
            return _("The program is not accepting applications.")
        case "window" if "opens_on" in p:
            return _("Applications open on %(date)s.", date=p["opens_on"].isoformat())
        case "window":
            return _("Applications closed on %(date)s.", date=p["closed_on"].isoformat())
        case "employees":
            return _("The company has %(n)s employees; the program is for companies with at most %(max)s.",
                     n=f"{p['employees']:,}", max=f"{p['max']:,}")
        case "revenue":
            return _("Annual revenue of %(revenue)s won is above the program's limit of %(max)s won.",
                     revenue=f"{p['revenue_krw']:,}", max=f"{p['max_krw']:,}")
        case "region":
            return _("The company is in %(region)s; the program covers %(regions)s.",
                     region=label(taxonomy.get_region, p["region"], lang),
                     regions=", ".join(label(taxonomy.get_region, r, lang) for r in p["regions"]))
        case "industry":
            return _("The industry %(industry)s is not covered; the program covers %(industries)s.",
                     industry=label(taxonomy.get_industry, p["industry"], lang) if p["industry"] else "—",
                     industries=", ".join(_industry_label(c, lang) for c in p["industries"]))
        case "problem_type":
            return _("The program does not fund this kind of problem: %(types)s.",
                     types=", ".join(label(taxonomy.get_problem_type, t, lang) for t in p["outside"])
                     or _("none chosen"))
        case "previous_subsidy":
            return _("The company received a subsidy in the last %(n)d years; this program excludes earlier "
                     "recipients.", n=p["years"])
    raise ValueError(f"unknown eligibility rule {failure.code!r}")


def reasons(eligibility: Eligibility, lang: str | None = None) -> list[dict[str, str]]:
    """Each failed rule as ``{"code", "message"}``, the message in ``lang`` (default: the reader's language)."""
    lang = lang or current_locale()
    return [{"code": f.code, "message": reason_message(f, lang)} for f in eligibility.failures]


def rules_of(program: Program) -> Rules:
    """The program's eligibility rules as plain values."""
    return Rules(opens_on=program.opens_on, closes_on=program.closes_on, status=str(program.status.value
                 if isinstance(program.status, ProgramStatus) else program.status),
                 max_employees=program.max_employees, max_revenue_krw=program.max_revenue_krw,
                 regions=tuple(program.regions), industries=tuple(program.industries),
                 problem_types=tuple(program.problem_types),
                 exclude_previously_subsidised=program.exclude_previously_subsidised)


def previously_subsidised(session: Session, organisation_id: int, *, years: int = PREVIOUS_SUBSIDY_YEARS) -> bool:
    since = utcnow() - timedelta(days=365 * years)
    row = session.exec(select(Subsidy.id).join(Problem, Problem.id == Subsidy.problem_id).where(
        Problem.organisation_id == organisation_id,
        Subsidy.status.in_((SubsidyStatus.APPROVED, SubsidyStatus.COMMITTED)),
        Subsidy.decided_at >= since)).first()
    return row is not None


def applicant_of(session: Session, problem: Problem, org: Organisation) -> Applicant:
    return Applicant(employees=org.employees, annual_revenue_krw=org.annual_revenue_krw, region=org.region,
                     industry=problem.industry or org.industry, problem_types=tuple(problem.problem_types),
                     previously_subsidised=previously_subsidised(session, org.id))


def eligibility_for(session: Session, program: Program, problem: Problem) -> Eligibility:
    org = session.get(Organisation, problem.organisation_id)
    return check_eligibility(rules_of(program), applicant_of(session, problem, org), today=today())


# --- applications ----------------------------------------------------------------------------------

def apply_to_program(session: Session, *, user: User, program: Program, problem: Problem) -> Application:
    """Enter an SME's problem into a program. Recorded only when every rule passes."""
    org = organisation_of(session, user)
    if org is None or org.kind not in POSTER_KINDS:
        raise NotAllowed(_("Only SMEs and cooperatives can apply to a program."))
    if problem.organisation_id != org.id:
        raise NotFound(_("No such problem."))
    if problem.state not in APPLICABLE_STATES:
        raise Conflict(_("Only a draft or an open problem can be entered into a program."))
    if problem.state != ProblemState.DRAFT and not program.accepts_open_problems:
        raise Conflict(_("This program accepts only problems that are not yet published."))
    existing = session.exec(select(Application).where(Application.program_id == program.id,
                                                      Application.problem_id == problem.id)).first()
    if existing is not None:
        raise Conflict(_("This problem has already been entered into the program."))
    if problem.program_id is not None and problem.program_id != program.id:
        raise Conflict(_("This problem is already part of another program."))
    result = check_eligibility(rules_of(program), applicant_of(session, problem, org), today=today())
    if not result.eligible:
        why = reasons(result)
        error = Conflict if result.window_closed else ValidationFailed
        raise error(_("Not eligible: %(reasons)s", reasons=" ".join(r["message"] for r in why)),
                    extra={"reasons": why})
    application = Application(program_id=program.id, problem_id=problem.id, organisation_id=org.id,
                              applied_by_id=user.id, status=ApplicationStatus.ACCEPTED)
    problem.program_id = program.id
    session.add(application)
    session.add(problem)
    session.flush()
    logger.info("program application accepted program=%s problem=%s", program.id, problem.id)
    return application


def list_applications(session: Session, program: Program) -> list[tuple[Application, Problem, Organisation]]:
    rows = session.exec(select(Application, Problem, Organisation)
                        .join(Problem, Problem.id == Application.problem_id)
                        .join(Organisation, Organisation.id == Problem.organisation_id)
                        .where(Application.program_id == program.id,
                               Application.status == ApplicationStatus.ACCEPTED)
                        .order_by(Application.created_at, Application.id)).all()
    return [tuple(r) for r in rows]


def applicable_problems(session: Session, user: User) -> list[Problem]:
    """The user's organisation's problems that could still enter a program."""
    if not getattr(user, "organisation_id", None):
        return []
    return list(session.exec(select(Problem).where(Problem.organisation_id == user.organisation_id,
                                                   Problem.state.in_(APPLICABLE_STATES))
                             .order_by(Problem.updated_at.desc())))


def programs_for_problem(session: Session, problem: Problem) -> list[tuple[Program, list[dict[str, str]]]]:
    """Every open program with why this problem may not enter it (empty: it may), eligible ones first."""
    if problem.state not in APPLICABLE_STATES:
        return []
    rows = session.exec(select(Program).where(Program.status == ProgramStatus.OPEN)
                        .order_by(Program.closes_on, Program.id)).all()
    result = []
    for program in rows:
        why = [] if problem.program_id in (None, program.id) else [
            {"code": "other_program", "message": _("This problem is already part of another program.")}]
        if problem.state != ProblemState.DRAFT and not program.accepts_open_problems:
            why.append({"code": "published",
                        "message": _("This program accepts only problems that are not yet published.")})
        why += reasons(eligibility_for(session, program, problem))
        result.append((program, why))
    return sorted(result, key=lambda pair: bool(pair[1]))
