"""Demo problems and their public Q&A, loaded through the problem services."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from marketplace.accounts.models import MemberRole, Organisation, User
from marketplace.core.types import utcnow
from marketplace.problems import services as problems
from marketplace.problems.models import Problem, ProblemState, Question
from marketplace.problems.schemas import ProblemCreate

#: Bidding problems in the demo close this many days after seeding.
BIDDING_DAYS = 14


def owner_of(session: Session, org: Organisation) -> User:
    return session.exec(select(User).where(User.organisation_id == org.id, User.role == MemberRole.OWNER)
                        .order_by(User.id)).first()


def load_problems(session: Session, orgs: dict[str, Organisation], records: list[dict], report) -> dict[str, Problem]:
    loaded: dict[str, Problem] = {}
    today = utcnow().date()
    for record in records:
        org = orgs[record["sme"]]
        existing = session.exec(select(Problem).where(Problem.organisation_id == org.id,
                                                      Problem.title == record["title"])).first()
        if existing is not None:
            loaded[record["key"]] = existing
            report.existing["problems"] += 1
            continue
        owner = owner_of(session, org)
        problem = problems.create_problem(session, user=owner, draft=ProblemCreate.model_validate({
            "title": record["title"], "description": record["description"], "process": record.get("process"),
            "industry": record.get("industry"), "problem_types": record.get("problem_types", []),
            "kpis": record.get("kpis", []),
            "data_assets": [{k: d.get(k) for k in ("kind", "description", "volume", "period_months", "labelled")}
                            for d in record.get("data", [])],
            "systems": record.get("systems", []), "on_premises_required": record.get("on_premises_required", False),
            "budget_min_krw": record.get("budget_min_krw"), "budget_max_krw": record.get("budget_max_krw"),
            "wanted_by": (today + timedelta(days=record["deadline_days"])).isoformat(),
            "weights": record["criteria"], "visibility": record.get("visibility", "public"),
        }))
        problem.wizard_step = 7
        for vendor_key in record.get("invited", []):
            problems.invite_vendor(session, user=owner, problem=problem, vendor=orgs[vendor_key])
        if record["state"] in ("enquiries", "bidding"):
            problems.publish_problem(session, user=owner, problem=problem)
        if record["state"] == "bidding":
            problems.open_bidding(session, user=owner, problem=problem,
                                  deadline=utcnow() + timedelta(days=BIDDING_DAYS))
        loaded[record["key"]] = problem
        report.created["problems"] += 1
    return loaded


def load_questions(session: Session, orgs: dict[str, Organisation], problems_by_key: dict[str, Problem],
                   records: list[dict], report) -> None:
    for record in records:
        problem = problems_by_key[record["problem"]]
        vendor = orgs[record["vendor"]]
        exists = session.exec(select(Question).where(Question.problem_id == problem.id,
                                                     Question.organisation_id == vendor.id,
                                                     Question.body == record["question"])).first()
        if exists is not None:
            report.existing["questions"] += 1
            continue
        if problem.state not in (ProblemState.ENQUIRIES, ProblemState.BIDDING):
            continue
        question = problems.ask_question(session, user=owner_of(session, vendor), problem=problem,
                                         body=record["question"])
        if record.get("answer"):
            problems.answer_question(session, user=owner_of(session, orgs[_poster_key(orgs, problem)]),
                                     question=question, answer=record["answer"])
        report.created["questions"] += 1


def _poster_key(orgs: dict[str, Organisation], problem: Problem) -> str:
    return next(key for key, org in orgs.items() if org.id == problem.organisation_id)
