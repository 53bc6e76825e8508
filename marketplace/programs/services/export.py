"""The CSV export of a program's problems and subsidies, for Excel."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, select

from marketplace.i18n import current_locale
from marketplace.problems.models import ProblemState
from marketplace.programs.models import ACTIVE_SUBSIDY_STATES, Program, Subsidy
from marketplace.programs.services.applications import list_applications
from marketplace.programs.services.brokering import list_recommendations
from marketplace.programs.services.common import label, region_key
from matching import taxonomy


def problem_state_label(state: ProblemState) -> str:
    return {"draft": _("Draft"), "enquiries": _("Open for questions"), "bidding": _("Bidding"),
            "evaluation": _("Evaluation"), "awarded": _("Awarded"), "contracted": _("Contracted"),
            "in_delivery": _("In delivery"), "completed": _("Completed"), "cancelled": _("Cancelled"),
            "unsuccessful": _("Unsuccessful")}.get(str(state.value if hasattr(state, "value") else state), str(state))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(session: Session, program: Program) -> str:
    """The program's problems and subsidies as CSV for Excel: UTF-8 with BOM, CRLF, headers in the reader's language."""
    lang = current_locale()
    header = [_("Problem ID"), _("Problem"), _("Company"), _("Region"), _("Capital region"), _("Industry"),
              _("Problem state"), _("Applied on"), _("Recommended vendors"), _("Subsidy status"),
              _("Contract price (won)"), _("Subsidy (won)"), _("Own share (won)")]
    states = {"pending": _("Pending"), "approved": _("Approved"), "rejected": _("Rejected"),
              "committed": _("Committed"), "released": _("Released")}
    recs = Counter(r.problem_id for r in list_recommendations(session, program))
    subsidies: dict[int, Subsidy] = {}
    for s in session.exec(select(Subsidy).where(Subsidy.program_id == program.id).order_by(Subsidy.id)):
        if s.problem_id not in subsidies or s.status in ACTIVE_SUBSIDY_STATES:
            subsidies[s.problem_id] = s
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for application, problem, org in list_applications(session, program):
        subsidy = subsidies.get(problem.id)
        writer.writerow([csv_cell(v) for v in (
            problem.id, problem.title, org.name(lang), label(taxonomy.get_region, org.region, lang),
            _("Capital region") if region_key(org.region) == "capital" else _("Outside the capital region"),
            label(taxonomy.get_industry, problem.industry, lang) if problem.industry else "",
            problem_state_label(problem.state), (application.created_at + timedelta(hours=9)).date().isoformat(),
            recs.get(problem.id, 0), states.get(subsidy.status.value, "") if subsidy else "",
            subsidy.price_krw if subsidy else "", subsidy.amount_krw if subsidy else "",
            subsidy.own_share_krw if subsidy else "")])
    return "\ufeff" + buffer.getvalue()
