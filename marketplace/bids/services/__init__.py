"""Bid rules: sealed bids before the deadline, evaluation by the SME's own weights, and one award.

Sealed means: before the deadline nobody but the bidding vendor can learn anything of a bid, nor
how many bids there are. Every read of bids goes through :func:`get_bid` or
:func:`list_bids_for_problem`, which enforce it; notifications to the SME about bids are only sent
after the deadline.

The package is split along the life of a bid; callers import it whole (``from marketplace.bids
import services``):

- :mod:`.deadlines` — is bidding open, closing it, the reminder a day before;
- :mod:`.access` — who may read which bid;
- :mod:`.bidding` — the vendor starts, revises, submits and withdraws its bid;
- :mod:`.scores` — the evaluation (its rules are pure, in :mod:`marketplace.bids.evaluation`);
- :mod:`.decisions` — shortlist, reject, award (with a reason when not the top-scored bid);
- :mod:`.explanations` — the abnormally-low-price milestone: request, explain, accept or reject;
- :mod:`.sealing` — the SHA-256 commitments of the weights and of each bid, checked at evaluation;
- :mod:`.opening` — the opening result every bidder sees after the award.
"""

from marketplace.bids.services.access import HIDDEN_FROM_SME, get_bid, list_bids_for_problem, own_bid, vendor_of
from marketplace.bids.services.bidding import (
    carry_bids_forward,
    create_bid,
    invalidate_outdated_bids,
    revise_bid,
    submit_bid,
    withdraw_bid,
)
from marketplace.bids.services.deadlines import (
    bidding_open,
    close_bidding_if_due,
    close_due_problems,
    deadline_passed,
    send_deadline_reminders,
)
from marketplace.bids.services.decisions import award_bid, reject_bid, shortlist_bid
from marketplace.bids.services.explanations import (
    EXPLANATION_DAYS,
    accept_explanation,
    explain_bid,
    reject_explanation,
    request_explanation,
)
from marketplace.bids.services.opening import Opening, OpeningRow, opening_result
from marketplace.bids.services.sealing import CommitmentBroken, bid_commitment_text
from marketplace.bids.services.scores import BidScore, Evaluation, evaluate, outcome_for_vendor

__all__ = [
    "EXPLANATION_DAYS", "HIDDEN_FROM_SME", "BidScore", "CommitmentBroken", "accept_explanation",
    "bid_commitment_text", "explain_bid", "Opening", "OpeningRow", "opening_result", "reject_explanation",
    "request_explanation", "Evaluation", "award_bid", "carry_bids_forward", "bidding_open", "close_bidding_if_due",
    "close_due_problems", "create_bid", "deadline_passed", "evaluate", "get_bid",
    "invalidate_outdated_bids", "list_bids_for_problem", "outcome_for_vendor", "own_bid", "reject_bid",
    "revise_bid", "send_deadline_reminders", "shortlist_bid", "submit_bid", "vendor_of", "withdraw_bid",
]
