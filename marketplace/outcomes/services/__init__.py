"""KPI acceptance and outcomes: one module per section, in the order an agreement lives through them.

- :mod:`.protocols`: the protocol per KPI and the sealed holdout, before signing
- :mod:`.evaluations`: the vendor's predictions measured, attempt by attempt; acceptance despite a fail
- :mod:`.follow_ups`: the questions at 6, 12 and 24 months after completion (the periodic job)
- :mod:`.verified`: a vendor's verified outcomes (KPIs met, still in use after 12 months)
- :mod:`.survival`: an agency's survival rates per program, region and industry
"""

from marketplace.outcomes.services.common import (
    MAX_FILE_BYTES,
    FileTooLarge,
    check_upload_size,
    kpi_ids,
    protocol_of,
)
from marketplace.outcomes.services.evaluations import (
    accept_despite_fail,
    attempts_used,
    latest_evaluation,
    list_evaluations,
    predictions_template,
    submit_predictions,
    waiver_of,
)
from marketplace.outcomes.services.follow_ups import (
    add_months,
    answer_follow_up,
    ask_due_follow_ups,
    get_follow_up,
    list_follow_ups,
    run_follow_ups,
    schedule_follow_ups,
)
from marketplace.outcomes.services.measurements import list_measurements, record_measurement
from marketplace.outcomes.services.protocols import (
    holdout_for,
    list_holdouts,
    seal_holdout,
    set_measured,
    suggested_metric,
)
from marketplace.outcomes.services.survival import program_survival, survival_csv
from marketplace.outcomes.services.verified import VerifiedOutcomes, verified_kpi_outcomes

__all__ = [
    "MAX_FILE_BYTES", "FileTooLarge", "VerifiedOutcomes", "check_upload_size", "accept_despite_fail", "add_months", "answer_follow_up",
    "ask_due_follow_ups", "attempts_used", "get_follow_up", "holdout_for", "kpi_ids", "latest_evaluation",
    "list_evaluations", "list_follow_ups", "list_holdouts", "list_measurements", "protocol_of", "run_follow_ups", "schedule_follow_ups",
    "predictions_template", "program_survival", "record_measurement", "seal_holdout", "set_measured", "survival_csv", "submit_predictions", "suggested_metric", "verified_kpi_outcomes",
    "waiver_of",
]
