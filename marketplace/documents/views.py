"""Pages: upload a document to a problem, a bid or the organisation, download it, accept a problem's NDA.

The lists are panels that the problem, bid and account pages include (``problem_documents(problem)``,
``bid_documents(bid)``, ``organisation_documents()``): those pages need not know this area. A refused
upload goes back to the page with its message next to the file field, and nothing is stored.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from contracts.nda import CURRENT_VERSION as NDA_VERSION
from contracts.nda import nda_paragraphs
from marketplace.bids import services as bids
from marketplace.core.errors import RECOVERABLE, DomainError, ValidationFailed
from marketplace.accounts.models import OrgKind
from marketplace.documents import filetypes, services
from marketplace.documents.api import content_response
from marketplace.documents.storage import StoreUnavailable
from marketplace.extensions import db
from marketplace.i18n import current_locale
from marketplace.problems import services as problems

bp = Blueprint("documents", __name__)

_ERROR_KEY = "document_error"


def _upload(owner: str, target: str, call):
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationFailed(_("Choose a file to upload."), field="file")
        call(upload.filename, upload.read(filetypes.MAX_BYTES + 1))
    except (*RECOVERABLE, StoreUnavailable) as exc:  # the message next to the file field; nothing stored
        session[_ERROR_KEY] = {"owner": owner, "message": exc.message}
        return redirect(f"{target}#documents"), 303
    flash(_("The document %(name)s was uploaded.", name=upload.filename), "success")
    return redirect(f"{target}#documents")


@bp.post("/problems/<int:problem_id>/documents")
@login_required
def upload_to_problem(problem_id: int):
    problems.get_own_problem(db.session, problem_id, user=current_user)  # others: 404, before reading the file
    return _upload(f"problem-{problem_id}", url_for("problems.show", problem_id=problem_id),
                   lambda name, data: services.upload_problem_document(
                       db.session, user=current_user, problem_id=problem_id, filename=name, data=data,
                       nda_only=request.form.get("access") == "nda"))


@bp.post("/bids/<int:bid_id>/documents")
@login_required
def upload_to_bid(bid_id: int):
    bid = bids.get_bid(db.session, bid_id, viewer=current_user)
    if bid.vendor_id != current_user.organisation_id:
        abort(404)
    return _upload(f"bid-{bid_id}", url_for("bids.bid", problem_id=bid.problem_id),
                   lambda name, data: services.upload_bid_document(
                       db.session, user=current_user, bid_id=bid_id, filename=name, data=data))


@bp.post("/account/documents")
@login_required
def upload_to_organisation():
    services.organisation_for_upload(db.session, user=current_user, organisation_id=current_user.organisation_id)
    return _upload(f"organisation-{current_user.organisation_id}", url_for("accounts.account"),
                   lambda name, data: services.upload_organisation_document(
                       db.session, user=current_user, organisation_id=current_user.organisation_id or 0,
                       filename=name, data=data))


@bp.get("/documents/<int:document_id>")
def download(document_id: int):
    document = services.get_document(db.session, document_id, viewer=current_user)
    return content_response(document, services.read_content(db.session, document))


@bp.route("/problems/<int:problem_id>/nda", methods=["GET", "POST"])
@login_required
def nda(problem_id: int):
    problem = problems.get_problem(db.session, problem_id, viewer=current_user)
    if request.method == "POST":
        try:
            services.accept_nda(db.session, user=current_user, problem_id=problem_id)
        except RECOVERABLE as exc:
            flash(exc.message, "warning")
        else:
            flash(_("You accepted the NDA. The confidential documents are now open to your organisation."),
                  "success")
        return redirect(url_for("problems.show", problem_id=problem_id) + "#documents")
    accepted = services.has_accepted_nda(db.session, problem, current_user.organisation_id)
    return render_template("documents/nda.html", problem=problem, accepted=accepted, version=NDA_VERSION,
                           paragraphs=nda_paragraphs(current_locale()))


def _panel(owner: str, listing: services.DocumentList, *, upload_url: str | None, problem=None,
           nda_choice: bool = False, can_accept_nda: bool = False) -> Markup:
    error = session.get(_ERROR_KEY)
    if error and error.get("owner") == owner:
        session.pop(_ERROR_KEY)
    else:
        error = None
    return Markup(render_template("documents/_panel.html", owner=owner, listing=listing, upload_url=upload_url,
                                  problem=problem, nda_choice=nda_choice, can_accept_nda=can_accept_nda,
                                  error=error["message"] if error else None, accept=filetypes.EXTENSIONS,
                                  max_mb=filetypes.MAX_BYTES // (1024 * 1024)))


def problem_documents(problem) -> Markup:
    owner = problems.is_member(current_user, problem.organisation_id)
    listing = services.list_for_problem(db.session, problem, viewer=current_user)
    vendor = problems.org_kind(db.session, current_user) == OrgKind.VENDOR
    can_upload = owner and problem.state in ("draft", "enquiries", "bidding")
    return _panel(f"problem-{problem.id}", listing, problem=problem, nda_choice=True,
                  upload_url=url_for("documents.upload_to_problem", problem_id=problem.id) if can_upload else None,
                  can_accept_nda=vendor and listing.locked > 0 and not listing.nda_accepted)


def bid_documents(bid, *, open_: bool) -> Markup:
    listing = services.list_for_bid(db.session, bid, viewer=current_user)
    mine = current_user.organisation_id == bid.vendor_id
    return _panel(f"bid-{bid.id}", listing,
                  upload_url=url_for("documents.upload_to_bid", bid_id=bid.id) if mine and open_ else None)


def organisation_documents() -> Markup:
    org_id = current_user.organisation_id
    listing = services.list_for_organisation(db.session, org_id, viewer=current_user)
    return _panel(f"organisation-{org_id}", listing, upload_url=url_for("documents.upload_to_organisation"))


def bid_attachments(bid) -> list:
    """A bid's attachments for a compact list (the SME's comparison after the deadline); none if sealed."""
    try:
        return services.list_for_bid(db.session, bid, viewer=current_user).documents
    except DomainError:
        return []


@bp.app_context_processor
def panels():
    return {"problem_documents": problem_documents, "bid_documents": bid_documents,
            "organisation_documents": organisation_documents, "bid_attachments": bid_attachments}
