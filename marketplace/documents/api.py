"""``/api/v1`` documents: upload to a problem, a bid or an organisation (multipart field ``file``),
read the metadata and the content."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.schemas import OrganisationPath
from marketplace.api import AreaBlueprint, session
from marketplace.bids.schemas import BidPath
from marketplace.core.errors import ValidationFailed
from marketplace.documents import filetypes, services
from marketplace.documents.models import Document
from marketplace.documents.schemas import DocumentOut, DocumentPath
from marketplace.problems.schemas import ProblemPath

bp = AreaBlueprint("documents", __name__, description="Files attached to problems, bids and organisations, "
                   "checked by content and stored with their SHA-256")

UPLOAD = ("Multipart field `file`, at most 10 MB: PDF, PNG, JPEG, XLSX, DOCX, HWP, CSV or TXT; the type is "
          "checked by the content, and must agree with the name's extension.")


def document_out(d: Document) -> DocumentOut:
    return DocumentOut(id=d.id, filename=d.filename, kind=d.kind, content_type=d.content_type, size_bytes=d.size_bytes,
                       sha256=d.sha256, access=d.access, problem_id=d.problem_id, bid_id=d.bid_id,
                       organisation_id=d.organisation_id, created_at=d.created_at,
                       content_url=url_for("api.documents.document_content", document_id=d.id))


def _upload() -> tuple[str | None, bytes]:
    if (request.content_length or 0) > filetypes.MAX_BYTES + 64 * 1024:
        raise services.DocumentTooLarge()
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(_("Send the document as the multipart field “file”."),
                               fields={"file": _("This field is required.")})
    return upload.filename, upload.read(filetypes.MAX_BYTES + 1)


@bp.post("/problems/<int:problem_id>/documents", summary="Attach a document to your problem. " + UPLOAD +
         " Form field `access`: `public` (default) or `nda` (only vendors who accepted the problem's NDA)",
         responses={201: DocumentOut})
def upload_problem_document(path: ProblemPath):
    services.problem_for_upload(session(), user=current_user, problem_id=path.problem_id)
    filename, data = _upload()
    document = services.upload_problem_document(session(), user=current_user, problem_id=path.problem_id,
                                                filename=filename, data=data,
                                                nda_only=request.form.get("access") == "nda")
    return document_out(document)


@bp.post("/bids/<int:bid_id>/documents", summary="Attach a document to your bid before the deadline; sealed "
         "like the bid. " + UPLOAD, responses={201: DocumentOut})
def upload_bid_document(path: BidPath):
    services.bid_for_upload(session(), user=current_user, bid_id=path.bid_id)
    filename, data = _upload()
    document = services.upload_bid_document(session(), user=current_user, bid_id=path.bid_id, filename=filename,
                                            data=data)
    return document_out(document)


@bp.post("/organisations/<int:organisation_id>/documents", summary="Attach a verification document (such as "
         "사업자등록증) to your organisation; seen only by the organisation and admins. " + UPLOAD,
         responses={201: DocumentOut})
def upload_organisation_document(path: OrganisationPath):
    services.organisation_for_upload(session(), user=current_user, organisation_id=path.organisation_id)
    filename, data = _upload()
    document = services.upload_organisation_document(session(), user=current_user,
                                                     organisation_id=path.organisation_id, filename=filename,
                                                     data=data)
    return document_out(document)


@bp.get("/documents/<int:document_id>", summary="A document's metadata", responses={200: DocumentOut})
def get_document(path: DocumentPath):
    return document_out(services.get_document(session(), path.document_id, viewer=current_user))


@bp.get("/documents/<int:document_id>/content", summary="A document's bytes, exactly as uploaded",
        responses={200: {"description": "The file", "content": {"application/octet-stream": {}}}})
def document_content(path: DocumentPath):
    s = session()
    document = services.get_document(s, path.document_id, viewer=current_user)
    return content_response(document, services.read_content(s, document))


def content_response(document: Document, data: bytes) -> Response:
    response = Response(data, mimetype=document.content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(document.filename)}"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["ETag"] = document.sha256
    return response
