"""The side-by-side evaluation of sealed bids by the SME's published weights: plain data in, plain results out.

Best price–quality ratio (EU Directive 2014/24 art. 67), every criterion scored 0–1 (plain words in the
README, "How bids are scored"):

- **cost** = the lowest total cost of ownership among the bids that are not abnormally low ÷ this bid's,
  at most 1 (an abnormally low price earns no more cost credit than the lowest normal one; the highest
  price is never abnormally low, so there is always one). The total cost of ownership (TCO) is the price
  plus what keeping the system running costs over the SME's horizon (:attr:`Settings.horizon_years`,
  3 years after delivery unless the problem says otherwise): each year the bid maintains is charged its
  yearly maintenance price; each year it does not is charged :attr:`Settings.upkeep_share` of the price
  (20% a year: what a system costs to keep running when the vendor does not, a platform parameter), and
  the bid is marked "no maintenance after the subsidy" when it offers none;
- **delivery speed** = shortest duration ÷ this duration;
- **quality** = credibility × the mean over the KPIs of how far the commitment goes from the baseline to
  the target, capped at the target (promising beyond it earns nothing). Credibility is the vendor's
  evidence-weighted delivery record (:func:`domain.evidence.credibility`);
- **maintenance** = the share of the horizon the bid maintains (2 of 3 years: 0.67);
- **throughput, explainability, data privacy** = the vendor's criteria profile shrunk toward the
  population's by the weight of its evidence (:func:`domain.evidence.adjusted_profile`).

Total = Σ weight × score (out of 100). Ranks: the higher total first (exact arithmetic), then the lower
TCO, then the older bid. A bid is abnormally low (art. 69) at 40% or more below the mean price of the
others, or 30% or more below the next lowest; it cannot be awarded before its explanation is accepted.
The sensitivity check (:mod:`marketplace.bids.sensitivity`) names, per criterion, the whole-point weight
change at which the leader changes.

A pure module: no Flask, no database, no locale (an import-linter contract in pyproject.toml checks it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from domain import evidence
from domain.criteria import CRITERIA
from domain.evidence import EvidenceItem
from domain.kpi import KpiDirection
from marketplace.bids.commitments import Commitment
from marketplace.bids.sensitivity import Flip, exact_total, rank_key, sensitivity, shifted_weights

__all__ = ["BidTerms", "Flip", "KpiGoal", "Result", "Score", "Settings", "SubsidyEstimate", "abnormally_low",
           "evaluate", "exact_total", "kpi_attainment", "rank_key", "shifted_weights", "tco_krw", "upkeep_krw"]

#: Abnormally low: at least this far below the mean price of the other bids ...
BELOW_MEAN = Fraction(2, 5)
#: ... or at least this far below the next lowest price.
BELOW_NEXT = Fraction(3, 10)
#: The horizon after delivery over which cost is counted, unless the problem sets another.
DEFAULT_HORIZON_YEARS = 3
#: What a year of keeping the system running costs when the bid does not maintain it: a share of its price.
DEFAULT_UPKEEP_SHARE = Fraction(1, 5)
#: Where each criterion's score comes from.
SOURCES: Mapping[str, str] = {
    "cost": "tco", "delivery_speed": "duration", "quality": "kpi", "maintenance": "years",
    "throughput": "profile", "explainability": "profile", "data_privacy": "profile",
}
PROFILE_CRITERIA = ("throughput", "explainability", "data_privacy")


# --- inputs ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Settings:
    horizon_years: int = DEFAULT_HORIZON_YEARS
    upkeep_share: Fraction = DEFAULT_UPKEEP_SHARE


@dataclass(frozen=True)
class KpiGoal:
    """One KPI of the problem: where it stands (baseline), where the SME wants it (target), which way is better."""

    id: int
    target: Decimal | None
    baseline: Decimal | None = None
    direction: KpiDirection = KpiDirection.LOWER


@dataclass(frozen=True)
class SubsidyEstimate:
    """A program's subsidy for the bid's price, and what the SME pays of the price itself."""

    subsidy_krw: int
    own_share_krw: int


@dataclass(frozen=True)
class BidTerms:
    """A submitted bid as the evaluation sees it, with its vendor's criteria profile and evidence."""

    id: int
    price_krw: int
    duration_weeks: int
    maintenance_yearly_krw: int = 0
    maintenance_years: int = 0
    commitments: Sequence[Commitment] = ()
    #: the vendor's criteria profile (0–1), as the offering states it
    profile: Mapping[str, float] = field(default_factory=dict)
    #: the vendor's past projects as evidence (claimed, confirmed, verified)
    evidence: Sequence[EvidenceItem] = ()
    subsidy: SubsidyEstimate | None = None


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
    #: the estimate charged for the horizon years the bid does not maintain
    upkeep_krw: int = 0
    #: the bid offers no maintenance at all ("보조금 종료 후 유지보수 없음")
    no_maintenance: bool = False
    credibility: float = 0.0
    subsidy_krw: int | None = None
    #: the SME's own share of the price after subsidy, plus the cost after delivery over the horizon
    own_share_krw: int | None = None
    #: the exact total and criterion scores the ranking uses
    exact_total: Fraction = Fraction(0)
    exact_criteria: Mapping[str, Fraction] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    #: by rank: the highest total first (ties: the lower TCO, then the lower id)
    scores: tuple[Score, ...] = ()
    flips: tuple[Flip, ...] = ()
    horizon_years: int = DEFAULT_HORIZON_YEARS

    @property
    def leader(self) -> Score | None:
        return self.scores[0] if self.scores else None


