"""``/api/v1`` for platform administrators: the organisation verification queue and verifying."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Organisation, User
from marketplace.accounts.schemas import OrganisationPath
from marketplace.admin.schemas import (
    BusinessNumberCheck,
    EvidenceDocument,
    OrganisationVerificationList,
    OrganisationVerificationOut,
    OrganisationVerificationQuery,
    Verifier,
)
from marketplace.api import AreaBlueprint, paginate, session
from marketplace.core.errors import NotAllowed
from marketplace.documents import services as documents

bp = AreaBlueprint("admin", __name__, description="Platform administration: verifying organisations")


def require_admin() -> None:
    if not current_user.is_admin:
        raise NotAllowed(_("Only platform administrators can do this."))


def verification_out(org: Organisation) -> OrganisationVerificationOut:
    admin = session().get(User, org.verified_by_id) if org.verified_by_id else None
    return OrganisationVerificationOut(
        organisation_id=org.id, kind=org.kind, name_ko=org.name_ko, name_en=org.name_en, region=org.region,
        industry=org.industry, registered_at=org.created_at, business_number=BusinessNumberCheck.of(org.brn),
        documents=[EvidenceDocument(id=d.id, filename=d.filename, kind=d.kind, content_type=d.content_type,
                                    size_bytes=d.size_bytes, sha256=d.sha256, uploaded_at=d.created_at,
                                    content_url=url_for("api.documents.document_content", document_id=d.id))
                   for d in documents.documents_of(session(), org)],
        verified=org.is_verified, verified_at=org.verified_at,
        verified_by=Verifier(id=admin.id, name=admin.name, email=admin.email) if admin else None)


@bp.get("/admin/verifications", summary="Organisations waiting for verification, with their evidence "
        "(administrators)", responses={200: OrganisationVerificationList})
def list_verifications(query: OrganisationVerificationQuery):
    require_admin()
    return paginate(session(), accounts.verification_queue(session(), state=query.state), query, verification_out)


@bp.post("/organisations/<int:organisation_id>/verify", summary="Verify an organisation: records who and when, "
         "with an audit entry (administrators)", responses={200: OrganisationVerificationOut})
def verify_organisation(path: OrganisationPath):
    require_admin()
    org = accounts.get_organisation(session(), path.organisation_id)
    return verification_out(accounts.verify_organisation(session(), admin=current_user, organisation=org))
