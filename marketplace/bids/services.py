"""Bid rules: sealed bids before the deadline, evaluation by the SME's own weights, and one award.

Sealed means: before the deadline nobody but the bidding vendor can learn anything of a bid, nor
how many bids there are. Every read of bids goes through :func:`get_bid` or
:func:`list_bids_for_problem`, which enforce it; notifications to the SME about bids are only sent
after the deadline.
"""

from __future__ import annotations

import logging
import statistics
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain.criteria import CRITERIA
from domain.money import MAX_WON
from marketplace import signals
from marketplace.accounts.models import MemberRole, Organisation, OrgKind, User
from marketplace.audit import services as audit
from marketplace.bids.models import LIVE_STATES, Bid, BidState
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.types import utcnow
from marketplace.i18n import current_locale, format_when
from marketplace.notifications import services as notifications
from marketplace.offerings.models import Offering
from marketplace.problems import services as problems
from marketplace.problems.models import Problem, ProblemInvitation, ProblemKpi, ProblemState
from marketplace.programs import services as programs
from marketplace.programs.models import Program
from matching import taxonomy

logger = logging.getLogger(__name__)

MAX_PRICE = MAX_WON
MAX_MILESTONES = 12
TEXT_MAX = 5000
ABNORMALLY_LOW = Decimal("0.6")  # 40% or more below the mean of the other bids
SENSITIVITY_POINTS = 10


# --- deadline ---------------------------------------------------------------------------------

def bidding_open(problem: Problem) -> bool:
    return problem.state == ProblemState.BIDDING and problem.bid_deadline is not None and \
        utcnow() < problem.bid_deadline


def deadline_passed(problem: Problem) -> bool:
    return problem.bid_deadline is not None and utcnow() >= problem.bid_deadline


def close_bidding_if_due(session: Session, problem: Problem) -> bool:
    """bidding → evaluation once the deadline has passed (server time, UTC). Idempotent."""
    if problem.state != ProblemState.BIDDING or not deadline_passed(problem):
        return False
    problem.state = ProblemState.EVALUATION
    session.add(problem)
    session.flush()
    logger.info("bidding closed problem=%s", problem.id)
    owners = session.exec(select(User).where(User.organisation_id == problem.organisation_id)).all()
    notifications.notify(session, owners, "bids_ready", {"title": problem.title},
                         link=f"/problems/{problem.id}/evaluation")
    return True


# --- validation ---------------------------------------------------------------------------------

def _int(value: Any, field: str, errors: dict, *, minimum: int, maximum: int, message: str) -> int | None:
    if isinstance(value, bool) or value in (None, ""):
        errors[field] = message
        return None
    try:
        number = int(str(value).replace(",", "").strip()) if not isinstance(value, int) else value
    except ValueError:
        errors[field] = message
        return None
    if not minimum <= number <= maximum:
        errors[field] = message
    return number


