"""A proposal applied to the terms: the terms of the new version, or why some proposed values cannot be.

A pure rule: no Flask, no database. The values arrive typed and in range (the input contract
:class:`marketplace.agreements.schemas.ProposalIn` sees to that); what needs the terms themselves is
judged here. The terms a party may propose are the parameters of :func:`amend`; everything else
comes from the award. Refusals are codes by field (:class:`AmendmentRefused`), translated by the service;
:class:`contracts.TermsError` comes through when the changed terms break a rule of the agreement
(e.g. due dates that go backwards).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import contracts
from marketplace.agreements.draft_terms import maintenance_terms

#: Refusal codes: a due date for a milestone the terms do not have, or one before today.
NO_SUCH_MILESTONE = "no_such_milestone"
DUE_BEFORE_TODAY = "due_before_today"


class AmendmentRefused(ValueError):
    """Some proposed values cannot apply to these terms: ``errors`` maps each field to a refusal code."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


def amend(terms: contracts.AgreementTerms, *, today: date, ip_ownership: contracts.IpOwnership | None = None,
          warranty_months: int | None = None, liability_cap_multiple: Decimal | None = None,
          acceptance_days: int | None = None, resubmission_days: int | None = None,
          maintenance_yearly_won: int | None = None, maintenance_years: int | None = None,
          milestone_due_dates: Mapping[int, date] | None = None) -> contracts.AgreementTerms:
    """The terms with the proposed values; None leaves a term as it is.

    Maintenance ends when its years are 0; a due date moves one milestone from "week n after signing"
    to that date (field ``milestone_due_dates.<sequence>`` when refused).
    """
    new: dict[str, Any] = {}
    for name, value in (("ip_ownership", ip_ownership), ("warranty_months", warranty_months),
                        ("acceptance_days", acceptance_days), ("resubmission_days", resubmission_days)):
        if value is not None:
            new[name] = value
    if liability_cap_multiple is not None:
        new["liability_cap_multiple"] = Decimal(liability_cap_multiple).normalize()
    if maintenance_yearly_won is not None or maintenance_years is not None:
        current = terms.maintenance
        yearly = maintenance_yearly_won if maintenance_yearly_won is not None else (current.yearly_won if current else 0)
        years = maintenance_years if maintenance_years is not None else (current.years if current else 0)
        new["maintenance"] = None if years == 0 else maintenance_terms(
            yearly, years, *((current.service_level, current.service_level_en) if current else ()))
    if milestone_due_dates is not None:
        errors: dict[str, str] = {}
        by_sequence = {m.sequence: m for m in terms.milestones}
        milestones = list(terms.milestones)
        for sequence, due in milestone_due_dates.items():
            field = f"milestone_due_dates.{sequence}"
            if sequence not in by_sequence:
                errors[field] = NO_SUCH_MILESTONE
            elif due < today:
                errors[field] = DUE_BEFORE_TODAY
            else:
                m = by_sequence[sequence]
                milestones[m.sequence - 1] = contracts.Milestone(m.sequence, m.name, m.deliverable,
                                                                 m.payment_percent, due_date=due)
        if errors:
            raise AmendmentRefused(errors)
        new["milestones"] = tuple(milestones)
    return terms.replace(**new)


def show(value: Any, lang: str) -> str:
    """A term's value as the change list shows it, in ``lang`` (ko or en)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("예" if value else "아니오") if lang == "ko" else ("yes" if value else "no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, contracts.Maintenance):
        return (f"{value.yearly_won:,}원 × {value.years}년" if lang == "ko"
                else f"KRW {value.yearly_won:,} × {value.years} years")
    if isinstance(value, contracts.Milestone):
        due = value.due_date.isoformat() if value.due_date else (
            f"착수 후 {value.due_week}주" if lang == "ko" else f"week {value.due_week}")
        return f"{value.name} ({due})"
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)