# --- the rules ------------------------------------------------------------------------------------

def kpi_attainment(kpis: Sequence[KpiGoal], commitments: Sequence[Commitment]) -> Fraction:
    """0–1: the mean over the KPIs of how far each commitment goes from the baseline to the target.

    Meeting or beating the target scores 1, never more; without a baseline (or a commitment, or a target)
    a shortfall scores 0. No KPIs: 1 (quality then rests on the vendor's evidence alone).
    """
    if not kpis:
        return Fraction(1)
    values = {c.kpi_id: c.value for c in commitments}
    total = Fraction(0)
    for kpi in kpis:
        value = values.get(kpi.id)
        if value is None or kpi.target is None:
            continue
        lower = kpi.direction == KpiDirection.LOWER
        if (value <= kpi.target) if lower else (value >= kpi.target):
            total += 1
        elif kpi.baseline is not None and kpi.baseline != kpi.target:
            gained = (kpi.baseline - value) if lower else (value - kpi.baseline)
            total += max(Fraction(0), min(Fraction(1), Fraction(gained) / abs(Fraction(kpi.baseline - kpi.target))))
    return total / len(kpis)


def upkeep_krw(bid: BidTerms, settings: Settings) -> int:
    """The estimate charged for the horizon years the bid leaves unmaintained (whole won, rounded up)."""
    uncovered = max(0, settings.horizon_years - bid.maintenance_years)
    return math.ceil(uncovered * settings.upkeep_share * bid.price_krw)


def tco_krw(bid: BidTerms, settings: Settings) -> int:
    """Price + the maintenance years within the horizon + the upkeep estimate for the years without."""
    covered = min(bid.maintenance_years, settings.horizon_years)
    return bid.price_krw + covered * bid.maintenance_yearly_krw + upkeep_krw(bid, settings)


def abnormally_low(price: int, others: Sequence[int]) -> bool:
    """At least 40% below the mean of the other prices, or at least 30% below the next lowest."""
    if not others:
        return False
    mean = Fraction(sum(others), len(others))
    return price <= (1 - BELOW_MEAN) * mean or price <= (1 - BELOW_NEXT) * min(others)


def _share(value: Fraction) -> Fraction:
    """A 0–1 score rounded to 4 places (what the SME reads is what the total adds)."""
    return round(min(Fraction(1), max(Fraction(0), value)), 4)


def criteria_scores(bid: BidTerms, kpis: Sequence[KpiGoal], settings: Settings, *, lowest_tco: int,
                    fastest: int, prior: Mapping[str, float] | None = None) -> dict[str, Fraction]:
    credible = evidence.credibility(bid.evidence)
    profile = evidence.adjusted_profile(bid.profile, bid.evidence, prior)
    horizon = max(settings.horizon_years, 1)
    scores = {
        "cost": Fraction(lowest_tco, tco_krw(bid, settings)),
        "delivery_speed": Fraction(fastest, bid.duration_weeks),
        "quality": credible * kpi_attainment(kpis, bid.commitments),
        "maintenance": Fraction(min(bid.maintenance_years, horizon), horizon),
        **{c: Fraction(profile[c]) for c in PROFILE_CRITERIA},
    }
    return {c: _share(scores[c]) for c in CRITERIA}


def evaluate(weights: Mapping[str, int], kpis: Sequence[KpiGoal], bids: Sequence[BidTerms],
             settings: Settings = Settings(), prior: Mapping[str, float] | None = None) -> Result:
    """Score, rank and test the sensitivity of ``bids`` (each with a price and a duration above zero)."""
    weights = {c: weights[c] for c in CRITERIA}
    if not bids:
        return Result(horizon_years=settings.horizon_years)
    low = {bid.id: abnormally_low(bid.price_krw, [b.price_krw for b in bids if b.id != bid.id]) for bid in bids}
    lowest = min(tco_krw(b, settings) for b in bids if not low[b.id])
    fastest = min(b.duration_weeks for b in bids)
    rows = []
    for bid in bids:
        criteria = criteria_scores(bid, kpis, settings, lowest_tco=lowest, fastest=fastest, prior=prior)
        tco = tco_krw(bid, settings)
        total = exact_total(weights, criteria)
        subsidy = own_share = None
        if bid.subsidy is not None:
            subsidy = bid.subsidy.subsidy_krw
            own_share = bid.subsidy.own_share_krw + tco - bid.price_krw
        rows.append((rank_key(total, tco, bid.id), bid, criteria, total, tco, low[bid.id], subsidy, own_share))
    rows.sort(key=lambda r: r[0])
    ranked = tuple(
        Score(bid_id=bid.id, criteria={c: float(v) for c, v in criteria.items()}, total=round(float(total), 2),
              tco_krw=tco, abnormally_low=low, rank=rank, upkeep_krw=upkeep_krw(bid, settings),
              no_maintenance=bid.maintenance_years == 0, credibility=round(float(evidence.credibility(bid.evidence)), 4),
              subsidy_krw=subsidy, own_share_krw=own_share, exact_total=total, exact_criteria=criteria)
        for rank, (_key, bid, criteria, total, tco, low, subsidy, own_share) in enumerate(rows, start=1))
    return Result(scores=ranked, flips=sensitivity(weights, ranked), horizon_years=settings.horizon_years)
