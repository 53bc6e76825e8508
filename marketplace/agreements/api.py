"""``/api/v1`` endpoints for agreements, milestones, reviews and the public verification."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from marketplace.agreements import services
from marketplace.agreements.limits import per_signer
from marketplace.agreements.models import Agreement, AgreementMilestone, Review
from marketplace.agreements.views import pdf_response, verify_limit
from marketplace.api.core import InputError, api, session
from marketplace.extensions import limiter
from marketplace.i18n import current_locale
from marketplace.problems import services as problems


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignIn(Strict):
    password: str = Field(min_length=1, max_length=256, description="the signer's password, entered again")


class ProposalIn(Strict):
    ip_ownership: str | None = Field(default=None, description="sme | vendor_licensed | joint")
    warranty_months: int | None = Field(default=None, ge=0, le=120)
    liability_cap_multiple: Decimal | None = Field(default=None, ge=Decimal("0.1"), le=10, allow_inf_nan=False)
    acceptance_days: int | None = Field(default=None, ge=1, le=180)
    resubmission_days: int | None = Field(default=None, ge=1, le=180)
    maintenance_yearly_won: int | None = Field(default=None, ge=0)
    maintenance_years: int | None = Field(default=None, ge=0, le=20)
    milestone_due_dates: dict[int, date] | None = Field(default=None, description="{sequence: YYYY-MM-DD}")
    note: str = Field(default="", max_length=500)


class TerminateIn(Strict):
    reason: str = Field(min_length=1, max_length=1000)
    password: str = Field(min_length=1, max_length=256, description="the owner's password, entered again")


class DeliverIn(Strict):
    note: str = Field(default="", max_length=2000)


class RejectIn(Strict):
    reason: str = Field(min_length=1, max_length=1000)


class ReviewIn(Strict):
    scores: dict[str, int] = Field(description="a score 1–5 for each of the client's criteria with a weight above 0")
    comment: str = Field(default="", max_length=4000)


class PartyOut(BaseModel):
    id: int | None = Field(description="the organisation (None only if a member's organisation was deleted)")
    role: str = Field(description="client | member | vendor")
    name: str
    business_registration_no: str
    share_won: int | None = Field(default=None, description="a member SME's share of the SME cost")
    signed_at: datetime | None
    signer_name: str | None


class ChangeOut(BaseModel):
    path: str
    label: str
    kind: str
    old: str
    new: str


class VersionOut(BaseModel):
    number: int
    status: str
    proposed_by_id: int | None
    created_at: datetime
    signed_at: datetime | None
    sha256_ko: str | None
    sha256_en: str | None
    terms: dict
    changes: list[ChangeOut]


class MilestoneOut(BaseModel):
    id: int
    sequence: int
    name: str
    deliverable: str
    due_date: date
    payment_percent: int
    amount_krw: int
    status: str
    deliveries: int
    delivery_note: str
    delivered_at: datetime | None
    decided_at: datetime | None
    reason: str | None


class ReviewOut(BaseModel):
    id: int
    agreement_id: int
    vendor_id: int
    offering_id: int | None
    scores: dict[str, int]
    score: Decimal
    comment: str
    created_at: datetime


class AgreementOut(BaseModel):
    id: int
    reference: str
    problem_id: int
    bid_id: int
    status: str
    current_version: int
    signed_version: int | None
    client: PartyOut
    vendor: PartyOut
    members: list[PartyOut] = Field(description="the member SMEs of a cooperative's joint problem, who sign too")
    parties: list[PartyOut] = Field(description="every signing party of the current version, in signing order: "
                                                "client, members, vendor")
    version: VersionOut
    milestones: list[MilestoneOut]
    review: ReviewOut | None


class VerificationOut(BaseModel):
    verified: bool
    sha256: str
    agreement_id: int | None = None
    version: int | None = None
    language: str | None = None
    signed_at: datetime | None = None
    message: str


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


@api.route("/agreements/<int:agreement_id>", summary="An agreement with its parties and signatures, current version, "
           "diff to the previous one, milestones and review (its parties, member SMEs included, and admins)",
           tags=("agreements",), response=AgreementOut, errors=(404,))
def get_agreement(agreement_id: int):
    return agreement_out(services.get_agreement(session(), agreement_id, viewer=current_user))


@api.route("/problems/<int:problem_id>/agreement", summary="The agreement of a problem (404 while it waits for the "
           "subsidy decision)", tags=("agreements",), response=AgreementOut, errors=(404,))
def get_problem_agreement(problem_id: int):
    return agreement_out(services.get_agreement_for_problem(session(), problem_id, viewer=current_user))


@api.route("/problems/<int:problem_id>/agreement", methods=("POST",), summary="After a refused subsidy, draft the "
           "agreement without it (an owner of either party)", tags=("agreements",), response=AgreementOut,
           status=201, errors=(403, 404, 409))
def continue_without_subsidy(problem_id: int):
    problem = problems.get_problem(session(), problem_id, viewer=current_user)
    return agreement_out(services.continue_without_subsidy(session(), user=current_user, problem=problem))


@api.route("/agreements/<int:agreement_id>/terminate", methods=("POST",), summary="End a signed agreement (an owner "
           "of the client or the vendor, password again); the problem is cancelled and an approved subsidy released",
           tags=("agreements",), body=TerminateIn, response=AgreementOut, errors=(403, 404, 409, 422, 429))
@per_signer
def terminate_agreement(agreement_id: int, body: TerminateIn):
    agreement = services.get_agreement(session(), agreement_id, viewer=current_user)
    services.terminate_agreement(session(), user=current_user, agreement=agreement, password=body.password,
                                 reason=body.reason)
    return agreement_out(agreement)


@api.route("/agreements/<int:agreement_id>/sign", methods=("POST",), summary="Sign the current version (an owner of "
           "a party: client, member SME or vendor; password again); the last signature renders and stores the final "
           "PDFs", tags=("agreements",),
           body=SignIn, response=AgreementOut, errors=(403, 404, 409, 422, 429))
@per_signer
def sign_agreement(agreement_id: int, body: SignIn):
    agreement = services.get_agreement(session(), agreement_id, viewer=current_user)
    services.sign_agreement(session(), user=current_user, agreement=agreement, password=body.password,
                            ip_address=request.remote_addr, user_agent=request.user_agent.string)
    return agreement_out(agreement)


@api.route("/agreements/<int:agreement_id>/versions", methods=("POST",), summary="Propose changed terms: a new "
           "version replaces the pending one (signatures start over; the client or the vendor)", tags=("agreements",),
           body=ProposalIn,
           response=AgreementOut, status=201, errors=(403, 404, 409, 422))
def propose(agreement_id: int, body: ProposalIn):
    agreement = services.get_agreement(session(), agreement_id, viewer=current_user)
    changes = body.model_dump(exclude_unset=True, exclude={"note"})
    changes = {k: v for k, v in changes.items() if v is not None}
    if "milestone_due_dates" in changes:
        changes["milestone_due_dates"] = {str(k): v for k, v in changes["milestone_due_dates"].items()}
    services.propose_changes(session(), user=current_user, agreement=agreement, changes=changes, note=body.note)
    return agreement_out(agreement)


class PdfQuery(Strict):
    lang: str = Field(default="ko", pattern="^(ko|en)$")
    version: int | None = Field(default=None, ge=1)


@api.route("/agreements/<int:agreement_id>/pdf", summary="The agreement PDF: the signed bytes once signed, otherwise "
           "a freshly rendered draft", tags=("agreements",), query=PdfQuery, errors=(404, 422),
           content_type="application/pdf")
def agreement_pdf(agreement_id: int, query: PdfQuery):
    agreement = services.get_agreement(session(), agreement_id, viewer=current_user)
    return pdf_response(services.agreement_pdf(session(), agreement, lang=query.lang, number=query.version))


@api.route("/milestones/<int:milestone_id>/deliver", methods=("POST",), summary="The vendor delivers a milestone",
           tags=("agreements",), body=DeliverIn, response=MilestoneOut, errors=(403, 404, 409))
def deliver_milestone(milestone_id: int, body: DeliverIn):
    milestone, _agreement = services.get_milestone(session(), milestone_id, viewer=current_user)
    return milestone_out(services.deliver_milestone(session(), user=current_user, milestone=milestone,
                                                    note=body.note))


@api.route("/milestones/<int:milestone_id>/accept", methods=("POST",), summary="The client accepts a delivered "
           "milestone (its payment falls due)", tags=("agreements",), response=MilestoneOut, errors=(403, 404, 409))
def accept_milestone(milestone_id: int):
    milestone, _agreement = services.get_milestone(session(), milestone_id, viewer=current_user)
    return milestone_out(services.accept_milestone(session(), user=current_user, milestone=milestone))


@api.route("/milestones/<int:milestone_id>/reject", methods=("POST",), summary="The client rejects a delivered "
           "milestone with a reason", tags=("agreements",), body=RejectIn, response=MilestoneOut,
           errors=(403, 404, 409, 422))
def reject_milestone(milestone_id: int, body: RejectIn):
    milestone, _agreement = services.get_milestone(session(), milestone_id, viewer=current_user)
    return milestone_out(services.reject_milestone(session(), user=current_user, milestone=milestone,
                                                   reason=body.reason))


@api.route("/agreements/<int:agreement_id>/review", methods=("POST",), summary="The client's one verified review "
           "after completion", tags=("agreements",), body=ReviewIn, response=ReviewOut, status=201,
           errors=(403, 404, 409, 422))
def review(agreement_id: int, body: ReviewIn):
    agreement = services.get_agreement(session(), agreement_id, viewer=current_user)
    return review_out(services.submit_review(session(), user=current_user, agreement=agreement, scores=body.scores,
                                             comment=body.comment))


def verification_out(result: services.Verification) -> VerificationOut:
    if result.verified:
        message = _("A signed AX Bridge agreement: no. %(ref)s, version %(n)d, signed by all its parties on "
                    "%(date)s.", ref=result.reference, n=result.version,
                    date=services.korean_date(result.signed_at).isoformat())
    else:
        message = _("Not verified: this is not a signed AX Bridge agreement, or the file was changed.")
    return VerificationOut(verified=result.verified, sha256=result.sha256, agreement_id=result.agreement_id,
                           version=result.version, language=result.language, signed_at=result.signed_at,
                           message=message)


@api.route("/verify", methods=("POST",), summary="Is this a signed AX Bridge agreement? Send a PDF (multipart "
           "field `file`, at most 10 MB) or JSON {\"sha256\"}. Answers only the agreement number, version and "
           "signing date", tags=("agreements",), response=VerificationOut, auth=False, errors=(413, 422, 429))
@limiter.limit(verify_limit)
def verify():
    s = session()
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or set(data) - {"sha256"} or not isinstance(data.get("sha256"), str):
            raise InputError(422, _("Send {\"sha256\": \"<64 hexadecimal characters>\"}."),
                             [{"field": "sha256", "message": _("This field is required.")}])
        return verification_out(services.verify_sha256(s, data["sha256"]))
    if (request.content_length or 0) > services.MAX_UPLOAD_BYTES + 64 * 1024:
        raise services.UploadTooLarge()
    upload = request.files.get("file")
    if upload is None:
        raise InputError(422, _("Send the PDF as the multipart field “file”, or JSON with “sha256”."),
                         [{"field": "file", "message": _("This field is required.")}])
    return verification_out(services.verify_pdf(s, upload.read(services.MAX_UPLOAD_BYTES + 1)))
