"""Input and output contracts of bids, the evaluation and decisions.

:class:`BidDraft` (start a bid) and :class:`BidUpdate` (revise it) are the one input contract of a
bid: the API handlers take them as bodies, and the bid page parses its form into them
(:func:`marketplace.core.forms.parse_form`). A draft may lack fields; :class:`SubmittedBid` is what
a bid must hold before it is sealed. Errors are pydantic errors of stable types (``bid_price``,
``milestones_total``, ...) that :func:`marketplace.core.schemas.field_errors` words in the reader's
language. What needs the database (the KPIs of the problem, the vendor's offerings) the service checks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationError,
    WrapValidator,
    field_validator,
)
from pydantic_core import PydanticCustomError

from domain.money import PositiveWon, Won
from marketplace.bids.commitments import Commitment, KpiCommitment
from marketplace.core.schemas import Id, Strict

MAX_MILESTONES = 12
MAX_WEEKS = 260
MAX_MAINTENANCE_YEARS = 10
TEXT_MAX = 5000
TEAM_MAX = 2000
SERVICE_LEVEL_MAX = 500
MIN_APPROACH = 20
MILESTONE_NAME_MAX = 120
DELIVERABLE_MAX = 300
REASON_MAX = 500
#: The longest explanation of an abnormally low price (or question asking for one).
EXPLANATION_MAX = 4000


def _one_error(kind: str, message: str) -> WrapValidator:
    """Whatever is wrong with the value (not a number, out of range), report one error of ``kind``."""
    def validate(value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise PydanticCustomError(kind, message) from None
    return WrapValidator(validate)


def _price(value: Any, handler: Callable[[Any], Any]) -> Any:
    """A price above zero in whole won; a number too large is told so (not "above zero")."""
    try:
        return handler(value)
    except ValidationError as exc:
        if any(e["type"] in ("less_than_equal", "less_than") for e in exc.errors()):
            raise PydanticCustomError("bid_price_large", "Enter a price of at most 100,000,000,000 won.") from None
        raise PydanticCustomError("bid_price", "Enter a price above zero in whole won.") from None


def _named(name: str) -> str:
    if not name:
        raise PydanticCustomError("milestone_name", "Name the milestone.")
    return name


def _at_most_milestones(rows: Any) -> Any:
    if isinstance(rows, list | tuple) and len(rows) > MAX_MILESTONES:
        raise PydanticCustomError("milestones_max", "Give at most {n} milestones.", {"n": MAX_MILESTONES})
    return rows


def _long_enough(approach: str) -> str:
    if len(approach) < MIN_APPROACH:
        raise PydanticCustomError("bid_approach_short", "Describe your approach in at least {n} characters.",
                                  {"n": MIN_APPROACH})
    return approach


MilestoneName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MILESTONE_NAME_MAX),
                          AfterValidator(_named)]
Deliverable = Annotated[str, StringConstraints(strip_whitespace=True, max_length=DELIVERABLE_MAX)]
Approach = Annotated[str, StringConstraints(strip_whitespace=True, max_length=TEXT_MAX)]
Team = Annotated[str, StringConstraints(strip_whitespace=True, max_length=TEAM_MAX)]
ServiceLevel = Annotated[str, StringConstraints(strip_whitespace=True, max_length=SERVICE_LEVEL_MAX)]
Price = Annotated[PositiveWon, WrapValidator(_price)]
Weeks = Annotated[int, Field(ge=1, le=MAX_WEEKS), _one_error("bid_duration", "Enter the duration in weeks (1–260).")]
MaintenanceCost = Annotated[Won, _one_error("bid_maintenance_cost",
                                            "Enter a yearly maintenance cost of 0 or more won.")]
MaintenanceYears = Annotated[int, Field(ge=0, le=MAX_MAINTENANCE_YEARS),
                             _one_error("bid_maintenance_years", "Enter 0 to 10 years of maintenance.")]


class BidPath(Strict):
    bid_id: Id


class Milestone(Strict):
    """A step of the work and the share of the price paid when it is accepted."""

    name: MilestoneName
    deliverable: Deliverable = ""
    week: Annotated[int, Field(ge=1, le=MAX_WEEKS), _one_error("milestone_week", "Enter the week (1–260).")]
    payment_percent: Annotated[int, Field(ge=0, le=100),
                               _one_error("milestone_share", "Enter a payment share of 0 to 100 percent.")]


Milestones = Annotated[list[Milestone], Field(max_length=MAX_MILESTONES), BeforeValidator(_at_most_milestones)]


def _weeks_in_order(rows: list[Milestone]) -> None:
    weeks = [m.week for m in rows]
    if weeks != sorted(weeks):
        raise PydanticCustomError("milestones_order", "List the milestones in the order of their weeks.")


def _total(rows: list[Milestone]) -> int:
    return sum(m.payment_percent for m in rows)


def _paid_in_full(rows: list[Milestone]) -> list[Milestone]:
    if not rows:
        raise PydanticCustomError("milestones_missing", "Add at least one milestone with its payment share.")
    _weeks_in_order(rows)
    if _total(rows) != 100:
        raise PydanticCustomError("milestones_total", "Milestone payments must add up to 100%; now {total}%.",
                                  {"total": _total(rows)})
    return rows


class BidUpdate(Strict):
    """Changes to a bid: only the fields given change. A draft may be incomplete, but what it holds is valid.

    ``null`` leaves a number as it is, empties a text, and clears the offering, the milestones or the
    commitments.
    """

    price_krw: Price | None = Field(default=None, description="won, VAT excluded")
    duration_weeks: Weeks | None = None
    offering_id: Id | None = Field(default=None, description="one of your own offerings that the bid builds on")
    approach: Approach | None = None
    team: Team | None = None
    milestones: Milestones | None = Field(default=None, description="in the order of their weeks; the payment "
                                          "shares add up to 100 when the bid is submitted")
    kpi_commitments: list[Commitment] | None = Field(default=None, description="a value for each KPI of the problem")
    maintenance_yearly_krw: MaintenanceCost | None = None
    maintenance_years: MaintenanceYears | None = None
    service_level: ServiceLevel | None = None

    @field_validator("milestones")
    @classmethod
    def _plan(cls, rows: list[Milestone] | None) -> list[Milestone] | None:
        if rows:
            _weeks_in_order(rows)
            if _total(rows) > 100:
                raise PydanticCustomError("milestones_total", "Milestone payments must add up to 100%; now {total}%.",
                                          {"total": _total(rows)})
        return rows


class BidDraft(BidUpdate):
    """A new bid (one per vendor and problem), kept as a draft or submitted at once."""

    submit: bool = Field(default=False, description="submit at once instead of keeping a draft")


class SubmittedBid(BaseModel):
    """What a bid must hold to be submitted; the service checks it on the stored bid, with one commitment
    per KPI of the problem (that takes the database)."""

    price_krw: Price
    duration_weeks: Weeks
    approach: Annotated[str, AfterValidator(_long_enough)]
    milestones: Annotated[list[Milestone], AfterValidator(_paid_in_full)]
    maintenance_yearly_krw: MaintenanceCost
    maintenance_years: MaintenanceYears


class BidOut(BaseModel):
    id: int
    problem_id: int
    vendor_id: int
    vendor_name: str
    state: str
    problem_revision: int
    price_krw: int | None
    duration_weeks: int | None
    offering_id: int | None
    approach: str
    team: str
    milestones: list[dict]
    kpi_commitments: list[KpiCommitment]
    maintenance_yearly_krw: int
    maintenance_years: int
    service_level: str
    submitted_at: datetime | None
    decision_reason: str | None
    updated_at: datetime
    #: why the SME awarded this bid although it was not the top-scored one
    award_reason: str | None = None
    #: SHA-256 of the bid's scored terms at submission
    commitment_sha256: str | None = None
    #: the abnormally-low-price milestone: requested, answered, accepted or rejected
    explanation_state: str | None = None
    explanation_question: str | None = None
    explanation_due_at: datetime | None = None
    explanation: str | None = None


class BidList(BaseModel):
    items: list[BidOut]
    total: int
    page: int


class EvidenceCountsOut(BaseModel):
    """The counts behind a vendor's evidence, by provenance, and the credibility they give (0–1)."""

    claimed: int
    confirmed: int
    verified: int
    credibility: float
    basis: str


