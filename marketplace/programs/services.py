"""Program rules: programs, eligibility, applications, brokering, batch matching, the subsidy ledger,
the dashboard and the CSV export.

Services take the session and explicit arguments, flush (never commit) and raise translated domain
errors. Money is whole won (int) and ratios are Decimals; floats never touch money.
"""

from __future__ import annotations

import csv
import io
import logging
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from domain.money import MAX_BUDGET_WON
from marketplace import signals
from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.audit import services as audit
from marketplace.bids.models import Bid, BidState
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.types import utcnow
from marketplace.discovery import services as discovery
from marketplace.i18n import current_locale
from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.problems.models import Problem, ProblemState
from marketplace.programs.models import (
    ACTIVE_SUBSIDY_STATES,
    Application,
    ApplicationStatus,
    Program,
    ProgramStatus,
    Recommendation,
    Subsidy,
    SubsidyStatus,
)
from marketplace.programs.eligibility import (
    PREVIOUS_SUBSIDY_YEARS,
    Applicant,
    Eligibility,
    Failure,
    Rules,
    check_eligibility,
)
from marketplace.programs.subsidy import Budget, split_price
from matching import taxonomy

logger = logging.getLogger(__name__)

MAX_MONEY = MAX_BUDGET_WON
NAME_MAX = 200
DESCRIPTION_MAX = 5000
#: Problem states from which an SME may still apply.
APPLICABLE_STATES = (ProblemState.DRAFT, ProblemState.ENQUIRIES, ProblemState.BIDDING)
#: Problems open to vendors, the ones batch matching works on.
MATCHABLE_STATES = (ProblemState.ENQUIRIES, ProblemState.BIDDING)
#: Problem states that come after an award.
AWARDED_STATES = (ProblemState.AWARDED, ProblemState.CONTRACTED, ProblemState.IN_DELIVERY, ProblemState.COMPLETED)
POSTER_KINDS = (OrgKind.SME, OrgKind.COOPERATIVE)


# --- access ----------------------------------------------------------------------------------------

def _org(session: Session, user: User | None) -> Organisation | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return None
    return session.get(Organisation, user.organisation_id)


def is_agency_user(session: Session, user: User | None) -> bool:
    org = _org(session, user)
    return org is not None and org.kind == OrgKind.AGENCY


def is_officer(user: User | None, program: Program) -> bool:
    """A member of the agency that runs the program."""
    return bool(user and getattr(user, "is_authenticated", False) and user.organisation_id == program.agency_id)


def can_view_program(program: Program, user: User | None) -> bool:
    if program.status != ProgramStatus.DRAFT:
        return True
    return is_officer(user, program) or bool(user and getattr(user, "is_admin", False))


def get_program(session: Session, program_id: int, *, viewer: User | None) -> Program:
    program = session.get(Program, program_id)
    if program is None or not can_view_program(program, viewer):
        raise NotFound(_("No such program."))
    return program


def require_officer(user: User | None, program: Program) -> None:
    if not is_officer(user, program):
        raise NotAllowed(_("Only officers of the agency that runs this program can do this."))


def list_programs(session: Session, *, viewer: User | None):
    """Open and closed programs for everyone, plus the viewer's agency's drafts."""
    query = select(Program)
    org_id = viewer.organisation_id if viewer is not None and getattr(viewer, "is_authenticated", False) else None
    if not (viewer is not None and getattr(viewer, "is_admin", False)):
        query = query.where((Program.status != ProgramStatus.DRAFT) | (Program.agency_id == (org_id or -1)))
    return query.order_by(Program.closes_on.desc(), Program.id.desc())


# --- validation ------------------------------------------------------------------------------------

PROGRAM_FIELDS = ("name_ko", "name_en", "description_ko", "description_en", "total_budget_krw", "subsidy_ratio",
                  "cap_per_project_krw", "min_own_share_ratio", "max_employees", "max_revenue_krw", "regions",
                  "industries", "problem_types", "exclude_previously_subsidised", "opens_on", "closes_on", "status")


def _text(value: Any, *, field: str, label: str, max_length: int, required: bool, errors: dict) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = _("Enter text.")
        return ""
    value = value.strip()
    if not value and required:
        errors[field] = _("%(label)s is required.", label=label)
    elif len(value) > max_length:
        errors[field] = _("%(label)s can be at most %(max)d characters.", label=label, max=max_length)
    return value


