"""Delivery: milestones delivered, accepted or rejected; termination of a signed agreement."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlmodel import Session

from marketplace import signals
from marketplace.accounts.models import User
from marketplace.agreements import schedule
from marketplace.agreements.models import Agreement, AgreementMilestone, AgreementStatus, MilestoneStatus
from marketplace.agreements.schemas import DeliverIn, MilestoneRejectIn, TerminateIn
from marketplace.agreements.services.access import refuse_member, require_in_force, require_party_owner
from marketplace.agreements.services.reading import (
    get_version,
    is_member_party,
    is_party,
    list_milestones,
    party_ids,
    terms_of,
)
from marketplace.audit import services as audit
from marketplace.core import passwords
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.types import utcnow
from marketplace.notifications import services as notifications
from marketplace.problems.models import Problem, ProblemState

logger = logging.getLogger(__name__)


def terminate_agreement(session: Session, *, user: User, agreement: Agreement,
                        termination: TerminateIn) -> Agreement:
    """The client or the vendor ends a signed agreement under its termination clause.

    The signed versions stay exactly as they are (they are immutable); the agreement is marked
    terminated, the problem is cancelled with the reason, an approved or committed subsidy is
    released back to the program's budget, and the other parties (member SMEs included) are told.
    Like signing, it needs an owner and their password again; a member SME cannot terminate, the
    cooperative does it for its members.
    """
    require_party_owner(session, user, agreement, action="terminate")
    if agreement.status == AgreementStatus.TERMINATED:
        raise Conflict(_("This agreement has been terminated."))
    if agreement.signed_version is None:
        raise Conflict(_("Only a signed agreement can be terminated; an unsigned one simply stays unsigned."))
    if not passwords.verify_password(user.password_hash, termination.password):
        raise ValidationFailed(_("Your password is not correct."), field="password")
    reason = termination.reason
    problem = session.get(Problem, agreement.problem_id)
    agreement.status = AgreementStatus.TERMINATED
    problem.state = ProblemState.CANCELLED
    problem.cancelled_at = utcnow()
    problem.cancel_reason = reason[:500]
    session.add_all([agreement, problem])
    session.flush()
    signals.agreement_terminated.send(agreement, session=session, problem=problem, reason=reason[:500])
    audit.record(session, "agreement_terminated", actor=user, obj=agreement, details={"reason": reason[:200]})
    parties = party_ids(session, agreement)
    other = [org_id for org_id in parties if org_id != user.organisation_id]
    by = "vendor" if user.organisation_id == agreement.vendor_id else "client"
    notifications.notify_organisations(session, other, "agreement_terminated",
                                       {"title": problem.title, "reason": reason[:300], "by": by,
                                        "parties": len(parties)},
                                       link=f"/agreements/{agreement.id}")
    logger.info("agreement %s terminated by org=%s", agreement.id, user.organisation_id)
    return agreement


def _resubmission_days(session: Session, agreement: Agreement) -> int:
    return terms_of(get_version(session, agreement, agreement.signed_version)).resubmission_days


def deliver_milestone(session: Session, *, user: User, milestone: AgreementMilestone,
                      delivery: DeliverIn | None = None) -> AgreementMilestone:
    """The vendor hands over a milestone (again within the resubmission period after a rejection)."""
    agreement = session.get(Agreement, milestone.agreement_id)
    if not is_party(session, user, agreement):
        raise NotFound(_("No such milestone."))
    if user.organisation_id != agreement.vendor_id:
        raise NotAllowed(_("Only the vendor delivers milestones."))
    require_in_force(agreement)
    if milestone.status not in (MilestoneStatus.PENDING, MilestoneStatus.REJECTED):
        raise Conflict(_("This milestone is already delivered."))
    now = utcnow()
    if milestone.status == MilestoneStatus.REJECTED and milestone.decided_at is not None:
        terms = terms_of(get_version(session, agreement, agreement.signed_version))
        refusal = schedule.redelivery_refusal(rejected_at=milestone.decided_at, deliveries=milestone.deliveries,
                                              now=now, resubmission_days=terms.resubmission_days,
                                              max_resubmissions=terms.max_resubmissions)
        if refusal == schedule.RESUBMISSION_PERIOD_PASSED:
            raise Conflict(_("The resubmission period of %(days)d days has passed.", days=terms.resubmission_days))
        if refusal == schedule.NO_RESUBMISSION_LEFT:
            raise Conflict(_("No resubmission is left for this milestone."))
    milestone.status = MilestoneStatus.DELIVERED
    milestone.delivered_at = now
    milestone.delivery_note = delivery.note if delivery else ""
    milestone.deliveries += 1
    session.add(milestone)
    problem = session.get(Problem, agreement.problem_id)
    if problem.state == ProblemState.CONTRACTED:
        problem.state = ProblemState.IN_DELIVERY
        session.add(problem)
    session.flush()
    logger.info("milestone delivered id=%s agreement=%s", milestone.id, agreement.id)
    notifications.notify_organisations(session, [agreement.client_id], "milestone_delivered",
                                       {"title": problem.title, "milestone": milestone.name},
                                       link=f"/agreements/{agreement.id}#milestones")
    return milestone


def _decide_milestone(session: Session, user: User, milestone: AgreementMilestone) -> tuple[Agreement, Problem]:
    agreement = session.get(Agreement, milestone.agreement_id)
    if not is_party(session, user, agreement):
        raise NotFound(_("No such milestone."))
    if is_member_party(session, user, agreement):
        refuse_member("decide")
    if user.organisation_id != agreement.client_id:
        raise NotAllowed(_("Only the client accepts or rejects milestones."))
    require_in_force(agreement)
    if milestone.status != MilestoneStatus.DELIVERED:
        raise Conflict(_("Only a delivered milestone can be accepted or rejected."))
    return agreement, session.get(Problem, agreement.problem_id)


def accept_milestone(session: Session, *, user: User, milestone: AgreementMilestone) -> AgreementMilestone:
    """The SME accepts a delivered milestone; its payment falls due. All accepted: the problem is completed."""
    agreement, problem = _decide_milestone(session, user, milestone)
    signals.milestone_accepting.send(milestone, session=session)  # a failed platform evaluation may refuse
    milestone.status = MilestoneStatus.ACCEPTED
    milestone.decided_at = utcnow()
    milestone.reason = None
    session.add(milestone)
    session.flush()
    if all(m.status == MilestoneStatus.ACCEPTED for m in list_milestones(session, agreement)):
        problem.state = ProblemState.COMPLETED
        session.add(problem)
        session.flush()
        logger.info("agreement %s completed", agreement.id)
    logger.info("milestone accepted id=%s agreement=%s", milestone.id, agreement.id)
    notifications.notify_organisations(session, [agreement.vendor_id], "milestone_accepted",
                                       {"title": problem.title, "milestone": milestone.name,
                                        "amount": f"{milestone.amount_krw:,}"},
                                       link=f"/agreements/{agreement.id}#milestones")
    return milestone


def reject_milestone(session: Session, *, user: User, milestone: AgreementMilestone,
                     rejection: MilestoneRejectIn) -> AgreementMilestone:
    """The SME rejects a delivered milestone with its reason; the vendor may deliver it again."""
    agreement, problem = _decide_milestone(session, user, milestone)
    reason = rejection.reason
    milestone.status = MilestoneStatus.REJECTED
    milestone.decided_at = utcnow()
    milestone.reason = reason
    session.add(milestone)
    session.flush()
    days = _resubmission_days(session, agreement)
    logger.info("milestone rejected id=%s agreement=%s", milestone.id, agreement.id)
    notifications.notify_organisations(session, [agreement.vendor_id], "milestone_rejected",
                                       {"title": problem.title, "milestone": milestone.name, "reason": reason,
                                        "days": days}, link=f"/agreements/{agreement.id}#milestones")
    return milestone
