"""How well a problem is defined, and what publishing still needs: pure rules.

No Flask, no database, no translation: plain data in (anything with the attributes of
:class:`ProblemFacts` and :class:`KpiFacts`: a ``Problem`` row, a dataclass in a test), codes and
numbers out. The caller says them in the reader's language (:mod:`marketplace.problems.messages`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

#: Score bands: ``good`` from 80, ``fair`` from 50, else ``weak``.
GOOD, FAIR = 80, 50
#: A title this long says what should improve, where.
SPECIFIC_TITLE = 10
#: A description this long says where it hurts, how often and what it costs.
FULL_DESCRIPTION = 150
#: Publishing needs a description at least this long.
PUBLISHABLE_DESCRIPTION = 30


class ProblemFacts(Protocol):
    title: str
    description: str
    problem_types: Sequence[str]
    industry: str | None
    data_assets: Sequence[Mapping[str, Any]]
    systems: Sequence[str]
    budget_max_krw: int | None
    wanted_by: date | None


class KpiFacts(Protocol):
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None


@dataclass(frozen=True)
class Hint:
    """Something missing, worth ``points`` of the score (``params`` for its message, e.g. a KPI's name)."""

    code: str
    points: int
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Completeness:
    score: int
    hints: tuple[Hint, ...]

    @property
    def level(self) -> str:
        return "good" if self.score >= GOOD else "fair" if self.score >= FAIR else "weak"


def completeness(problem: ProblemFacts, kpis: Sequence[KpiFacts]) -> Completeness:
    """A transparent score out of 100: each rule is worth the points shown; hints say what is missing.

    The points add up to 100, so a problem that meets every rule scores 100.
    """
    no_baseline = next((k.name for k in kpis if k.baseline is None), "")
    rules: list[tuple[str, int, bool, dict[str, Any]]] = [
        ("title", 5, len(problem.title or "") >= SPECIFIC_TITLE, {}),
        ("description", 15, len(problem.description or "") >= FULL_DESCRIPTION, {"min": FULL_DESCRIPTION}),
        ("problem_types", 10, bool(problem.problem_types), {}),
        ("industry", 5, bool(problem.industry), {}),
        ("kpi", 15, bool(kpis), {}),
        ("kpi_baseline", 10, bool(kpis) and all(k.baseline is not None for k in kpis), {"name": no_baseline}),
        ("kpi_target", 5, bool(kpis) and all(k.target is not None and k.unit for k in kpis), {}),
        ("data", 10, bool(problem.data_assets), {}),
        ("data_period", 5, bool(problem.data_assets) and all(d.get("period_months") for d in problem.data_assets),
         {}),
        ("systems", 5, bool(problem.systems), {}),
        ("budget", 10, problem.budget_max_krw is not None, {}),
        ("deadline", 5, problem.wanted_by is not None, {}),
    ]
    score = sum(points for _code, points, ok, _params in rules if ok)
    hints = tuple(Hint(code, points, params) for code, points, ok, params in rules if not ok)
    return Completeness(score=score, hints=hints)


def missing_for_publication(problem: ProblemFacts, kpis: Sequence[KpiFacts], *, today: date) -> dict[str, str]:
    """What a draft lacks before vendors may see it: field → code (empty when it may be published)."""
    missing: dict[str, str] = {}
    if len(problem.description or "") < PUBLISHABLE_DESCRIPTION:
        missing["description"] = "description_short"
    if not problem.problem_types:
        missing["problem_types"] = "problem_types"
    if not problem.industry:
        missing["industry"] = "industry"
    if not any(k.baseline is not None and k.target is not None for k in kpis):
        missing["kpis"] = "kpi_measured"
    if problem.budget_max_krw is None:
        missing["budget_max_krw"] = "budget_max"
    if problem.wanted_by is None:
        missing["wanted_by"] = "wanted_by"
    elif problem.wanted_by <= today:
        missing["wanted_by"] = "wanted_by_past"
    return missing
