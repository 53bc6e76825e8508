"""Ranked discovery both ways: offerings for a problem, problems for a vendor.

The ranking engine (``matching``) knows nothing of the database. This module turns rows into
engine records and keeps one :class:`matching.MatchIndex` per app process fresh: before each
ranking it picks up offerings and problems whose ``updated_at`` moved since the last look (a
couple of minutes of overlap covers transactions that committed late). Every worker process
does the same, so an edit made through one worker shows in the next ranking of every worker,
without refitting the text model on each request.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts.models import Organisation, User
from marketplace.core.errors import ValidationFailed
from marketplace.core.types import utcnow
from marketplace.i18n import current_locale
from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.problems import services as problems
from marketplace.problems.models import Problem, ProblemState
from marketplace.programs.models import Program, Recommendation
from matching import Filters, Match, MatchIndex, MatchingError, OfferingRecord, ProblemRecord, Weights

logger = logging.getLogger(__name__)

#: Problems vendors can still act on; only these are indexed for the vendor side.
RANKED_PROBLEM_STATES = (ProblemState.ENQUIRIES, ProblemState.BIDDING)
SYNC_OVERLAP = timedelta(minutes=2)
#: Rankings of offerings remembered per process (each a few kB), dropped whenever the index changes.
RANKED_CACHE_SIZE = 256


def offering_record(offering: Offering) -> OfferingRecord:
    return OfferingRecord(
        id=offering.id, title=offering.title, description=offering.description,
        capabilities=tuple(offering.capabilities), industries=tuple(offering.industries),
        regions_served=tuple(offering.regions_served), deployment_modes=tuple(offering.deployment_modes),
        price_min=offering.price_min_krw, price_max=offering.price_max_krw, duration_weeks=offering.typical_weeks,
        profile=dict(offering.profile), completed_projects=offering.completed_projects,
        mean_review=float(offering.mean_review) if offering.mean_review is not None else None,
        capacity=offering.capacity,
    )


def problem_record(problem: Problem, region: str | None) -> ProblemRecord:
    weights = problem.weights
    return ProblemRecord(
        id=problem.id, title=problem.title, description=problem.description or "",
        problem_types=tuple(problem.problem_types), industry=problem.industry, region=region,
        budget_min=problem.budget_min_krw, budget_max=problem.budget_max_krw,
        on_premises_required=problem.on_premises_required,
        data_available=tuple(d.get("kind", "") for d in problem.data_assets),
        existing_systems=tuple(problem.systems),
        weights=Weights.from_mapping(weights) if any(weights.values()) else None,
    )


class IndexManager:
    """One ranking index per app process, synchronised from the database before each use."""

    def __init__(self):
        self._index: MatchIndex | None = None
        self._watermark: datetime | None = None
        self._seen: dict[tuple[str, int], datetime] = {}
        self._lock = threading.Lock()
        #: Moves whenever the index changes; remembered rankings are only valid for one version.
        self.version = 0
        self._ranked: OrderedDict[tuple, list[Match]] = OrderedDict()
        self._ranked_version = 0

    def index(self, session: Session) -> MatchIndex:
        with self._lock:
            started = utcnow()
            if self._index is None:
                self._build(session)
            else:
                self._sync(session, self._watermark - SYNC_OVERLAP)
            self._watermark = started
            return self._index

    def rank_offerings(self, session: Session, record: ProblemRecord, *, top: int, weights=None,
                       filters: Filters | None = None) -> list[Match]:
        """The engine's offerings for ``record``, remembered per (record, weights, filters, depth) until the
        index changes: a problem's page and its API answer the same ranking without ranking again."""
        index = self.index(session)
        try:
            key = (record, tuple(sorted(weights.items())) if weights else None, filters, top)
            hash(key)
        except TypeError:
            return index.rank_offerings(record, top=top, weights=weights, filters=filters)
        with self._lock:
            if self._ranked_version != self.version:
                self._ranked.clear()
                self._ranked_version = self.version
            version = self.version
            if key in self._ranked:
                self._ranked.move_to_end(key)
                return self._ranked[key]
        matches = index.rank_offerings(record, top=top, weights=weights, filters=filters)
        with self._lock:
            if version == self.version == self._ranked_version:
                self._ranked[key] = matches
                while len(self._ranked) > RANKED_CACHE_SIZE:
                    self._ranked.popitem(last=False)
        return matches

    def _problem_rows(self, session: Session, since: datetime | None, ids=None):
        query = select(Problem, Organisation.region).join(Organisation, Organisation.id == Problem.organisation_id)
        if ids is not None:
            query = query.where(Problem.id.in_(ids))
        elif since is not None:
            query = query.where(Problem.updated_at >= since)
        else:
            query = query.where(Problem.state.in_(RANKED_PROBLEM_STATES))
        return session.exec(query).all()

    def _offering_rows(self, session: Session, since: datetime | None, ids=None):
        query = select(Offering)
        if ids is not None:
            query = query.where(Offering.id.in_(ids))
        elif since is not None:
            query = query.where(Offering.updated_at >= since)
        else:
            query = query.where(Offering.status == OfferingStatus.ACTIVE)
        return session.exec(query).all()

    def _changed(self, session: Session, kind: str, model, live, since: datetime) -> list[int]:
        """Ids of rows touched since ``since`` that the index does not reflect (read as three columns,
        so the usual answer, nothing changed, costs no row loading)."""
        state = model.status if kind == "o" else model.state
        rows = session.exec(select(model.id, model.updated_at, state).where(model.updated_at >= since)).all()
        return [row_id for row_id, updated_at, status in rows
                if (self._seen.get((kind, row_id)) != updated_at if status in live else (kind, row_id) in self._seen)]

    def _build(self, session: Session) -> None:
        offerings = self._offering_rows(session, None)
        problem_rows = self._problem_rows(session, None)
        self._index = MatchIndex.build([offering_record(o) for o in offerings],
                                       [problem_record(p, region) for p, region in problem_rows])
        self._seen = {("o", o.id): o.updated_at for o in offerings}
        self._seen.update({("p", p.id): p.updated_at for p, _r in problem_rows})
        logger.info("ranking index built: %d offerings, %d problems", len(offerings), len(problem_rows))
        self.version += 1

    def _sync(self, session: Session, since: datetime) -> None:
        offering_ids = self._changed(session, "o", Offering, (OfferingStatus.ACTIVE,), since)
        problem_ids = self._changed(session, "p", Problem, RANKED_PROBLEM_STATES, since)
        if offering_ids or problem_ids:
            self.version += 1
        for offering in self._offering_rows(session, since, offering_ids) if offering_ids else ():
            key = ("o", offering.id)
            if offering.status == OfferingStatus.ACTIVE:
                if self._seen.get(key) != offering.updated_at:
                    self._index.upsert_offering(offering_record(offering))
                    self._seen[key] = offering.updated_at
            elif self._seen.pop(key, None) is not None:
                self._index.remove_offering(offering.id)
        for problem, region in self._problem_rows(session, since, problem_ids) if problem_ids else ():
            key = ("p", problem.id)
            if problem.state in RANKED_PROBLEM_STATES:
                if self._seen.get(key) != problem.updated_at:
                    self._index.upsert_problem(problem_record(problem, region))
                    self._seen[key] = problem.updated_at
            elif self._seen.pop(key, None) is not None:
                self._index.remove_problem(problem.id)


