"""Input and output contracts of offerings, and the limits they enforce.

One contract per action, used by the API *and* the offering form page: ``OfferingCreate`` (POST
/offerings, the new-offering page, and the edit page, which sends the whole offering),
``OfferingUpdate`` (PATCH: only the fields sent change; the service checks that the result is still
a valid ``OfferingCreate``) and ``OfferingFilters`` (the catalogue search, page and API). Amounts
are :data:`domain.Won`, the strengths a :class:`domain.Profile`. Numbers must be numbers (``"100"`` is
text, as the API has always read it; the form hands over what WTForms read). Errors are pydantic
errors of stable types that :func:`marketplace.core.schemas.field_errors` translates.
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
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from domain.criteria import Profile
from domain.money import Won
from marketplace.core.schemas import Id, PageQuery, Strict, text
from marketplace.offerings.models import OfferingStatus
from matching import taxonomy

# --- documented limits ----------------------------------------------------------------------------

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
MAX_WEEKS = 260
MAX_CAPACITY = 100
MAX_COMPLETED_PROJECTS = 10_000
MAX_REFERENCES = 10
MAX_SEARCH = 100
#: reference project field -> maximum length
REFERENCE_FIELDS = {"title": 200, "client_description": 300, "kpi": 200, "achieved": 200}


# --- field types -----------------------------------------------------------------------------------

def _optional_text(max_length: int) -> Any:
    """Optional text: surrounding spaces go; null is empty."""
    return Annotated[str, BeforeValidator(lambda value: "" if value is None else value),
                     StringConstraints(strip_whitespace=True, max_length=max_length)]


def _codes(lookup: Callable[[str], Any], kind: str, *, required: bool = False) -> Callable[[list[str]], list[str]]:
    """Taxonomy codes: each known (``code_unknown``, ctx ``code`` and ``kind``), in the taxonomy's
    spelling, each once; at least one when ``required`` (``choose_at_least_one``, ctx ``kind``)."""
    def check(codes: list[str]) -> list[str]:
        clean: list[str] = []
        for raw in codes:
            item = lookup(raw.strip())
            if item is None:
                raise PydanticCustomError("code_unknown", "{code} is not a known {kind}.", {"code": raw, "kind": kind})
            if item.code not in clean:
                clean.append(item.code)
        if required and not clean:
            raise PydanticCustomError("choose_at_least_one", "Choose at least one {kind}.", {"kind": kind})
        return clean
    return check


def _code(lookup: Callable[[str], Any], kind: str) -> Callable[[str], str]:
    def check(code: str) -> str:
        item = lookup(code)
        if item is None:
            raise PydanticCustomError("code_unknown", "{code} is not a known {kind}.", {"code": code, "kind": kind})
        return item.code
    return check


#: ``null`` is an empty list, as the API has always read it.
_NULL_IS_EMPTY = BeforeValidator(lambda value: [] if value is None else value)


def _code_list(lookup: Callable[[str], Any], kind: str, *, required: bool = False) -> Any:
    return Annotated[list[str], _NULL_IS_EMPTY, AfterValidator(_codes(lookup, kind, required=required))]


Title = text(TITLE_MAX)
Description = text(DESCRIPTION_MAX)
Capabilities = _code_list(taxonomy.get_problem_type, "capability", required=True)
Industries = _code_list(taxonomy.get_industry, "industry")
Regions = _code_list(taxonomy.get_region, "region")
DeploymentModes = _code_list(taxonomy.get_deployment_mode, "deployment_mode", required=True)
Price = Annotated[Won, Field(strict=True)]
Weeks = Annotated[int, Field(strict=True, ge=1, le=MAX_WEEKS)]
Capacity = Annotated[int, Field(strict=True, ge=0, le=MAX_CAPACITY)]
CompletedProjects = Annotated[int, Field(strict=True, ge=0, le=MAX_COMPLETED_PROJECTS)]


class ReferenceProject(Strict):
    title: text(REFERENCE_FIELDS["title"]) = Field(description="the project")
    client_description: _optional_text(REFERENCE_FIELDS["client_description"]) = Field(
        default="", description="who the client was (anonymised)")
    kpi: _optional_text(REFERENCE_FIELDS["kpi"]) = Field(default="", description="the KPI the client cared about")
    achieved: _optional_text(REFERENCE_FIELDS["achieved"]) = Field(
        default="", description="the result, e.g. '620ppm → 45ppm'")


References = Annotated[list[ReferenceProject], _NULL_IS_EMPTY, Field(max_length=MAX_REFERENCES)]


def _price_order(price_max: int, info: ValidationInfo) -> int:
    """The highest price is not below the lowest (``price_order``, on ``price_max_krw``); checked when
    both are valid, alongside every other field's errors."""
    price_min = info.data.get("price_min_krw")
    if price_min is not None and price_max < price_min:
        raise PydanticCustomError("price_order", "The highest price must not be below the lowest price.")
    return price_max


# --- contracts -------------------------------------------------------------------------------------

