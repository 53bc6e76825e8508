"""The commitments the award rests on (:mod:`domain.sealing`): recorded at submission, checked at evaluation.

A mismatch means the weights or a bid changed after the commitment other than through the product: the
evaluation refuses to score, logs an error and says which commitment failed.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _

from domain import sealing
from marketplace.bids.models import Bid
from marketplace.core.errors import Conflict
from marketplace.problems import services as problems
from marketplace.problems.models import Problem

logger = logging.getLogger(__name__)


class CommitmentBroken(Conflict):
    """The recorded SHA-256 of the weights or of a bid no longer matches what would be scored."""


def bid_commitment_text(bid: Bid) -> str:
    return sealing.bid_text(
        bid_id=bid.id, problem_id=bid.problem_id, vendor_id=bid.vendor_id, price_krw=bid.price_krw,
        duration_weeks=bid.duration_weeks, maintenance_yearly_krw=bid.maintenance_yearly_krw,
        maintenance_years=bid.maintenance_years,
        commitments=[c.model_dump(mode="json") for c in bid.kpi_commitments])


def seal_bid(bid: Bid) -> None:
    """Record the SHA-256 of the bid's scored terms (at every submission or revision of a submitted bid)."""
    bid.commitment_sha256 = sealing.digest(bid_commitment_text(bid))


def check_commitments(problem: Problem, bids: list[Bid]) -> None:
    """Refuse loudly when the weights or a bid differ from their recorded commitment."""
    if problem.weights_sha256 and problem.weights_sha256 != problems.weights_commitment(problem):
        logger.error("weights commitment broken problem=%s", problem.id)
        raise CommitmentBroken(_("The weights differ from the commitment recorded when bidding opened. "
                                 "The evaluation is stopped; contact the platform."))
    for bid in bids:
        if bid.commitment_sha256 and bid.commitment_sha256 != sealing.digest(bid_commitment_text(bid)):
            logger.error("bid commitment broken bid=%s problem=%s", bid.id, problem.id)
            raise CommitmentBroken(_("Bid %(id)d differs from the commitment recorded when it was submitted. "
                                     "The evaluation is stopped; contact the platform.", id=bid.id))