def index_manager(app: Flask | None = None) -> IndexManager:
    app = app or current_app
    manager = app.extensions.get("axbridge_index")
    if manager is None:
        manager = app.extensions.setdefault("axbridge_index", IndexManager())
    return manager


# --- results -----------------------------------------------------------------------------------

@dataclass
class RankedOffering:
    offering: Offering
    vendor: Organisation
    score: float
    contributions: dict[str, float]
    reasons: list[str]
    matched_terms: list[str]
    invited: bool = False
    recommended_by: str | None = None


@dataclass
class RankedProblem:
    problem: Problem
    score: float
    contributions: dict[str, float]
    reasons: list[str]
    matched_terms: list[str]
    offering: Offering | None = None
    quality: problems.Completeness | None = None
    show_identity: bool = True
    organisation: Organisation | None = None
    extras: dict = field(default_factory=dict)


def parse_weights(raw: str | dict | None) -> dict[str, float] | None:
    """What-if weights from ``quality:40,cost:30`` (or a mapping); the engine normalises them."""
    if raw in (None, "", {}):
        return None
    mapping: dict[str, float] = {}
    try:
        items = raw.items() if isinstance(raw, dict) else (part.split(":", 1) for part in str(raw).split(","))
        for key, value in items:
            mapping[str(key).strip()] = float(value)
        Weights.from_mapping(mapping)
    except (TypeError, ValueError, MatchingError):
        raise ValidationFailed(_("Weights look like quality:40,cost:30 with the seven criteria and numbers of 0 or "
                                 "more, not all zero."), field="weights") from None
    return mapping


def build_filters(*, industries=(), regions=(), deployment_modes=(), max_price=None, exclude_ids=()) -> Filters | None:
    if not (industries or regions or deployment_modes or max_price is not None or exclude_ids):
        return None
    try:
        return Filters(industries=tuple(industries), regions=tuple(regions), deployment_modes=tuple(deployment_modes),
                       max_price=max_price, exclude_ids=tuple(exclude_ids))
    except MatchingError:
        raise ValidationFailed(_("Choose filters from the lists.")) from None


