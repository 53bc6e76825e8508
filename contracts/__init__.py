"""Agreement drafting and rendering: plain terms in, HTML and PDF out.

A plain library: no Flask, no database, no ``marketplace`` import. The web app converts
its rows (problem, awarded bid, subsidy program, signatures) into
:class:`~contracts.terms.AgreementTerms` and calls:

- :func:`draft_html` for the HTML document (preview),
- :func:`render_pdf` for the PDF/A-3b with the terms embedded,
- :func:`sha256_hex` to store and verify the PDF's hash,
- :func:`extract_embedded_terms` to read the terms back from a PDF,
- :func:`diff_terms` to show what changed between two versions.
"""

from .clauses import CURRENT_VERSION as CURRENT_CLAUSE_LIBRARY_VERSION
from .codec import terms_from_dict, terms_to_dict, terms_to_json
from .drafting import LANGUAGES, draft_html
from .rendering import ATTACHMENT_NAME, extract_embedded_terms, render_pdf, sha256_hex
from .sealing import DEFAULT_MAX_ATTEMPTS, Holdout, KpiProtocol
from .terms import (
    AgreementTerms, Bilingual, ClientKind, Deliverable, DeliverableKind, Direction,
    IpOwnership, Kpi, LatePenalty, Maintenance, Member, Milestone, Party, PartyRole,
    Signature, Subsidy, TermsError,
)
from .versions import Change, diff_terms

__all__ = [
    "ATTACHMENT_NAME", "CURRENT_CLAUSE_LIBRARY_VERSION", "DEFAULT_MAX_ATTEMPTS", "Holdout", "KpiProtocol", "LANGUAGES", "AgreementTerms",
    "Bilingual", "Change", "ClientKind", "Deliverable", "DeliverableKind", "Direction",
    "IpOwnership", "Kpi", "LatePenalty", "Maintenance", "Member", "Milestone", "Party",
    "PartyRole", "Signature", "Subsidy", "TermsError", "diff_terms", "draft_html",
    "extract_embedded_terms", "render_pdf", "sha256_hex", "terms_from_dict",
    "terms_to_dict", "terms_to_json",
]