def _text(value: Any, field: str, errors: dict, *, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[field] = _("Enter text.")
        return ""
    value = value.strip()
    if len(value) > max_length:
        errors[field] = _("Use at most %(n)d characters.", n=max_length)
    return value


def clean_bid(session: Session, problem: Problem, vendor: Organisation, data: dict, *, partial: bool) -> dict:
    """Check bid fields; with ``partial`` (drafts) missing fields are allowed, wrong ones are not."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    known = {"price_krw", "duration_weeks", "approach", "team", "milestones", "kpi_commitments",
             "maintenance_yearly_krw", "maintenance_years", "service_level", "offering_id"}
    for key in set(data) - known:
        errors[key] = _("This field is not known.")

    def present(key):
        return key in data and data[key] not in (None, "")

    if present("price_krw") or not partial:
        clean["price_krw"] = _int(data.get("price_krw"), "price_krw", errors, minimum=1, maximum=MAX_PRICE,
                                  message=_("Enter a price above zero in whole won."))
    if present("duration_weeks") or not partial:
        clean["duration_weeks"] = _int(data.get("duration_weeks"), "duration_weeks", errors, minimum=1, maximum=260,
                                       message=_("Enter the duration in weeks (1–260)."))
    for key, limit in (("approach", TEXT_MAX), ("team", 2000), ("service_level", 500)):
        if key in data:
            clean[key] = _text(data[key], key, errors, max_length=limit)
    if not partial and len(clean.get("approach") or "") < 20:
        errors["approach"] = _("Describe your approach in at least 20 characters.")
    if present("maintenance_yearly_krw") or not partial:
        clean["maintenance_yearly_krw"] = _int(data.get("maintenance_yearly_krw", 0), "maintenance_yearly_krw", errors,
                                               minimum=0, maximum=MAX_PRICE,
                                               message=_("Enter a yearly maintenance cost of 0 or more won."))
    if present("maintenance_years") or not partial:
        clean["maintenance_years"] = _int(data.get("maintenance_years", 0), "maintenance_years", errors, minimum=0,
                                          maximum=10, message=_("Enter 0 to 10 years of maintenance."))
    if "offering_id" in data:
        offering_id = data["offering_id"]
        if offering_id in (None, ""):
            clean["offering_id"] = None
        else:
            offering = session.get(Offering, int(offering_id)) if str(offering_id).isdigit() else None
            if offering is None or offering.organisation_id != vendor.id:
                errors["offering_id"] = _("Choose one of your own offerings.")
            else:
                clean["offering_id"] = offering.id
    if "milestones" in data or not partial:
        clean["milestones"] = _milestones(data.get("milestones") or [], errors, partial=partial)
    if "kpi_commitments" in data or not partial:
        clean["kpi_commitments"] = _commitments(problems.list_kpis(session, problem), data.get("kpi_commitments") or {},
                                                errors, partial=partial)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    return clean


def _milestones(rows: Any, errors: dict, *, partial: bool) -> list[dict]:
    if not isinstance(rows, list) or len(rows) > MAX_MILESTONES:
        errors["milestones"] = _("Give at most %(n)d milestones.", n=MAX_MILESTONES)
        return []
    clean = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            errors[f"milestones.{i}"] = _("Enter an object.")
            continue
        name = _text(row.get("name"), f"milestones.{i}.name", errors, max_length=120)
        if not name:
            errors[f"milestones.{i}.name"] = _("Name the milestone.")
        week = _int(row.get("week"), f"milestones.{i}.week", errors, minimum=1, maximum=260,
                    message=_("Enter the week (1–260)."))
        percent = _int(row.get("payment_percent"), f"milestones.{i}.payment_percent", errors, minimum=0, maximum=100,
                       message=_("Enter a payment share of 0 to 100 percent."))
        clean.append({"name": name, "deliverable": _text(row.get("deliverable"), f"milestones.{i}.deliverable",
                                                         errors, max_length=300),
                      "week": week, "payment_percent": percent})
    if not partial and not clean:
        errors["milestones"] = _("Add at least one milestone with its payment share.")
    elif clean and not any(k.startswith("milestones.") for k in errors):
        total = sum(m["payment_percent"] for m in clean)
        if total != 100 and (not partial or total > 100):
            errors["milestones"] = _("Milestone payments must add up to 100%%; now they add up to %(total)d%%.",
                                     total=total)
        weeks = [m["week"] for m in clean]
        if weeks != sorted(weeks):
            errors["milestones"] = _("List the milestones in the order of their weeks.")
    return clean


def _commitments(kpis: list[ProblemKpi], raw: Any, errors: dict, *, partial: bool) -> list[dict]:
    """``{kpi_id: value}`` (or a list of ``{"kpi_id", "value"}``) → one commitment per problem KPI."""
    if isinstance(raw, list):
        try:
            raw = {int(r["kpi_id"]): r.get("value") for r in raw}
        except (TypeError, KeyError, ValueError):
            errors["kpi_commitments"] = _("Give a value for each KPI of the problem.")
            return []
    if not isinstance(raw, dict):
        errors["kpi_commitments"] = _("Give a value for each KPI of the problem.")
        return []
    by_id = {str(k): v for k, v in raw.items()}
    known = {str(k.id) for k in kpis}
    for key in set(by_id) - known:
        errors[f"kpi_commitments.{key}"] = _("This KPI does not belong to the problem.")
    clean = []
    for kpi in kpis:
        value = by_id.get(str(kpi.id))
        if value in (None, ""):
            if not partial:
                errors[f"kpi_commitments.{kpi.id}"] = _("Commit to a value for “%(name)s”.", name=kpi.name)
            continue
        try:
            number = Decimal(str(value).replace(",", "").strip())
            if not number.is_finite() or abs(number) >= Decimal(10) ** 12:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors[f"kpi_commitments.{kpi.id}"] = _("Enter a number.")
            continue
        clean.append({"kpi_id": kpi.id, "name": kpi.name, "unit": kpi.unit, "value": format(number.normalize(), "f")})
    return clean


# --- access ------------------------------------------------------------------------------------

#: A draft was never a bid, and a withdrawn one was taken back: the SME sees neither.
HIDDEN_FROM_SME = (BidState.DRAFT, BidState.WITHDRAWN)

def vendor_of(session: Session, user: User) -> Organisation:
    org = session.get(Organisation, user.organisation_id) if user.organisation_id else None
    if org is None or org.kind != OrgKind.VENDOR:
        raise NotAllowed(_("Only AI vendors can bid."))
    return org


def own_bid(session: Session, problem: Problem, vendor_id: int) -> Bid | None:
    return session.exec(select(Bid).where(Bid.problem_id == problem.id, Bid.vendor_id == vendor_id)).first()


def get_bid(session: Session, bid_id: int, *, viewer: User) -> Bid:
    """The bid for its own vendor always; for the SME only after the deadline; otherwise 404."""
    bid = session.get(Bid, bid_id)
    if bid is None:
        raise NotFound(_("No such bid."))
    if viewer.organisation_id == bid.vendor_id:
        return bid
    problem = session.get(Problem, bid.problem_id)
    if problems.is_member(viewer, problem.organisation_id) and deadline_passed(problem) and \
            bid.state not in HIDDEN_FROM_SME:
        close_bidding_if_due(session, problem)
        return bid
    raise NotFound(_("No such bid."))


def list_bids_for_problem(session: Session, problem: Problem, *, viewer: User) -> list[Bid]:
    """A vendor sees its own bid; the SME sees the submitted ones, only after the deadline."""
    if viewer.organisation_id is not None and not problems.is_member(viewer, problem.organisation_id):
        if problems.org_kind(session, viewer) != OrgKind.VENDOR:
            raise NotFound(_("No such problem."))
        bid = own_bid(session, problem, viewer.organisation_id)
        return [bid] if bid else []
    if not problems.is_member(viewer, problem.organisation_id):
        raise NotFound(_("No such problem."))
    if not deadline_passed(problem):
        raise Conflict(_("Bids are sealed until the deadline."))
    close_bidding_if_due(session, problem)
    return list(session.exec(select(Bid).where(Bid.problem_id == problem.id, Bid.state.not_in(HIDDEN_FROM_SME))
                             .order_by(Bid.id)))


# --- vendor actions -------------------------------------------------------------------------------

def _require_open(session: Session, problem: Problem) -> None:
    close_bidding_if_due(session, problem)
    if problem.state != ProblemState.BIDDING:
        if problem.state in (ProblemState.DRAFT, ProblemState.ENQUIRIES):
            raise Conflict(_("Bidding has not opened yet for this problem."))
        raise Conflict(_("The bid deadline has passed."))


def create_bid(session: Session, *, user: User, problem: Problem, data: dict, submit: bool = False) -> Bid:
    vendor = vendor_of(session, user)
    if not problems.can_view(session, problem, user):
        raise NotFound(_("No such problem."))
    if vendor.id == problem.organisation_id:
        raise NotAllowed(_("You cannot bid on your own problem."))
    _require_open(session, problem)
    if own_bid(session, problem, vendor.id) is not None:
        raise Conflict(_("You already have a bid on this problem. Revise it instead of starting another."))
    clean = clean_bid(session, problem, vendor, data, partial=True)
    bid = Bid(problem_id=problem.id, vendor_id=vendor.id, created_by_id=user.id, problem_revision=problem.revision,
              **clean)
    try:
        with session.begin_nested():
            session.add(bid)
            session.flush()
    except IntegrityError:
        raise Conflict(_("You already have a bid on this problem. Revise it instead of starting another.")) from None
    logger.info("bid drafted id=%s problem=%s vendor=%s", bid.id, problem.id, vendor.id)
    if submit:
        submit_bid(session, user=user, bid=bid)
    return bid


def revise_bid(session: Session, *, user: User, bid: Bid, data: dict) -> Bid:
    """Change a bid before the deadline. A submitted bid stays submitted (the revision replaces it)."""
    if user.organisation_id != bid.vendor_id:
        raise NotFound(_("No such bid."))
    problem = session.get(Problem, bid.problem_id)
    _require_open(session, problem)
    if bid.state not in (BidState.DRAFT, BidState.SUBMITTED, BidState.INVALIDATED, BidState.WITHDRAWN):
        raise Conflict(_("This bid can no longer be changed."))
    vendor = session.get(Organisation, bid.vendor_id)
    clean = clean_bid(session, problem, vendor, data, partial=True)
    for key, value in clean.items():
        setattr(bid, key, value)
    if bid.state == BidState.SUBMITTED:
        _check_complete(session, problem, bid)
        bid.problem_revision = problem.revision
        bid.submitted_at = utcnow()
    session.add(bid)
    session.flush()
    logger.info("bid revised id=%s state=%s", bid.id, bid.state)
    return bid


def _check_complete(session: Session, problem: Problem, bid: Bid) -> None:
    vendor = session.get(Organisation, bid.vendor_id)
    clean_bid(session, problem, vendor, {
        "price_krw": bid.price_krw, "duration_weeks": bid.duration_weeks, "approach": bid.approach,
        "milestones": bid.milestones, "maintenance_yearly_krw": bid.maintenance_yearly_krw,
        "maintenance_years": bid.maintenance_years,
        "kpi_commitments": {c["kpi_id"]: c["value"] for c in bid.kpi_commitments},
    }, partial=False)


def submit_bid(session: Session, *, user: User, bid: Bid) -> Bid:
    """Seal the bid: complete, answering the problem's current revision, before the deadline."""
    if user.organisation_id != bid.vendor_id:
        raise NotFound(_("No such bid."))
    problem = session.get(Problem, bid.problem_id)
    _require_open(session, problem)
    if bid.state not in (BidState.DRAFT, BidState.SUBMITTED, BidState.INVALIDATED, BidState.WITHDRAWN):
        raise Conflict(_("This bid can no longer be changed."))
    _check_complete(session, problem, bid)
    bid.state = BidState.SUBMITTED
    bid.problem_revision = problem.revision
    bid.submitted_at = utcnow()
    bid.withdrawn_at = bid.invalidated_at = None
    session.add(bid)
    session.flush()
    logger.info("bid submitted id=%s problem=%s", bid.id, problem.id)
    audit.record(session, "bid_submitted", actor=user, obj=bid, details={"problem_id": problem.id})
    return bid


def withdraw_bid(session: Session, *, user: User, bid: Bid) -> Bid:
    if user.organisation_id != bid.vendor_id:
        raise NotFound(_("No such bid."))
    problem = session.get(Problem, bid.problem_id)
    _require_open(session, problem)
    if bid.state not in (BidState.SUBMITTED, BidState.DRAFT, BidState.INVALIDATED):
        raise Conflict(_("This bid can no longer be withdrawn."))
    bid.state = BidState.WITHDRAWN
    bid.withdrawn_at = utcnow()
    session.add(bid)
    session.flush()
    logger.info("bid withdrawn id=%s", bid.id)
    audit.record(session, "bid_withdrawn", actor=user, obj=bid, details={"problem_id": bid.problem_id})
    return bid


def invalidate_outdated_bids(session: Session, problem: Problem) -> int:
    """After the SME edits a problem during bidding, submitted bids must be confirmed again."""
    if problem.state != ProblemState.BIDDING:
        return 0
    stale = session.exec(select(Bid).where(Bid.problem_id == problem.id, Bid.state == BidState.SUBMITTED,
                                           Bid.problem_revision < problem.revision)).all()
    now = utcnow()
    for bid in stale:
        bid.state = BidState.INVALIDATED
        bid.invalidated_at = now
        session.add(bid)
    session.flush()
    if stale:
        notifications.notify_organisations(session, {b.vendor_id for b in stale}, "bid_invalidated",
                                           {"title": problem.title}, link=f"/problems/{problem.id}/bid")
        logger.info("bids invalidated problem=%s count=%s", problem.id, len(stale))
    return len(stale)


# --- evaluation ---------------------------------------------------------------------------------

@dataclass
class BidScore:
    bid: Bid
    vendor: Organisation
    criteria: dict[str, float]
    sources: dict[str, str]
    total: float
    tco_krw: int
    own_share_krw: int | None = None
    subsidy_krw: int | None = None
    abnormally_low: bool = False
    rank: int = 0


@dataclass
class Evaluation:
    problem: Problem
    weights: dict[str, int]
    scores: list[BidScore]
    sensitivity: list[str] = field(default_factory=list)
    excluded: list[Bid] = field(default_factory=list)

    @property
    def leader(self) -> BidScore | None:
        return self.scores[0] if self.scores else None


def _kpi_attainment(kpis: list[ProblemKpi], commitments: list[dict]) -> float:
    values = {c["kpi_id"]: Decimal(c["value"]) for c in commitments}
    scores = []
    for kpi in kpis:
        value = values.get(kpi.id)
        if value is None or kpi.target is None:
            scores.append(0.0)
            continue
        lower = kpi.direction == "lower"
        if (value <= kpi.target) if lower else (value >= kpi.target):
            scores.append(1.0)
        elif kpi.baseline is not None and kpi.baseline != kpi.target:
            gained = (kpi.baseline - value) if lower else (value - kpi.baseline)
            scores.append(max(0.0, min(1.0, float(gained / abs(kpi.baseline - kpi.target)))))
        else:
            scores.append(0.0)
    return sum(scores) / len(scores) if scores else 0.0


def _profile(session: Session, bid: Bid) -> tuple[dict[str, float], float]:
    """The vendor's criteria profile (linked offering, else its offerings' mean) and track-record factor."""
    offerings = [session.get(Offering, bid.offering_id)] if bid.offering_id else list(
        session.exec(select(Offering).where(Offering.organisation_id == bid.vendor_id)))
    offerings = [o for o in offerings if o is not None]
    if not offerings:
        return {c: 0.5 for c in CRITERIA}, 0.5
    profile = {c: sum(float(o.profile.get(c, 0.5)) for o in offerings) / len(offerings) for c in CRITERIA}
    projects = sum(o.completed_projects for o in offerings)
    reviews = [float(o.mean_review) for o in offerings if o.mean_review is not None]
    review = (sum(reviews) / len(reviews) / 5) if reviews else 0.8
    track = min(projects, 20) / 20 * review
    return profile, track


def _scores(weights: dict[str, int], criteria: dict[str, float]) -> float:
    return round(sum(weights[c] * criteria[c] for c in CRITERIA), 2)


def evaluate(session: Session, problem: Problem, *, viewer: User) -> Evaluation:
    """Side-by-side scores by the SME's published weights; only the SME, only after the deadline.

    Each criterion is scored 0–1 from the bid itself where it can be:
    cost = lowest price / price; delivery speed = shortest duration / duration; quality = how far
    the KPI commitments reach the targets (baseline → target); maintenance = half the share of the
    lowest total cost of ownership (price + years × yearly cost), half the years covered (up to 3).
    Throughput, explainability and data privacy come from the vendor's profile, weighted by its
    track record (completed projects and reviews). Total = Σ weight × score (out of 100).
    """
    bids = list_bids_for_problem(session, problem, viewer=viewer)
    live = [b for b in bids if b.state in (BidState.SUBMITTED, BidState.SHORTLISTED, BidState.AWARDED)
            or (b.state == BidState.REJECTED and b.submitted_at is not None)]
    excluded = [b for b in bids if b not in live]
    kpis = problems.list_kpis(session, problem)
    weights = problem.weights
    if not live:
        return Evaluation(problem=problem, weights=weights, scores=[], excluded=excluded)
    lowest = min(b.price_krw for b in live)
    fastest = min(b.duration_weeks for b in live)
    tco = {b.id: b.price_krw + b.maintenance_years * b.maintenance_yearly_krw for b in live}
    lowest_tco = min(tco.values())
    vendors = {o.id: o for o in session.exec(select(Organisation).where(
        Organisation.id.in_([b.vendor_id for b in live])))}
    # The SME's own share after subsidy, when the problem is under a program (a question, not a reaction).
    program = session.get(Program, problem.program_id) if problem.program_id else None
    scores = []
    for bid in live:
        profile, track = _profile(session, bid)
        confidence = 0.7 + 0.3 * track
        criteria = {
            "cost": lowest / bid.price_krw,
            "delivery_speed": fastest / bid.duration_weeks,
            "quality": _kpi_attainment(kpis, bid.kpi_commitments),
            "maintenance": 0.5 * (lowest_tco / tco[bid.id]) + 0.5 * min(bid.maintenance_years, 3) / 3,
            "throughput": profile["throughput"] * confidence,
            "explainability": profile["explainability"] * confidence,
            "data_privacy": profile["data_privacy"] * confidence,
        }
        criteria = {c: round(v, 4) for c, v in criteria.items()}
        sources = {"cost": "price", "delivery_speed": "duration", "quality": "kpi", "maintenance": "tco",
                   "throughput": "profile", "explainability": "profile", "data_privacy": "profile"}
        others = [b.price_krw for b in live if b.id != bid.id]
        low = bool(others) and Decimal(bid.price_krw) <= ABNORMALLY_LOW * Decimal(statistics.mean(others))
        score = BidScore(bid=bid, vendor=vendors[bid.vendor_id], criteria=criteria, sources=sources,
                         total=_scores(weights, criteria), tco_krw=tco[bid.id], abnormally_low=low)
        if program is not None:
            score.subsidy_krw, own = programs.estimate_subsidy(program, bid.price_krw)
            score.own_share_krw = own + bid.maintenance_years * bid.maintenance_yearly_krw
        scores.append(score)
    scores.sort(key=lambda s: (-s.total, s.bid.price_krw, s.bid.id))
    for rank, score in enumerate(scores, start=1):
        score.rank = rank
    return Evaluation(problem=problem, weights=weights, scores=scores, excluded=excluded,
                      sensitivity=_sensitivity(weights, scores))


def shifted_weights(weights: dict[str, int], criterion: str, delta: int) -> dict[str, float] | None:
    """Move one weight by ``delta`` points and spread the opposite change over the others by their size."""
    target = min(100, max(0, weights[criterion] + delta))
    change = target - weights[criterion]
    if change == 0:
        return None
    others = {c: w for c, w in weights.items() if c != criterion}
    pool = sum(others.values())
    new = {criterion: float(target)}
    for c, w in others.items():
        share = (w / pool) if pool else 1 / len(others)
        new[c] = max(0.0, w - change * share)
    return new


def _sensitivity(weights: dict[str, int], scores: list[BidScore]) -> list[str]:
    """Would the leader change if any weight moved by 10 points? One sentence per change that flips it."""
    if len(scores) < 2:
        return []
    lang = current_locale()
    leader = scores[0]
    notes = []
    for criterion in CRITERIA:
        for delta in (SENSITIVITY_POINTS, -SENSITIVITY_POINTS):
            new = shifted_weights(weights, criterion, delta)
            if new is None:
                continue
            best = max(scores, key=lambda s: (sum(new[c] * s.criteria[c] for c in CRITERIA), -s.bid.price_krw))
            if best.bid.id != leader.bid.id:
                label = taxonomy.criterion_label(criterion, lang)
                name = best.vendor.name(lang)
                notes.append(_("If %(criterion)s weighed %(points)d points more, %(vendor)s would lead.",
                               criterion=label, points=delta, vendor=name) if delta > 0 else
                             _("If %(criterion)s weighed %(points)d points less, %(vendor)s would lead.",
                               criterion=label, points=-delta, vendor=name))
    return notes


# --- decisions ------------------------------------------------------------------------------------

def _require_owner_of(user: User, problem: Problem) -> None:
    if not problems.is_member(user, problem.organisation_id):
        raise NotFound(_("No such bid."))
    if user.role != MemberRole.OWNER:
        raise NotAllowed(_("Only an owner of the organisation can decide on bids."))


def _lock_problem(session: Session, problem_id: int) -> Problem:
    """Re-read the problem under a row lock (PostgreSQL); SQLite already serialises writers."""
    return session.exec(select(Problem).where(Problem.id == problem_id).with_for_update()
                        .execution_options(populate_existing=True)).one()


def _decide(session: Session, *, user: User, bid: Bid) -> Problem:
    problem = _lock_problem(session, bid.problem_id)
    _require_owner_of(user, problem)
    if not deadline_passed(problem):
        raise Conflict(_("Bids are sealed until the deadline."))
    close_bidding_if_due(session, problem)
    return problem


def shortlist_bid(session: Session, *, user: User, bid: Bid) -> Bid:
    problem = _decide(session, user=user, bid=bid)
    if problem.state != ProblemState.EVALUATION or bid.state != BidState.SUBMITTED or \
            bid.problem_revision != problem.revision:
        raise Conflict(_("Only a submitted bid can be shortlisted during the evaluation."))
    bid.state = BidState.SHORTLISTED
    session.add(bid)
    session.flush()
    audit.record(session, "bid_shortlisted", actor=user, obj=bid, details={"problem_id": problem.id})
    notifications.notify_organisations(session, [bid.vendor_id], "bid_shortlisted", {"title": problem.title},
                                       link=f"/problems/{problem.id}/bid")
    return bid


def reject_bid(session: Session, *, user: User, bid: Bid, reason: str) -> Bid:
    problem = _decide(session, user=user, bid=bid)
    if problem.state != ProblemState.EVALUATION or bid.state not in LIVE_STATES:
        raise Conflict(_("Only a bid under evaluation can be rejected."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the bid is rejected; the vendor will read it."), field="reason")
    if len(reason) > 500:
        raise ValidationFailed(_("Use at most %(n)d characters.", n=500), field="reason")
    bid.state = BidState.REJECTED
    bid.decision_reason = reason
    bid.decided_at = utcnow()
    session.add(bid)
    session.flush()
    audit.record(session, "bid_rejected", actor=user, obj=bid, details={"problem_id": problem.id})
    notifications.notify_organisations(session, [bid.vendor_id], "bid_rejected",
                                       {"title": problem.title, "reason": reason}, link=f"/problems/{problem.id}/bid")
    return bid


#: Called with (session, problem, bid) after an award (subsidy request, agreement draft).
def award_bid(session: Session, *, user: User, bid: Bid) -> Bid:
    """Award one bid. Exactly once per problem, even when two awards race; repeating it changes nothing."""
    problem = _decide(session, user=user, bid=bid)
    session.refresh(bid)
    if bid.state == BidState.AWARDED:
        return bid
    if problem.state != ProblemState.EVALUATION:
        raise Conflict(_("A bid has already been awarded for this problem."))
    if bid.state not in LIVE_STATES or bid.problem_revision != problem.revision:
        raise Conflict(_("A withdrawn, invalidated or rejected bid cannot be awarded."))
    evaluation = evaluate(session, problem, viewer=user)
    now = utcnow()
    bid.state = BidState.AWARDED
    bid.decided_at = now
    problem.state = ProblemState.AWARDED
    session.add_all([bid, problem])
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict(_("A bid has already been awarded for this problem.")) from None
    for other in session.exec(select(Bid).where(Bid.problem_id == problem.id, Bid.id != bid.id,
                                                Bid.state.in_(list(LIVE_STATES)))).all():
        other.state = BidState.REJECTED
        other.decided_at = now
        other.decision_reason = "not_awarded"
        session.add(other)
    session.flush()
    logger.info("bid awarded id=%s problem=%s", bid.id, problem.id)
    audit.record(session, "bid_awarded", actor=user, obj=bid, details={"problem_id": problem.id})
    for score in evaluation.scores:
        kind = "award_won" if score.bid.id == bid.id else "award_lost"
        notifications.notify_organisations(session, [score.vendor.id], kind,
                                           {"title": problem.title, "score": f"{score.total:.1f}",
                                            "rank": score.rank}, link=f"/problems/{problem.id}/bid")
    signals.bid_awarded.send(bid, session=session, problem=problem)
    return bid


def outcome_for_vendor(session: Session, problem: Problem, bid: Bid) -> BidScore | None:
    """After the award, a vendor sees its own score and rank (never other prices)."""
    if problem.state not in (ProblemState.AWARDED, ProblemState.CONTRACTED, ProblemState.IN_DELIVERY,
                             ProblemState.COMPLETED):
        return None
    owner = session.exec(select(User).where(User.organisation_id == problem.organisation_id)).first()
    evaluation = evaluate(session, problem, viewer=owner)
    return next((s for s in evaluation.scores if s.bid.id == bid.id), None)


# --- reminders -------------------------------------------------------------------------------------

def send_deadline_reminders(session: Session, *, within_hours: int = 24) -> int:
    """Remind invited vendors and vendors with unfinished bids a day before the deadline (once)."""
    now = utcnow()
    due = session.exec(select(Problem).where(Problem.state == ProblemState.BIDDING,
                                             Problem.reminder_sent_at.is_(None),
                                             Problem.bid_deadline <= now + timedelta(hours=within_hours),
                                             Problem.bid_deadline > now)).all()
    for problem in due:
        vendor_ids = set(session.exec(select(ProblemInvitation.vendor_id).where(
            ProblemInvitation.problem_id == problem.id)))
        vendor_ids |= set(session.exec(select(Bid.vendor_id).where(
            Bid.problem_id == problem.id, Bid.state.in_([BidState.DRAFT, BidState.INVALIDATED]))))
        notifications.notify_organisations(session, vendor_ids, "deadline_reminder",
                                           {"title": problem.title, "deadline": format_when(problem.bid_deadline)},
                                           link=f"/problems/{problem.id}/bid")
        problem.reminder_sent_at = now
        session.add(problem)
    session.flush()
    return len(due)


def close_due_problems(session: Session) -> int:
    due = session.exec(select(Problem).where(Problem.state == ProblemState.BIDDING,
                                             Problem.bid_deadline <= utcnow())).all()
    return sum(close_bidding_if_due(session, p) for p in due)