def _whole(value: Any, *, field: str, errors: dict, required: bool, positive: bool = False) -> int | None:
    if value in (None, ""):
        if required:
            errors[field] = _("This field is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors[field] = _("Enter a whole number.")
        return None
    try:
        number = int(str(value).replace(",", "").strip())
    except ValueError:
        errors[field] = _("Enter a whole number.")
        return None
    if number < 0 or (positive and number == 0):
        errors[field] = _("Enter a number above zero.") if positive else _("The number cannot be negative.")
    elif number > MAX_MONEY:
        errors[field] = _("This number is too large.")
    return number


def _ratio(value: Any, *, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        errors[field] = _("This field is required.")
        return None
    if isinstance(value, bool):
        errors[field] = _("Enter a ratio between 0 and 1, such as 0.8.")
        return None
    try:  # str() first: a float such as 0.8 becomes "0.8", not 0.8000000000000000444
        ratio = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = _("Enter a ratio between 0 and 1, such as 0.8.")
        return None
    if not ratio.is_finite() or ratio < 0 or ratio > 1:
        errors[field] = _("Enter a ratio between 0 and 1, such as 0.8.")
        return None
    if ratio != ratio.quantize(Decimal("0.0001")):
        errors[field] = _("Use at most four decimal places.")
        return None
    return ratio


def _codes(value: Any, *, field: str, known, message: str, errors: dict) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in (p.strip() for p in value.split(",")) if v]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors[field] = message
        return []
    unknown = [v for v in value if not known(v)]
    if unknown:
        errors[field] = f"{message} ({', '.join(unknown[:3])})"
    return list(dict.fromkeys(value))


def _industry_known(code: str) -> bool:
    return taxonomy.get_industry(code) is not None or (len(code) == 1 and taxonomy.get_industry_section(code)
                                                       is not None)


def _date(value: Any, *, field: str, errors: dict) -> date | None:
    if value in (None, ""):
        errors[field] = _("This field is required.")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[field] = _("Enter a date as YYYY-MM-DD.")
        return None


def clean_program(data: dict) -> dict:
    """Every field checked at once; raises ValidationFailed naming each bad field."""
    unknown = set(data) - set(PROGRAM_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field: %(names)s.", names=", ".join(sorted(unknown))))
    errors: dict[str, str] = {}
    out: dict[str, Any] = {
        "name_ko": _text(data.get("name_ko"), field="name_ko", label=_("Korean name"), max_length=NAME_MAX,
                         required=True, errors=errors),
        "name_en": _text(data.get("name_en"), field="name_en", label=_("English name"), max_length=NAME_MAX,
                         required=True, errors=errors),
        "description_ko": _text(data.get("description_ko"), field="description_ko", label=_("Korean description"),
                                max_length=DESCRIPTION_MAX, required=False, errors=errors),
        "description_en": _text(data.get("description_en"), field="description_en",
                                label=_("English description"), max_length=DESCRIPTION_MAX, required=False,
                                errors=errors),
        "total_budget_krw": _whole(data.get("total_budget_krw"), field="total_budget_krw", errors=errors,
                                   required=True, positive=True),
        "cap_per_project_krw": _whole(data.get("cap_per_project_krw"), field="cap_per_project_krw", errors=errors,
                                      required=True, positive=True),
        "subsidy_ratio": _ratio(data.get("subsidy_ratio"), field="subsidy_ratio", errors=errors),
        "min_own_share_ratio": _ratio(data.get("min_own_share_ratio") if data.get("min_own_share_ratio")
                                      not in (None, "") else "0", field="min_own_share_ratio", errors=errors),
        "max_employees": _whole(data.get("max_employees"), field="max_employees", errors=errors, required=False),
        "max_revenue_krw": _whole(data.get("max_revenue_krw"), field="max_revenue_krw", errors=errors,
                                  required=False),
        "regions": _codes(data.get("regions"), field="regions", known=lambda c: taxonomy.get_region(c) is not None,
                          message=_("Choose regions (시·도) from the list."), errors=errors),
        "industries": _codes(data.get("industries"), field="industries", known=_industry_known,
                             message=_("Use KSIC division codes (C10) or section letters (C)."), errors=errors),
        "problem_types": _codes(data.get("problem_types"), field="problem_types",
                                known=lambda c: taxonomy.get_problem_type(c) is not None,
                                message=_("Choose problem types from the list."), errors=errors),
        "exclude_previously_subsidised": bool(data.get("exclude_previously_subsidised")),
        "opens_on": _date(data.get("opens_on"), field="opens_on", errors=errors),
        "closes_on": _date(data.get("closes_on"), field="closes_on", errors=errors),
    }
    status = data.get("status") or ProgramStatus.DRAFT.value
    if status not in {s.value for s in ProgramStatus}:
        errors["status"] = _("Choose draft, open or closed.")
    out["status"] = status
    ratio = out["subsidy_ratio"]
    if ratio is not None and ratio == 0 and "subsidy_ratio" not in errors:
        errors["subsidy_ratio"] = _("The subsidy ratio must be above 0.")
    own = out["min_own_share_ratio"]
    if own is not None and own >= 1 and "min_own_share_ratio" not in errors:
        errors["min_own_share_ratio"] = _("The minimum own share must be below 1.")
    if ratio is not None and own is not None and not errors.get("subsidy_ratio") and ratio + own > 1:
        errors["subsidy_ratio"] = _("The subsidy ratio and the minimum own share add up to more than 1 "
                                    "(%(ratio)s + %(own)s).", ratio=ratio, own=own)
    budget, cap = out["total_budget_krw"], out["cap_per_project_krw"]
    if budget and cap and cap > budget and "cap_per_project_krw" not in errors:
        errors["cap_per_project_krw"] = _("The cap per project cannot be above the total budget.")
    opens, closes = out["opens_on"], out["closes_on"]
    if opens and closes and closes < opens:
        errors["closes_on"] = _("The application window cannot close before it opens.")
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    return out


def create_program(session: Session, *, officer: User, data: dict) -> Program:
    org = _org(session, officer)
    if org is None or org.kind != OrgKind.AGENCY:
        raise NotAllowed(_("Only public agencies can run subsidy programs."))
    clean = clean_program(data)
    program = Program(agency_id=org.id, created_by_id=officer.id, **clean)
    session.add(program)
    session.flush()
    logger.info("program created id=%s agency=%s", program.id, org.id)
    return program


def update_program(session: Session, *, officer: User, program: Program, data: dict) -> Program:
    require_officer(officer, program)
    current = {name: getattr(program, name) for name in PROGRAM_FIELDS}
    current.update(data)
    clean = clean_program(current)
    used = budget_of(session, program)
    if clean["total_budget_krw"] < used.reserved + used.committed:
        raise ValidationFailed(_("The budget cannot go below what is already approved (%(amount)s won).",
                                 amount=f"{used.reserved + used.committed:,}"), field="total_budget_krw")
    for key, value in clean.items():
        setattr(program, key, value)
    session.add(program)
    session.flush()
    logger.info("program updated id=%s", program.id)
    return program


# --- eligibility -----------------------------------------------------------------------------------

def _label(lookup, code: str, lang: str) -> str:
    item = lookup(code)
    return item.label(lang) if item is not None else code


def _industry_label(code: str, lang: str) -> str:
    """A KSIC division (C10) or a whole section (C)."""
    return _label(taxonomy.get_industry, code, lang) if len(code) > 1 else _label(taxonomy.get_industry_section,
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
                     region=_label(taxonomy.get_region, p["region"], lang),
                     regions=", ".join(_label(taxonomy.get_region, r, lang) for r in p["regions"]))
        case "industry":
            return _("The industry %(industry)s is not covered; the program covers %(industries)s.",
                     industry=_label(taxonomy.get_industry, p["industry"], lang) if p["industry"] else "—",
                     industries=", ".join(_industry_label(c, lang) for c in p["industries"]))
        case "problem_type":
            return _("The program does not fund this kind of problem: %(types)s.",
                     types=", ".join(_label(taxonomy.get_problem_type, t, lang) for t in p["outside"])
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
    return check_eligibility(rules_of(program), applicant_of(session, problem, org), today=_today())


def _today() -> date:
    # Programs run on Korean calendar days.
    return (utcnow() + timedelta(hours=9)).date()


# --- applications ----------------------------------------------------------------------------------

def apply_to_program(session: Session, *, user: User, program: Program, problem: Problem) -> Application:
    """Enter an SME's problem into a program. Recorded only when every rule passes."""
    org = _org(session, user)
    if org is None or org.kind not in POSTER_KINDS:
        raise NotAllowed(_("Only SMEs and cooperatives can apply to a program."))
    if problem.organisation_id != org.id:
        raise NotFound(_("No such problem."))
    if problem.state not in APPLICABLE_STATES:
        raise Conflict(_("Only a draft or an open problem can be entered into a program."))
    existing = session.exec(select(Application).where(Application.program_id == program.id,
                                                      Application.problem_id == problem.id)).first()
    if existing is not None:
        raise Conflict(_("This problem has already been entered into the program."))
    if problem.program_id is not None and problem.program_id != program.id:
        raise Conflict(_("This problem is already part of another program."))
    result = check_eligibility(rules_of(program), applicant_of(session, problem, org), today=_today())
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


# --- brokering -------------------------------------------------------------------------------------

def _program_problem(session: Session, program: Program, problem_id: int) -> Problem:
    problem = session.get(Problem, problem_id)
    if problem is None or problem.program_id != program.id:
        raise ValidationFailed(_("This problem is not part of the program."), field="problem_id")
    return problem


def recommend_vendors(session: Session, *, officer: User, program: Program, problem: Problem,
                      vendor_ids, offering_ids: dict[int, int] | None = None,
                      scores: dict[int, float] | None = None) -> list[Recommendation]:
    """Recommend vendors to the SME of a program problem; returns the new recommendations (repeats are skipped)."""
    require_officer(officer, program)
    problem = _program_problem(session, program, problem.id)
    vendor_ids = list(dict.fromkeys(int(v) for v in vendor_ids))
    if not vendor_ids:
        raise ValidationFailed(_("Choose at least one vendor."), field="vendor_ids")
    vendors = {v.id: v for v in session.exec(select(Organisation).where(Organisation.id.in_(vendor_ids)))}
    bad = [v for v in vendor_ids if v not in vendors or vendors[v].kind != OrgKind.VENDOR]
    if bad:
        raise ValidationFailed(_("Not an AI vendor: %(ids)s.", ids=", ".join(map(str, bad))), field="vendor_ids")
    have = set(session.exec(select(Recommendation.vendor_id).where(Recommendation.program_id == program.id,
                                                                   Recommendation.problem_id == problem.id)))
    created = []
    for vendor_id in vendor_ids:
        if vendor_id in have:
            continue
        offering_id = (offering_ids or {}).get(vendor_id) or _best_offering_id(session, vendor_id)
        rec = Recommendation(program_id=program.id, problem_id=problem.id, vendor_id=vendor_id,
                             offering_id=offering_id, recommended_by_id=officer.id,
                             score=(scores or {}).get(vendor_id))
        session.add(rec)
        created.append(rec)
    session.flush()
    logger.info("vendors recommended program=%s problem=%s vendors=%s", program.id, problem.id,
                [r.vendor_id for r in created])
    return created


def _best_offering_id(session: Session, vendor_id: int) -> int | None:
    return session.exec(select(Offering.id).where(Offering.organisation_id == vendor_id,
                                                  Offering.status == OfferingStatus.ACTIVE)
                        .order_by(Offering.completed_projects.desc(), Offering.id)).first()


def list_recommendations(session: Session, program: Program) -> list[Recommendation]:
    return list(session.exec(select(Recommendation).where(Recommendation.program_id == program.id)
                             .order_by(Recommendation.created_at, Recommendation.id)))


@dataclass
class BrokeredProblem:
    problem: Problem
    organisation: Organisation
    ranked: list  # discovery.RankedOffering
    recommended: set[int]


def broker_view(session: Session, program: Program, *, top: int = 5) -> list[BrokeredProblem]:
    """The program's problems, each with its best-ranked vendors and those already recommended."""
    recs: dict[int, set[int]] = {}
    for rec in list_recommendations(session, program):
        recs.setdefault(rec.problem_id, set()).add(rec.vendor_id)
    out = []
    for _application, problem, org in list_applications(session, program):
        ranked = discovery.rank_offerings_for_problem(session, problem, top=top * 2)
        seen, best = set(), []
        for r in ranked:  # one line per vendor: its best offering
            if r.vendor.id not in seen:
                seen.add(r.vendor.id)
                best.append(r)
        out.append(BrokeredProblem(problem, org, best[:top], recs.get(problem.id, set())))
    return out


# --- batch matching --------------------------------------------------------------------------------

@dataclass
class BatchPair:
    problem: Problem
    organisation: Organisation
    vendor: Organisation
    offering: Offering
    score: float

    @property
    def capital(self) -> bool:
        region = taxonomy.get_region(self.organisation.region)
        return bool(region and region.capital)


@dataclass
class BatchResult:
    pairs: list[BatchPair]
    greedy_pairs: list[BatchPair]
    objective: float
    greedy_objective: float
    non_capital_share: float | None
    greedy_non_capital_share: float | None
    min_non_capital_share: float | None
    min_share_met: bool
    problem_count: int
    capacities: dict[int, int]
    vendors: dict[int, Organisation] = field(default_factory=dict)
    unassigned: list[Problem] = field(default_factory=list)

    @property
    def improvement(self) -> float:
        return self.objective / self.greedy_objective - 1.0 if self.greedy_objective > 0 else 0.0


def matchable_problems(session: Session, program: Program) -> list[tuple[Problem, Organisation]]:
    rows = session.exec(select(Problem, Organisation).join(Organisation, Organisation.id == Problem.organisation_id)
                        .where(Problem.program_id == program.id, Problem.state.in_(MATCHABLE_STATES))
                        .order_by(Problem.id)).all()
    return [tuple(r) for r in rows]


def batch_match(session: Session, *, officer: User, program: Program,
                min_non_capital_share: float | None = None) -> BatchResult:
    """Suggest one vendor per open program problem, within each vendor's capacity, maximising the total score.

    A vendor's capacity is the sum of its active offerings' capacities; its score for a problem is that of its
    best offering. ``min_non_capital_share`` asks that at least that share of the matched problems come from
    SMEs outside the capital region.
    """
    from matching import assign  # loads scipy's solver on the first batch match, not at app start

    require_officer(officer, program)
    if min_non_capital_share is not None and not 0 <= min_non_capital_share <= 1:
        raise ValidationFailed(_("Enter a share between 0 and 1."), field="min_non_capital_share")
    problem_rows = matchable_problems(session, program)
    offerings = list(session.exec(select(Offering).where(Offering.status == OfferingStatus.ACTIVE,
                                                         Offering.capacity > 0).order_by(Offering.id)))
    vendor_ids = sorted({o.organisation_id for o in offerings})
    vendors = {v.id: v for v in session.exec(select(Organisation).where(Organisation.id.in_(vendor_ids or [-1])))}
    capacities = {v: sum(o.capacity for o in offerings if o.organisation_id == v) for v in vendor_ids}
    empty = BatchResult([], [], 0.0, 0.0, None, None, min_non_capital_share, True, len(problem_rows), capacities,
                        vendors, [p for p, _o in problem_rows])
    if not problem_rows or not offerings:
        return empty
    index = discovery.index_manager().index(session)
    matrix = index.score_matrix(problems=[discovery.problem_record(p, org.region) for p, org in problem_rows],
                                offerings=[discovery.offering_record(o) for o in offerings])
    scores = np.asarray(matrix.scores, dtype=np.float64)
    column = {oid: j for j, oid in enumerate(matrix.offering_ids)}
    by_vendor = np.full((len(problem_rows), len(vendor_ids)), -np.inf)
    best_offering = np.full((len(problem_rows), len(vendor_ids)), -1, dtype=np.int64)
    for k, vendor_id in enumerate(vendor_ids):
        cols = [column[o.id] for o in offerings if o.organisation_id == vendor_id]
        block = scores[:, cols]
        pick = np.argmax(block, axis=1)
        by_vendor[:, k] = block[np.arange(len(problem_rows)), pick]
        best_offering[:, k] = np.asarray(cols)[pick]
    capital = [bool((r := taxonomy.get_region(org.region)) and r.capital) for _p, org in problem_rows]
    result = assign(by_vendor, capacities=np.array([capacities[v] for v in vendor_ids]),
                    min_non_capital_share=min_non_capital_share, problem_is_capital=capital,
                    problem_ids=list(range(len(problem_rows))), offering_ids=list(range(len(vendor_ids))))
    offering_by_col = {column[o.id]: o for o in offerings}

    def to_pairs(raw):
        return [BatchPair(problem_rows[i][0], problem_rows[i][1], vendors[vendor_ids[k]],
                          offering_by_col[int(best_offering[i, k])], float(score)) for i, k, score in raw]

    pairs = to_pairs(result.pairs)
    matched = {p.problem.id for p in pairs}
    logger.info("batch match program=%s problems=%d pairs=%d objective=%.3f greedy=%.3f", program.id,
                len(problem_rows), len(pairs), result.objective, result.greedy_objective)
    return BatchResult(pairs=pairs, greedy_pairs=to_pairs(result.greedy_pairs), objective=result.objective,
                       greedy_objective=result.greedy_objective, non_capital_share=result.non_capital_share,
                       greedy_non_capital_share=result.greedy_non_capital_share,
                       min_non_capital_share=min_non_capital_share, min_share_met=result.min_share_met,
                       problem_count=len(problem_rows), capacities=capacities, vendors=vendors,
                       unassigned=[p for p, _o in problem_rows if p.id not in matched])


def publish_matches(session: Session, *, officer: User, program: Program,
                    pairs: list[tuple[int, int]] | list[dict]) -> list[Recommendation]:
    """Turn the pairs the officer kept, ``(problem_id, vendor_id)``, into recommendations."""
    require_officer(officer, program)
    chosen: dict[int, list[int]] = {}
    for pair in pairs:
        problem_id, vendor_id = (pair["problem_id"], pair["vendor_id"]) if isinstance(pair, dict) else pair
        chosen.setdefault(int(problem_id), []).append(int(vendor_id))
    if not chosen:
        raise ValidationFailed(_("Choose at least one pair to publish."), field="pairs")
    created = []
    for problem_id, vendor_ids in chosen.items():
        problem = _program_problem(session, program, problem_id)
        created += recommend_vendors(session, officer=officer, program=program, problem=problem,
                                     vendor_ids=vendor_ids)
    return created


# --- the subsidy ledger ----------------------------------------------------------------------------

def active_subsidy(session: Session, problem: Problem) -> Subsidy | None:
    """The problem's latest subsidy (any status), or None."""
    return session.exec(select(Subsidy).where(Subsidy.problem_id == problem.id)
                        .order_by(Subsidy.id.desc())).first()


def estimate_subsidy(program: Program, price_krw: int) -> tuple[int, int]:
    """``(subsidy, own_share)`` in whole won for a contract price under the program (see :func:`split_price`)."""
    if isinstance(price_krw, bool) or not isinstance(price_krw, int) or price_krw < 0:
        raise ValidationFailed(_("The price must be a whole number of won, 0 or more."), field="price_krw")
    split = split_price(price_krw, ratio=Decimal(program.subsidy_ratio), cap_krw=int(program.cap_per_project_krw))
    return split.subsidy_krw, split.own_share_krw


def budget_of(session: Session, program: Program) -> Budget:
    """The program's budget, read from the ledger."""
    rows = dict(session.exec(select(Subsidy.status, func.coalesce(func.sum(Subsidy.amount_krw), 0))
                             .where(Subsidy.program_id == program.id).group_by(Subsidy.status)).all())
    amount = {SubsidyStatus(k): int(v) for k, v in rows.items()}
    return Budget(total=int(program.total_budget_krw), reserved=amount.get(SubsidyStatus.APPROVED, 0),
                  committed=amount.get(SubsidyStatus.COMMITTED, 0), pending=amount.get(SubsidyStatus.PENDING, 0))


def request_subsidy(session: Session, *, program: Program, problem: Problem, bid: Bid) -> Subsidy:
    """A pending subsidy for the awarded bid on a program problem (called by the award)."""
    if problem.program_id != program.id:
        raise ValidationFailed(_("This problem is not part of the program."), field="problem_id")
    if bid.problem_id != problem.id:
        raise ValidationFailed(_("The bid is not for this problem."), field="bid_id")
    if bid.price_krw is None:
        raise ValidationFailed(_("The bid has no price."), field="bid_id")
    active = session.exec(select(Subsidy).where(Subsidy.problem_id == problem.id,
                                                Subsidy.status.in_(ACTIVE_SUBSIDY_STATES))).first()
    if active is not None:
        raise Conflict(_("This problem already has a subsidy in progress."))
    amount, own_share = estimate_subsidy(program, int(bid.price_krw))
    subsidy = Subsidy(program_id=program.id, problem_id=problem.id, bid_id=bid.id, price_krw=int(bid.price_krw),
                      amount_krw=amount, own_share_krw=own_share)
    session.add(subsidy)
    session.flush()
    logger.info("subsidy requested id=%s program=%s problem=%s bid=%s amount=%s", subsidy.id, program.id,
                problem.id, bid.id, amount)
    return subsidy


def can_view_subsidy(session: Session, subsidy: Subsidy, user: User | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    program = session.get(Program, subsidy.program_id)
    problem = session.get(Problem, subsidy.problem_id)
    bid = session.get(Bid, subsidy.bid_id)
    return user.organisation_id in {program.agency_id, problem.organisation_id, bid.vendor_id if bid else None}


def get_subsidy(session: Session, subsidy_id: int, *, viewer: User | None) -> Subsidy:
    subsidy = session.get(Subsidy, subsidy_id)
    if subsidy is None or not can_view_subsidy(session, subsidy, viewer):
        raise NotFound(_("No such subsidy."))
    return subsidy


def _lock(session: Session, subsidy: Subsidy) -> tuple[Program, Subsidy]:
    """Lock the program row (PostgreSQL: FOR UPDATE; SQLite: the write lock taken by BEGIN IMMEDIATE), then
    re-read the subsidy, so decisions that race see each other's committed results."""
    program = session.exec(select(Program).where(Program.id == subsidy.program_id).with_for_update()
                           .execution_options(populate_existing=True)).one()
    fresh = session.exec(select(Subsidy).where(Subsidy.id == subsidy.id).with_for_update()
                         .execution_options(populate_existing=True)).one()
    return program, fresh


def _decide_checks(session: Session, officer: User, program: Program, subsidy: Subsidy) -> None:
    require_officer(officer, program)
    problem = session.get(Problem, subsidy.problem_id)
    bid = session.get(Bid, subsidy.bid_id)
    if officer.organisation_id in {problem.organisation_id, bid.vendor_id if bid else None}:
        raise NotAllowed(_("You cannot decide on a subsidy for your own organisation."))


def _record_decision(session: Session, action: str, officer: User, subsidy: Subsidy) -> None:
    audit.record(session, action, actor=officer, obj=subsidy,
                 details={"problem_id": subsidy.problem_id, "amount_krw": subsidy.amount_krw})


def approve_subsidy(session: Session, *, officer: User, subsidy: Subsidy) -> Subsidy:
    """pending → approved: the amount is reserved, provided reserved + committed + it stays within the budget."""
    program, subsidy = _lock(session, subsidy)
    _decide_checks(session, officer, program, subsidy)
    if subsidy.status != SubsidyStatus.PENDING:
        raise Conflict(_("This subsidy has already been decided."))
    budget = budget_of(session, program)
    if not budget.covers(subsidy.amount_krw):
        raise Conflict(_("The program budget cannot cover this subsidy: %(need)s won needed, %(left)s won left.",
                         need=f"{subsidy.amount_krw:,}", left=f"{budget.left:,}"),
                       extra={"left_krw": budget.left, "amount_krw": subsidy.amount_krw})
    subsidy.status = SubsidyStatus.APPROVED
    subsidy.decided_by_id = officer.id
    subsidy.decided_at = utcnow()
    session.add(subsidy)
    session.flush()
    logger.info("subsidy approved id=%s program=%s amount=%s left=%s", subsidy.id, program.id, subsidy.amount_krw,
                budget.left - subsidy.amount_krw)
    _record_decision(session, "subsidy_approved", officer, subsidy)
    signals.subsidy_approved.send(subsidy, session=session)
    return subsidy


def reject_subsidy(session: Session, *, officer: User, subsidy: Subsidy, reason: str) -> Subsidy:
    program, subsidy = _lock(session, subsidy)
    _decide_checks(session, officer, program, subsidy)
    if subsidy.status != SubsidyStatus.PENDING:
        raise Conflict(_("This subsidy has already been decided."))
    errors: dict[str, str] = {}
    reason = _text(reason, field="reason", label=_("Reason"), max_length=500, required=True, errors=errors)
    if errors:
        raise ValidationFailed(errors["reason"], fields=errors)
    subsidy.status = SubsidyStatus.REJECTED
    subsidy.decided_by_id = officer.id
    subsidy.decided_at = utcnow()
    subsidy.reason = reason
    session.add(subsidy)
    session.flush()
    logger.info("subsidy rejected id=%s program=%s", subsidy.id, program.id)
    _record_decision(session, "subsidy_rejected", officer, subsidy)
    signals.subsidy_rejected.send(subsidy, session=session)
    return subsidy


def commit_subsidy(session: Session, *, subsidy: Subsidy) -> Subsidy:
    """approved → committed, when the agreement is signed."""
    _program, subsidy = _lock(session, subsidy)
    if subsidy.status != SubsidyStatus.APPROVED:
        raise Conflict(_("Only an approved subsidy can be committed."))
    subsidy.status = SubsidyStatus.COMMITTED
    subsidy.committed_at = utcnow()
    session.add(subsidy)
    session.flush()
    logger.info("subsidy committed id=%s", subsidy.id)
    return subsidy


def release_subsidy(session: Session, *, subsidy: Subsidy, reason: str | None = None) -> Subsidy:
    """pending/approved/committed → released, when the project is cancelled; the money is free again."""
    _program, subsidy = _lock(session, subsidy)
    if subsidy.status not in ACTIVE_SUBSIDY_STATES:
        raise Conflict(_("This subsidy is not active."))
    subsidy.status = SubsidyStatus.RELEASED
    subsidy.released_at = utcnow()
    if reason:
        subsidy.reason = reason[:500]
    session.add(subsidy)
    session.flush()
    logger.info("subsidy released id=%s", subsidy.id)
    return subsidy


def list_subsidies(session: Session, *, agency_id: int, status: SubsidyStatus | None = SubsidyStatus.PENDING):
    query = (select(Subsidy, Program, Problem, Organisation)
             .join(Program, Program.id == Subsidy.program_id)
             .join(Problem, Problem.id == Subsidy.problem_id)
             .join(Organisation, Organisation.id == Problem.organisation_id)
             .where(Program.agency_id == agency_id))
    if status is not None:
        query = query.where(Subsidy.status == status)
    return [tuple(r) for r in session.exec(query.order_by(Subsidy.created_at, Subsidy.id)).all()]


# --- dashboard -------------------------------------------------------------------------------------

def _region_key(code: str) -> str:
    region = taxonomy.get_region(code)
    return "capital" if region and region.capital else "non_capital"


def program_dashboard(session: Session, program: Program) -> dict:
    """Budget, and applications, recommendations and awards by region and industry, with timing and completion."""
    lang = current_locale()
    applications = list_applications(session, program)
    problems = {p.id: (p, org) for _a, p, org in applications}
    # problems entered some other way (seeded, or program_id set by the award flow) still count
    for p, org in session.exec(select(Problem, Organisation).join(Organisation, Organisation.id ==
                                                                  Problem.organisation_id)
                               .where(Problem.program_id == program.id)).all():
        problems.setdefault(p.id, (p, org))
    recommendations = list_recommendations(session, program)
    awards = session.exec(select(Bid).where(Bid.problem_id.in_(list(problems) or [-1]),
                                            Bid.state == BidState.AWARDED)).all()
    awarded_ids = {b.problem_id for b in awards} | {pid for pid, (p, _o) in problems.items()
                                                    if p.state in AWARDED_STATES}
    completed = sum(1 for pid in awarded_ids if problems[pid][0].state == ProblemState.COMPLETED)

    regions: dict[str, Counter] = {}
    industries: dict[str, Counter] = {}
    capital = {"capital": Counter(), "non_capital": Counter()}

    def count(problem_id: int, what: str) -> None:
        problem, org = problems[problem_id]
        regions.setdefault(org.region, Counter())[what] += 1
        capital[_region_key(org.region)][what] += 1
        industries.setdefault(problem.industry or org.industry, Counter())[what] += 1

    for pid in {a.problem_id for a, _p, _o in applications}:
        count(pid, "applications")
    for rec in recommendations:
        if rec.problem_id in problems:
            count(rec.problem_id, "recommendations")
    for pid in awarded_ids:
        count(pid, "awards")

    days = []
    for bid in awards:
        problem = problems[bid.problem_id][0]
        if bid.decided_at and problem.published_at:
            days.append((bid.decided_at - problem.published_at).total_seconds() / 86400)

    keys = ("applications", "recommendations", "awards")

    def row(counter: Counter) -> dict[str, int]:
        return {k: counter[k] for k in keys}

    region_rows = [{"code": code, "label": _label(taxonomy.get_region, code, lang),
                    "capital": _region_key(code) == "capital", **row(c)}
                   for code, c in sorted(regions.items(), key=lambda kv: (-kv[1]["applications"], kv[0]))]
    industry_rows = [{"code": code, "label": _label(taxonomy.get_industry, code, lang) if code else "—", **row(c)}
                     for code, c in sorted(industries.items(), key=lambda kv: (-kv[1]["applications"], kv[0] or ""))]
    return {
        "program_id": program.id,
        "budget": budget_of(session, program).as_dict(),
        "totals": {"applications": len({a.problem_id for a, _p, _o in applications}),
                   "recommendations": len([r for r in recommendations if r.problem_id in problems]),
                   "awards": len(awarded_ids), "completed": completed},
        "capital_region": {k: row(v) for k, v in capital.items()},
        "by_region": region_rows,
        "by_industry": industry_rows,
        "median_days_to_award": round(statistics.median(days), 1) if days else None,
        "completion_rate": round(completed / len(awarded_ids), 4) if awarded_ids else None,
    }


# --- CSV export ------------------------------------------------------------------------------------

def problem_state_label(state: ProblemState) -> str:
    return {"draft": _("Draft"), "enquiries": _("Open for questions"), "bidding": _("Bidding"),
            "evaluation": _("Evaluation"), "awarded": _("Awarded"), "contracted": _("Contracted"),
            "in_delivery": _("In delivery"), "completed": _("Completed"), "cancelled": _("Cancelled"),
            "unsuccessful": _("Unsuccessful")}.get(str(state.value if hasattr(state, "value") else state), str(state))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(session: Session, program: Program) -> str:
    """The program's problems and subsidies as CSV for Excel: UTF-8 with BOM, CRLF, headers in the reader's language."""
    lang = current_locale()
    header = [_("Problem ID"), _("Problem"), _("Company"), _("Region"), _("Capital region"), _("Industry"),
              _("Problem state"), _("Applied on"), _("Recommended vendors"), _("Subsidy status"),
              _("Contract price (won)"), _("Subsidy (won)"), _("Own share (won)")]
    states = {"pending": _("Pending"), "approved": _("Approved"), "rejected": _("Rejected"),
              "committed": _("Committed"), "released": _("Released")}
    recs = Counter(r.problem_id for r in list_recommendations(session, program))
    subsidies: dict[int, Subsidy] = {}
    for s in session.exec(select(Subsidy).where(Subsidy.program_id == program.id).order_by(Subsidy.id)):
        if s.problem_id not in subsidies or s.status in ACTIVE_SUBSIDY_STATES:
            subsidies[s.problem_id] = s
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for application, problem, org in list_applications(session, program):
        subsidy = subsidies.get(problem.id)
        writer.writerow([csv_cell(v) for v in (
            problem.id, problem.title, org.name(lang), _label(taxonomy.get_region, org.region, lang),
            _("Capital region") if _region_key(org.region) == "capital" else _("Outside the capital region"),
            _label(taxonomy.get_industry, problem.industry, lang) if problem.industry else "",
            problem_state_label(problem.state), (application.created_at + timedelta(hours=9)).date().isoformat(),
            recs.get(problem.id, 0), states.get(subsidy.status.value, "") if subsidy else "",
            subsidy.price_krw if subsidy else "", subsidy.amount_krw if subsidy else "",
            subsidy.own_share_krw if subsidy else "")])
    return "\ufeff" + buffer.getvalue()
