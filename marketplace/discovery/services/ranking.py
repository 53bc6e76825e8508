"""Ranked discovery both ways: offerings for a problem, problems for a vendor.

The ranking engine (``matching``) knows nothing of the database: :mod:`.records` turns rows into engine records,
and :mod:`.index` serves the one ranking index every worker shares (a snapshot refreshed from the change log).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlalchemy.orm import aliased, defer, load_only
from sqlmodel import Session, select

from marketplace.accounts.models import Organisation, User
from marketplace.core.errors import ValidationFailed
from marketplace.discovery.services.shared_index import index_manager
from marketplace.discovery.services.records import problem_record
from marketplace.i18n import current_locale
from marketplace.offerings.models import Offering, OfferingStatus
from marketplace.problems import services as problems
from marketplace.problems.models import Problem, ProblemInvitation
from marketplace.programs.models import Program, Recommendation
from matching import Filters, Match, MatchingError, Weights
from matching.index.search import rank_key
from matching.words import search_terms, text_contains_any

logger = logging.getLogger(__name__)


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
    """Whether the values hold the words, or a name in either language of a process or problem type they name."""
    terms = search_terms(text)
    return not terms or text_contains_any(terms, *values)


def _recommending_agency(lang: str):
    """The name of the first agency that recommended the row's vendor (``Organisation``) for the problem
    (``:problem_id``), in ``lang``, or NULL: a column of the queries below."""
    agency = aliased(Organisation)
    return (select(agency.name_en if lang == "en" else agency.name_ko)
            .join(Program, Program.agency_id == agency.id)
            .join(Recommendation, Recommendation.program_id == Program.id)
            .where(Recommendation.problem_id == bindparam("problem_id"), Recommendation.vendor_id == Organisation.id)
            .order_by(Recommendation.created_at, Recommendation.id).limit(1)
            .correlate(Organisation).scalar_subquery())


_LANGS = ("ko", "en")
_AGENCY = {lang: _recommending_agency(lang) for lang in _LANGS}
#: Every vendor an agency recommended for the problem, with that agency's name (built once per language).
RECOMMENDED_QUERY = {lang: select(Organisation.id, _AGENCY[lang]).where(Organisation.id.in_(
    select(Recommendation.vendor_id).where(Recommendation.problem_id == bindparam("problem_id")))) for lang in _LANGS}
#: The ranked offerings, their vendors (with the columns a ranking shows; the others, read by nobody on this
#: path, load when first read), whether the SME invited each vendor and which agency recommended it first; one
#: statement per language, built once (``:problem_id`` and the offering ids are bound per ranking).
RANKED_QUERY = {lang: select(
    Offering, Organisation,
    select(ProblemInvitation.vendor_id).where(ProblemInvitation.problem_id == bindparam("problem_id"),
                                              ProblemInvitation.vendor_id == Organisation.id).exists(),
    _AGENCY[lang],
).join(Organisation, Organisation.id == Offering.organisation_id)
    .where(Offering.id.in_(bindparam("offering_ids", expanding=True)))
    .options(load_only(Offering.id, Offering.organisation_id, Offering.status, Offering.title, Offering.description,
                       Offering.price_min_krw, Offering.price_max_krw),
             load_only(Organisation.id, Organisation.name_ko, Organisation.name_en))
    for lang in _LANGS}


def _reader_lang() -> str:
    return "en" if current_locale() == "en" else "ko"


def recommended_by(session: Session, problem: Problem) -> dict[int, str]:
    """``{vendor_id: agency name}`` for every vendor an agency recommended for the problem (in the reader's language;
    the first agency when several did)."""
    return dict(session.exec(RECOMMENDED_QUERY[_reader_lang()], params={"problem_id": problem.id}).all())


def rank_offerings_for_problem(session: Session, problem: Problem, *, weights=None, filters: Filters | None = None,
                               query: str | None = None, top: int = 20) -> list[RankedOffering]:
    org = session.get(Organisation, problem.organisation_id)
    record = problem_record(problem, org.region if org else None, embed=True)
    lang = _reader_lang()
    depth = top if not query else max(top * 10, 200)
    try:
        matches: list[Match] = index_manager().rank_offerings(session, record, top=depth, weights=weights,
                                                             filters=filters)
    except MatchingError as exc:
        raise ValidationFailed(str(exc)) from exc
    if not matches:
        return []
    rows = session.exec(RANKED_QUERY[lang],
                        params={"problem_id": problem.id, "offering_ids": [m.id for m in matches]}).all()
    offerings = {offering.id: offering for offering, *_ in rows}
    vendors = {vendor.id: vendor for _offering, vendor, *_ in rows}
    invited = {vendor.id for _offering, vendor, is_invited, _agency in rows if is_invited}
    recommendations = {vendor.id: agency for _offering, vendor, _invited, agency in rows if agency}
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


def _industry_filter(problem: Problem, industries, identity: bool) -> bool:
    """Whether the brief passes an industry filter; a hidden poster's brief by the KSIC section only."""
    if identity:
        return problem.industry in industries
    section = problems.public_industry(problem, None)
    return section is not None and any(code[:1].upper() == section for code in industries)


def rank_problems_for_vendor(session: Session, *, user: User, vendor: Organisation, query: str | None = None,
                             industries=(), regions=(), top: int = 20) -> list[RankedProblem]:
    """Open problems the vendor may see, ranked by the best fit among its active offerings."""
    offerings = list(session.exec(select(Offering).where(Offering.organisation_id == vendor.id,
                                                         Offering.status == OfferingStatus.ACTIVE)
                                  .options(defer(Offering.embedding)).order_by(Offering.id)))
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
    for problem_id, (match, offering) in sorted(best.items(), key=lambda kv: (rank_key(kv[1][0].score), kv[0])):
        problem = visible.get(problem_id)
        if problem is None:
            continue
        identity = problems.shows_identity(problem, user)
        if industries and not _industry_filter(problem, industries, identity):
            continue
        org = orgs.get(problem.organisation_id)
        # a hidden poster's region is not disclosed, so a region filter neither keeps nor drops its brief
        if regions and identity and (org is None or org.region not in regions):
            continue
        if query and not _text_matches(query, problem.title, problem.description, problem.process,
                                       *(org.name_ko, org.name_en) if identity and org else ()):
            continue
        ranked.append(RankedProblem(
            problem=problem, score=match.score, contributions=dict(match.contributions),
            reasons=[r.text(lang) for r in problems.public_reasons(match.reasons, problem, user)],
            matched_terms=list(match.matched_terms), offering=offering,
            quality=problems.completeness(problem, problems.list_kpis(session, problem)), show_identity=identity,
            organisation=org if identity else None))
        if len(ranked) >= top:
            break
    return ranked
