"""Who may act on an agreement, and in which state (the guards every action calls first)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlmodel import Session

from marketplace.accounts.models import MemberRole, User
from marketplace.agreements.models import Agreement, AgreementStatus, AgreementVersion, VersionStatus
from marketplace.agreements.services.reading import is_member_party, is_party
from marketplace.core.errors import Conflict, NotAllowed, NotFound


def refuse_member(action: str) -> None:
    """A member SME views and signs; the cooperative acts for it in everything else."""
    if action == "propose":
        raise NotAllowed(_("The cooperative proposes changes for its member SMEs; as a member you review and "
                           "sign each version."))
    if action == "terminate":
        raise NotAllowed(_("Only the cooperative or the vendor can terminate the agreement; the cooperative acts "
                           "for its member SMEs."))
    if action == "decide":
        raise NotAllowed(_("The cooperative accepts or rejects milestones for its member SMEs."))
    if action == "review":
        raise NotAllowed(_("The cooperative reviews the vendor for its member SMEs."))
    raise NotAllowed(_("The cooperative does this for its member SMEs."))


def require_party_owner(session: Session, user: User, agreement: Agreement, *, action: str) -> None:
    """An owner of a party; member SMEs only to sign (otherwise the cooperative acts for them)."""
    if not is_party(session, user, agreement):
        if user is not None and user.is_authenticated and user.is_admin:
            raise NotAllowed(_("Only the parties to the agreement can do this."))
        raise NotFound(_("No such agreement."))
    if action != "sign" and is_member_party(session, user, agreement):
        refuse_member(action)
    if user.role != MemberRole.OWNER:
        if action == "sign":
            raise NotAllowed(_("Only an owner of your organisation can sign the agreement."))
        raise NotAllowed(_("Only an owner of your organisation can do this."))


def require_unsigned(version: AgreementVersion) -> None:
    if version.status == VersionStatus.SIGNED:
        raise Conflict(_("A signed version never changes; propose an amendment instead."))
    if version.status == VersionStatus.SUPERSEDED:
        raise Conflict(_("This version was replaced by a newer proposal."))


def require_in_force(agreement: Agreement) -> None:
    if agreement.signed_version is None:
        raise Conflict(_("Milestones start once every party has signed the agreement."))
    if agreement.status == AgreementStatus.TERMINATED:
        raise Conflict(_("This agreement has been terminated."))
