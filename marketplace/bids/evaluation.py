"""The side-by-side evaluation of sealed bids by the SME's published weights: plain data in, plain results out.

Each criterion is scored 0–1 from the bid itself where it can be:

- cost = lowest price ÷ this price;
- delivery speed = shortest duration ÷ this duration;
- quality = how far the KPI commitments reach the targets (baseline → target), averaged over the KPIs;
- maintenance = half the share of the lowest total cost of ownership (price + years × yearly cost),
  half the years of maintenance covered (up to 3).

Throughput, explainability and data privacy come from the vendor's profile (its linked offering,
else the mean of its offerings), times a confidence of 0.7 + 0.3 × its track record (completed
projects and reviews). Total = Σ weight × score, out of 100. A bid 40% or more below the mean price
of the others is flagged as abnormally low. The sensitivity check moves each weight by 10 points
(the others give way in proportion to their size) and reports every move that changes the leader.

A pure module: no Flask, no database, no locale (an import-linter contract in pyproject.toml checks
it). The service loads the rows, calls :func:`evaluate` and words the results.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from domain.criteria import CRITERIA
from domain.kpi import KpiDirection
from marketplace.bids.commitments import Commitment

#: A bid at or below this share of the mean price of the other bids is abnormally low.
ABNORMALLY_LOW = Decimal("0.6")
#: How far the sensitivity check moves each weight, in points.
SENSITIVITY_POINTS = 10
#: A vendor without offerings: a middling profile and track record.
NEUTRAL = 0.5
#: The review assumed for a vendor whose offerings have none yet (out of 1).
UNREVIEWED = 0.8
#: Completed projects that count fully for the track record.
FULL_TRACK_RECORD = 20
#: Years of maintenance that count fully.
FULL_MAINTENANCE_YEARS = 3
#: Where each criterion's score comes from.
SOURCES: Mapping[str, str] = {
    "cost": "price", "delivery_speed": "duration", "quality": "kpi", "maintenance": "tco",
    "throughput": "profile", "explainability": "profile", "data_privacy": "profile",
}


# --- inputs ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KpiGoal:
    """One KPI of the problem: where it stands (baseline), where the SME wants it (target), which way is better."""

    id: int
    target: Decimal | None
    baseline: Decimal | None = None
    direction: KpiDirection = KpiDirection.LOWER


@dataclass(frozen=True)
class OfferingRecord:
    """What the evaluation reads of one of the vendor's offerings."""

    profile: Mapping[str, float]
    completed_projects: int = 0
    mean_review: Decimal | float | None = None


@dataclass(frozen=True)
class SubsidyEstimate:
    """A program's subsidy for the bid's price, and what the SME pays of the price itself."""

    subsidy_krw: int
    own_share_krw: int


@dataclass(frozen=True)
class BidTerms:
    """A submitted bid as the evaluation sees it.

    ``offerings``: the offering the bid builds on, or else all of the vendor's offerings (empty: a
    neutral profile). ``subsidy``: the program's estimate for the price, when the problem has a program.
    """

    id: int
    price_krw: int
    duration_weeks: int
    maintenance_yearly_krw: int = 0
    maintenance_years: int = 0
    commitments: Sequence[Commitment] = ()
    offerings: Sequence[OfferingRecord] = ()
    subsidy: SubsidyEstimate | None = None

    @property
    def tco_krw(self) -> int:
        """Total cost of ownership: the price and every year of maintenance offered."""
        return self.price_krw + self.maintenance_years * self.maintenance_yearly_krw


# --- results --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Score:
    bid_id: int
    #: criterion → 0–1, rounded to 4 places
    criteria: Mapping[str, float]
    #: Σ weight × criterion score, out of 100, rounded to 2 places
    total: float
    tco_krw: int
    abnormally_low: bool
    rank: int
    subsidy_krw: int | None = None
    #: the SME's own share of the price after subsidy, plus the maintenance years
    own_share_krw: int | None = None


@dataclass(frozen=True)
class Flip:
    """If ``criterion`` weighed ``points`` more (or less, when negative), bid ``leader_id`` would lead."""

    criterion: str
    points: int
    leader_id: int


@dataclass(frozen=True)
class Result:
    #: by rank: the highest total first (ties: the lower price, then the lower id)
    scores: tuple[Score, ...] = ()
    flips: tuple[Flip, ...] = field(default=())

    @property
    def leader(self) -> Score | None:
        return self.scores[0] if self.scores else None


# --- the rules ------------------------------------------------------------------------------------

def kpi_attainment(kpis: Sequence[KpiGoal], commitments: Sequence[Commitment]) -> float:
    """0–1: the mean over the KPIs of how far each commitment goes from the baseline to the target.

    Meeting or beating the target scores 1; without a baseline (or a commitment, or a target) a
    shortfall scores 0.
    """
    values = {c.kpi_id: c.value for c in commitments}
    scores = []
    for kpi in kpis:
        value = values.get(kpi.id)
        if value is None or kpi.target is None:
            scores.append(0.0)
            continue
        lower = kpi.direction == KpiDirection.LOWER
        if (value <= kpi.target) if lower else (value >= kpi.target):
            scores.append(1.0)
        elif kpi.baseline is not None and kpi.baseline != kpi.target:
            gained = (kpi.baseline - value) if lower else (value - kpi.baseline)
            scores.append(max(0.0, min(1.0, float(gained / abs(kpi.baseline - kpi.target)))))
        else:
            scores.append(0.0)
    return sum(scores) / len(scores) if scores else 0.0


