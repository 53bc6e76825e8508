"""The opening result (KONEPS 개찰 결과), published to every bidder after the award: each bid's price and
scores per criterion, the published weights, the winner and the reason when it was not the top-scored
bid, and the SHA-256 commitments with their canonical texts so that anyone can recompute the award.

Other bidders' names are shown when the problem says so (``opening_shows_names``); otherwise they are
"Bidder A, B, ..." in rank order. The SME always sees the names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from string import ascii_uppercase

from flask_babel import gettext as _
from sqlmodel import Session, select

from domain import sealing
from marketplace.accounts.models import User
from marketplace.bids.models import Bid, BidState
from marketplace.bids.services.sealing import bid_commitment_text
from marketplace.bids.services.scores import DECIDED, evaluate
from marketplace.core.errors import Conflict, NotFound
from marketplace.i18n import current_locale
from marketplace.problems import services as problems
from marketplace.problems.models import Problem


@dataclass
class OpeningRow:
    bid_id: int
    bidder: str
    own: bool
    price_krw: int
    duration_weeks: int
    tco_krw: int
    criteria: dict[str, float]
    total: float
    rank: int
    abnormally_low: bool
    awarded: bool
    commitment_sha256: str | None
    commitment_text: str


@dataclass
class Opening:
    problem: Problem
    weights: dict[str, int]
    horizon_years: int
    weights_sha256: str | None
    weights_text: str
    rows: list[OpeningRow] = field(default_factory=list)
    award_reason: str | None = None

    @property
    def winner(self) -> OpeningRow | None:
        return next((r for r in self.rows if r.awarded), None)


def opening_result(session: Session, problem: Problem, *, viewer: User) -> Opening:
    """For the SME and every vendor that submitted a bid; only after the award (409 before, 404 to others)."""
    sme = problems.is_member(viewer, problem.organisation_id)
    own = session.exec(select(Bid).where(Bid.problem_id == problem.id,
                                         Bid.vendor_id == viewer.organisation_id)).first() \
        if viewer.organisation_id else None
    if not sme and (own is None or own.submitted_at is None):
        raise NotFound(_("No such problem."))
    if problem.state not in DECIDED:
        raise Conflict(_("The opening result is published after the award."))
    owner = session.exec(select(User).where(User.organisation_id == problem.organisation_id)).first()
    evaluation = evaluate(session, problem, viewer=owner)
    lang = current_locale()
    rows = []
    for index, s in enumerate(evaluation.scores):
        mine = own is not None and s.bid.id == own.id
        named = sme or mine or problem.opening_shows_names
        label = s.vendor.name(lang) if named else _("Bidder %(letter)s", letter=ascii_uppercase[index % 26])
        rows.append(OpeningRow(
            bid_id=s.bid.id, bidder=label, own=mine, price_krw=s.bid.price_krw, duration_weeks=s.bid.duration_weeks,
            tco_krw=s.tco_krw, criteria=s.criteria, total=s.total, rank=s.rank, abnormally_low=s.abnormally_low,
            awarded=s.bid.state == BidState.AWARDED, commitment_sha256=s.bid.commitment_sha256,
            commitment_text=bid_commitment_text(s.bid)))
    winner = next((r for r in rows if r.awarded), None)
    reason = next((s.bid.award_reason for s in evaluation.scores if winner and s.bid.id == winner.bid_id), None)
    return Opening(problem=problem, weights=evaluation.weights, horizon_years=evaluation.horizon_years,
                   weights_sha256=problem.weights_sha256,
                   weights_text=sealing.weights_text(problem.id, problem.weights, problem.tco_horizon_years),
                   rows=rows, award_reason=reason)
