"""Signing: each party's owner signs the current version; the last signature renders and stores the PDFs."""

from __future__ import annotations

import ipaddress
import logging
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

import contracts
from marketplace import signals
from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.agreements import schedule
from marketplace.agreements.models import (
    Agreement,
    AgreementMilestone,
    AgreementStatus,
    AgreementVersion,
    MilestoneStatus,
    Signature,
    VersionStatus,
)
from marketplace.agreements.services.access import require_party_owner, require_unsigned
from marketplace.agreements.services.reading import (
    first_signed_on,
    get_version,
    korean_today,
    list_milestones,
    list_signatures,
    party_ids,
    signing_parties,
    terms_of,
)
from marketplace.audit import services as audit
from marketplace.core import passwords
from marketplace.core.errors import Conflict, ValidationFailed
from marketplace.core.types import utcnow
from marketplace.notifications import services as notifications
from marketplace.problems.models import Problem, ProblemState

logger = logging.getLogger(__name__)


def _client_ip(ip: str | None) -> str:
    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return "0.0.0.0"


def sign_agreement(session: Session, *, user: User, agreement: Agreement, password: str,
                   ip_address: str | None, user_agent: str | None) -> Signature:
    """An owner of one party (client, member SME or vendor) signs the current version after entering
    their password again.

    When every party has signed, the final PDFs (ko, en) are rendered with all the signatures and
    stored with their SHA-256; the version becomes immutable, the problem is contracted and an
    approved subsidy is committed. Until then the parties still to sign are told.
    """
    require_party_owner(session, user, agreement, action="sign")
    accounts.require_verified(session, user, "sign")
    agreement = session.exec(select(Agreement).where(Agreement.id == agreement.id).with_for_update()
                             .execution_options(populate_existing=True)).one()
    version = get_version(session, agreement)
    if version.status == VersionStatus.SIGNED:
        raise Conflict(_("This version is already signed by every party."))
    require_unsigned(version)
    if session.exec(select(Signature).where(Signature.version_id == version.id,
                                            Signature.organisation_id == user.organisation_id)).first():
        raise Conflict(_("Your organisation has already signed this version."))
    if not passwords.verify_password(user.password_hash, password or ""):
        raise ValidationFailed(_("The password is not correct."), field="password")
    signature = Signature(version_id=version.id, organisation_id=user.organisation_id, user_id=user.id,
                          signer_name=user.name, signed_at=utcnow(), ip_address=_client_ip(ip_address),
                          user_agent=(user_agent or "")[:255])
    try:
        with session.begin_nested():
            session.add(signature)
            session.flush()
    except IntegrityError:
        raise Conflict(_("Your organisation has already signed this version.")) from None
    logger.info("agreement %s v%s signed by org=%s user=%s", agreement.id, version.number,
                user.organisation_id, user.id)
    audit.record(session, "agreement_signed", actor=user, obj=agreement, details={"version": version.number})
    problem = session.get(Problem, agreement.problem_id)
    signatures = list_signatures(session, version)
    signed = {s.organisation_id for s in signatures}
    parties = party_ids(session, agreement)
    if signed >= set(parties):
        _complete_signing(session, agreement, version, problem, signatures)
    else:
        agreement.status = AgreementStatus.PENDING_SIGNATURES
        session.add(agreement)
        session.flush()
        waiting = [o for o in parties if o not in signed]
        notifications.notify_organisations(session, waiting, "agreement_signed_by_other",
                                           {"title": problem.title, "version": version.number,
                                            "parties": len(parties)},
                                           link=f"/agreements/{agreement.id}")
    return signature


def _contract_signatures(session: Session, agreement: Agreement, version: AgreementVersion,
                         terms: contracts.AgreementTerms,
                         signatures: list[Signature]) -> tuple[contracts.Signature, ...]:
    """Every party's signature for the PDF: client, each member SME (role MEMBER), vendor."""
    return tuple(contracts.Signature(p.role, p.party.business_registration_no, p.signature.signer_name,
                                     p.signature.signed_at, p.signature.ip_address)
                 for p in signing_parties(session, agreement, version, signatures, terms=terms)
                 if p.signature is not None)


def _complete_signing(session: Session, agreement: Agreement, version: AgreementVersion, problem: Problem,
                      signatures: list[Signature]) -> None:
    terms = terms_of(version)
    signed_terms = terms.replace(
        signatures=_contract_signatures(session, agreement, version, terms, signatures))
    pdf_ko = contracts.render_pdf(signed_terms, "ko")
    pdf_en = contracts.render_pdf(signed_terms, "en")
    now = utcnow()
    version.terms = contracts.terms_to_dict(signed_terms)
    version.pdf_ko, version.pdf_en = pdf_ko, pdf_en
    version.sha256_ko, version.sha256_en = contracts.sha256_hex(pdf_ko), contracts.sha256_hex(pdf_en)
    version.signed_at = now
    version.status = VersionStatus.SIGNED
    first = agreement.signed_version is None
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_version = version.number
    session.add_all([version, agreement])
    session.flush()
    _sync_milestones(session, agreement, signed_terms, schedule.korean_date(now) if first else None)
    if first and problem.state == ProblemState.AWARDED:
        problem.state = ProblemState.CONTRACTED
        session.add(problem)
    signals.agreement_signed.send(agreement, session=session, problem=problem,
                                  with_subsidy=signed_terms.subsidy is not None)
    session.flush()
    logger.info("agreement %s v%s fully signed sha256_ko=%s", agreement.id, version.number, version.sha256_ko)
    parties = party_ids(session, agreement)
    notifications.notify_organisations(session, parties, "agreement_signed",
                                       {"title": problem.title, "version": version.number,
                                        "parties": len(parties)},
                                       link=f"/agreements/{agreement.id}")


def _sync_milestones(session: Session, agreement: Agreement, terms: contracts.AgreementTerms,
                     signed_on: date | None) -> None:
    """First signature: one delivery row per milestone. Amendment: pending rows take the new dates and terms."""
    amounts = terms.milestone_amounts()
    existing = {m.sequence: m for m in list_milestones(session, agreement)}
    anchor = signed_on or first_signed_on(session, agreement) or korean_today()
    for m, amount in zip(terms.milestones, amounts, strict=True):
        due = schedule.due_date(m, anchor)
        row = existing.get(m.sequence)
        if row is None:
            session.add(AgreementMilestone(agreement_id=agreement.id, sequence=m.sequence, name=m.name[:200],
                                           deliverable=m.deliverable[:300], due_date=due,
                                           payment_percent=m.payment_percent, amount_krw=amount))
        elif row.status in (MilestoneStatus.PENDING, MilestoneStatus.REJECTED):
            row.due_date, row.name, row.deliverable = due, m.name[:200], m.deliverable[:300]
            row.payment_percent, row.amount_krw = m.payment_percent, amount
            session.add(row)
    session.flush()
