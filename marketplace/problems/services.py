"""Problem rules: drafting step by step, validation, completeness, states, visibility, Q&A, invitations."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from pydantic_core import PydanticCustomError
from sqlalchemy import or_
from sqlmodel import Session, select

from domain.criteria import CRITERIA
from domain.kpi import KpiDirection, parse_kpi_number
from domain.money import MAX_WON
from marketplace import signals
from marketplace.accounts.models import CooperativeMember, Organisation, OrgKind, User
from marketplace.audit import services as audit
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.types import utcnow
from marketplace.problems.models import (
    DEFAULT_WEIGHTS,
    OPEN_STATES,
    PUBLISHED_STATES,
    Problem,
    ProblemInvitation,
    ProblemKpi,
    ProblemShare,
    ProblemState,
    Question,
    Visibility,
)
from matching import taxonomy

logger = logging.getLogger(__name__)

# Documented limits (README and API schemas say the same).
TITLE_MAX = 200
DESCRIPTION_MAX = 5000
PROCESS_MAX = 120
MAX_PROBLEM_TYPES = 3
MAX_KPIS = 6
MAX_DATA_ASSETS = 10
MAX_SYSTEMS = 12
MAX_MONEY = MAX_WON
QUESTION_MAX = 2000
KNOWN_SYSTEMS = ("erp", "mes", "plc", "scada", "spreadsheet", "pos", "qms", "wms", "lims", "custom")
POSTER_KINDS = (OrgKind.SME, OrgKind.COOPERATIVE)


# --- reading and access ------------------------------------------------------------------------

def is_member(user: User | None, organisation_id: int) -> bool:
    return bool(user and user.is_authenticated and user.organisation_id == organisation_id)


def org_kind(session: Session, user: User | None) -> OrgKind | None:
    if not user or not user.is_authenticated or not user.organisation_id:
        return None
    org = session.get(Organisation, user.organisation_id)
    return org.kind if org else None


def is_invited(session: Session, problem: Problem, organisation_id: int | None) -> bool:
    return organisation_id is not None and session.get(ProblemInvitation, (problem.id, organisation_id)) is not None


def can_view(session: Session, problem: Problem, user: User | None) -> bool:
    """Owners and admins always; others only once published, and invited-only problems only by invitees."""
    if user is not None and user.is_authenticated and (user.is_admin or is_member(user, problem.organisation_id)):
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


# --- validation ----------------------------------------------------------------------------------

def _text(value: Any, *, field: str, label: str, max_length: int, required: bool = False, min_length: int = 0,
          errors: dict) -> str | None:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = _("Enter text.")
        return None
    value = value.strip()
    if not value:
        if required:
            errors[field] = _("%(label)s is required.", label=label)
        return None
    if len(value) > max_length:
        errors[field] = _("%(label)s can be at most %(max)d characters.", label=label, max=max_length)
    elif len(value) < min_length:
        errors[field] = _("%(label)s needs at least %(min)d characters.", label=label, min=min_length)
    return value


def _money(value: Any, *, field: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors[field] = _("Enter an amount in whole won.")
        return None
    try:
        amount = int(str(value).replace(",", "").strip())
    except ValueError:
        errors[field] = _("Enter an amount in whole won.")
        return None
    if amount < 0:
        errors[field] = _("The amount cannot be negative.")
    elif amount > MAX_MONEY:
        errors[field] = _("The amount is too large.")
    return amount


def _decimal(value: Any, *, field: str, errors: dict) -> Decimal | None:
    """A KPI number (the rule: :func:`domain.kpi.parse_kpi_number`), or None when left empty."""
    if value in (None, ""):
        return None
    try:
        return parse_kpi_number(value)
    except PydanticCustomError as exc:
        errors[field] = _("Enter a finite number.") if exc.type == "kpi_number_range" else _("Enter a number.")
        return None


def clean_basics(data: dict, errors: dict) -> dict:
    out: dict[str, Any] = {}
    if "title" in data:
        out["title"] = _text(data["title"], field="title", label=_("Title"), max_length=TITLE_MAX, required=True,
                             min_length=5, errors=errors)
    if "description" in data:
        out["description"] = _text(data["description"], field="description", label=_("Description"),
                                   max_length=DESCRIPTION_MAX, errors=errors) or ""
    if "process" in data:
        out["process"] = _text(data["process"], field="process", label=_("Process"), max_length=PROCESS_MAX,
                               errors=errors)
    if "industry" in data:
        code = data["industry"] or None
        if code is not None and taxonomy.get_industry(str(code)) is None:
            errors["industry"] = _("Choose an industry (KSIC division) from the list.")
        out["industry"] = code
    if "problem_types" in data:
        codes = data["problem_types"] or []
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            errors["problem_types"] = _("Choose problem types from the list.")
        else:
            unknown = [c for c in codes if taxonomy.get_problem_type(c) is None]
            if unknown:
                errors["problem_types"] = _("Unknown problem type: %(codes)s.", codes=", ".join(unknown[:3]))
            elif len(set(codes)) > MAX_PROBLEM_TYPES:
                errors["problem_types"] = _("Choose at most %(n)d problem types.", n=MAX_PROBLEM_TYPES)
            out["problem_types"] = list(dict.fromkeys(codes))
    return out


def clean_kpis(rows: Any, errors: dict) -> list[dict] | None:
    if not isinstance(rows, list):
        errors["kpis"] = _("Enter a list of KPIs.")
        return None
    if len(rows) > MAX_KPIS:
        errors["kpis"] = _("Use at most %(n)d KPIs.", n=MAX_KPIS)
        return None
    cleaned = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            errors[f"kpis.{i}"] = _("Enter an object.")
            continue
        name = _text(row.get("name"), field=f"kpis.{i}.name", label=_("KPI name"), max_length=80, required=True,
                     errors=errors)
        unit = _text(row.get("unit"), field=f"kpis.{i}.unit", label=_("Unit"), max_length=20, errors=errors) or ""
        baseline = _decimal(row.get("baseline"), field=f"kpis.{i}.baseline", errors=errors)
        target = _decimal(row.get("target"), field=f"kpis.{i}.target", errors=errors)
        direction = row.get("direction") or "lower"
        if direction not in (d.value for d in KpiDirection):
            errors[f"kpis.{i}.direction"] = _("Choose whether lower or higher is better.")
            continue
        if baseline is not None and target is not None:
            if direction == "lower" and target >= baseline:
                errors[f"kpis.{i}.target"] = _("For a lower-is-better KPI the target must be below the baseline.")
            if direction == "higher" and target <= baseline:
                errors[f"kpis.{i}.target"] = _("For a higher-is-better KPI the target must be above the baseline.")
        cleaned.append({"name": name, "unit": unit, "baseline": baseline, "target": target, "direction": direction})
    return cleaned


def clean_data_and_systems(data: dict, errors: dict) -> dict:
    out: dict[str, Any] = {}
    if "data_assets" in data:
        rows = data["data_assets"] or []
        if not isinstance(rows, list) or len(rows) > MAX_DATA_ASSETS:
            errors["data_assets"] = _("Describe at most %(n)d data sets.", n=MAX_DATA_ASSETS)
        else:
            assets = []
            for i, row in enumerate(rows):
                if not isinstance(row, dict):
                    errors[f"data_assets.{i}"] = _("Enter an object.")
                    continue
                kind = _text(row.get("kind"), field=f"data_assets.{i}.kind", label=_("Kind of data"), max_length=60,
                             required=True, errors=errors)
                period = row.get("period_months")
                if period in (None, ""):
                    period = None
                else:
                    try:
                        period = int(period)
                        if not 0 <= period <= 600:
                            raise ValueError
                    except (TypeError, ValueError):
                        errors[f"data_assets.{i}.period_months"] = _("Enter the number of months (0–600).")
                        period = None
                assets.append({
                    "kind": kind,
                    "description": _text(row.get("description"), field=f"data_assets.{i}.description",
                                         label=_("Description"), max_length=300, errors=errors) or "",
                    "volume": _text(row.get("volume"), field=f"data_assets.{i}.volume", label=_("Volume"),
                                    max_length=60, errors=errors) or "",
                    "period_months": period,
                    "labelled": bool(row.get("labelled")),
                })
            out["data_assets"] = assets
    if "systems" in data:
        systems = data["systems"] or []
        if not isinstance(systems, list) or not all(isinstance(s, str) for s in systems):
            errors["systems"] = _("Enter a list of systems.")
        elif len(systems) > MAX_SYSTEMS or any(len(s.strip()) > 30 for s in systems):
            errors["systems"] = _("Name at most %(n)d systems of up to 30 characters each.", n=MAX_SYSTEMS)
        else:
            out["systems"] = list(dict.fromkeys(s.strip() for s in systems if s.strip()))
    return out


def clean_constraints(data: dict, errors: dict, *, today: date) -> dict:
    out: dict[str, Any] = {}
    if "on_premises_required" in data:
        out["on_premises_required"] = bool(data["on_premises_required"])
    if "budget_min_krw" in data:
        out["budget_min_krw"] = _money(data["budget_min_krw"], field="budget_min_krw", errors=errors)
    if "budget_max_krw" in data:
        out["budget_max_krw"] = _money(data["budget_max_krw"], field="budget_max_krw", errors=errors)
    low, high = out.get("budget_min_krw"), out.get("budget_max_krw")
    if low is not None and high is not None and low > high and "budget_max_krw" not in errors:
        errors["budget_max_krw"] = _("The highest budget must not be below the lowest.")
    if "wanted_by" in data:
        value = data["wanted_by"]
        if value in (None, ""):
            out["wanted_by"] = None
        else:
            try:
                wanted = value if isinstance(value, date) else date.fromisoformat(str(value))
            except ValueError:
                errors["wanted_by"] = _("Enter a date as YYYY-MM-DD.")
            else:
                if wanted <= today:
                    errors["wanted_by"] = _("The delivery date must be in the future.")
                elif wanted > today + timedelta(days=3 * 365):
                    errors["wanted_by"] = _("The delivery date must be within three years.")
                out["wanted_by"] = wanted
    return out


def clean_weights(weights: Any, errors: dict) -> dict[str, int] | None:
    if not isinstance(weights, dict):
        errors["weights"] = _("Give a weight for each criterion.")
        return None
    unknown = set(weights) - set(CRITERIA)
    if unknown:
        errors["weights"] = _("Unknown criterion: %(names)s.", names=", ".join(sorted(unknown)))
        return None
    cleaned = {}
    for c in CRITERIA:
        raw = weights.get(c, 0)
        try:
            if isinstance(raw, bool) or (isinstance(raw, float) and not math.isfinite(raw)):
                raise ValueError
            value = int(str(raw).strip()) if not isinstance(raw, int | float) else raw
            if value != int(value):
                raise ValueError
            value = int(value)
        except (TypeError, ValueError):
            errors[f"weights.{c}"] = _("Enter a whole number from 0 to 100.")
            continue
        if not 0 <= value <= 100:
            errors[f"weights.{c}"] = _("Enter a whole number from 0 to 100.")
        cleaned[c] = value
    if len(cleaned) == len(CRITERIA) and not any(k.startswith("weights.") for k in errors):
        total = sum(cleaned.values())
        if total != 100:
            errors["weights"] = _("The weights must add up to 100; now they add up to %(total)d.", total=total)
    return cleaned


def clean_visibility(data: dict, errors: dict) -> dict:
    out = {}
    if "visibility" in data:
        try:
            out["visibility"] = Visibility(data["visibility"])
        except ValueError:
            errors["visibility"] = _("Choose who can see the problem.")
    return out


def interpret_keywords(types: list[str], keywords: str, *, lang: str) -> tuple[list[str], list[str]]:
    """Add the problem types that comma-separated free words name (Korean or English, typos allowed).

    Returns the types and one sentence per word saying how it was read.
    """
    types = list(types)
    notes: list[str] = []
    for word in (w.strip() for w in keywords.split(",")):
        if not word:
            continue
        code = taxonomy.normalise_tag(word)
        if code:
            if code not in types:
                types.append(code)
            notes.append(_("We read “%(word)s” as %(label)s.", word=word,
                           label=taxonomy.get_problem_type(code).label(lang)))
        else:
            notes.append(_("We could not place “%(word)s”; it stays in your description only.", word=word))
    return types, notes


# --- writing -----------------------------------------------------------------------------------

EDITABLE_STATES = (ProblemState.DRAFT, ProblemState.ENQUIRIES, ProblemState.BIDDING)


def create_problem(session: Session, *, user: User, data: dict) -> Problem:
    """A new draft. ``data`` holds any of the editable fields; ``title`` is required."""
    if org_kind(session, user) not in POSTER_KINDS:
        raise NotAllowed(_("Only SMEs and cooperatives can post problems."))
    if "title" not in data:
        raise ValidationFailed(_("Title is required."), field="title")
    problem = Problem(organisation_id=user.organisation_id, created_by_id=user.id, title=str(data["title"])[:TITLE_MAX])
    _apply(session, problem, data, user=user, creating=True)
    logger.info("problem drafted id=%s org=%s", problem.id, problem.organisation_id)
    return problem


def update_problem(session: Session, *, user: User, problem: Problem, data: dict, step: int | None = None) -> Problem:
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if problem.state not in EDITABLE_STATES or (
            problem.state == ProblemState.BIDDING and problem.bid_deadline is not None
            and problem.bid_deadline <= utcnow()):
        raise Conflict(_("A problem can no longer be edited once bidding has closed."))
    _apply(session, problem, data, user=user, creating=False)
    if step is not None:
        problem.wizard_step = max(problem.wizard_step, step)
    if problem.state != ProblemState.DRAFT:
        problem.revision += 1
        logger.info("published problem edited id=%s revision=%s", problem.id, problem.revision)
        audit.record(session, "problem_edited", actor=user, obj=problem, details={"revision": problem.revision})
        signals.problem_edited.send(problem, session=session)
    session.add(problem)
    session.flush()
    return problem


def _apply(session: Session, problem: Problem, data: dict, *, user: User, creating: bool) -> None:
    errors: dict[str, str] = {}
    known = {"title", "description", "process", "industry", "problem_types", "kpis", "data_assets", "systems",
             "on_premises_required", "budget_min_krw", "budget_max_krw", "wanted_by", "weights", "visibility"}
    unknown = set(data) - known
    if unknown:
        raise ValidationFailed(_("Unknown field: %(names)s.", names=", ".join(sorted(unknown))))
    changes: dict[str, Any] = {}
    changes.update(clean_basics(data, errors))
    changes.update(clean_data_and_systems(data, errors))
    changes.update(clean_constraints(data, errors, today=utcnow().date()))
    changes.update(clean_visibility(data, errors))
    kpis = clean_kpis(data["kpis"], errors) if "kpis" in data else None
    weights = clean_weights(data["weights"], errors) if "weights" in data else None
    low = changes.get("budget_min_krw", problem.budget_min_krw)
    high = changes.get("budget_max_krw", problem.budget_max_krw)
    if low is not None and high is not None and low > high and "budget_max_krw" not in errors:
        errors["budget_max_krw"] = _("The highest budget must not be below the lowest.")
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    for key, value in changes.items():
        setattr(problem, key, value)
    if weights is not None:
        problem.set_weights(weights)
    session.add(problem)
    session.flush()
    if kpis is not None:
        for old in list_kpis(session, problem):
            session.delete(old)
        session.flush()
        for position, row in enumerate(kpis, start=1):
            session.add(ProblemKpi(problem_id=problem.id, position=position, **row))
        session.flush()


# --- completeness ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hint:
    code: str
    message: str
    points: int


@dataclass(frozen=True)
class Completeness:
    score: int
    hints: list[Hint]

    @property
    def level(self) -> str:
        return "good" if self.score >= 80 else "fair" if self.score >= 50 else "weak"

    @property
    def label(self) -> str:
        return {"good": _("Well defined"), "fair": _("Partly defined"), "weak": _("Needs detail")}[self.level]


def completeness(problem: Problem, kpis: list[ProblemKpi]) -> Completeness:
    """A transparent score out of 100: each rule is worth the points shown; hints say what is missing."""
    rules: list[tuple[str, int, bool, str]] = [
        ("title", 5, len(problem.title or "") >= 10,
         _("Make the title specific: what should improve, where (e.g. 식빵 폐기율 줄이기).")),
        ("description", 15, len(problem.description or "") >= 150,
         _("Describe where it hurts: the process, how often it happens and what it costs you (150+ characters).")),
        ("problem_types", 10, bool(problem.problem_types), _("Choose what kind of problem this is.")),
        ("industry", 5, bool(problem.industry), _("Choose your industry.")),
        ("kpi", 15, bool(kpis), _("Say what success means: add a KPI with its baseline and target.")),
        ("kpi_baseline", 10, bool(kpis) and all(k.baseline is not None for k in kpis),
         _("Your KPI %(name)s has no baseline: how is it today?",
           name=next((k.name for k in kpis if k.baseline is None), ""))),
        ("kpi_target", 5, bool(kpis) and all(k.target is not None and k.unit for k in kpis),
         _("Give every KPI a target and a unit.")),
        ("data", 10, bool(problem.data_assets), _("Say what data you have (kind, amount, period).")),
        ("data_period", 5, bool(problem.data_assets) and all(d.get("period_months") for d in problem.data_assets),
         _("Say how many months of data you have.")),
        ("systems", 5, bool(problem.systems), _("Say which systems it must connect to (ERP, MES, PLC, spreadsheets).")),
        ("budget", 10, problem.budget_max_krw is not None, _("Give a budget range; vendors size their proposals by it.")),
        ("deadline", 5, problem.wanted_by is not None, _("Say when you need it delivered.")),
    ]
    score = sum(points for _code, points, ok, _msg in rules if ok)
    hints = [Hint(code, msg, points) for code, points, ok, msg in rules if not ok]
    return Completeness(score=score, hints=hints)


def missing_for_publication(problem: Problem, kpis: list[ProblemKpi]) -> dict[str, str]:
    missing: dict[str, str] = {}
    if len(problem.description or "") < 30:
        missing["description"] = _("Describe the problem in at least 30 characters.")
    if not problem.problem_types:
        missing["problem_types"] = _("Choose at least one problem type.")
    if not problem.industry:
        missing["industry"] = _("Choose your industry.")
    if not kpis or not any(k.baseline is not None and k.target is not None for k in kpis):
        missing["kpis"] = _("Add at least one KPI with a baseline and a target.")
    if problem.budget_max_krw is None:
        missing["budget_max_krw"] = _("Give the highest budget.")
    if problem.wanted_by is None:
        missing["wanted_by"] = _("Give the wanted delivery date.")
    elif problem.wanted_by <= utcnow().date():
        missing["wanted_by"] = _("The delivery date must be in the future.")
    return missing


# --- state changes -----------------------------------------------------------------------------

def publish_problem(session: Session, *, user: User, problem: Problem) -> Problem:
    """draft → enquiries: vendors can see it and ask questions."""
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if problem.state != ProblemState.DRAFT:
        raise Conflict(_("Only a draft can be published."))
    missing = missing_for_publication(problem, list_kpis(session, problem))
    if missing:
        raise ValidationFailed(_("Before publishing, fill in: %(items)s", items=" ".join(missing.values())),
                               fields=missing)
    problem.state = ProblemState.ENQUIRIES
    problem.published_at = utcnow()
    session.add(problem)
    session.flush()
    audit.record(session, "problem_published", actor=user, obj=problem)
    logger.info("problem published id=%s", problem.id)
    return problem


MIN_BIDDING_DAYS = 1
MAX_BIDDING_DAYS = 120


def open_bidding(session: Session, *, user: User, problem: Problem, deadline: datetime) -> Problem:
    """enquiries → bidding, with a deadline on server time (UTC). Weights are fixed from here on."""
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if problem.state != ProblemState.ENQUIRIES:
        raise Conflict(_("Bidding can be opened only for a published problem in the enquiries stage."))
    if deadline.tzinfo is None:
        raise ValidationFailed(_("Give the deadline with its time zone."), field="deadline")
    now = utcnow()
    if deadline < now + timedelta(days=MIN_BIDDING_DAYS):
        raise ValidationFailed(_("The bid deadline must be at least one day from now."), field="deadline")
    if deadline > now + timedelta(days=MAX_BIDDING_DAYS):
        raise ValidationFailed(_("The bid deadline must be within 120 days."), field="deadline")
    problem.state = ProblemState.BIDDING
    problem.bidding_opened_at = now
    problem.bid_deadline = deadline
    session.add(problem)
    session.flush()
    audit.record(session, "bidding_opened", actor=user, obj=problem, details={"deadline": deadline.isoformat()})
    logger.info("bidding opened problem=%s deadline=%s", problem.id, deadline.isoformat())
    return problem


def cancel_problem(session: Session, *, user: User, problem: Problem, reason: str) -> Problem:
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if problem.state not in OPEN_STATES:
        raise Conflict(_("This problem can no longer be cancelled."))
    errors: dict[str, str] = {}
    reason = _text(reason, field="reason", label=_("Reason"), max_length=500, required=True, errors=errors)
    if errors:
        raise ValidationFailed(errors["reason"], fields=errors)
    problem.state = ProblemState.CANCELLED
    problem.cancelled_at = utcnow()
    problem.cancel_reason = reason
    session.add(problem)
    session.flush()
    audit.record(session, "problem_cancelled", actor=user, obj=problem)
    logger.info("problem cancelled id=%s", problem.id)
    return problem


def reveal_identity(session: Session, *, user: User, problem: Problem) -> Problem:
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    problem.identity_revealed = True
    session.add(problem)
    session.flush()
    return problem


# --- invitations -------------------------------------------------------------------------------

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


def invited_vendor_ids(session: Session, problem: Problem) -> set[int]:
    return set(session.exec(select(ProblemInvitation.vendor_id).where(ProblemInvitation.problem_id == problem.id)))


# --- questions and answers ---------------------------------------------------------------------

QUESTION_STATES = (ProblemState.ENQUIRIES, ProblemState.BIDDING)


def ask_question(session: Session, *, user: User, problem: Problem, body: str) -> Question:
    if not can_view(session, problem, user):
        raise NotFound(_("No such problem."))
    if org_kind(session, user) != OrgKind.VENDOR:
        raise NotAllowed(_("Only AI vendors can ask questions about a problem."))
    if problem.state not in QUESTION_STATES:
        raise Conflict(_("Questions can be asked only while the problem is open for enquiries or bidding."))
    if problem.bid_deadline is not None and problem.bid_deadline <= utcnow():
        raise Conflict(_("The bid deadline has passed."))
    errors: dict[str, str] = {}
    text = _text(body, field="body", label=_("Question"), max_length=QUESTION_MAX, required=True, min_length=5,
                 errors=errors)
    if errors:
        raise ValidationFailed(errors["body"], fields=errors)
    question = Question(problem_id=problem.id, organisation_id=user.organisation_id, asked_by_id=user.id, body=text)
    session.add(question)
    session.flush()
    logger.info("question asked id=%s problem=%s", question.id, problem.id)
    return question


def answer_question(session: Session, *, user: User, question: Question, answer: str) -> Question:
    problem = session.get(Problem, question.problem_id)
    if problem is None or not is_member(user, problem.organisation_id):
        raise NotFound(_("No such question."))
    if problem.state not in QUESTION_STATES:
        raise Conflict(_("Questions can be answered only while the problem is open for enquiries or bidding."))
    errors: dict[str, str] = {}
    text = _text(answer, field="answer", label=_("Answer"), max_length=QUESTION_MAX, required=True, errors=errors)
    if errors:
        raise ValidationFailed(errors["answer"], fields=errors)
    question.answer = text
    question.answered_at = utcnow()
    question.answered_by_id = user.id
    session.add(question)
    session.flush()
    logger.info("question answered id=%s problem=%s", question.id, problem.id)
    signals.question_answered.send(problem, session=session, question=question)
    return question


def get_question(session: Session, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound(_("No such question."))
    return question


def list_questions(session: Session, problem: Problem) -> list[Question]:
    return list(session.exec(select(Question).where(Question.problem_id == problem.id).order_by(Question.created_at)))


# --- templates from the demo world -------------------------------------------------------------

TEMPLATE_KEYS = ("hanbit-bakery-daily-bread-demand", "daon-dyeing-recipe-optimization",
                 "sejin-remicon-mix-automation", "pureum-foods-shelf-life-prediction",
                 "taesung-autotech-dimension-vision", "gyeongnam-coop-predictive-maintenance")


def problem_templates() -> list[dict]:
    """Start-from examples: well-defined problems from the demo world, without company or dates."""
    path = Path(__file__).resolve().parents[2] / "seed" / "data" / "problems.json"
    if not path.exists():
        return []
    by_key = {p["key"]: p for p in json.loads(path.read_text(encoding="utf-8"))}
    templates = []
    for key in TEMPLATE_KEYS:
        if key in by_key:
            p = by_key[key]
            templates.append({
                "key": key, "title": p["title"], "description": p["description"], "process": p.get("process"),
                "industry": p.get("industry"), "problem_types": p.get("problem_types", []),
                "kpis": p.get("kpis", []), "data_assets": [
                    {k: d.get(k) for k in ("kind", "description", "volume", "period_months", "labelled")}
                    for d in p.get("data", [])],
                "systems": p.get("systems", []), "on_premises_required": p.get("on_premises_required", False),
                "weights": p.get("criteria", DEFAULT_WEIGHTS),
            })
    return templates


def create_from_template(session: Session, *, user: User, key: str) -> Problem:
    template = next((t for t in problem_templates() if t["key"] == key), None)
    if template is None:
        raise NotFound(_("No such template."))
    data = {k: v for k, v in template.items() if k != "key"}
    return create_problem(session, user=user, data=data)


# --- cooperative joint problems ------------------------------------------------------------------

@dataclass(frozen=True)
class JointParty:
    organisation: Organisation
    share_percent: Decimal


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
    even = (Decimal(100) / len(members)).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    rest = Decimal(100) - even * len(members)
    return [JointParty(m, even + (rest if i == 0 else 0)) for i, m in enumerate(members)]


def _stored_shares(session: Session, problem: Problem) -> list[ProblemShare]:
    return list(session.exec(select(ProblemShare).where(ProblemShare.problem_id == problem.id)))


def set_joint_shares(session: Session, *, user: User, problem: Problem, shares: dict[int, Any]) -> list[JointParty]:
    """The cooperative splits the SME cost among its members: every member once, shares summing to 100."""
    if not is_member(user, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if problem.state not in (ProblemState.DRAFT, ProblemState.ENQUIRIES, ProblemState.BIDDING,
                             ProblemState.EVALUATION, ProblemState.AWARDED):
        raise Conflict(_("The cost split can no longer change once the agreement is signed."))
    members = {p.organisation.id for p in joint_parties(session, problem)}
    if not members:
        raise ValidationFailed(_("Only a cooperative's joint problem is split among member companies."))
    errors: dict[str, str] = {}
    clean: dict[int, Decimal] = {}
    for raw_id, raw_share in shares.items():
        try:
            member_id = int(raw_id)
            share = Decimal(str(raw_share)).quantize(Decimal("0.01"))
            if not share.is_finite() or share <= 0 or share > 100:
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            errors[f"shares.{raw_id}"] = _("Enter a share above 0 and at most 100.")
            continue
        if member_id not in members:
            errors[f"shares.{raw_id}"] = _("This company is not a member of the cooperative.")
        clean[member_id] = share
    if not errors and set(clean) != members:
        errors["shares"] = _("Give every member company a share.")
    if not errors and sum(clean.values()) != 100:
        errors["shares"] = _("The shares must add up to 100; now they add up to %(total)s.",
                             total=format(sum(clean.values()), "f"))
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    for old in _stored_shares(session, problem):
        session.delete(old)
    session.flush()
    for member_id, share in clean.items():
        session.add(ProblemShare(problem_id=problem.id, member_id=member_id, share_percent=share))
    session.flush()
    logger.info("joint shares set problem=%s", problem.id)
    return joint_parties(session, problem)
