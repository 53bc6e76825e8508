"""Demo agreements: one awaiting signatures, one signed (with its PDFs), one in delivery, one completed and reviewed.

Two have KPIs the platform measures (seed/outcomes.py): a holdout sealed before signing, evaluations at a
milestone (the one in delivery failed its first attempt), and the completed one answered its follow-ups.

Every step goes through the services and is guarded by the current state, so a second run changes nothing.
Only the three signed agreements render PDFs (two each).
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from sqlmodel import Session, select

from marketplace.accounts.models import Organisation, User
from marketplace.agreements import services as agreements
from marketplace.agreements.models import AgreementStatus, MilestoneStatus, VersionStatus
from marketplace.agreements.schemas import ReviewIn
from marketplace.bids import services as bids
from marketplace.bids.schemas import BidDraft
from marketplace.core.types import utcnow
from marketplace.offerings.models import Offering
from marketplace.problems import services as problems
from marketplace.problems.models import Problem, ProblemState
from marketplace.programs import services as programs
from marketplace.programs.models import Program, SubsidyStatus
from seed import outcomes
from seed.problems import owner_of

logger = logging.getLogger(__name__)

SIGNING_IP = "127.0.0.1"
STAGES = ("awaiting_signatures", "signed", "in_delivery", "completed")


def load_agreements(session: Session, orgs: dict[str, Organisation], problems_by_key: dict[str, Problem], path,
                    report, *, password: str) -> None:
    if not path.exists():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    offering_titles = {o["key"]: o["title"] for o in json.loads(
        (path.parent / "offerings.json").read_text(encoding="utf-8"))}
    for scenario in data["scenarios"]:
        problem = problems_by_key.get(scenario["problem"])
        if problem is None:
            continue
        _bid_and_award(session, orgs, problem, scenario, offering_titles, report)
        agreement = _draft(session, problem, report)
        if agreement is None:
            continue
        stage = STAGES.index(scenario["stage"])
        acceptance = scenario.get("acceptance")
        if acceptance:
            outcomes.seal(session, agreement, acceptance, report)
        if stage >= STAGES.index("signed"):
            _sign(session, agreement, password, report)
        if acceptance and stage >= STAGES.index("in_delivery"):
            outcomes.evaluate(session, agreement, acceptance, report)
        if stage >= STAGES.index("in_delivery"):
            _deliver(session, agreement, scenario, report)
        if scenario.get("review"):
            _review(session, agreement, scenario["review"], report)
        if scenario.get("follow_ups"):
            outcomes.follow_up(session, agreement, scenario["follow_ups"], report)


def _owner(session: Session, organisation_id: int) -> User:
    return owner_of(session, session.get(Organisation, organisation_id))


def _bid_and_award(session, orgs, problem: Problem, scenario: dict, offering_titles: dict, report) -> None:
    owner = _owner(session, problem.organisation_id)
    if scenario.get("bid") and problem.state == ProblemState.ENQUIRIES:
        problems.open_bidding(session, user=owner, problem=problem, deadline=utcnow() + timedelta(days=7))
    if scenario.get("bid") and problem.state == ProblemState.BIDDING:
        vendor = orgs[scenario["vendor"]]
        if bids.own_bid(session, problem, vendor.id) is None:
            record = scenario["bid"]
            kpis = {k.name: k.id for k in problems.list_kpis(session, problem)}
            offering = session.exec(select(Offering).where(
                Offering.organisation_id == vendor.id,
                Offering.title == offering_titles.get(scenario.get("offering"), ""))).first()
            bids.create_bid(session, user=owner_of(session, vendor), problem=problem, draft=BidDraft(
                price_krw=record["price_krw"], duration_weeks=record["duration_weeks"],
                approach=record["approach"], team=record.get("team", ""), milestones=record["milestones"],
                kpi_commitments=[{"kpi_id": kpis[name], "value": value}
                                 for name, value in record["commitments"].items()],
                maintenance_yearly_krw=record["maintenance_yearly_krw"],
                maintenance_years=record["maintenance_years"], service_level=record.get("service_level", ""),
                offering_id=offering.id if offering else None, submit=True))
            report.created["bids"] += 1
    if problem.state == ProblemState.BIDDING:
        # The demo cannot wait for the clock: close bidding as if its deadline had passed an hour ago.
        problem.bid_deadline = utcnow() - timedelta(hours=1)
        session.add(problem)
        session.flush()
        bids.close_bidding_if_due(session, problem)
    if problem.state == ProblemState.EVALUATION:
        leader = bids.evaluate(session, problem, viewer=owner).leader
        if leader is not None:
            bids.award_bid(session, user=owner, bid=leader.bid)
            report.created["awards"] += 1


def _draft(session, problem: Problem, report):
    agreement = agreements.agreement_for_problem(session, problem)
    if agreement is not None:
        report.existing["agreements"] += 1
        return agreement
    if problem.state != ProblemState.AWARDED:
        return None
    subsidy = programs.active_subsidy(session, problem) if problem.program_id else None
    if subsidy is not None and subsidy.status == SubsidyStatus.PENDING:
        program = session.get(Program, subsidy.program_id)
        programs.approve_subsidy(session, officer=_owner(session, program.agency_id), subsidy=subsidy)
        report.created["subsidy approvals"] += 1
    agreement = agreements.agreement_for_problem(session, problem)
    if agreement is None:
        bid = agreements.awarded_bid(session, problem)
        agreement = agreements.draft_agreement(session, problem=problem, bid=bid)
    report.created["agreements"] += 1
    return agreement


def _sign(session, agreement, password: str, report) -> None:
    version = agreements.get_version(session, agreement)
    if version.status != VersionStatus.DRAFT:
        return
    signed = {s.organisation_id for s in agreements.list_signatures(session, version)}
    for org_id in agreements.party_ids(session, agreement):  # the member SMEs of a cooperative's problem too
        if org_id not in signed:
            agreements.sign_agreement(session, user=_owner(session, org_id), agreement=agreement,
                                      password=password, ip_address=SIGNING_IP, user_agent="axbridge seed")
    report.created["signed agreements"] += int(agreement.status == AgreementStatus.SIGNED)


def _deliver(session, agreement, scenario: dict, report) -> None:
    milestones = agreements.list_milestones(session, agreement)
    vendor, client = _owner(session, agreement.vendor_id), _owner(session, agreement.client_id)
    delivered = len(milestones) if scenario["stage"] == "completed" else scenario.get("delivered", 1)
    accepted = len(milestones) if scenario["stage"] == "completed" else scenario.get("accepted", 0)
    for i, milestone in enumerate(milestones):
        if i < delivered and milestone.status == MilestoneStatus.PENDING:
            agreements.deliver_milestone(session, user=vendor, milestone=milestone)
            report.created["milestone deliveries"] += 1
        if i < accepted and milestone.status == MilestoneStatus.DELIVERED:
            agreements.accept_milestone(session, user=client, milestone=milestone)


def _review(session, agreement, record: dict, report) -> None:
    if agreements.get_review(session, agreement) is not None:
        report.existing["reviews"] += 1
        return
    problem = session.get(Problem, agreement.problem_id)
    if problem.state != ProblemState.COMPLETED:
        return
    criteria = agreements.review_criteria(problem)
    agreements.submit_review(session, user=_owner(session, agreement.client_id), agreement=agreement,
                             review=ReviewIn(scores={c: record["scores"][c] for c in criteria},
                                             comment=record["comment"]))
    report.created["reviews"] += 1


__all__ = ["load_agreements"]
