"""How robust the leader is: per criterion, the smallest whole-point weight change that changes it.

Moving one weight by ``d`` points while the others give way in proportion to their size (evenly when
they all weigh 0) keeps the weights adding up to the same total, and makes every bid's total a straight
line in ``d``. So the point at which another bid overtakes the leader is where two lines cross: it is
computed exactly (fractions, no rounding), and a test checks it against trying every whole point.

A pure module: no Flask, no database, no locale.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from domain.criteria import CRITERIA


@dataclass(frozen=True)
class Flip:
    """If ``criterion`` weighed ``points`` more (or less, when negative), bid ``leader_id`` would lead."""

    criterion: str
    points: int
    leader_id: int


class Scored(Protocol):
    bid_id: int
    tco_krw: int
    exact_criteria: Mapping[str, Fraction]


def exact_total(weights: Mapping[str, int | Fraction], criteria: Mapping[str, Fraction]) -> Fraction:
    return sum((Fraction(weights[c]) * Fraction(criteria[c]) for c in CRITERIA), Fraction(0))


def rank_key(total: Fraction, tco: int, bid_id: int) -> tuple[Fraction, int, int]:
    """Higher total first, then the lower total cost of ownership, then the older bid."""
    return -total, tco, bid_id


def shifted_weights(weights: Mapping[str, int | Fraction], criterion: str, delta: int) -> dict[str, Fraction] | None:
    """Move one weight by ``delta`` points (within 0 and the sum of the weights) and spread the opposite change
    over the others by their size (evenly when they all weigh 0). None when the weight cannot move that way."""
    whole = sum(Fraction(w) for w in weights.values())
    current = Fraction(weights[criterion])
    target = min(whole, max(Fraction(0), current + delta))
    change = target - current
    if change == 0:
        return None
    others = {c: Fraction(w) for c, w in weights.items() if c != criterion}
    pool = sum(others.values())
    new = {criterion: target}
    for c, w in others.items():
        share = (w / pool) if pool else Fraction(1, len(others))
        new[c] = max(Fraction(0), w - change * share)
    return new


def _slope(weights: Mapping[str, Fraction], criterion: str, criteria: Mapping[str, Fraction]) -> Fraction:
    """How much a bid's total moves per point that ``criterion`` gains (the others giving way)."""
    others = [c for c in CRITERIA if c != criterion]
    pool = sum(weights[c] for c in others)
    if pool:
        return criteria[criterion] - sum(weights[c] * criteria[c] for c in others) / pool
    return criteria[criterion] - sum(criteria[c] for c in others) / len(others)


def _first_overtake(a: Fraction, b: Fraction, wins_tie: bool, limit: Fraction) -> int | None:
    """The smallest whole e ≥ 1 (up to ``limit``) at which the gap a + b·e drops below 0 (or to 0 when the
    challenger wins a tie). ``a`` ≥ 0 is the leader's lead now."""
    if b >= 0:
        return None
    crossing = a / -b
    e = max(1, math.ceil(crossing) if wins_tie else math.floor(crossing) + 1)
    return e if e <= limit else None


def leader_at(weights: Mapping[str, Fraction], scores: Sequence[Scored]) -> Scored:
    return min(scores, key=lambda s: rank_key(exact_total(weights, s.exact_criteria), s.tco_krw, s.bid_id))


def sensitivity(weights: Mapping[str, int | Fraction], scores: Sequence[Scored]) -> tuple[Flip, ...]:
    """Per criterion and direction, the smallest whole-point change that changes the leader, and who leads then.

    ``scores`` are ranked (the leader first).
    """
    if len(scores) < 2:
        return ()
    weights = {c: Fraction(weights[c]) for c in CRITERIA}
    whole = sum(weights.values())
    leader = scores[0]
    lead_key = (leader.tco_krw, leader.bid_id)
    totals = {s.bid_id: exact_total(weights, s.exact_criteria) for s in scores}
    flips = []
    for criterion in CRITERIA:
        slopes = {s.bid_id: _slope(weights, criterion, s.exact_criteria) for s in scores}
        for sign, limit in ((1, whole - weights[criterion]), (-1, weights[criterion])):
            firsts = []
            for other in scores[1:]:
                gap = totals[leader.bid_id] - totals[other.bid_id]
                slope = sign * (slopes[leader.bid_id] - slopes[other.bid_id])
                e = _first_overtake(gap, slope, (other.tco_krw, other.bid_id) < lead_key, limit)
                if e is not None:
                    firsts.append(e)
            if firsts:
                points = sign * min(firsts)
                new = shifted_weights(weights, criterion, points)
                flips.append(Flip(criterion=criterion, points=points, leader_id=leader_at(new, scores).bid_id))
    return tuple(flips)
