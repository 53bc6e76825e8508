"""A vendor's track record over its offerings. A pure rule: plain data in, plain data out (no Flask,
no database); the service hands it the offering rows, or anything with the same attributes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


class OfferingRecord(Protocol):
    completed_projects: int
    mean_review: Decimal | float | None
    reference_projects: Sequence[Mapping[str, str]]


@dataclass(frozen=True)
class TrackRecord:
    completed_projects: int
    #: the mean review (1–5, one decimal), each offering weighing by its completed projects (at least 1)
    mean_review: Decimal | None
    references: list[Mapping[str, str]]


def track_record(offerings: Iterable[OfferingRecord]) -> TrackRecord:
    """Completed projects, the project-weighted mean review and every reference of these offerings."""
    offerings = list(offerings)
    completed = sum(o.completed_projects for o in offerings)
    rated = [(Decimal(str(o.mean_review)), max(o.completed_projects, 1)) for o in offerings
             if o.mean_review is not None]
    mean = None
    if rated:
        weight = sum(w for _m, w in rated)
        mean = (sum(m * w for m, w in rated) / weight).quantize(Decimal("0.1"))
    references = [ref for o in offerings for ref in o.reference_projects]
    return TrackRecord(completed_projects=completed, mean_review=mean, references=references)
