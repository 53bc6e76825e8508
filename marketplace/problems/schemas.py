"""Input and output contracts of problems, questions and invitations, and the limits they enforce.

One contract per entity and action, used by the API *and* the pages: ``ProblemCreate`` (POST
/problems), ``ProblemUpdate`` (PATCH), and one model per wizard step (:data:`WIZARD_STEPS`), each a
part of ``ProblemUpdate`` with the same field types, which the step turns into (``as_update()``).
The rules that need only the input live here (lengths, known codes, KPI targets, weights, budget
order, delivery date); rules that need the stored problem (its state, its budget when only one end
changes) stay in the services. Errors are pydantic errors of stable types that
:func:`marketplace.core.schemas.field_errors` translates.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from domain.criteria import Weights
from domain.kpi import Kpi
from domain.money import Won
from marketplace.core.schemas import Id, Strict
from marketplace.core.types import utcnow
from marketplace.problems import measurement
from marketplace.problems.models import Visibility
from matching import taxonomy

# --- documented limits (README and the API document say the same) ------------------------------

TITLE_MIN, TITLE_MAX = 5, 200
DESCRIPTION_MAX = 5000
PROCESS_MAX = 120
MAX_PROBLEM_TYPES = 3
MAX_KPIS = 6
MAX_DATA_ASSETS = 10
DATA_KIND_MAX, DATA_DESCRIPTION_MAX, DATA_VOLUME_MAX = 60, 300, 60
MAX_PERIOD_MONTHS = 600
MAX_SYSTEMS = 12
SYSTEM_NAME_MAX = 30
#: The wanted delivery date lies after today and within this many days.
WANTED_WITHIN_DAYS = 3 * 365
QUESTION_MIN, QUESTION_MAX = 5, 2000
ANSWER_MAX = QUESTION_MAX
CANCEL_REASON_MAX = 500
MAX_SHARE = Decimal(100)


# --- field types -------------------------------------------------------------------------------

def _none_to(empty: Any) -> BeforeValidator:
    """``null`` means empty (``""``, ``[]``, ``False``), as the API has always read it."""
    return BeforeValidator(lambda value: (empty() if callable(empty) else empty) if value is None else value)


def _industry(code: str | None) -> str | None:
    if code in (None, ""):
        return None
    if taxonomy.get_industry(code) is None:
        raise PydanticCustomError("industry_unknown", "Choose an industry (KSIC division) from the list.")
    return code


def _problem_types(codes: list[str]) -> list[str]:
    codes = list(dict.fromkeys(codes))
    unknown = [c for c in codes if taxonomy.get_problem_type(c) is None]
    if unknown:
        raise PydanticCustomError("problem_type_unknown", "Unknown problem type: {codes}.",
                                  {"codes": ", ".join(unknown[:3])})
    if len(codes) > MAX_PROBLEM_TYPES:
        raise PydanticCustomError("problem_types_max", "Choose at most {max} problem types.",
                                  {"max": MAX_PROBLEM_TYPES})
    return codes


def _systems(names: list[str]) -> list[str]:
    return list(dict.fromkeys(name for name in names if name))


def _wanted_by(day: date | None) -> date | None:
    if day is None:
        return None
    today = utcnow().date()
    if day <= today:
        raise PydanticCustomError("wanted_by_past", "The delivery date must be in the future.")
    if day > today + timedelta(days=WANTED_WITHIN_DAYS):
        raise PydanticCustomError("wanted_by_far", "The delivery date must be within three years.")
    return day


def check_budget_order(high: int | None, info: ValidationInfo) -> int | None:
    """The highest budget is not below the lowest (error on the highest)."""
    low = info.data.get("budget_min_krw")
    if low is not None and high is not None and low > high:
        raise PydanticCustomError("budget_order", "The highest budget must not be below the lowest.")
    return high


def _share(value: Any) -> Decimal:
    try:
        if isinstance(value, bool):
            raise ValueError
        share = Decimal(str(value).strip()).quantize(Decimal("0.01"))
        if not share.is_finite() or not 0 < share <= MAX_SHARE:
            raise ValueError
    except (ArithmeticError, ValueError):
        raise PydanticCustomError("share_range", "Enter a share above 0 and at most 100.") from None
    return share


Title = Annotated[str, Field(min_length=TITLE_MIN, max_length=TITLE_MAX)]
Description = Annotated[str, Field(max_length=DESCRIPTION_MAX)]
Process = Annotated[str | None, Field(max_length=PROCESS_MAX), AfterValidator(lambda v: v or None)]
Industry = Annotated[str | None, Field(max_length=8, description="KSIC division, e.g. C10"), AfterValidator(_industry)]
ProblemTypes = Annotated[list[str], Field(description=f"problem type codes, at most {MAX_PROBLEM_TYPES} different ones"),
                         AfterValidator(_problem_types)]
SystemName = Annotated[str, Field(max_length=SYSTEM_NAME_MAX)]
Systems = Annotated[list[SystemName], Field(max_length=MAX_SYSTEMS), AfterValidator(_systems)]
WantedBy = Annotated[date | None, Field(description="after today, within three years"), AfterValidator(_wanted_by)]
Budget = Won | None
Share = Annotated[Decimal, BeforeValidator(_share)]


def _code_of(codes: tuple[str, ...], kind: str, message: str):
    def check(value: Any) -> str | None:
        if value in (None, ""):
            return None
        if value not in codes:
            raise PydanticCustomError(kind, message)
        return value
    return BeforeValidator(check)


MetricCode = Annotated[str | None, _code_of(measurement.METRIC_CODES, "kpi_metric", "Choose a metric from the list."),
                       Field(description="how the KPI is measured: " + ", ".join(measurement.METRIC_CODES))]
DataCode = Annotated[str | None, _code_of(measurement.DATA_CODES, "kpi_measured_on",
                                          "Choose what the KPI is measured on from the list."),
                     Field(description="holdout (predictions against sealed data) or measured (a value with "
                                       "evidence)")]
Period = Annotated[str, _none_to(""), Field(max_length=measurement.PERIOD_MAX,
                                            description="the period and data it is measured on")]


class KpiIn(Kpi, Strict):
    """A KPI as the SME states it (the rule: :class:`domain.kpi.Kpi`) and how it is measured; unknown fields
    are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    metric: MetricCode = None
    measured_on: DataCode = None
    period: Period = ""