def _text_matches(text: str, *values: str | None) -> bool:
    needle = text.casefold().strip()
    return any(needle in (v or "").casefold() for v in values)


def recommended_by(session: Session, problem: Problem) -> dict[int, str]:
    """``{vendor_id: agency name}`` for every vendor an agency recommended for the problem (in the reader's language)."""
    lang = current_locale()
    rows = session.exec(select(Recommendation.vendor_id, Organisation)
                        .join(Program, Program.id == Recommendation.program_id)
                        .join(Organisation, Organisation.id == Program.agency_id)
                        .where(Recommendation.problem_id == problem.id)
                        .order_by(Recommendation.created_at)).all()
    out: dict[int, str] = {}
    for vendor_id, agency in rows:
        out.setdefault(vendor_id, agency.name(lang))
    return out


def rank_offerings_for_problem(session: Session, problem: Problem, *, weights=None, filters: Filters | None = None,
                               query: str | None = None, top: int = 20) -> list[RankedOffering]:
    org = session.get(Organisation, problem.organisation_id)
    record = problem_record(problem, org.region if org else None)
    lang = current_locale()
    depth = top if not query else max(top * 10, 200)
    try:
        matches: list[Match] = index_manager().rank_offerings(session, record, top=depth, weights=weights,
                                                             filters=filters)
    except MatchingError as exc:
        raise ValidationFailed(str(exc)) from exc
    if not matches:
        return []
    offerings = {o.id: o for o in session.exec(select(Offering).where(Offering.id.in_([m.id for m in matches])))}
    vendors = {v.id: v for v in session.exec(select(Organisation).where(
        Organisation.id.in_({o.organisation_id for o in offerings.values()})))}
    invited = problems.invited_vendor_ids(session, problem)
    recommendations = recommended_by(session, problem)
    ranked = []
    for match in matches:
        offering = offerings.get(match.id)
        if offering is None or offering.status != OfferingStatus.ACTIVE:
            continue
        vendor = vendors[offering.organisation_id]
        if query and not _text_matches(query, offering.title, offering.description, vendor.name_ko, vendor.name_en):
            continue
        ranked.append(RankedOffering(offering=offering, vendor=vendor, score=match.score,
                                     contributions=dict(match.contributions),
                                     reasons=[r.text(lang) for r in match.reasons],
                                     matched_terms=list(match.matched_terms), invited=vendor.id in invited,
                                     recommended_by=recommendations.get(vendor.id)))
        if len(ranked) >= top:
            break
    return ranked


def rank_problems_for_vendor(session: Session, *, user: User, vendor: Organisation, query: str | None = None,
                             industries=(), regions=(), top: int = 20) -> list[RankedProblem]:
    """Open problems the vendor may see, ranked by the best fit among its active offerings."""
    offerings = list(session.exec(select(Offering).where(Offering.organisation_id == vendor.id,
                                                         Offering.status == OfferingStatus.ACTIVE)))
    if not offerings:
        return []
    index = index_manager().index(session)
    lang = current_locale()
    best: dict[int, tuple[Match, Offering]] = {}
    for offering, matches in zip(offerings, index.rank_problems([o.id for o in offerings], top=max(top * 5, 100)),
                                 strict=True):
        for match in matches:
            if match.id not in best or match.score > best[match.id][0].score:
                best[match.id] = (match, offering)
    visible = {p.id: p for p in session.exec(problems.visible_problems_query(session, user)
                                             .where(Problem.id.in_(list(best))))}
    orgs = {o.id: o for o in session.exec(select(Organisation).where(
        Organisation.id.in_({p.organisation_id for p in visible.values()})))}
    ranked = []
    for problem_id, (match, offering) in sorted(best.items(), key=lambda kv: -kv[1][0].score):
        problem = visible.get(problem_id)
        if problem is None:
            continue
        if industries and problem.industry not in industries:
            continue
        org = orgs.get(problem.organisation_id)
        if regions and (org is None or org.region not in regions):
            continue
        identity = problems.shows_identity(problem, user)
        if query and not _text_matches(query, problem.title, problem.description, problem.process,
                                       *(org.name_ko, org.name_en) if identity and org else ()):
            continue
        ranked.append(RankedProblem(
            problem=problem, score=match.score, contributions=dict(match.contributions),
            reasons=[r.text(lang) for r in match.reasons], matched_terms=list(match.matched_terms), offering=offering,
            quality=problems.completeness(problem, problems.list_kpis(session, problem)), show_identity=identity,
            organisation=org if identity else None))
        if len(ranked) >= top:
            break
    return ranked
