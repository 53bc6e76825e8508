"""``/api/v1`` operations for agreements, milestones, reviews and the public verification."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.agreements import services
from marketplace.agreements.limits import per_signer
from marketplace.agreements.models import Agreement, AgreementMilestone, Review
from marketplace.agreements.schemas import (
    AgreementOut,
    AgreementPath,
    ChangeOut,
    DeliverIn,
    MilestoneOut,
    MilestonePath,
    MilestoneRejectIn,
    PartyOut,
    PdfQuery,
    ProposalIn,
    ReviewIn,
    ReviewOut,
    SignIn,
    TerminateIn,
    VerificationOut,
    VerifyHashIn,
    VersionOut,
)
from marketplace.agreements.views import pdf_response, verify_limit
from marketplace.api import PUBLIC, AreaBlueprint, session
from marketplace.core.errors import ValidationFailed
from marketplace.core.schemas import parse
from marketplace.extensions import limiter
from marketplace.i18n import current_locale
from marketplace.problems import services as problems
from marketplace.problems.schemas import ProblemPath

bp = AreaBlueprint("agreements", __name__, description="Agreements and their signing, milestones, reviews and the "
                   "public verification of signed PDFs")

PDF = {"description": "PDF", "content": {"application/pdf": {}}}


def milestone_out(m: AgreementMilestone) -> MilestoneOut:
    return MilestoneOut(id=m.id, sequence=m.sequence, name=m.name, deliverable=m.deliverable, due_date=m.due_date,
                        payment_percent=m.payment_percent, amount_krw=m.amount_krw, status=m.status,
                        deliveries=m.deliveries, delivery_note=m.delivery_note, delivered_at=m.delivered_at,
                        decided_at=m.decided_at, reason=m.reason)


def review_out(r: Review) -> ReviewOut:
    return ReviewOut(id=r.id, agreement_id=r.agreement_id, vendor_id=r.vendor_id, offering_id=r.offering_id,
                     scores=r.scores, score=r.score, comment=r.comment, created_at=r.created_at)


def agreement_out(agreement: Agreement) -> AgreementOut:
    s = session()
    lang = current_locale()
    version = services.get_version(s, agreement)

    def party(p: services.SigningParty) -> PartyOut:
        sig = p.signature
        return PartyOut(id=p.organisation_id, role=p.role.value, name=p.party.name.get(lang),
                        business_registration_no=p.party.business_registration_no, share_won=p.share_won,
                        signed_at=sig.signed_at if sig else None, signer_name=sig.signer_name if sig else None)

    parties = [party(p) for p in services.signing_parties(s, agreement, version)]
    review = services.get_review(s, agreement)
    return AgreementOut(
        id=agreement.id, reference=agreement.reference, problem_id=agreement.problem_id, bid_id=agreement.bid_id,
        status=agreement.status, current_version=agreement.current_version, signed_version=agreement.signed_version,
        client=parties[0], vendor=parties[-1], members=parties[1:-1], parties=parties,
        version=VersionOut(number=version.number, status=version.status, proposed_by_id=version.proposed_by_id,
                           created_at=version.created_at, signed_at=version.signed_at, sha256_ko=version.sha256_ko,
                           sha256_en=version.sha256_en, terms=version.terms,
                           changes=[ChangeOut(**c) for c in
                                    services.changes_from_previous(s, agreement, version, lang)]),
        milestones=[milestone_out(m) for m in services.list_milestones(s, agreement)],
        review=review_out(review) if review else None)


@bp.get("/agreements/<int:agreement_id>", summary="An agreement with its parties and signatures, current version, "
        "diff to the previous one, milestones and review (its parties, member SMEs included, and admins)",
        responses={200: AgreementOut})
def get_agreement(path: AgreementPath):
    return agreement_out(services.get_agreement(session(), path.agreement_id, viewer=current_user))


@bp.get("/problems/<int:problem_id>/agreement", summary="The agreement of a problem (404 while it waits for the "
        "subsidy decision)", responses={200: AgreementOut})
def get_problem_agreement(path: ProblemPath):
    return agreement_out(services.get_agreement_for_problem(session(), path.problem_id, viewer=current_user))


@bp.post("/problems/<int:problem_id>/agreement", summary="After a refused subsidy, draft the agreement without it "
         "(an owner of either party)", responses={201: AgreementOut})
def continue_without_subsidy(path: ProblemPath):
    problem = problems.get_problem(session(), path.problem_id, viewer=current_user)
    return agreement_out(services.continue_without_subsidy(session(), user=current_user, problem=problem))


@bp.post("/agreements/<int:agreement_id>/terminate", summary="End a signed agreement (an owner of the client or the "
         "vendor, password again); the problem is cancelled and an approved subsidy released",
         responses={200: AgreementOut})
@per_signer
def terminate_agreement(path: AgreementPath, body: TerminateIn):
    agreement = services.get_agreement(session(), path.agreement_id, viewer=current_user)
    services.terminate_agreement(session(), user=current_user, agreement=agreement, termination=body)
    return agreement_out(agreement)


@bp.post("/agreements/<int:agreement_id>/sign", summary="Sign the current version (an owner of a party: client, "
         "member SME or vendor; password again); the last signature renders and stores the final PDFs",
         responses={200: AgreementOut})
@per_signer
def sign_agreement(path: AgreementPath, body: SignIn):
    agreement = services.get_agreement(session(), path.agreement_id, viewer=current_user)
    services.sign_agreement(session(), user=current_user, agreement=agreement, password=body.password,
                            ip_address=request.remote_addr, user_agent=request.user_agent.string)
    return agreement_out(agreement)


@bp.post("/agreements/<int:agreement_id>/versions", summary="Propose changed terms: a new version replaces the "
         "pending one (signatures start over; the client or the vendor)", responses={201: AgreementOut})
def propose(path: AgreementPath, body: ProposalIn):
    agreement = services.get_agreement(session(), path.agreement_id, viewer=current_user)
    services.propose_changes(session(), user=current_user, agreement=agreement, proposal=body)
    return agreement_out(agreement)


@bp.get("/agreements/<int:agreement_id>/pdf", summary="The agreement PDF: the signed bytes once signed, otherwise "
        "a freshly rendered draft", responses={200: PDF})
def agreement_pdf(path: AgreementPath, query: PdfQuery):
    agreement = services.get_agreement(session(), path.agreement_id, viewer=current_user)
    return pdf_response(services.agreement_pdf(session(), agreement, query))


@bp.post("/milestones/<int:milestone_id>/deliver", summary="The vendor delivers a milestone",
         responses={200: MilestoneOut})
def deliver_milestone(path: MilestonePath, body: DeliverIn):
    milestone, _agreement = services.get_milestone(session(), path.milestone_id, viewer=current_user)
    return milestone_out(services.deliver_milestone(session(), user=current_user, milestone=milestone, delivery=body))


@bp.post("/milestones/<int:milestone_id>/accept", summary="The client accepts a delivered milestone (its payment "
         "falls due)", responses={200: MilestoneOut})
def accept_milestone(path: MilestonePath):
    milestone, _agreement = services.get_milestone(session(), path.milestone_id, viewer=current_user)
    return milestone_out(services.accept_milestone(session(), user=current_user, milestone=milestone))


@bp.post("/milestones/<int:milestone_id>/reject", summary="The client rejects a delivered milestone with a reason",
         responses={200: MilestoneOut})
def reject_milestone(path: MilestonePath, body: MilestoneRejectIn):
    milestone, _agreement = services.get_milestone(session(), path.milestone_id, viewer=current_user)
    return milestone_out(services.reject_milestone(session(), user=current_user, milestone=milestone,
                                                   rejection=body))


@bp.post("/agreements/<int:agreement_id>/review", summary="The client's one verified review after completion",
         responses={201: ReviewOut})
def review(path: AgreementPath, body: ReviewIn):
    agreement = services.get_agreement(session(), path.agreement_id, viewer=current_user)
    return review_out(services.submit_review(session(), user=current_user, agreement=agreement, review=body))


def verification_out(result: services.Verification) -> VerificationOut:
    lang = current_locale()
    if result.verified and not result.in_force:
        message = _("A signed AX Bridge agreement that is no longer in force: no. %(ref)s, version %(n)d, terminated "
                    "on %(date)s by %(party)s.", ref=result.reference, n=result.version,
                    date=services.korean_date(result.terminated_at).isoformat(), party=result.terminated_by(lang))
    elif result.verified:
        message = _("A signed AX Bridge agreement: no. %(ref)s, version %(n)d, signed by all its parties on "
                    "%(date)s.", ref=result.reference, n=result.version,
                    date=services.korean_date(result.signed_at).isoformat())
    else:
        message = _("Not verified: this is not a signed AX Bridge agreement, or the file was changed.")
    return VerificationOut(verified=result.verified, sha256=result.sha256, agreement_id=result.agreement_id,
                           version=result.version, language=result.language, signed_at=result.signed_at,
                           in_force=result.in_force, terminated_at=result.terminated_at,
                           terminated_by=result.terminated_by(lang) if result.terminated_at else None,
                           message=message)


@bp.post("/verify", summary="Is this a signed AX Bridge agreement? Send a PDF (multipart field `file`, at most "
         "10 MB) or JSON {\"sha256\"}. Answers only the agreement number, version and signing date", security=PUBLIC,
         responses={200: VerificationOut})
@limiter.limit(verify_limit)
def verify():
    s = session()
    if request.is_json:
        data = request.get_json(silent=True)
        digest = parse(VerifyHashIn, data if isinstance(data, dict) else {},
                       message=_("Send {\"sha256\": \"<64 hexadecimal characters>\"}."))
        return verification_out(services.verify_sha256(s, digest))
    if (request.content_length or 0) > services.MAX_UPLOAD_BYTES + 64 * 1024:
        raise services.UploadTooLarge()
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(_("Send the PDF as the multipart field “file”, or JSON with “sha256”."),
                               fields={"file": _("This field is required.")})
    return verification_out(services.verify_pdf(s, upload.read(services.MAX_UPLOAD_BYTES + 1)))