class DataAssetIn(Strict):
    model_config = ConfigDict(str_strip_whitespace=True)

    kind: str = Field(min_length=1, max_length=DATA_KIND_MAX)
    description: Annotated[str, _none_to(""), Field(max_length=DATA_DESCRIPTION_MAX)] = ""
    volume: Annotated[str, _none_to(""), Field(max_length=DATA_VOLUME_MAX)] = ""
    period_months: int | None = Field(default=None, ge=0, le=MAX_PERIOD_MONTHS)
    labelled: Annotated[bool, _none_to(False)] = False


Kpis = Annotated[list[KpiIn], Field(max_length=MAX_KPIS)]
DataAssets = Annotated[list[DataAssetIn], Field(max_length=MAX_DATA_ASSETS)]


class _Text(Strict):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- problems ----------------------------------------------------------------------------------

def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


#: A field that may be left out (then it stays as it is) but not be null: no default in the document.
_UNCHANGED: Any = Field(default=None, json_schema_extra=_no_default)


class ProblemUpdate(_Text):
    """A change to a problem: the fields given change, the others stay. ``null`` empties a field that
    may be empty (``weights: null`` changes nothing); title, KPIs and visibility cannot be null."""

    title: Title = _UNCHANGED
    description: Annotated[Description | None, _none_to("")] = None
    process: Process = None
    industry: Industry = None
    problem_types: Annotated[ProblemTypes | None, _none_to(list)] = None
    kpis: Kpis = _UNCHANGED
    data_assets: Annotated[DataAssets | None, _none_to(list)] = None
    systems: Annotated[Systems | None, _none_to(list)] = None
    on_premises_required: Annotated[bool | None, _none_to(False)] = None
    budget_min_krw: Budget = None
    budget_max_krw: Budget = None
    wanted_by: WantedBy = None
    weights: Weights | None = None
    visibility: Visibility = _UNCHANGED
    amendment_min_days: Annotated[int, Field(ge=1, le=30)] = _UNCHANGED  # days left after an amendment
    #: the years after delivery over which bids' total cost of ownership is counted (1–10; 3 by default)
    tco_horizon_years: Annotated[int, Field(ge=1, le=10)] = _UNCHANGED
    #: whether the opening result after the award names the other bidders
    opening_shows_names: bool = _UNCHANGED

    _budget_order = field_validator("budget_max_krw")(check_budget_order)

    def changes(self) -> dict[str, Any]:
        """The given fields and their values (typed: KPIs as :class:`KpiIn`, weights as :class:`Weights`)."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class ProblemCreate(ProblemUpdate):
    title: Title


class BudgetRange(Strict):
    """A problem's budget after a change (the stored end and the changed one)."""

    budget_min_krw: Budget = None
    budget_max_krw: Budget = None

    _budget_order = field_validator("budget_max_krw")(check_budget_order)


