"""Discovery services: ranked discovery both ways, and the one ranking index all workers share.

- :mod:`.records` — rows to engine records
- :mod:`.ranking` — offerings for a problem, problems for a vendor, what-if weights and filters
- :mod:`.changes` — the change log, written in the transaction of each change
- :mod:`.index` — the shared snapshot: the refresh job and each worker's view of it
"""

from marketplace.core.errors import ValidationFailed
from marketplace.discovery.services.index import (
    RefreshReport,
    build_full,
    index_dir,
    refresh_index,
    refresh_shared_index,
)
from marketplace.discovery.services.shared_index import SharedIndex, index_manager
from marketplace.discovery.services.ranking import (
    RankedOffering,
    RankedProblem,
    build_filters,
    parse_weights,
    rank_offerings_for_problem,
    rank_problems_for_vendor,
    recommended_by,
)
from marketplace.discovery.services.records import (
    RANKED_PROBLEM_STATES,
    offering_record,
    problem_record,
)

__all__ = [
    "RANKED_PROBLEM_STATES", "RankedOffering", "RankedProblem", "RefreshReport", "SharedIndex", "ValidationFailed",
    "build_filters", "build_full", "index_dir", "index_manager", "offering_record", "parse_weights", "problem_record",
    "rank_offerings_for_problem", "rank_problems_for_vendor", "recommended_by", "refresh_index",
    "refresh_shared_index",
]
