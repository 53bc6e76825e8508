"""Agreement rules: drafting from the awarded bid, proposals, signing, delivery, reviews and verification.

Rows are converted into :class:`contracts.AgreementTerms` here; the ``contracts`` library drafts and
renders them. A signed version never changes: :func:`require_unsigned` refuses in the service and
migration 0006 adds database triggers that raise on UPDATE or DELETE of a signed version row.

When the agreement is drafted:
- a problem without a program: at once, when the bid is awarded (signal ``bid-awarded``);
- a problem under a program: when the agency approves the subsidy (signal ``subsidy-approved``).
  If the subsidy is rejected the problem stays awarded; either party may then
  :func:`continue_without_subsidy`, which drafts the agreement with no subsidy terms.

Who the parties are: the client (an SME, or a cooperative posting a joint problem) and the vendor,
plus, for a cooperative's joint problem, each member SME that pays a share (:class:`AgreementMember`).
Every party's owner signs each version; the version is signed when all of them have. The cooperative
acts for its members in everything else: proposing changes, terminating, accepting or rejecting
milestones and reviewing stay with the cooperative and the vendor, and a member SME may view the
agreement, its versions, PDFs and milestones and sign (:func:`refuse_member` says so).

One module per section, in the order an agreement lives through them:

- :mod:`.reading`: parties, who may see an agreement, versions, signatures, milestones, what a problem waits for
- :mod:`.access`: who may act, and in which state (the guards every action calls first)
- :mod:`.from_rows`: rows -> :class:`contracts.AgreementTerms` (the first draft)
- :mod:`.drafting`: the agreement and its first version, on award or on the subsidy decision
- :mod:`.proposals`: new versions with changed terms, and what changed
- :mod:`.signing`: signatures, the final PDFs, the milestone rows
- :mod:`.pdf` and :mod:`.verification`: the PDF of a version; is this PDF a signed agreement?
- :mod:`.delivery`: milestones delivered, accepted, rejected; termination
- :mod:`.review`: the client's review and the vendor's track record

Callers import the package (``from marketplace.agreements import services``); the names below are its API.
"""

from marketplace.agreements.services.access import (
    refuse_member,
    require_in_force,
    require_party_owner,
    require_unsigned,
)
from marketplace.agreements.services.delivery import (
    accept_milestone,
    deliver_milestone,
    reject_milestone,
    terminate_agreement,
)
from marketplace.agreements.services.drafting import (
    continue_without_subsidy,
    draft_agreement,
    draft_on_award,
    draft_on_subsidy_approval,
    tell_subsidy_rejected,
)
from marketplace.agreements.services.from_rows import build_terms, party_of
from marketplace.agreements.services.pdf import Pdf, agreement_pdf
from marketplace.agreements.services.proposals import amended_terms, changes_from_previous, propose_changes
from marketplace.agreements.services.reading import (
    SigningParty,
    Waiting,
    agreement_for_problem,
    awarded_bid,
    can_view,
    first_signed_on,
    get_agreement,
    get_agreement_for_problem,
    get_milestone,
    get_review,
    get_version,
    has_members,
    is_member_party,
    is_party,
    korean_date,
    list_member_agreements,
    list_milestones,
    list_signatures,
    list_versions,
    member_ids,
    party_ids,
    signing_parties,
    status_labels,
    terms_of,
    waiting_for,
)
from marketplace.agreements.services.review import review_criteria, submit_review
from marketplace.agreements.services.signing import sign_agreement
from marketplace.agreements.services.verification import (
    MAX_UPLOAD_BYTES,
    UploadTooLarge,
    Verification,
    verify_pdf,
    verify_sha256,
)

__all__ = [
    "MAX_UPLOAD_BYTES", "Pdf", "SigningParty", "UploadTooLarge",
    "Verification", "Waiting", "accept_milestone", "agreement_for_problem", "agreement_pdf",
    "amended_terms", "awarded_bid", "build_terms", "can_view", "changes_from_previous", "continue_without_subsidy",
    "deliver_milestone", "draft_agreement", "draft_on_award", "draft_on_subsidy_approval", "first_signed_on",
    "get_agreement", "get_agreement_for_problem", "get_milestone", "get_review", "get_version", "has_members",
    "is_member_party", "is_party", "korean_date", "list_member_agreements", "list_milestones", "list_signatures",
    "list_versions", "member_ids", "party_ids", "party_of", "propose_changes", "refuse_member", "reject_milestone",
    "require_in_force", "require_party_owner", "require_unsigned", "review_criteria", "sign_agreement",
    "signing_parties", "status_labels", "submit_review", "tell_subsidy_rejected", "terminate_agreement", "terms_of",
    "verify_pdf", "verify_sha256", "waiting_for",
]