class OfferingCreate(Strict):
    """A whole offering, as a vendor publishes it (or saves it again on the edit page)."""

    title: Title = Field(description=f"1–{TITLE_MAX} characters")
    description: Description = Field(description=f"1–{DESCRIPTION_MAX} characters")
    capabilities: Capabilities = Field(description="problem-type codes from the taxonomy, at least one")
    industries: Industries = Field(default_factory=list, description="KSIC division codes, e.g. C30")
    regions_served: Regions = Field(default_factory=list, description="region codes; empty = nationwide")
    deployment_modes: DeploymentModes = Field(description="cloud, on_premises, hybrid or edge; at least one")
    price_min_krw: Price = Field(description="won, 0 to 100,000,000,000")
    price_max_krw: Price = Field(description="won, at least price_min_krw")
    typical_weeks: Weeks = Field(description=f"1–{MAX_WEEKS}")
    capacity: Capacity = Field(default=1, description=f"open project slots, 0–{MAX_CAPACITY}")
    completed_projects: CompletedProjects = Field(default=0, description="similar projects delivered before")
    profile: Profile = Field(description="each of the seven criteria -> 0..1")
    references: References = Field(default_factory=list, description=f"up to {MAX_REFERENCES} past projects")

    check_price_order = field_validator("price_max_krw")(_price_order)


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _unchanged(description: str | None = None) -> Any:
    """A PATCH field: not sent means unchanged (the document shows no default: ``null`` is refused)."""
    return Field(default=None, description=description, json_schema_extra=_drop_default)


class OfferingUpdate(Strict):
    """PATCH: only the fields sent change (``null`` is refused where a value is needed); the result
    must still be a valid :class:`OfferingCreate`."""

    title: Title = _unchanged()
    description: Description = _unchanged()
    capabilities: Capabilities = _unchanged()
    industries: Industries = _unchanged("[] clears them")
    regions_served: Regions = _unchanged("[] means nationwide")
    deployment_modes: DeploymentModes = _unchanged()
    price_min_krw: Price = _unchanged()
    price_max_krw: Price = _unchanged()
    typical_weeks: Weeks = _unchanged()
    capacity: Capacity = _unchanged()
    completed_projects: CompletedProjects = _unchanged()
    profile: Profile = _unchanged()
    references: References = _unchanged("[] clears them")
    status: OfferingStatus = _unchanged("active or paused")

    check_price_order = field_validator("price_max_krw")(_price_order)


class OfferingFilters(Strict):
    """Catalogue search. Empty values do not filter."""

    vendor_id: Id | None = Field(default=None, description="only this vendor organisation's offerings")
    capability: Annotated[str, AfterValidator(_code(taxonomy.get_problem_type, "capability"))] | None = Field(
        default=None, max_length=40, description="problem-type code")
    industry: Annotated[str, AfterValidator(_code(taxonomy.get_industry, "industry"))] | None = Field(
        default=None, max_length=8, description="KSIC division code")
    region: Annotated[str, AfterValidator(_code(taxonomy.get_region, "region"))] | None = Field(
        default=None, max_length=20, description="region code (nationwide offerings match)")
    deployment_mode: Annotated[str, AfterValidator(_code(taxonomy.get_deployment_mode, "deployment_mode"))] | None \
        = Field(default=None, max_length=20)
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_SEARCH)] | None = Field(
        default=None, description="text in the title or description")


class OfferingQuery(PageQuery, OfferingFilters):
    """The catalogue search with its page."""


class OfferingPath(Strict):
    offering_id: Id


class OfferingPublic(BaseModel):
    id: int
    vendor_id: int
    vendor_name_ko: str
    vendor_name_en: str
    status: OfferingStatus
    title: str
    description: str
    capabilities: list[str]
    industries: list[str]
    regions_served: list[str]
    deployment_modes: list[str]
    price_min_krw: int
    price_max_krw: int
    typical_weeks: int
    capacity: int
    completed_projects: int
    mean_review: float | None
    profile: dict[str, float]
    references: list[ReferenceProject]
    created_at: datetime
    updated_at: datetime


class ReferencePath(Strict):
    offering_id: Id
    ref_id: int = Field(ge=1, description="the reference's position in the offering's list, from 1")


class ConfirmationRequestIn(Strict):
    email: str = Field(min_length=3, max_length=254, description="the reference customer's e-mail address")


class ConfirmationRequestOut(BaseModel):
    id: int
    offering_id: int
    ref_id: int
    expires_at: datetime


class FigureOut(BaseModel):
    name: str
    value: Any
    #: claimed (자체 신고), confirmed (고객 확인) or verified (플랫폼 검증)
    provenance: str
    offering_id: int | None


class EvidenceOut(BaseModel):
    organisation_id: int
    claimed: int
    confirmed: int
    verified: int
    #: the mean share of the KPI target reached over confirmed and verified projects (0–1)
    backed_attainment: float | None
    #: the evidence rule's estimate (domain/evidence.py), 0–1
    credibility: float
    basis: str
    figures: list[FigureOut]
