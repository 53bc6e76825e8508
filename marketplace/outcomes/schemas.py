"""Input and output contracts of KPI acceptance (protocols, holdouts, evaluations) and follow-ups.

The holdout and predictions files come as the multipart field ``file``; the other form fields of the same
request parse into :class:`HoldoutIn` and :class:`PredictionsIn`, on the page and in the API alike.
No output contract has a field for a holdout's rows: the vendor sees hashes, counts and verdicts only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, BeforeValidator, Field

import acceptance
from marketplace.core.schemas import Id, Strict

REASON_MAX, EVIDENCE_MAX = 1000, 1000


def _blank_is_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _listed(value: Any) -> Any:
    """Classes as a list, or as one text separated by commas (a form field)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _said(message: Any) -> BeforeValidator:
    def check(value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise ValueError(message)
        return value
    return BeforeValidator(check)


Optional = BeforeValidator(_blank_is_none)


class KpiPath(Strict):
    agreement_id: Id
    kpi_id: Id


class FollowUpPath(Strict):
    follow_up_id: Id


class HoldoutIn(Strict):
    """How the KPI is measured on the holdout uploaded with it. Left out: the suggestion for the problem."""

    metric: Annotated[acceptance.Metric | None, Optional] = Field(
        default=None, description="mape | mae | rmse | accuracy | precision | recall | f1 | defect_rate | defect_ppm")
    decimals: Annotated[Annotated[int, Field(ge=0, le=acceptance.MAX_DECIMALS)] | None, Optional] = Field(
        default=None, description="places the value is rounded to (half up) before it is compared")
    classes: Annotated[list[Annotated[str, Field(max_length=100)]], BeforeValidator(_listed),
                       Field(max_length=50)] = Field(default_factory=list,
                                                     description="the labels of a classification (e.g. 양품, 불량)")
    positive_class: Annotated[Annotated[str, Field(max_length=100)] | None, Optional] = None
    id_column: Annotated[Annotated[str, Field(max_length=200)] | None, Optional] = Field(
        default=None, description="the id column's header (found by its name when left out)")
    value_column: Annotated[Annotated[str, Field(max_length=200)] | None, Optional] = Field(
        default=None, description="the truth column's header (found by its name when left out)")


class MeasuredIn(Strict):
    """A KPI that is not a prediction: the client enters its measured value, with evidence, at acceptance."""

    period: Annotated[str, Field(min_length=1, max_length=300),
                      _said(_l("Say over which period and from which records the value is measured."))]
    decimals: Annotated[Annotated[int, Field(ge=0, le=acceptance.MAX_DECIMALS)] | None, Optional] = None


class PredictionsIn(Strict):
    id_column: Annotated[Annotated[str, Field(max_length=200)] | None, Optional] = None
    value_column: Annotated[Annotated[str, Field(max_length=200)] | None, Optional] = None


class MeasurementIn(Strict):
    """A measured-value KPI's value at a milestone, with the document or record it comes from."""

    kpi_id: Id
    value: Annotated[str, Field(min_length=1, max_length=40)] = Field(description="the value, e.g. 1,250")
    evidence: Annotated[str, Field(max_length=EVIDENCE_MAX)] = Field(default="", description="where it comes from")


class MeasurementOut(BaseModel):
    id: int
    milestone_id: int
    kpi: str
    value: str
    target: str
    passed: bool
    summary: str
    evidence: str
    created_at: datetime


class WaiverIn(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=REASON_MAX),
                      _said(_l("Say why you accept the milestone although a KPI was not met."))]


class FollowUpIn(Strict):
    still_in_use: bool = Field(description="is the system still in use?")
    kpi_value: Annotated[Annotated[str, Field(max_length=40)] | None, Optional] = Field(
        default=None, description="the KPI's current value (optional)")
    evidence: Annotated[str, Field(max_length=EVIDENCE_MAX)] = Field(
        default="", description="where the value comes from (required with a value)")


class HoldoutOut(BaseModel):
    """What the agreement records of a holdout: never its content."""

    kpi_id: int | None
    kpi: str
    sha256: str
    rows: int
    columns: list[str]
    id_column: str
    value_column: str
    uploaded_at: datetime


class ProtocolOut(BaseModel):
    kpi_id: int | None
    kpi: str
    metric: str
    data: str
    unit: str
    direction: str
    target: str
    decimals: int
    rule: str
    holdout_sha256: str | None
    holdout_rows: int | None
    holdout_columns: list[str] | None


class KpiResultOut(BaseModel):
    kpi: str
    metric: str
    value: str
    target: str
    direction: str
    unit: str | None
    passed: bool
    summary: str


class KpiEvaluationOut(BaseModel):
    id: int
    milestone_id: int
    attempt: int
    attempts_allowed: int
    predictions_sha256: str
    holdout_sha256: str
    rows: int
    passed: bool
    passed_count: int
    total: int
    results: list[KpiResultOut]
    summary: str
    chart_svg: str | None = Field(description="a small chart (SVG text): the confusion matrix or the spread "
                                              "of the errors; never the holdout's rows")
    waived: bool = Field(description="the client accepted the milestone despite a failed KPI")
    waiver_reason: str | None = None
    created_at: datetime


class FollowUpOut(BaseModel):
    id: int
    agreement_id: int
    months: int
    due_on: date
    asked_at: datetime | None
    answered_at: datetime | None
    still_in_use: bool | None
    kpi: str | None
    kpi_value: str | None
    evidence: str


class VerifiedOutcomesOut(BaseModel):
    achieved: int
    evaluated: int
    followed_up_12m: int
    in_use_12m: int


class ProtocolList(BaseModel):
    items: list[ProtocolOut]
    total: int
    page: int
    per_page: int


class KpiEvaluationList(BaseModel):
    items: list[KpiEvaluationOut]
    total: int
    page: int
    per_page: int


class FollowUpList(BaseModel):
    items: list[FollowUpOut]
    total: int
    page: int
    per_page: int


class SurvivalGroup(BaseModel):
    code: str
    label: str
    completed: int
    answered: int
    in_use: int
    rate: int | None = Field(description="percent in use of those answered")
    subsidy_krw: int


class SurvivalTotal(BaseModel):
    completed: int
    answered: int
    in_use: int
    rate: int | None
    subsidy_krw: int


class SurvivalOut(BaseModel):
    months: int
    overall: SurvivalTotal
    by_region: list[SurvivalGroup]
    by_industry: list[SurvivalGroup]
