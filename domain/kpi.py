"""KPIs: what an SME measures, where it stands (baseline) and where it wants to be (target)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

#: KPI numbers are below 10¹² in absolute value and kept to four decimal places.
MAX_KPI_NUMBER = Decimal(10) ** 12
KPI_QUANTUM = Decimal("0.0001")
KPI_NAME_MAX = 80
KPI_UNIT_MAX = 20


class KpiDirection(StrEnum):
    """Whether lower (defect rate, waste) or higher (accuracy, throughput) is better."""

    LOWER = "lower"
    HIGHER = "higher"
    # The agreement's names for the same two members (aliases, not new values).
    LOWER_IS_BETTER = "lower"
    HIGHER_IS_BETTER = "higher"


def parse_kpi_number(value: Any) -> Decimal:
    """A finite Decimal below 10¹², quantized to 0.0001, from a number or a string such as ``"1,250.5"``.

    Raises ``PydanticCustomError`` ``kpi_number`` (not a number) or ``kpi_number_range`` (infinite,
    NaN or too large, e.g. ``"1e999999999"``), never an arithmetic error.
    """
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("kpi_number", "Enter a number.")
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise PydanticCustomError("kpi_number", "Enter a number.") from None
    if not number.is_finite() or number.copy_abs() >= MAX_KPI_NUMBER:  # copy_abs: no overflow on 1e999999999
        raise PydanticCustomError("kpi_number_range", "Enter a finite number.", {"max": str(MAX_KPI_NUMBER)})
    return number.quantize(KPI_QUANTUM)


#: A KPI value (pydantic type): see :func:`parse_kpi_number`.
KpiNumber = Annotated[Decimal, BeforeValidator(parse_kpi_number)]


def _optional_number(value: Any) -> Any:
    return None if value in (None, "") else value


def _direction(value: Any) -> Any:
    if not value:
        return KpiDirection.LOWER
    if value not in {d.value for d in KpiDirection}:
        raise PydanticCustomError("kpi_direction", "Choose whether lower or higher is better.")
    return value


class Kpi(BaseModel):
    """A KPI with its direction. When both are given, the target improves on the baseline:
    below it when lower is better, above it when higher is better (error type ``kpi_target_direction``
    on ``target``, ctx ``direction``)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=1, max_length=KPI_NAME_MAX)]
    unit: Annotated[str, Field(max_length=KPI_UNIT_MAX)] = ""
    baseline: Annotated[KpiNumber | None, BeforeValidator(_optional_number)] = None
    direction: Annotated[KpiDirection, BeforeValidator(_direction)] = KpiDirection.LOWER
    target: Annotated[KpiNumber | None, BeforeValidator(_optional_number)] = None

    @field_validator("unit", mode="before")
    @classmethod
    def _no_unit(cls, value: Any) -> Any:
        return "" if value is None else value

    @field_validator("target")
    @classmethod
    def _improves_on_baseline(cls, target: Decimal | None, info: ValidationInfo) -> Decimal | None:
        baseline, direction = info.data.get("baseline"), info.data.get("direction")
        if target is None or baseline is None or direction is None:
            return target
        if (direction == KpiDirection.LOWER and target >= baseline) or (
                direction == KpiDirection.HIGHER and target <= baseline):
            raise PydanticCustomError(
                "kpi_target_direction",
                "For a {direction}-is-better KPI the target must be {side} the baseline.",
                {"direction": direction.value, "side": "below" if direction == KpiDirection.LOWER else "above"})
        return target