class ScoreOut(BaseModel):
    bid_id: int
    vendor_id: int
    vendor_name: str
    price_krw: int
    duration_weeks: int
    criteria: dict[str, float]
    total: float
    rank: int
    tco_krw: int
    subsidy_krw: int | None
    own_share_krw: int | None
    abnormally_low: bool
    state: str
    #: the estimate charged for the horizon years without maintenance
    upkeep_krw: int = 0
    #: "보조금 종료 후 유지보수 없음"
    no_maintenance: bool = False
    explanation_state: str | None = None
    evidence: EvidenceCountsOut | None = None


class EvaluationOut(BaseModel):
    problem_id: int
    weights: dict[str, int]
    #: the years after delivery the total cost of ownership counts
    horizon_years: int = 3
    scores: list[ScoreOut]
    sensitivity: list[str]
    excluded_bid_ids: list[int]


class ReasonIn(Strict):
    reason: str = Field(min_length=1, max_length=REASON_MAX)


class ExplanationRequestIn(Strict):
    """The SME asks the vendor of an abnormally low bid to explain its price (what it wants to know: optional)."""

    question: str | None = Field(default=None, max_length=EXPLANATION_MAX)


class ExplanationIn(Strict):
    explanation: str = Field(min_length=1, max_length=EXPLANATION_MAX)


class AwardIn(Strict):
    """Why this bid, when it is not the top-scored one (required then; shown to every bidder)."""

    reason: str | None = Field(default=None, max_length=REASON_MAX)



class OpeningRowOut(BaseModel):
    bid_id: int
    #: the vendor's name, or "Bidder A/B/..." when the problem does not publish other bidders' names
    bidder: str
    own: bool
    price_krw: int
    duration_weeks: int
    tco_krw: int
    criteria: dict[str, float]
    total: float
    rank: int
    abnormally_low: bool
    awarded: bool
    commitment_sha256: str | None
    #: the canonical text whose SHA-256 is the commitment
    commitment_text: str


class OpeningOut(BaseModel):
    """The opening result (개찰 결과) after the award: enough to recompute it."""

    problem_id: int
    weights: dict[str, int]
    horizon_years: int
    weights_sha256: str | None
    weights_text: str
    award_reason: str | None
    winner_bid_id: int | None
    bids: list[OpeningRowOut]
