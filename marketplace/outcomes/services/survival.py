"""An agency's survival rates: of the subsidised projects answered 12 months after completion, how many are in use.

Per program, and within it per region and industry of the client, beside the subsidy the program committed to
them; the same rows as CSV for Excel (UTF-8 with BOM, CRLF, a leading apostrophe on formula-like text).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.accounts.models import Organisation
from marketplace.agreements.models import Agreement
from marketplace.outcomes.models import FollowUp
from marketplace.outcomes.services.common import language
from marketplace.problems.models import Problem
from marketplace.programs.models import Subsidy, SubsidyStatus
from matching import taxonomy

MONTHS = 12
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _label(lookup, code: str, lang: str) -> str:
    item = lookup(code) if code else None
    return item.label(lang) if item is not None else (code or "—")


def _rows(session: Session, program_id: int):
    """(follow-up, client, problem, subsidy) of the program's subsidised agreements, 12-month questions."""
    return session.exec(
        select(FollowUp, Organisation, Problem, Subsidy)
        .join(Agreement, Agreement.id == FollowUp.agreement_id)
        .join(Problem, Problem.id == Agreement.problem_id)
        .join(Subsidy, Subsidy.problem_id == Problem.id)
        .join(Organisation, Organisation.id == FollowUp.client_id)
        .where(Subsidy.program_id == program_id, Subsidy.status == SubsidyStatus.COMMITTED,
               FollowUp.months == MONTHS)
        .order_by(FollowUp.id)).all()


def _rate(group: dict) -> dict:
    answered, in_use = group["answered"], group["in_use"]
    return {**group, "rate": round(100 * in_use / answered) if answered else None}


def program_survival(session: Session, program_id: int) -> dict:
    """``{"overall", "by_region", "by_industry"}``: each with completed, answered, in use, rate (%) and subsidy."""
    lang = language()
    overall = {"completed": 0, "answered": 0, "in_use": 0, "subsidy_krw": 0}
    regions: dict[str, dict] = defaultdict(lambda: {"completed": 0, "answered": 0, "in_use": 0, "subsidy_krw": 0})
    industries: dict[str, dict] = defaultdict(lambda: {"completed": 0, "answered": 0, "in_use": 0,
                                                       "subsidy_krw": 0})
    for follow_up, client, _problem, subsidy in _rows(session, program_id):
        for group in (overall, regions[client.region], industries[client.industry]):
            group["completed"] += 1
            group["subsidy_krw"] += int(subsidy.amount_krw or 0)
            if follow_up.answered_at is not None:
                group["answered"] += 1
                group["in_use"] += bool(follow_up.still_in_use)
    return {"months": MONTHS, "overall": _rate(overall),
            "by_region": [{"code": c, "label": _label(taxonomy.get_region, c, lang), **_rate(g)}
                          for c, g in sorted(regions.items())],
            "by_industry": [{"code": c, "label": _label(taxonomy.get_industry, c, lang), **_rate(g)}
                            for c, g in sorted(industries.items())]}


def _cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value


def survival_csv(session: Session, program_id: int) -> str:
    """One row per subsidised completed project: where, which industry, the subsidy, the 12-month answer."""
    lang = language()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_("Problem ID"), _("Problem"), _("Company"), _("Region"), _("Industry"), _("Subsidy (won)"),
                     _("Asked on"), _("Still in use after 12 months"), _("KPI value now")])
    for follow_up, client, problem, subsidy in _rows(session, program_id):
        answer = "" if follow_up.answered_at is None else (_("Yes") if follow_up.still_in_use else _("No"))
        writer.writerow([_cell(v) for v in (
            problem.id, problem.title, client.name_ko if lang == "ko" else client.name_en,
            _label(taxonomy.get_region, client.region, lang), _label(taxonomy.get_industry, client.industry, lang),
            int(subsidy.amount_krw or 0), follow_up.due_on.isoformat(), answer, follow_up.kpi_value or "")])
    return "\ufeff" + buffer.getvalue()
