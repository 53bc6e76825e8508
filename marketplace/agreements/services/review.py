"""The client's one verified review after completion; it feeds the vendor's track record and profile."""

from __future__ import annotations

import logging
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from domain.evidence import Provenance
from marketplace.accounts.models import User
from marketplace.agreements import track_record
from marketplace.agreements.models import Agreement, Review
from marketplace.agreements.schemas import ReviewIn
from marketplace.agreements.services.access import refuse_member
from marketplace.agreements.services.reading import get_review, is_member_party, is_party
from marketplace.bids.models import Bid
from marketplace.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from marketplace.core.types import utcnow
from marketplace.notifications import services as notifications
from marketplace.offerings import services as offerings
from marketplace.offerings.models import Offering
from marketplace.problems.models import Problem, ProblemState

logger = logging.getLogger(__name__)


def review_criteria(problem: Problem) -> list[str]:
    """The SME's criteria with a weight above zero: the ones its review scores."""
    return track_record.review_criteria(problem.weights)


def submit_review(session: Session, *, user: User, agreement: Agreement, review: ReviewIn) -> Review:
    """The SME's one verified review after completion; it updates the vendor's track record and profile.

    The scores cover exactly the client's criteria with a weight above zero, each from 1 to 5
    (:func:`track_record.score_sheet_errors`); every wrong one is named at once (``scores.<criterion>``).
    """
    if not is_party(session, user, agreement):
        raise NotFound(_("No such agreement."))
    if is_member_party(session, user, agreement):
        refuse_member("review")
    if user.organisation_id != agreement.client_id:
        raise NotAllowed(_("Only the client reviews the vendor."))
    problem = session.get(Problem, agreement.problem_id)
    if problem.state != ProblemState.COMPLETED:
        raise Conflict(_("You can review the vendor once every milestone is accepted."))
    if get_review(session, agreement) is not None:
        raise Conflict(_("This agreement already has its review."))
    criteria = review_criteria(problem)
    errors = track_record.score_sheet_errors(criteria, review.scores)
    if errors:
        messages = {track_record.NOT_YOURS: _("This criterion is not one of yours."),
                    track_record.SCORE_RANGE: _("Give a score from 1 to 5.")}
        raise ValidationFailed(_("Please correct the highlighted fields."),
                               fields={f"scores.{c}": messages[code] for c, code in errors.items()})
    clean = {c: review.scores[c] for c in criteria}
    score = track_record.weighted_score(problem.weights, clean)
    bid = session.get(Bid, agreement.bid_id)
    offering = session.get(Offering, bid.offering_id) if bid and bid.offering_id else None
    row = Review(agreement_id=agreement.id, vendor_id=agreement.vendor_id,
                 offering_id=offering.id if offering else None, author_id=user.id, scores=clean, score=score,
                 comment=review.comment)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(_("This agreement already has its review.")) from None
    if offering is not None:
        _learn(offering, clean, score)
        session.add(offering)
        session.flush()
    # a review of completed work is verified evidence: its score (1–5) as the share delivered
    offerings.record_evidence(session, organisation_id=agreement.vendor_id,
                              offering_id=offering.id if offering else None,
                              provenance=Provenance.VERIFIED, attainment=(Decimal(score) - 1) / 4,
                              source=offerings.REVIEW, source_key=f"agreement:{agreement.id}", label=problem.title)
    logger.info("review agreement=%s vendor=%s offering=%s score=%s", agreement.id, agreement.vendor_id,
                offering.id if offering else None, score)
    notifications.notify_organisations(session, [agreement.vendor_id], "review_received",
                                       {"title": problem.title, "score": str(score)},
                                       link=f"/agreements/{agreement.id}#review")
    return row


def _learn(offering: Offering, scores: dict[str, int], score: Decimal) -> None:
    """The offering's track record and profile after this review (:func:`track_record.learn`)."""
    record = track_record.learn(track_record.TrackRecord(offering.completed_projects, offering.mean_review,
                                                         offering.profile or {}), scores, score)
    offering.completed_projects, offering.mean_review = record.completed_projects, record.mean_review
    offering.profile = dict(record.profile)
    offering.updated_at = utcnow()  # the ranking index re-reads offerings by updated_at
