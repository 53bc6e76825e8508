"""The evaluation as the SME and the vendors see it: load the rows, score them with the pure rules of
:mod:`marketplace.bids.evaluation`, word the sensitivity in the reader's language.

Loading takes a fixed number of queries however many bids there are: the bids, the KPIs, the vendors,
all their offerings at once, and the program.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import or_
from sqlmodel import Session, select

from marketplace.accounts.models import Organisation, User
from marketplace.bids import evaluation as rules
from marketplace.bids.models import Bid, BidState
from marketplace.bids.services.access import list_bids_for_problem
from marketplace.bids.services.sealing import check_commitments
from marketplace.i18n import current_locale
from domain.evidence import EvidenceItem, EvidenceSummary, summarise
from marketplace.offerings import services as offering_evidence
from marketplace.offerings.models import Offering
from marketplace.problems import services as problems
from marketplace.problems.models import Problem, ProblemState
from marketplace.programs import services as programs
from marketplace.programs.models import Program
from matching import taxonomy

#: Problems whose award is made: a vendor may see its own score and rank.
DECIDED = (ProblemState.AWARDED, ProblemState.CONTRACTED, ProblemState.IN_DELIVERY, ProblemState.COMPLETED)


@dataclass
class BidScore:
    bid: Bid
    vendor: Organisation
    criteria: dict[str, float]
    total: float
    tco_krw: int
    own_share_krw: int | None = None
    subsidy_krw: int | None = None
    abnormally_low: bool = False
    rank: int = 0
    upkeep_krw: int = 0
    no_maintenance: bool = False
    credibility: float = 0.0
    evidence: EvidenceSummary | None = None


@dataclass
class Evaluation:
    problem: Problem
    weights: dict[str, int]
    scores: list[BidScore]
    flips: tuple[rules.Flip, ...] = ()
    excluded: list[Bid] = field(default_factory=list)
    horizon_years: int = rules.DEFAULT_HORIZON_YEARS

    @property
    def leader(self) -> BidScore | None:
        return self.scores[0] if self.scores else None

    @property
    def sensitivity(self) -> list[str]:
        """One sentence per weight change that would change the leader, in the reader's language."""
        return describe_flips(self)


def _evaluated(bid: Bid) -> bool:
    """Submitted bids take part; so does one rejected after it was submitted (it still had a score)."""
    return bid.state in (BidState.SUBMITTED, BidState.SHORTLISTED, BidState.AWARDED) or \
        (bid.state == BidState.REJECTED and bid.submitted_at is not None)


def _vendor_inputs(session: Session, bids: list[Bid]) -> dict[int, tuple[dict[str, float], list[EvidenceItem]]]:
    """bid id → its vendor's criteria profile (the linked offering's, else the mean of the vendor's offerings)
    and its evidence (:func:`marketplace.offerings.evidence.evidence_items`): a fixed number of queries."""
    linked = {b.offering_id for b in bids if b.offering_id}
    vendors = {b.vendor_id for b in bids}
    rows = session.exec(select(Offering).where(or_(Offering.id.in_(linked), Offering.organisation_id.in_(vendors)))
                        .order_by(Offering.id)).all() if linked or vendors else []
    items = offering_evidence.evidence_items(session, vendors, offerings=rows)
    by_id = {o.id: o for o in rows}
    by_vendor: dict[int, list[Offering]] = {}
    for o in rows:
        by_vendor.setdefault(o.organisation_id, []).append(o)
    chosen = {}
    for b in bids:
        offerings = [by_id[b.offering_id]] if b.offering_id in by_id else by_vendor.get(b.vendor_id, [])
        chosen[b.id] = (offering_evidence.mean_profile(offerings), items.get(b.vendor_id, []))
    return chosen


def settings_for(problem: Problem) -> rules.Settings:
    """The problem's horizon for the total cost of ownership; the platform's upkeep estimate."""
    return rules.Settings(horizon_years=problem.tco_horizon_years or rules.DEFAULT_HORIZON_YEARS)


def evaluate(session: Session, problem: Problem, *, viewer: User) -> Evaluation:
    """Side-by-side scores by the SME's published weights; only the SME, only after the deadline.

    The rules are in :mod:`marketplace.bids.evaluation`. Under a program, each bid also shows the
    subsidy and the SME's own share (a question asked of programs, not a reaction).
    """
    bids = list_bids_for_problem(session, problem, viewer=viewer)
    live = [b for b in bids if _evaluated(b)]
    excluded = [b for b in bids if not _evaluated(b)]
    weights = problem.weights
    if not live:
        return Evaluation(problem=problem, weights=weights, scores=[], excluded=excluded)
    check_commitments(problem, live)
    kpis = [rules.KpiGoal(id=k.id, target=k.target, baseline=k.baseline, direction=k.direction)
            for k in problems.list_kpis(session, problem)]
    vendors = {o.id: o for o in session.exec(select(Organisation).where(
        Organisation.id.in_({b.vendor_id for b in live})))}
    vendor_inputs = _vendor_inputs(session, live)
    program = session.get(Program, problem.program_id) if problem.program_id else None
    terms = [rules.BidTerms(
        id=b.id, price_krw=b.price_krw, duration_weeks=b.duration_weeks,
        maintenance_yearly_krw=b.maintenance_yearly_krw, maintenance_years=b.maintenance_years,
        commitments=b.kpi_commitments, profile=vendor_inputs[b.id][0], evidence=vendor_inputs[b.id][1],
        subsidy=rules.SubsidyEstimate(*programs.estimate_subsidy(program, b.price_krw)) if program else None)
        for b in live]
    result = rules.evaluate(weights, kpis, terms, settings=settings_for(problem))
    by_id = {b.id: b for b in live}
    scores = [BidScore(bid=by_id[s.bid_id], vendor=vendors[by_id[s.bid_id].vendor_id], criteria=dict(s.criteria),
                       total=s.total, tco_krw=s.tco_krw, own_share_krw=s.own_share_krw, subsidy_krw=s.subsidy_krw,
                       abnormally_low=s.abnormally_low, rank=s.rank, upkeep_krw=s.upkeep_krw,
                       no_maintenance=s.no_maintenance, credibility=s.credibility,
                       evidence=summarise(vendor_inputs[s.bid_id][1])) for s in result.scores]
    return Evaluation(problem=problem, weights=weights, scores=scores, flips=result.flips, excluded=excluded,
                      horizon_years=result.horizon_years)


def describe_flips(evaluation: Evaluation) -> list[str]:
    lang = current_locale()
    vendors = {s.bid.id: s.vendor for s in evaluation.scores}
    notes = []
    for flip in evaluation.flips:
        label = taxonomy.criterion_label(flip.criterion, lang)
        name = vendors[flip.leader_id].name(lang)
        notes.append(_("If %(criterion)s weighed %(points)d points more, %(vendor)s would lead.",
                       criterion=label, points=flip.points, vendor=name) if flip.points > 0 else
                     _("If %(criterion)s weighed %(points)d points less, %(vendor)s would lead.",
                       criterion=label, points=-flip.points, vendor=name))
    return notes


def outcome_for_vendor(session: Session, problem: Problem, bid: Bid) -> BidScore | None:
    """After the award, a vendor sees its own score and rank (never other prices)."""
    if problem.state not in DECIDED:
        return None
    owner = session.exec(select(User).where(User.organisation_id == problem.organisation_id)).first()
    evaluation = evaluate(session, problem, viewer=owner)
    return next((s for s in evaluation.scores if s.bid.id == bid.id), None)
