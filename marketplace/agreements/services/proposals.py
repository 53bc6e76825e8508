"""Proposals: a party proposes new values for the variable terms, as a new version."""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session

import contracts
from domain.money import MAX_WON
from marketplace.accounts.models import User
from marketplace.agreements import amendments
from marketplace.agreements.models import Agreement, AgreementStatus, AgreementVersion, VersionStatus
from marketplace.agreements.services.access import require_party_owner
from marketplace.agreements.draft_terms import DEFAULT_SERVICE_LEVEL
from marketplace.agreements.services.reading import get_version, korean_today, message_language, party_ids, terms_of
from marketplace.core.errors import Conflict, ValidationFailed
from marketplace.notifications import services as notifications
from marketplace.problems.models import Problem

logger = logging.getLogger(__name__)


#: The terms a party may change by proposal; everything else comes from the award.
PROPOSABLE = ("ip_ownership", "warranty_months", "liability_cap_multiple", "acceptance_days", "resubmission_days",
              "maintenance_yearly_won", "maintenance_years", "milestone_due_dates")


def _parse_date(value: Any, field: str, errors: dict) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = _("Enter a date as YYYY-MM-DD.")
        return None


def _parse_int(value: Any, field: str, errors: dict, low: int, high: int) -> int | None:
    try:
        number = int(str(value).replace(",", "").strip())
    except ValueError:
        number = None
    if number is None or isinstance(value, bool) or not low <= number <= high:
        errors[field] = _("Enter a whole number from %(low)s to %(high)s.", low=f"{low:,}", high=f"{high:,}")
        return None
    return number


def apply_changes(terms: contracts.AgreementTerms, changes: dict, *, today: date) -> contracts.AgreementTerms:
    """The terms with the proposed changes, validated; ValidationFailed names the bad fields."""
    errors: dict[str, str] = {}
    unknown = set(changes) - set(PROPOSABLE)
    for key in unknown:
        errors[key] = _("This term cannot be changed by a proposal.")
    new: dict[str, Any] = {}
    if "ip_ownership" in changes:
        try:
            new["ip_ownership"] = contracts.IpOwnership(changes["ip_ownership"])
        except ValueError:
            errors["ip_ownership"] = _("Choose one of the allowed values.")
    for key, low, high in (("warranty_months", 0, 120), ("acceptance_days", 1, 180), ("resubmission_days", 1, 180)):
        if key in changes:
            value = _parse_int(changes[key], key, errors, low, high)
            if value is not None:
                new[key] = value
    if "liability_cap_multiple" in changes:
        try:
            cap = Decimal(str(changes["liability_cap_multiple"]).strip())
            if not cap.is_finite() or not Decimal("0.1") <= cap <= Decimal(10):
                raise InvalidOperation
            new["liability_cap_multiple"] = cap.normalize()
        except (InvalidOperation, ValueError):
            errors["liability_cap_multiple"] = _("Enter a multiple of the price from 0.1 to 10.")
    if "maintenance_yearly_won" in changes or "maintenance_years" in changes:
        current = terms.maintenance
        yearly = _parse_int(changes.get("maintenance_yearly_won", current.yearly_won if current else 0),
                            "maintenance_yearly_won", errors, 0, MAX_WON)
        years = _parse_int(changes.get("maintenance_years", current.years if current else 0),
                           "maintenance_years", errors, 0, 20)
        if yearly is not None and years is not None:
            new["maintenance"] = None if years == 0 else contracts.Maintenance(
                yearly, years, current.service_level if current else DEFAULT_SERVICE_LEVEL)
    if "milestone_due_dates" in changes:
        raw = changes["milestone_due_dates"] or {}
        if not isinstance(raw, dict):
            errors["milestone_due_dates"] = _("Give a date for each milestone to change.")
            raw = {}
        by_sequence = {str(m.sequence): m for m in terms.milestones}
        milestones = list(terms.milestones)
        for key, value in raw.items():
            field = f"milestone_due_dates.{key}"
            if str(key) not in by_sequence:
                errors[field] = _("No such milestone.")
                continue
            if value in (None, ""):
                continue
            due = _parse_date(value, field, errors)
            if due is None:
                continue
            if due < today:
                errors[field] = _("A due date cannot be before today.")
                continue
            m = by_sequence[str(key)]
            milestones[m.sequence - 1] = contracts.Milestone(m.sequence, m.name, m.deliverable, m.payment_percent,
                                                             due_date=due)
        new["milestones"] = tuple(milestones)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    try:
        return terms.replace(**new)
    except contracts.TermsError as exc:
        field = "milestone_due_dates" if exc.field.startswith("milestone") else exc.field
        raise ValidationFailed(exc.message(message_language()), field=field) from None


def propose_changes(session: Session, *, user: User, agreement: Agreement, changes: dict,
                    note: str = "") -> AgreementVersion:
    """A party proposes new values for variable terms: a new version replaces the pending one.

    Signatures on the pending version are dropped with it (it is kept as ``superseded``). After a
    signed version, the proposal is an amendment: the signed version stays in force until both sign.
    """
    require_party_owner(session, user, agreement, action="propose")
    if agreement.status == AgreementStatus.TERMINATED:
        raise Conflict(_("This agreement has been terminated."))
    current = get_version(session, agreement)
    base = terms_of(current)
    if current.status == VersionStatus.SIGNED:
        base = base.replace(signatures=())
    new_terms = apply_changes(base, changes, today=korean_today())
    if not contracts.diff_terms(base, new_terms):
        raise ValidationFailed(_("The proposal changes nothing."))
    number = agreement.current_version + 1
    new_terms = new_terms.replace(version=number, created=korean_today())
    if current.status == VersionStatus.DRAFT:
        current.status = VersionStatus.SUPERSEDED
        session.add(current)
    version = AgreementVersion(agreement_id=agreement.id, number=number, terms=contracts.terms_to_dict(new_terms),
                               created_by_id=user.id, proposed_by_id=user.organisation_id,
                               note=(note or "").strip()[:500])
    agreement.current_version = number
    agreement.status = AgreementStatus.DRAFT if agreement.signed_version is None \
        else AgreementStatus.PENDING_SIGNATURES
    session.add_all([version, agreement])
    session.flush()
    logger.info("agreement %s version %s proposed by org=%s", agreement.id, number, user.organisation_id)
    other = [o for o in party_ids(session, agreement) if o != user.organisation_id]
    problem = session.get(Problem, agreement.problem_id)
    notifications.notify_organisations(session, other, "agreement_proposal", {"title": problem.title,
                                                                              "version": number},
                                       link=f"/agreements/{agreement.id}")
    return version


def changes_from_previous(session: Session, agreement: Agreement, version: AgreementVersion,
                          lang: str) -> list[dict]:
    """``contracts.diff_terms`` between the version before this one and it, labelled in ``lang``."""
    if version.number <= 1:
        return []
    previous = get_version(session, agreement, version.number - 1)
    result = []
    for change in contracts.diff_terms(terms_of(previous), terms_of(version)):
        result.append({"path": change.path, "label": change.label(lang), "kind": change.kind,
                       "old": amendments.show(change.old, lang), "new": amendments.show(change.new, lang)})
    return result
