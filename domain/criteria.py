"""The SME's decision criteria and its weights over them.

The criteria drive everything: ranking, bid comparison and the agreement's acceptance KPIs. Their
labels (Korean and English) live with the ranking engine in ``matching/data/criteria.json``, which
is checked against :data:`CRITERIA` when it loads.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

#: The decision criteria an SME weights, in display order (the database has one column per key).
CRITERIA: tuple[str, ...] = (
    "quality",
    "throughput",
    "cost",
    "delivery_speed",
    "explainability",
    "data_privacy",
    "maintenance",
)

WEIGHT_MIN, WEIGHT_MAX, WEIGHTS_TOTAL = 0, 100, 100


def _whole_weight(value: Any) -> int:
    """A whole number 0–100 from an int, an integral float or a string such as ``" 40 "``; never a bool."""
    try:
        if isinstance(value, bool) or value is None:
            raise ValueError
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError
            number = int(value)
        elif isinstance(value, int):
            number = value
        else:
            number = int(str(value).strip())
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is None or not WEIGHT_MIN <= number <= WEIGHT_MAX:
        raise PydanticCustomError("weight_range", "Enter a whole number from {min} to {max}.",
                                  {"min": WEIGHT_MIN, "max": WEIGHT_MAX})
    return number


#: One criterion's weight: a whole number from 0 to 100 (error type ``weight_range``).
Weight = Annotated[int, BeforeValidator(_whole_weight)]


class Weights(BaseModel):
    """Seven whole numbers 0–100, one per criterion, that add up to 100.

    A missing criterion weighs 0. Errors (pydantic error types, for one translating mapping):
    ``weights_unknown`` (ctx ``names``) for keys that are no criterion, ``weight_range`` (ctx ``min``,
    ``max``) on a criterion's field, ``weights_sum`` (ctx ``total``) when they do not add up to 100.
    It reads like a mapping: ``weights["quality"]``, ``dict(weights)``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    quality: Weight = 0
    throughput: Weight = 0
    cost: Weight = 0
    delivery_speed: Weight = 0
    explainability: Weight = 0
    data_privacy: Weight = 0
    maintenance: Weight = 0

    @model_validator(mode="before")
    @classmethod
    def _known_criteria(cls, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(str(k) for k in set(data) - set(CRITERIA))
            if unknown:
                raise PydanticCustomError("weights_unknown", "Unknown criterion: {names}.",
                                          {"names": ", ".join(unknown)})
        return data

    @model_validator(mode="after")
    def _sum_to_100(self) -> Weights:
        total = sum(self.values())
        if total != WEIGHTS_TOTAL:
            raise PydanticCustomError("weights_sum", "The weights must add up to {expected}; now they add up to {total}.",
                                      {"total": total, "expected": WEIGHTS_TOTAL})
        return self

    # --- mapping-like reading -------------------------------------------------------------------
    def __getitem__(self, criterion: str) -> int:
        if criterion not in CRITERIA:
            raise KeyError(criterion)
        return getattr(self, criterion)

    def keys(self) -> tuple[str, ...]:
        return CRITERIA

    def values(self) -> tuple[int, ...]:  # type: ignore[override]
        return tuple(getattr(self, c) for c in CRITERIA)

    def items(self) -> Iterator[tuple[str, int]]:
        return ((c, getattr(self, c)) for c in CRITERIA)

    def as_dict(self) -> dict[str, int]:
        return dict(self.items())


# --- a profile over the criteria: how strongly an offering serves each ------------------------------

SCORE_MIN, SCORE_MAX = 0.0, 1.0
SCORE_DECIMALS = 4


def _score(value: Any) -> float:
    """A number from 0 to 1 (an int, float or Decimal, finite; never a bool or text), to four decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("criterion_score", "Enter a number from {min} to {max}.",
                                  {"min": 0, "max": 1})
    try:
        number = float(value)
    except (OverflowError, ValueError):
        number = math.nan
    if not math.isfinite(number) or not SCORE_MIN <= number <= SCORE_MAX:
        raise PydanticCustomError("criterion_score", "Enter a number from {min} to {max}.",
                                  {"min": 0, "max": 1})
    return round(number, SCORE_DECIMALS)


#: How strongly something serves one criterion: 0 (not at all) to 1 (its strength); error type
#: ``criterion_score``.
Score = Annotated[float, Field(ge=SCORE_MIN, le=SCORE_MAX), BeforeValidator(_score)]


class Profile(BaseModel):
    """A score from 0 to 1 for each of the seven criteria, every one of them given: an offering's
    strengths as the vendor rates them (the ranking engine reads it against the SME's weights).

    Errors: ``criterion_score`` on a criterion's field, ``missing`` for a criterion not given,
    ``extra_forbidden`` for a key that is no criterion. It reads like a mapping, as :class:`Weights` does.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    quality: Score
    throughput: Score
    cost: Score
    delivery_speed: Score
    explainability: Score
    data_privacy: Score
    maintenance: Score

    def __getitem__(self, criterion: str) -> float:
        if criterion not in CRITERIA:
            raise KeyError(criterion)
        return getattr(self, criterion)

    def keys(self) -> tuple[str, ...]:
        return CRITERIA

    def values(self) -> tuple[float, ...]:  # type: ignore[override]
        return tuple(getattr(self, c) for c in CRITERIA)

    def items(self) -> Iterator[tuple[str, float]]:
        return ((c, getattr(self, c)) for c in CRITERIA)

    def as_dict(self) -> dict[str, float]:
        return dict(self.items())
