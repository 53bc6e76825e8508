"""Who may apply to a program: its rules and an applicant as plain values in, every failed rule out.

Pure rules: no Flask, no database, no translation (an import-linter contract in pyproject.toml
checks it). Each failure is a stable code with the numbers and taxonomy codes that explain it; the
service words it in the reader's language (``services.applications.reason_message``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

#: Earlier subsidies within this many years exclude an SME from programs that say so.
PREVIOUS_SUBSIDY_YEARS = 3
#: The program status in which it takes applications.
OPEN = "open"


@dataclass(frozen=True)
class Rules:
    """A program's eligibility rules. Empty tuples mean "no restriction"."""

    opens_on: date
    closes_on: date
    status: str = OPEN
    max_employees: int | None = None
    max_revenue_krw: int | None = None
    regions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    problem_types: tuple[str, ...] = ()
    exclude_previously_subsidised: bool = False


@dataclass(frozen=True)
class Applicant:
    """An SME's organisation and the problem it enters, as the rules see them."""

    employees: int
    annual_revenue_krw: int
    region: str
    industry: str | None
    problem_types: tuple[str, ...] = ()
    previously_subsidised: bool = False


@dataclass(frozen=True)
class Failure:
    """One failed rule: its code (``window``, ``employees``, ...) and the values that explain it.

    ``params`` by code: ``status`` {status}; ``window`` {opens_on} before the window or {closed_on}
    after it; ``employees`` {employees, max}; ``revenue`` {revenue_krw, max_krw}; ``region`` {region,
    regions}; ``industry`` {industry, industries}; ``problem_type`` {outside} (empty: none chosen);
    ``previous_subsidy`` {years}.
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))


@dataclass(frozen=True)
class Eligibility:
    failures: tuple[Failure, ...]

    @property
    def eligible(self) -> bool:
        return not self.failures

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.failures]

    @property
    def window_closed(self) -> bool:
        """The program does not take applications now (a conflict of timing, not of fit)."""
        return any(f.code in ("window", "status") for f in self.failures)


def industry_matches(code: str | None, allowed: Iterable[str]) -> bool:
    """A KSIC division (``C10``) matches itself and its section letter (``C``); nothing allowed: all match."""
    allowed = tuple(allowed)
    if not allowed:
        return True
    if not code:
        return False
    return code in allowed or code[:1] in allowed


def check_eligibility(rules: Rules, applicant: Applicant, *, today: date) -> Eligibility:
    """Every failed rule, in a fixed order; no failures means eligible. ``today`` is the Korean calendar day."""
    failures: list[Failure] = []
    if rules.status != OPEN:
        failures.append(Failure("status", {"status": rules.status}))
    if today < rules.opens_on:
        failures.append(Failure("window", {"opens_on": rules.opens_on}))
    elif today > rules.closes_on:
        failures.append(Failure("window", {"closed_on": rules.closes_on}))
    if rules.max_employees is not None and applicant.employees > rules.max_employees:
        failures.append(Failure("employees", {"employees": applicant.employees, "max": rules.max_employees}))
    if rules.max_revenue_krw is not None and applicant.annual_revenue_krw > rules.max_revenue_krw:
        failures.append(Failure("revenue", {"revenue_krw": applicant.annual_revenue_krw,
                                            "max_krw": rules.max_revenue_krw}))
    if rules.regions and applicant.region not in rules.regions:
        failures.append(Failure("region", {"region": applicant.region, "regions": rules.regions}))
    if not industry_matches(applicant.industry, rules.industries):
        failures.append(Failure("industry", {"industry": applicant.industry, "industries": rules.industries}))
    if rules.problem_types:
        outside = tuple(t for t in applicant.problem_types if t not in rules.problem_types)
        if not applicant.problem_types or outside:
            failures.append(Failure("problem_type", {"outside": outside}))
    if rules.exclude_previously_subsidised and applicant.previously_subsidised:
        failures.append(Failure("previous_subsidy", {"years": PREVIOUS_SUBSIDY_YEARS}))
    return Eligibility(tuple(failures))
