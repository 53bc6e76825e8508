"""The program dashboard: budget, and applications, recommendations and awards by region and industry, with
the time to award and the completion rate."""

from __future__ import annotations

import statistics
from collections import Counter

from sqlmodel import Session, select

from marketplace.accounts.models import Organisation
from marketplace.bids.models import Bid, BidState
from marketplace.i18n import current_locale
from marketplace.problems.models import Problem, ProblemState
from marketplace.programs.models import Program
from marketplace.programs.services.applications import list_applications
from marketplace.programs.services.brokering import list_recommendations
from marketplace.programs.services.common import AWARDED_STATES, label, region_key
from marketplace.programs.services.ledger import budget_of
from matching import taxonomy


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
        capital[region_key(org.region)][what] += 1
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

    region_rows = [{"code": code, "label": label(taxonomy.get_region, code, lang),
                    "capital": region_key(code) == "capital", **row(c)}
                   for code, c in sorted(regions.items(), key=lambda kv: (-kv[1]["applications"], kv[0]))]
    industry_rows = [{"code": code, "label": label(taxonomy.get_industry, code, lang) if code else "—", **row(c)}
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
