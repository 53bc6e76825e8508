"""A bid's KPI commitments: one typed shape from the request to the evaluation.

A vendor sends a :class:`Commitment` per problem KPI (the KPI's id and the value promised); the bid
keeps it as a :class:`KpiCommitment` (with the KPI's name and unit at the time of bidding); the
evaluation reads the same objects. The value is a :data:`domain.kpi.KpiNumber` (a Decimal) all the
way; it becomes text only in JSON (the database column and the API), written the way people write
it: ``90``, ``6.5``, never ``9E+1`` or ``6.5000``.

A pure module: no Flask, no database (an import-linter contract in pyproject.toml checks it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

from domain.kpi import KpiNumber


def kpi_text(value: Decimal) -> str:
    """``Decimal("90.0000")`` → ``"90"``; ``Decimal("6.5000")`` → ``"6.5"`` (plain notation, no trailing zeros)."""
    return format(value.normalize(), "f")


def _as_written(value: Decimal) -> Decimal:
    return Decimal(kpi_text(value))


#: A committed KPI value: a Decimal without trailing zeros in Python (``Decimal("6.5")``), plain text in JSON.
CommittedValue = Annotated[KpiNumber, AfterValidator(_as_written),
                           PlainSerializer(kpi_text, return_type=str, when_used="json")]


class Commitment(BaseModel):
    """The value a bid promises for one KPI of the problem."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kpi_id: int = Field(ge=1, description="the id of one of the problem's KPIs")
    value: CommittedValue = Field(description="the value the vendor commits to, in the KPI's unit")


class KpiCommitment(Commitment):
    """A commitment as the bid keeps it: with the KPI's name and unit when the bid was written."""

    name: str = ""
    unit: str = ""
