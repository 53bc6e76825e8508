"""Document rules: who may attach what where, who may read it, and the NDA click.

- :mod:`.uploads` — checking a file (by content) and storing it with its SHA-256;
- :mod:`.access` — reading: public / NDA-only problem documents, sealed bid attachments, private
  verification documents; :func:`documents_of` for the admin verification queue.
"""

from marketplace.documents.services.access import (
    DocumentAltered,
    DocumentList,
    accept_nda,
    documents_of,
    get_document,
    has_accepted_nda,
    list_for_bid,
    list_for_organisation,
    list_for_problem,
    read_content,
)
from marketplace.documents.services.uploads import (
    DocumentTooLarge,
    bid_for_upload,
    organisation_for_upload,
    problem_for_upload,
    upload_bid_document,
    upload_organisation_document,
    upload_problem_document,
)

__all__ = [
    "DocumentAltered", "DocumentList", "DocumentTooLarge", "accept_nda", "bid_for_upload", "documents_of", "organisation_for_upload",
    "problem_for_upload", "get_document", "has_accepted_nda",
    "list_for_bid", "list_for_organisation", "list_for_problem", "read_content", "upload_bid_document",
    "upload_organisation_document", "upload_problem_document",
]
