"""Program rules: programs, applications, brokering, batch matching, the subsidy ledger, the dashboard and the
CSV export. Callers use ``from marketplace.programs import services``; one module per section:

- :mod:`.common` — who is asking (agency, officer), groups of problem states, labels, the Korean day
- :mod:`.programs` — reading and writing programs (input: :class:`~marketplace.programs.schemas.ProgramCreate`)
- :mod:`.applications` — the eligibility check fed from the rows, its failures worded; applying
- :mod:`.brokering` — officers recommend vendors
- :mod:`.batch` — batch matching within vendor capacities, and publishing the kept pairs
- :mod:`.ledger` — subsidies: requested, approved within the budget, rejected, committed, released
- :mod:`.dashboard` — the program's numbers by region and industry
- :mod:`.export` — the CSV for Excel

The pure rules live beside the package: :mod:`marketplace.programs.eligibility` (who may apply) and
:mod:`marketplace.programs.subsidy` (subsidy arithmetic, the budget). Services take the session and
validated or explicit typed arguments, flush (never commit) and raise translated domain errors. Money is
whole won (int) and ratios are Decimals; floats never touch money.
"""

from marketplace.programs.services.applications import (
    applicable_problems,
    programs_for_problem,
    applicant_of,
    apply_to_program,
    eligibility_for,
    list_applications,
    previously_subsidised,
    reason_message,
    reasons,
    rules_of,
)
from marketplace.programs.services.batch import (
    BatchPair,
    BatchResult,
    batch_match,
    matchable_problems,
    publish_matches,
)
from marketplace.programs.services.brokering import (
    BrokeredProblem,
    broker_view,
    get_program_problem,
    list_recommendations,
    recommend_vendors,
)
from marketplace.programs.services.common import (
    APPLICABLE_STATES,
    AWARDED_STATES,
    MATCHABLE_STATES,
    POSTER_KINDS,
    can_view_program,
    is_agency_user,
    is_officer,
    organisation_of,
    require_officer,
    today,
)
from marketplace.programs.services.dashboard import program_dashboard
from marketplace.programs.services.export import csv_cell, export_csv, problem_state_label
from marketplace.programs.services.ledger import (
    active_subsidy,
    approve_subsidy,
    budget_of,
    can_view_subsidy,
    commit_subsidy,
    estimate_subsidy,
    get_subsidy,
    list_subsidies,
    reject_subsidy,
    release_subsidy,
    request_subsidy,
)
from marketplace.programs.services.programs import create_program, get_program, list_programs, update_program

__all__ = [
    "APPLICABLE_STATES", "AWARDED_STATES", "MATCHABLE_STATES", "POSTER_KINDS", "BatchPair", "BatchResult",
    "BrokeredProblem", "active_subsidy", "applicable_problems", "applicant_of", "apply_to_program",
    "programs_for_problem",
    "approve_subsidy", "batch_match", "broker_view", "budget_of", "can_view_program", "can_view_subsidy",
    "commit_subsidy", "create_program", "csv_cell", "eligibility_for", "estimate_subsidy", "export_csv",
    "get_program", "get_program_problem", "get_subsidy", "is_agency_user", "is_officer", "list_applications",
    "list_programs", "list_recommendations", "list_subsidies", "matchable_problems", "organisation_of",
    "previously_subsidised", "problem_state_label", "program_dashboard", "publish_matches", "reason_message",
    "reasons", "recommend_vendors", "reject_subsidy", "release_subsidy", "request_subsidy", "require_officer",
    "rules_of", "today", "update_program",
]
