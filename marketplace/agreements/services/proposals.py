"""Proposals: a party proposes new values for the variable terms, as a new version."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlmodel import Session

import contracts
from marketplace.accounts.models import User
from marketplace.agreements import amendments
from marketplace.agreements.models import Agreement, AgreementStatus, AgreementVersion, VersionStatus
from marketplace.agreements.schemas import ProposalIn
from marketplace.agreements.services.access import require_party_owner
from marketplace.agreements.services.reading import get_version, korean_today, message_language, party_ids, terms_of
from marketplace.core.errors import Conflict, ValidationFailed
from marketplace.notifications import services as notifications
from marketplace.problems.models import Problem

logger = logging.getLogger(__name__)


def _refusal(code: str) -> str:
    return {amendments.NO_SUCH_MILESTONE: _("No such milestone."),
            amendments.DUE_BEFORE_TODAY: _("A due date cannot be before today.")}[code]


def amended_terms(terms: contracts.AgreementTerms, proposal: ProposalIn) -> contracts.AgreementTerms:
    """The terms with the proposal applied (:func:`amendments.amend`); ValidationFailed names the bad fields."""
    try:
        return amendments.amend(terms, today=korean_today(), **proposal.model_dump(exclude={"note"}))
    except amendments.AmendmentRefused as exc:
        raise ValidationFailed(_("Please correct the highlighted fields."),
                               fields={field: _refusal(code) for field, code in exc.errors.items()}) from None
    except contracts.TermsError as exc:
        field = "milestone_due_dates" if exc.field.startswith("milestone") else exc.field
        raise ValidationFailed(exc.message(message_language()), field=field) from None


def propose_changes(session: Session, *, user: User, agreement: Agreement, proposal: ProposalIn) -> AgreementVersion:
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
    new_terms = amended_terms(base, proposal)
    if not contracts.diff_terms(base, new_terms):
        raise ValidationFailed(_("The proposal changes nothing."))
    number = agreement.current_version + 1
    new_terms = new_terms.replace(version=number, created=korean_today())
    if current.status == VersionStatus.DRAFT:
        current.status = VersionStatus.SUPERSEDED
        session.add(current)
    version = AgreementVersion(agreement_id=agreement.id, number=number, terms=contracts.terms_to_dict(new_terms),
                               created_by_id=user.id, proposed_by_id=user.organisation_id, note=proposal.note)
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
