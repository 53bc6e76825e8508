"""Who may read which document. Every read goes through :func:`get_document` or the ``list_for_*``
functions, which apply the owner's rule:

- a problem's public document: whoever may see the problem;
- a problem's NDA-only document: the SME, admins, and vendors whose organisation accepted the NDA;
- a bid's attachment: exactly who may read the bid (``bids.get_bid``: the vendor; the SME only after
  the deadline), so it is sealed like the bid;
- an organisation's verification document: its members and admins.
Anyone else gets ``NotFound``, as if the document did not exist.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlmodel import Session, select

from contracts.nda import CURRENT_VERSION as NDA_VERSION
from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.audit import services as audit
from marketplace.bids import services as bids
from marketplace.bids.models import Bid
from marketplace.core.errors import Conflict, DomainError, NotAllowed, NotFound
from marketplace.documents.models import Document, DocumentAccess, NdaAcceptance
from marketplace.documents.storage import store_named
from marketplace.problems import services as problems
from marketplace.problems.models import Problem

logger = logging.getLogger(__name__)


@dataclass
class DocumentList:
    """The documents a viewer may read, and how many more the NDA would open."""

    documents: list[Document] = field(default_factory=list)
    locked: int = 0
    nda_accepted: bool = False


def _authenticated(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated)


def has_accepted_nda(session: Session, problem: Problem, organisation_id: int | None) -> bool:
    return organisation_id is not None and \
        session.get(NdaAcceptance, (problem.id, organisation_id)) is not None


def _reads_problem_document(session: Session, problem: Problem, document: Document, viewer: User | None) -> bool:
    if _authenticated(viewer) and (viewer.is_admin or problems.is_member(viewer, problem.organisation_id)):
        return True
    if document.access == DocumentAccess.PUBLIC:
        return True
    return _authenticated(viewer) and has_accepted_nda(session, problem, viewer.organisation_id)


def get_document(session: Session, document_id: int, *, viewer: User | None) -> Document:
    """The document if the viewer may read it; NotFound otherwise."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound(_("No such document."))
    try:
        if document.problem_id is not None:
            problem = problems.get_problem(session, document.problem_id, viewer=viewer)
            if _reads_problem_document(session, problem, document, viewer):
                return document
        elif document.bid_id is not None and _authenticated(viewer):
            bids.get_bid(session, document.bid_id, viewer=viewer)
            return document
        elif document.organisation_id is not None and _authenticated(viewer) and \
                (viewer.is_admin or viewer.organisation_id == document.organisation_id):
            return document
    except DomainError:
        pass
    raise NotFound(_("No such document."))


class DocumentAltered(DomainError):
    """The stored bytes no longer have the document's SHA-256: refused, never served (502)."""

    status = 502
    type_slug = "document-altered"

    def __init__(self):
        super().__init__(_("The stored file of this document has been changed since it was uploaded, so it is not "
                           "served. Please tell the administrator."))


def read_content(session: Session, document: Document) -> bytes:
    """The document's bytes, exactly as uploaded: checked against its SHA-256 whatever the store."""
    data = store_named(document.store).get(session, document)
    if data is None:
        raise NotFound(_("The file of this document is missing. Please tell the administrator."))
    if hashlib.sha256(data).hexdigest() != document.sha256:
        logger.error("document %s refused: its %s store returned %d bytes with SHA-256 %s, not %s", document.id,
                     document.store, len(data), hashlib.sha256(data).hexdigest(), document.sha256)
        raise DocumentAltered()
    return data


def list_for_problem(session: Session, problem: Problem, *, viewer: User | None) -> DocumentList:
    """The problem's documents the viewer may read (the caller has checked it may see the problem)."""
    rows = list(session.exec(select(Document).where(Document.problem_id == problem.id).order_by(Document.id)))
    readable = [d for d in rows if _reads_problem_document(session, problem, d, viewer)]
    accepted = _authenticated(viewer) and has_accepted_nda(session, problem, viewer.organisation_id)
    return DocumentList(readable, len(rows) - len(readable), accepted)


def list_for_bid(session: Session, bid: Bid, *, viewer: User) -> DocumentList:
    """A bid's attachments, for whoever may read the bid (sealed like it)."""
    bids.get_bid(session, bid.id, viewer=viewer)
    return DocumentList(list(session.exec(select(Document).where(Document.bid_id == bid.id).order_by(Document.id))))


def list_for_organisation(session: Session, organisation_id: int, *, viewer: User) -> DocumentList:
    if not (_authenticated(viewer) and (viewer.is_admin or viewer.organisation_id == organisation_id)):
        raise NotFound(_("No such organisation."))
    return DocumentList(list(session.exec(select(Document).where(Document.organisation_id == organisation_id)
                                          .order_by(Document.id))))


def documents_of(session: Session, organisation: Organisation) -> list[Document]:
    """An organisation's verification documents, newest first: for the admin verification queue
    (the caller is an admin page or handler)."""
    return list(session.exec(select(Document).where(Document.organisation_id == organisation.id)
                             .order_by(Document.id.desc())))


def accept_nda(session: Session, *, user: User, problem_id: int) -> NdaAcceptance:
    """A vendor accepts the problem's NDA with one click; recorded (who, which text, when) and audited."""
    problem = problems.get_problem(session, problem_id, viewer=user)
    if problems.org_kind(session, user) != OrgKind.VENDOR:
        raise NotAllowed(_("Only AI vendors accept a problem's NDA."))
    existing = session.get(NdaAcceptance, (problem.id, user.organisation_id))
    if existing is not None:
        raise Conflict(_("Your organisation has already accepted this NDA."))
    acceptance = NdaAcceptance(problem_id=problem.id, organisation_id=user.organisation_id, user_id=user.id,
                               nda_version=NDA_VERSION)
    session.add(acceptance)
    session.flush()
    audit.record(session, "nda.accepted", actor=user, object_type="problem", object_id=problem.id,
                 details={"nda_version": NDA_VERSION})
    return acceptance
