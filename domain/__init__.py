"""The shared vocabulary of AX Bridge: plain types every part of the product agrees on.

``marketplace`` (the web app), ``matching`` (the ranking engine) and ``contracts`` (the agreement)
import these instead of writing their own copy. Nothing here imports Flask, a database library or
``marketplace``: pydantic, python-stdnum and the standard library only (an import-linter contract
in pyproject.toml checks it).

- :mod:`domain.criteria` — the SME's decision criteria, :class:`Weights` (seven whole numbers
  0–100 that add up to 100) and :class:`Profile` (a score 0–1 for each criterion: an offering's strengths).
- :mod:`domain.money` — :data:`Won`, a whole number of won within the documented limit, :data:`PositiveWon` for prices and
  :data:`TotalWon` for totals (a program's budget) up to :data:`MAX_BUDGET_WON`.
- :mod:`domain.kpi` — :class:`KpiDirection`, :data:`KpiNumber` and :class:`Kpi` (a KPI with its
  baseline, target and direction).
- :mod:`domain.brn` — the business registration number (사업자등록번호) check.

Validation errors are pydantic errors of stable types (``weights_sum``, ``weight_range``,
``kpi_number``, ...) carrying their numbers in ``ctx``, so that one mapping turns them into
translated messages (no translation happens here).
"""

from domain.brn import BrnError, format_brn, validate_brn
from domain.criteria import CRITERIA, Profile, Score, Weights
from domain.kpi import MAX_KPI_NUMBER, Kpi, KpiDirection, KpiNumber, parse_kpi_number
from domain.money import MAX_BUDGET_WON, MAX_WON, PositiveWon, TotalWon, Won

__all__ = [
    "CRITERIA", "MAX_BUDGET_WON", "MAX_KPI_NUMBER", "MAX_WON", "BrnError", "Kpi", "KpiDirection", "KpiNumber",
    "PositiveWon", "Profile", "Score", "TotalWon", "Weights", "Won", "format_brn", "parse_kpi_number", "validate_brn",
]