# --- the wizard's steps: each a part of ProblemUpdate ------------------------------------------

class WizardStep(_Text):
    def as_update(self) -> ProblemUpdate:
        """The change this step saves: every field of the step (an emptied one is emptied)."""
        return ProblemUpdate.model_construct(**{name: getattr(self, name) for name in type(self).model_fields})


class Basics(WizardStep):
    title: Title
    description: Description = ""
    process: Process = None
    industry: Industry = None
    problem_types: ProblemTypes = []


class SuccessMeasures(WizardStep):
    kpis: Kpis = []


class DataAndSystems(WizardStep):
    data_assets: DataAssets = []
    systems: Systems = []


class Constraints(WizardStep):
    on_premises_required: bool = False
    budget_min_krw: Budget = None
    budget_max_krw: Budget = None
    wanted_by: WantedBy = None

    _budget_order = field_validator("budget_max_krw")(check_budget_order)


class Priorities(WizardStep):
    weights: Weights
    tco_horizon_years: Annotated[int, Field(ge=1, le=10)] = 3


class Audience(WizardStep):
    visibility: Visibility
    opening_shows_names: bool = False


#: The wizard's editing steps and the part of the problem each one saves (step 7 reviews).
WIZARD_STEPS: dict[int, type[WizardStep]] = {1: Basics, 2: SuccessMeasures, 3: DataAndSystems, 4: Constraints,
                                              5: Priorities, 6: Audience}


# --- questions, cancelling, joint shares ----------------------------------------------------------

class ProblemPath(Strict):
    problem_id: Id


class QuestionPath(Strict):
    question_id: Id


class OpenBiddingIn(Strict):
    deadline: AwareDatetime = Field(description="ISO 8601 with a time zone; stored in UTC")
    amendment_min_days: int | None = Field(default=None, ge=1, le=30, description="days left after an amendment")


class CancelIn(_Text):
    reason: str = Field(min_length=1, max_length=CANCEL_REASON_MAX)


class QuestionIn(_Text):
    body: str = Field(min_length=QUESTION_MIN, max_length=QUESTION_MAX)


class AnswerIn(_Text):
    answer: str = Field(min_length=1, max_length=ANSWER_MAX)


class HideQuestionIn(_Text):
    reason: str = Field(min_length=1, max_length=500, description="why (kept in the audit log)")


class InvitationIn(Strict):
    vendor_id: Id


class JointSharesIn(Strict):
    """A cooperative's split of the SME cost: member company id → percent (above 0, at most 100, to 0.01)."""

    shares: dict[Id, Share]


# --- answers (kept in output_schemas.py, re-exported: one import place for the area's contracts) ---

from marketplace.problems.output_schemas import (  # noqa: E402,F401
    KpiOut,
    CompletenessOut,
    OrganisationRef,
    ProblemPublic,
    ProblemList,
    ProblemListQuery,
    QuestionOut,
    QuestionList,
    InvitationOut,
)