def vendor_profile(offerings: Sequence[OfferingRecord]) -> tuple[dict[str, float], float]:
    """The vendor's criteria profile (the mean over the offerings) and its track record (0–1)."""
    if not offerings:
        return {c: NEUTRAL for c in CRITERIA}, NEUTRAL
    profile = {c: sum(float(o.profile.get(c, NEUTRAL)) for o in offerings) / len(offerings) for c in CRITERIA}
    projects = sum(o.completed_projects for o in offerings)
    reviews = [float(o.mean_review) for o in offerings if o.mean_review is not None]
    review = (sum(reviews) / len(reviews) / 5) if reviews else UNREVIEWED
    track = min(projects, FULL_TRACK_RECORD) / FULL_TRACK_RECORD * review
    return profile, track


def weighted_total(weights: Mapping[str, float], criteria: Mapping[str, float]) -> float:
    return round(sum(weights[c] * criteria[c] for c in CRITERIA), 2)


def evaluate(weights: Mapping[str, int], kpis: Sequence[KpiGoal], bids: Sequence[BidTerms]) -> Result:
    """Score, rank and test the sensitivity of ``bids`` (each with a price and a duration above zero)."""
    weights = {c: weights[c] for c in CRITERIA}
    if not bids:
        return Result()
    lowest = min(b.price_krw for b in bids)
    fastest = min(b.duration_weeks for b in bids)
    lowest_tco = min(b.tco_krw for b in bids)
    scores = []
    for bid in bids:
        profile, track = vendor_profile(bid.offerings)
        confidence = 0.7 + 0.3 * track
        criteria = {
            "cost": lowest / bid.price_krw,
            "delivery_speed": fastest / bid.duration_weeks,
            "quality": kpi_attainment(kpis, bid.commitments),
            "maintenance": 0.5 * (lowest_tco / bid.tco_krw)
            + 0.5 * min(bid.maintenance_years, FULL_MAINTENANCE_YEARS) / FULL_MAINTENANCE_YEARS,
            "throughput": profile["throughput"] * confidence,
            "explainability": profile["explainability"] * confidence,
            "data_privacy": profile["data_privacy"] * confidence,
        }
        criteria = {c: round(v, 4) for c, v in criteria.items()}
        others = [b.price_krw for b in bids if b.id != bid.id]
        low = bool(others) and Decimal(bid.price_krw) <= ABNORMALLY_LOW * Decimal(statistics.mean(others))
        subsidy = own_share = None
        if bid.subsidy is not None:
            subsidy = bid.subsidy.subsidy_krw
            own_share = bid.subsidy.own_share_krw + bid.maintenance_years * bid.maintenance_yearly_krw
        scores.append((bid, criteria, weighted_total(weights, criteria), low, subsidy, own_share))
    scores.sort(key=lambda s: (-s[2], s[0].price_krw, s[0].id))
    ranked = tuple(Score(bid_id=bid.id, criteria=criteria, total=total, tco_krw=bid.tco_krw, abnormally_low=low,
                         rank=rank, subsidy_krw=subsidy, own_share_krw=own_share)
                   for rank, (bid, criteria, total, low, subsidy, own_share) in enumerate(scores, start=1))
    prices = {b.id: b.price_krw for b in bids}
    return Result(scores=ranked, flips=sensitivity(weights, ranked, prices))


def shifted_weights(weights: Mapping[str, int], criterion: str, delta: int) -> dict[str, float] | None:
    """Move one weight by ``delta`` points (within 0–100) and spread the opposite change over the others
    by their size (evenly when they are all 0). None when the weight cannot move that way."""
    target = min(100, max(0, weights[criterion] + delta))
    change = target - weights[criterion]
    if change == 0:
        return None
    others = {c: w for c, w in weights.items() if c != criterion}
    pool = sum(others.values())
    new = {criterion: float(target)}
    for c, w in others.items():
        share = (w / pool) if pool else 1 / len(others)
        new[c] = max(0.0, w - change * share)
    return new


def sensitivity(weights: Mapping[str, int], scores: Sequence[Score], prices: Mapping[int, int]) -> tuple[Flip, ...]:
    """Would the leader change if any weight moved by :data:`SENSITIVITY_POINTS`? One :class:`Flip` per move
    that changes it. ``scores`` are ranked (the leader first); ``prices`` break ties (the lower wins)."""
    if len(scores) < 2:
        return ()
    weights = {c: weights[c] for c in CRITERIA}
    leader = scores[0]
    flips = []
    for criterion in CRITERIA:
        for delta in (SENSITIVITY_POINTS, -SENSITIVITY_POINTS):
            new = shifted_weights(weights, criterion, delta)
            if new is None:
                continue
            best = max(scores, key=lambda s: (sum(new[c] * s.criteria[c] for c in CRITERIA), -prices[s.bid_id]))
            if best.bid_id != leader.bid_id:
                flips.append(Flip(criterion=criterion, points=delta, leader_id=best.bid_id))
    return tuple(flips)
