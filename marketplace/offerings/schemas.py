"""Input and output contracts of offerings."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from marketplace.core.schemas import Id, PageQuery, Strict
from marketplace.offerings.models import OfferingStatus


class OfferingPath(Strict):
    offering_id: Id


class ReferenceProject(Strict):
    title: str = Field(max_length=200, description="the project")
    client_description: str = Field(default="", max_length=300, description="who the client was (anonymised)")
    kpi: str = Field(default="", max_length=200, description="the KPI the client cared about")
    achieved: str = Field(default="", max_length=200, description="the result, e.g. '620ppm → 45ppm'")


class OfferingCreate(Strict):
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


class OfferingUpdate(Strict):
    """PATCH: only the fields sent change; the result must still be a valid offering."""

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
    vendor_id: Id | None = Field(default=None, description="only this vendor organisation's offerings")
    capability: str | None = Field(default=None, max_length=40, description="problem-type code")
    industry: str | None = Field(default=None, max_length=8, description="KSIC division code")
    region: str | None = Field(default=None, max_length=20, description="region code (nationwide offerings match)")
    deployment_mode: str | None = Field(default=None, max_length=20)
    q: str | None = Field(default=None, max_length=100, description="text in the title or description")
