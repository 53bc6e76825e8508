"""``/api/v1/offerings`` operations: the same services as the pages."""

from __future__ import annotations

from flask_login import current_user

from marketplace.accounts.models import Organisation
from marketplace.api import PUBLIC, AreaBlueprint, paginate, session
from marketplace.core.schemas import Page
from marketplace.offerings import services
from marketplace.offerings.models import Offering
from marketplace.offerings.schemas import (
    OfferingCreate,
    OfferingPath,
    OfferingPublic,
    OfferingQuery,
    ConfirmationRequestIn,
    ConfirmationRequestOut,
    EvidenceOut,
    FigureOut,
    OfferingUpdate,
    ReferencePath,
    ReferenceProject,
)
from marketplace.accounts.schemas import OrganisationPath

bp = AreaBlueprint("offerings", __name__, description="AI vendors' offerings: the catalogue and its changes")


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


@bp.get("/offerings", summary="Search the offerings catalogue", security=PUBLIC,
        responses={200: Page[OfferingPublic]})
def list_offerings(query: OfferingQuery):
    statement = services.offering_search(query, viewer=_viewer())
    return paginate(session(), statement, query, lambda row: offering_public(row[0], row[1]))


@bp.post("/offerings", summary="Publish an offering for the caller's vendor organisation",
         responses={201: OfferingPublic})
def create_offering(body: OfferingCreate):
    offering = services.create_offering(session(), vendor_user=current_user._get_current_object(), data=body)
    return _public(offering)


@bp.get("/offerings/<int:offering_id>", summary="One offering (paused ones only for their own vendor)",
        security=PUBLIC, responses={200: OfferingPublic})
def get_offering(path: OfferingPath):
    return _public(services.get_offering(session(), path.offering_id, viewer=_viewer()))


@bp.patch("/offerings/<int:offering_id>", summary="Change an offering, or pause or activate it",
          responses={200: OfferingPublic})
def update_offering(path: OfferingPath, body: OfferingUpdate):
    user = current_user._get_current_object()
    offering = services.get_offering(session(), path.offering_id, viewer=user)
    offering = services.update_offering(session(), user=user, offering=offering, changes=body)
    return _public(offering)


@bp.get("/organisations/<int:organisation_id>/evidence", summary="A vendor's evidence: every figure ranking and "
        "evaluation use, each with its provenance (claimed, confirmed, verified), and the counts behind them",
        responses={200: EvidenceOut})
def vendor_evidence(path: OrganisationPath):
    vendor = services.get_vendor(session(), path.organisation_id)
    record = services.vendor_record(session(), vendor.id)
    summary = record.summary
    return EvidenceOut(
        organisation_id=vendor.id, claimed=summary.claimed, confirmed=summary.confirmed, verified=summary.verified,
        backed_attainment=float(summary.backed_attainment) if summary.backed_attainment is not None else None,
        credibility=round(float(summary.credibility), 4), basis=summary.basis.value,
        figures=[FigureOut(name=f.name, value=f.value, provenance=f.provenance, offering_id=f.offering_id)
                 for f in record.figures])


@bp.post("/offerings/<int:offering_id>/references/<int:ref_id>/confirmation-request",
         summary="E-mail the reference customer a one-time link to confirm what was delivered and the KPI reached",
         responses={202: ConfirmationRequestOut})
def request_confirmation(path: ReferencePath, body: ConfirmationRequestIn):
    offering = services.get_offering(session(), path.offering_id, viewer=current_user)
    row = services.request_reference_confirmation(session(), user=current_user, offering=offering,
                                                  ref_id=path.ref_id, email=body.email)
    return ConfirmationRequestOut(id=row.id, offering_id=offering.id, ref_id=row.ref_index, expires_at=row.expires_at)
