"""The client's review of the vendor, and how it moves the vendor's track record and criteria profile.

A pure rule: no Flask, no database. The client scores each of its criteria with a weight above zero
from 1 to 5; the review's score is the mean of the scores weighted like the client's problem. The
offering gains one completed project; its mean review takes the score in (the projects it declared
count as reviews at the current mean), and its profile moves a fifth of the way toward the scores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from domain.criteria import CRITERIA

SCORE_MIN, SCORE_MAX = 1, 5
#: How far one review moves the offering's criteria profile toward it.
PROFILE_LEARNING_RATE = Decimal("0.2")
#: A criterion the profile does not know yet counts as middling.
NEUTRAL_PROFILE = 0.5

#: Error codes by criterion of a score sheet.
NOT_YOURS = "not_yours"          # a criterion the client does not weigh (or no criterion at all)
SCORE_RANGE = "score_range"      # missing, or not a whole number from 1 to 5


def review_criteria(weights: Mapping[str, int]) -> list[str]:
    """The client's criteria with a weight above zero, in display order: the ones its review scores."""
    return [c for c in CRITERIA if weights[c] > 0]


def score_sheet_errors(criteria: Sequence[str], scores: Mapping[str, int]) -> dict[str, str]:
    """What is wrong with a score sheet, by criterion: unknown keys, and criteria without a score from 1 to 5."""
    errors = {key: NOT_YOURS for key in sorted(set(scores) - set(criteria))}
    for c in criteria:
        value = scores.get(c)
        if value is None or isinstance(value, bool) or not SCORE_MIN <= value <= SCORE_MAX:
            errors[c] = SCORE_RANGE
    return errors


def weighted_score(weights: Mapping[str, int], scores: Mapping[str, int]) -> Decimal:
    """The review's score: the scores' mean weighted by the client's weights, to 0.01."""
    total = sum(weights[c] for c in scores)
    return (sum(Decimal(weights[c]) * scores[c] for c in scores) / total).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class TrackRecord:
    """An offering's record: completed projects, the running mean of reviews, its criteria profile (0–1)."""

    completed_projects: int
    mean_review: Decimal | None
    profile: Mapping[str, float] = field(default_factory=dict)


def learn(record: TrackRecord, scores: Mapping[str, int], score: Decimal) -> TrackRecord:
    """The record after one more completed project reviewed with ``scores`` and ``score``."""
    done = record.completed_projects
    if record.mean_review is None:
        mean = score
    else:
        # the declared projects count in the mean as reviews of the current mean (at least one)
        weight = max(done, 1)
        mean = (Decimal(record.mean_review) * weight + score) / (weight + 1)
    profile = dict(record.profile)
    rate = float(PROFILE_LEARNING_RATE)
    for c, s in scores.items():
        old = float(profile.get(c, NEUTRAL_PROFILE))
        profile[c] = round((1 - rate) * old + rate * (s - SCORE_MIN) / (SCORE_MAX - SCORE_MIN), 4)
    return TrackRecord(completed_projects=done + 1,
                       mean_review=min(Decimal(SCORE_MAX), max(Decimal(SCORE_MIN), mean)).quantize(Decimal("0.01")),
                       profile=profile)
