"""Attaching a file: the right person at the right moment, the content checked, the bytes stored once."""

from __future__ import annotations

import hashlib
import logging

from flask_babel import gettext as _
from sqlmodel import Session

from marketplace.accounts.models import Organisation, User
from marketplace.audit import services as audit
from marketplace.bids import services as bids
from marketplace.bids.models import BidState
from marketplace.core.errors import Conflict, NotFound, ValidationFailed
from marketplace.documents import filetypes
from marketplace.documents.models import Document, DocumentAccess
from marketplace.documents.storage import current_store
from marketplace.problems import services as problems
from marketplace.problems.models import ProblemState

logger = logging.getLogger(__name__)

#: A problem's documents can be added until bids are opened.
PROBLEM_UPLOAD_STATES = (ProblemState.DRAFT, ProblemState.ENQUIRIES, ProblemState.BIDDING)
#: A bid's attachments can be added while the bid can still be changed.
BID_UPLOAD_STATES = (BidState.DRAFT, BidState.SUBMITTED, BidState.INVALIDATED)


class DocumentTooLarge(ValidationFailed):
    status = 413
    type_slug = "too-large"

    def __init__(self):
        super().__init__(_("The file is larger than %(mb)d MB.", mb=filetypes.MAX_BYTES // (1024 * 1024)),
                         field="file")


def _message(rejected: filetypes.Rejected) -> str:
    allowed = ", ".join(e.upper() for e in filetypes.EXTENSIONS)
    if rejected.reason == "empty":
        return _("The file is empty.")
    if rejected.reason == "bad_name":
        return _("Give the file a plain name without folders, “..”, control characters or a leading dot.")
    if rejected.reason == "mismatch":
        if rejected.detected:
            return _("The file's name says one type, but its content is %(kind)s. Rename it or send the right file.",
                     kind=rejected.detected.upper())
        return _("The file's content is not what its name says. Send the right file.")
    return _("This type of file is not accepted. Accepted: %(types)s.", types=allowed)


def _store(session: Session, *, user: User, filename: str | None, data: bytes, access: DocumentAccess,
           **owner) -> Document:
    if len(data) > filetypes.MAX_BYTES:
        raise DocumentTooLarge()
    try:
        name, kind = filetypes.check_upload(filename, data)
    except filetypes.Rejected as rejected:
        raise ValidationFailed(_message(rejected), field="file") from None
    store = current_store()
    document = Document(filename=name, kind=kind.code, content_type=kind.mime, size_bytes=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), access=access, store=store.name,
                        uploaded_by_id=user.id, **owner)
    with session.begin_nested():  # a store that fails (StoreUnavailable) leaves no document behind
        session.add(document)
        session.flush()
        store.put(session, document, data)
    audit.record(session, "document.uploaded", actor=user, obj=document,
                 details={"filename": name, "sha256": document.sha256, "size": len(data)})
    logger.info("document %s stored (%s, %d bytes, %s)", document.id, kind.code, len(data), store.name)
    return document


def problem_for_upload(session: Session, *, user: User, problem_id: int):
    """The problem the user may attach documents to now (its SME, before the deadline); else NotFound/Conflict."""
    problem = problems.get_own_problem(session, problem_id, user=user)
    if problem.state not in PROBLEM_UPLOAD_STATES:
        raise Conflict(_("Documents can be added only until the bid deadline."))
    return problem


def bid_for_upload(session: Session, *, user: User, bid_id: int):
    """The bid the user may attach documents to now (its vendor, before the deadline); else NotFound/Conflict."""
    bid = bids.get_bid(session, bid_id, viewer=user)
    if user.organisation_id != bid.vendor_id:
        raise NotFound(_("No such bid."))
    problem = problems.get_problem(session, bid.problem_id, viewer=user)
    if not bids.bidding_open(problem) or bid.state not in BID_UPLOAD_STATES:
        raise Conflict(_("The bid deadline has passed."))
    return bid


def organisation_for_upload(session: Session, *, user: User, organisation_id: int) -> Organisation:
    """The user's own organisation; NotFound for any other."""
    organisation = session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None or user.organisation_id != organisation_id:
        raise NotFound(_("No such organisation."))
    return organisation


def upload_problem_document(session: Session, *, user: User, problem_id: int, filename: str | None, data: bytes,
                            nda_only: bool = False) -> Document:
    """The SME attaches a document to its problem, public or only for vendors who accepted the NDA."""
    problem = problem_for_upload(session, user=user, problem_id=problem_id)
    access = DocumentAccess.NDA if nda_only else DocumentAccess.PUBLIC
    return _store(session, user=user, filename=filename, data=data, access=access, problem_id=problem.id)


def upload_bid_document(session: Session, *, user: User, bid_id: int, filename: str | None, data: bytes) -> Document:
    """The vendor attaches a document to its own bid before the deadline; sealed like the bid."""
    bid = bid_for_upload(session, user=user, bid_id=bid_id)
    return _store(session, user=user, filename=filename, data=data, access=DocumentAccess.SEALED, bid_id=bid.id)


def upload_organisation_document(session: Session, *, user: User, organisation_id: int, filename: str | None,
                                 data: bytes) -> Document:
    """A member of the organisation attaches a verification document (사업자등록증 and the like)."""
    organisation = organisation_for_upload(session, user=user, organisation_id=organisation_id)
    return _store(session, user=user, filename=filename, data=data, access=DocumentAccess.PRIVATE,
                  organisation_id=organisation.id)
