"""Demo bids: sealed bids on open problems, one problem past its deadline, one awarded."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from decimal import Decimal

from sqlmodel import Session, select

from domain.evidence import Provenance
from marketplace.bids import services as bids
from marketplace.offerings import services as offering_services
from marketplace.bids.models import Bid
from marketplace.bids.schemas import BidDraft
from marketplace.core.types import utcnow
from marketplace.offerings.models import Offering
from marketplace.problems import services as problems
from marketplace.problems.models import Problem, ProblemState
from seed.problems import owner_of

logger = logging.getLogger(__name__)


def load_bids(session: Session, orgs, problems_by_key: dict[str, Problem], path, report) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    offerings = {(o.organisation_id, o.title): o for o in session.exec(select(Offering))}
    offering_titles = {o["key"]: o["title"] for o in json.loads(
        (path.parent / "offerings.json").read_text(encoding="utf-8"))}
    for record in data["bids"]:
        problem = problems_by_key[record["problem"]]
        vendor = orgs[record["vendor"]]
        if session.exec(select(Bid).where(Bid.problem_id == problem.id, Bid.vendor_id == vendor.id)).first():
            report.existing["bids"] += 1
            continue
        if problem.state != ProblemState.BIDDING:
            continue
        kpis = {k.name: k.id for k in problems.list_kpis(session, problem)}
        offering = offerings.get((vendor.id, offering_titles.get(record.get("offering"), "")))
        bids.create_bid(session, user=owner_of(session, vendor), problem=problem, draft=BidDraft(
            price_krw=record["price_krw"], duration_weeks=record["duration_weeks"],
            approach=record["approach"], team=record.get("team", ""), milestones=record["milestones"],
            kpi_commitments=[{"kpi_id": kpis[name], "value": str(value)}
                             for name, value in record["commitments"].items()],
            maintenance_yearly_krw=record["maintenance_yearly_krw"],
            maintenance_years=record["maintenance_years"], service_level=record.get("service_level", ""),
            offering_id=offering.id if offering else None, submit=True,
        ))
        report.created["bids"] += 1
    _load_evidence(session, orgs, data.get("evidence", []), offering_titles, offerings)
    for key, scenario in data["scenarios"].items():
        problem = problems_by_key[key]
        if scenario in ("evaluation", "awarded") and problem.state == ProblemState.BIDDING:
            # The demo cannot wait for the clock: close bidding as if its deadline had passed an hour ago.
            problem.bid_deadline = utcnow() - timedelta(hours=1)
            session.add(problem)
            session.flush()
            bids.close_bidding_if_due(session, problem)
        if scenario == "awarded" and problem.state == ProblemState.EVALUATION:
            owner = owner_of(session, orgs[_key_of(orgs, problem.organisation_id)])
            leader = bids.evaluate(session, problem, viewer=owner).leader
            bids.award_bid(session, user=owner, bid=leader.bid)
            report.created["awards"] += 1


def _load_evidence(session: Session, orgs, records, offering_titles, offerings) -> None:
    """Demo vendors with a mix of evidence: confirmed and verified projects beside their claims."""
    for index, record in enumerate(records, start=1):
        vendor = orgs[record["vendor"]]
        offering = offerings.get((vendor.id, offering_titles.get(record.get("offering"), "")))
        offering_services.record_evidence(
            session, organisation_id=vendor.id, offering_id=offering.id if offering else None,
            provenance=Provenance(record["provenance"]), attainment=Decimal(record["attainment"]),
            source="demo", source_key=f"demo:{index}", label=record.get("label", ""))


def _key_of(orgs, organisation_id: int) -> str:
    return next(k for k, o in orgs.items() if o.id == organisation_id)
