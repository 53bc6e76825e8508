"""``/api/v1/offerings`` endpoints: the same services as the pages."""

from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from marketplace.accounts.models import Organisation
from marketplace.api.core import Page, PageQuery, api, paginate, session
from marketplace.core.routing import MAX_ID
from marketplace.offerings import services
from marketplace.offerings.models import Offering, OfferingStatus


class ReferenceProject(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=200, description="the project")
    client_description: str = Field(default="", max_length=300, description="who the client was (anonymised)")
    kpi: str = Field(default="", max_length=200, description="the KPI the client cared about")
    achieved: str = Field(default="", max_length=200, description="the result, e.g. '620ppm → 45ppm'")


class OfferingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="1–200 characters")
    description: str = Field(description="1–5000 characters")
    capabilities: list[str] = Field(description="problem-type codes from the taxonomy, at least one")
    industries: list[str] = Field(default_factory=list, description="KSIC division codes, e.g. C30")
    regions_served: list[str] = Field(default_factory=list, description="region codes; empty = nationwide")
    deployment_modes: list[str] = Field(description="cloud, on_premises, hybrid or edge; at least one")
    price_min_krw: int = Field(description="won, 0 to 100,000,000,000")
    price_max_krw: int = Field(description="won, at least price_min_krw")
    typical_weeks: int = Field(description="1–260")
    capacity: int = Field(default=1, description="open project slots, 0–100")
    completed_projects: int = Field(default=0, description="similar projects delivered before")
    profile: dict[str, float] = Field(description="each of the seven criteria -> 0..1")
    references: list[ReferenceProject] = Field(default_factory=list, description="up to 10 past projects")


class OfferingUpdate(BaseModel):
    """PATCH: only the fields sent change; the result must still be a valid offering."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    description: str | None = None
    capabilities: list[str] | None = None
    industries: list[str] | None = None
    regions_served: list[str] | None = None
    deployment_modes: list[str] | None = None
    price_min_krw: int | None = None
    price_max_krw: int | None = None
    typical_weeks: int | None = None
    capacity: int | None = None
    completed_projects: int | None = None
    profile: dict[str, float] | None = None
    references: list[ReferenceProject] | None = None
    status: OfferingStatus | None = Field(default=None, description="active or paused")


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


class OfferingQuery(PageQuery):
    vendor_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="only this vendor organisation's offerings")
    capability: str | None = Field(default=None, max_length=40, description="problem-type code")
    industry: str | None = Field(default=None, max_length=8, description="KSIC division code")
    region: str | None = Field(default=None, max_length=20, description="region code (nationwide offerings match)")
    deployment_mode: str | None = Field(default=None, max_length=20)
    q: str | None = Field(default=None, max_length=100, description="text in the title or description")


def offering_public(offering: Offering, vendor: Organisation) -> OfferingPublic:
    return OfferingPublic(
        id=offering.id, vendor_id=vendor.id, vendor_name_ko=vendor.name_ko, vendor_name_en=vendor.name_en,
        status=offering.status, title=offering.title, description=offering.description,
        capabilities=offering.capabilities, industries=offering.industries, regions_served=offering.regions_served,
        deployment_modes=offering.deployment_modes, price_min_krw=offering.price_min_krw,
        price_max_krw=offering.price_max_krw, typical_weeks=offering.typical_weeks, capacity=offering.capacity,
        completed_projects=offering.completed_projects,
        mean_review=float(offering.mean_review) if offering.mean_review is not None else None,
        profile=offering.profile, references=[ReferenceProject(**r) for r in offering.reference_projects],
        created_at=offering.created_at, updated_at=offering.updated_at,
    )


def _public(offering: Offering) -> OfferingPublic:
    return offering_public(offering, session().get(Organisation, offering.organisation_id))


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


@api.route("/offerings", summary="Search the offerings catalogue", tags=("offerings",), query=OfferingQuery,
           response=Page[OfferingPublic], auth=False, errors=(422,))
def list_offerings(query: OfferingQuery):
    filters = services.OfferingFilters(vendor_id=query.vendor_id, capability=query.capability,
                                       industry=query.industry, region=query.region,
                                       deployment_mode=query.deployment_mode, q=query.q)
    statement = services.offering_search(filters, viewer=_viewer())
    return paginate(session(), statement, query, lambda row: offering_public(row[0], row[1]))


@api.route("/offerings", methods=("POST",), summary="Publish an offering for the caller's vendor organisation",
           tags=("offerings",), body=OfferingCreate, response=OfferingPublic, status=201, errors=(401, 403, 422))
def create_offering(body: OfferingCreate):
    offering = services.create_offering(session(), vendor_user=current_user._get_current_object(),
                                        data=body.model_dump())
    return _public(offering)


@api.route("/offerings/<int:offering_id>", summary="One offering (paused ones only for their own vendor)",
           tags=("offerings",), response=OfferingPublic, auth=False, errors=(404,))
def get_offering(offering_id: int):
    return _public(services.get_offering(session(), offering_id, viewer=_viewer()))


@api.route("/offerings/<int:offering_id>", methods=("PATCH",), summary="Change an offering, or pause or activate it",
           tags=("offerings",), body=OfferingUpdate, response=OfferingPublic, errors=(401, 403, 404, 422))
def update_offering(offering_id: int, body: OfferingUpdate):
    user = current_user._get_current_object()
    offering = services.get_offering(session(), offering_id, viewer=user)
    offering = services.update_offering(session(), user=user, offering=offering,
                                        changes=body.model_dump(exclude_unset=True))
    return _public(offering)
