"""Demo subsidy programs (seed/data/programs.json) and the demo problems' applications to them. Idempotent."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel import Session, select

from marketplace.accounts.models import MemberRole, Organisation, User
from marketplace.core.errors import DomainError
from marketplace.core.schemas import parse
from marketplace.core.types import utcnow
from marketplace.problems.models import Problem
from marketplace.programs import services as programs
from marketplace.programs.models import Application, Program, Recommendation
from marketplace.programs.schemas import ProgramCreate

logger = logging.getLogger(__name__)

#: Seeded recommendations: (problem key, vendor key), for problems that entered a program.
RECOMMENDATIONS = (
    ("daon-dyeing-recipe-optimization", "mulseong-ai"),
    ("taesung-autotech-dimension-vision", "orot-vision"),
    ("taesung-autotech-dimension-vision", "dalgubeol-vision"),
    ("hanbit-bakery-daily-bread-demand", "suyosem"),
)


def _owner(session: Session, org: Organisation) -> User:
    return session.exec(select(User).where(User.organisation_id == org.id, User.role == MemberRole.OWNER)
                        .order_by(User.id)).first()


def load_programs(session: Session, orgs: dict[str, Organisation], report, *, records: list[dict] | None = None
                  ) -> dict[str, Program]:
    """Create each program unless its agency already runs one with the same Korean name."""
    from seed.loader import SeedError, read

    today = (utcnow() + timedelta(hours=9)).date()
    loaded: dict[str, Program] = {}
    for record in records if records is not None else read("programs.json"):
        key = record["key"]
        agency = orgs.get(record["agency"])
        if agency is None:
            raise SeedError(f"program {key}: unknown agency {record['agency']}")
        program = session.exec(select(Program).where(Program.agency_id == agency.id,
                                                      Program.name_ko == record["name_ko"])).first()
        if program is not None:
            report.existing["programs"] += 1
        else:
            rules = record.get("eligibility", {})
            data = {
                "name_ko": record["name_ko"], "name_en": record["name_en"],
                "description_ko": record.get("description_ko", ""), "description_en": record.get("description_en", ""),
                "total_budget_krw": record["total_budget_krw"], "subsidy_ratio": record["subsidy_ratio"],
                "cap_per_project_krw": record["cap_per_project_krw"],
                "min_own_share_ratio": record.get("min_own_share_ratio", "0"),
                "max_employees": rules.get("max_employees"), "max_revenue_krw": rules.get("max_revenue_krw"),
                "regions": rules.get("regions", []), "industries": rules.get("industries", []),
                "problem_types": rules.get("problem_types", []),
                "exclude_previously_subsidised": rules.get("exclude_previously_subsidised", False),
                "opens_on": today + timedelta(days=record["window_open_days"]),
                "closes_on": today + timedelta(days=record["window_close_days"]),
                "status": record.get("status", "open"),
            }
            try:
                program = programs.create_program(session, officer=_owner(session, agency),
                                                  data=parse(ProgramCreate, data))
            except DomainError as exc:
                raise SeedError(f"program {key}: {exc.message} {exc.fields}") from exc
            report.created["programs"] += 1
        loaded[key] = program
    return loaded


def apply_programs(session: Session, orgs: dict[str, Organisation], problems_by_key: dict[str, Problem],
                   programs_by_key: dict[str, Program], report, *, records: list[dict] | None = None) -> None:
    """Enter each seeded problem that names a ``program`` (skipping, with a log line, those not eligible), then
    add a few agency recommendations."""
    from seed.loader import read

    for record in records if records is not None else read("problems.json"):
        program = programs_by_key.get(record.get("program") or "")
        problem = problems_by_key.get(record["key"])
        if program is None or problem is None:
            continue
        exists = session.exec(select(Application).where(Application.program_id == program.id,
                                                        Application.problem_id == problem.id)).first()
        if exists is not None:
            report.existing["applications"] += 1
            continue
        org = session.get(Organisation, problem.organisation_id)
        try:
            programs.apply_to_program(session, user=_owner(session, org), program=program, problem=problem)
        except DomainError as exc:
            logger.info("seed: %s not entered into %s: %s", record["key"], record["program"], exc.message)
            report.existing["applications skipped"] += 1
            continue
        report.created["applications"] += 1
    for problem_key, vendor_key in RECOMMENDATIONS:
        problem, vendor = problems_by_key.get(problem_key), orgs.get(vendor_key)
        if problem is None or vendor is None or problem.program_id is None:
            continue
        program = session.get(Program, problem.program_id)
        if session.exec(select(Recommendation).where(Recommendation.program_id == program.id,
                                                     Recommendation.problem_id == problem.id,
                                                     Recommendation.vendor_id == vendor.id)).first():
            report.existing["recommendations"] += 1
            continue
        agency = session.get(Organisation, program.agency_id)
        programs.recommend_vendors(session, officer=_owner(session, agency), program=program, problem=problem,
                                   vendor_ids=[vendor.id])
        report.created["recommendations"] += 1
