"""Pages: the agreement of its parties (sign, propose, PDF, milestones, review) and the public /verify.

Each write parses its form data into the same input contract as the API (``schemas.py``) and calls the
service: :func:`parse` takes the inputs as typed (a blank reason or password has its own message),
:func:`parse_form` the proposal, where a blank input means "unchanged". Refused input comes back on the
page with each message next to its field (a due date next to its milestone, a score next to its criterion).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.agreements import forms, services
from marketplace.agreements.limits import per_signer
from marketplace.agreements.models import AgreementMilestone, VersionStatus
from marketplace.agreements.schemas import (
    DELIVERY_NOTE_MAX,
    REASON_MAX,
    DeliverIn,
    MilestoneRejectIn,
    PdfQuery,
    ProposalIn,
    ReviewIn,
    SignIn,
    TerminateIn,
    VerifyHashIn,
)
from marketplace.core.errors import RECOVERABLE, DomainError, NotFound
from marketplace.core.forms import attach_errors, parse_form
from marketplace.core.schemas import parse
from marketplace.extensions import db, limiter
from marketplace.i18n import criterion_labels, current_locale
from marketplace.problems import services as problems
from marketplace.problems.models import Problem

bp = Blueprint("agreements", __name__)
AFTER_AWARD = ("awarded", "contracted", "in_delivery", "completed")


def verify_limit() -> str:
    return current_app.config.get("VERIFY_RATE_LIMIT", "30 per minute")


def ip_labels() -> dict[str, str]:
    return {"sme": _("The client owns the model and results"),
            "vendor_licensed": _("The vendor owns them; the client gets a perpetual licence"),
            "joint": _("Jointly owned")}


def role_labels(terms) -> dict[str, str]:
    return {"client": _("Cooperative (client)") if terms.is_cooperative else _("Client (SME side)"),
            "member": _("Member SME"), "vendor": _("Vendor")}


def milestone_labels() -> dict[str, str]:
    return {"pending": _("Not delivered"), "delivered": _("Delivered: waiting for acceptance"),
            "accepted": _("Accepted"), "rejected": _("Rejected")}


def _nested(form, exc: DomainError, prefix: str, keys) -> dict[str, str]:
    """Errors of ``<prefix><key>`` for the page's own inputs (the form has no field for them), by key;
    every other error goes on the form (beside its field, or above the form)."""
    names = {f"{prefix}{key}": str(key) for key in keys}
    attach_errors(form, DomainError(exc.message, fields={k: v for k, v in exc.fields.items() if k not in names}))
    return {names[k]: v for k, v in exc.fields.items() if k in names}


def _posted(prefix: str) -> dict[str, str]:
    """The form's inputs named ``<prefix><key>`` by key (due-3, score-quality), blanks left out."""
    return {key.removeprefix(prefix): value for key, value in request.form.items()
            if key.startswith(prefix) and value.strip()}


def _page(agreement, *, status: int = 200, sign_form=None, proposal_form=None, review_form=None,
          terminate_form=None, due=None, scores=None, milestone=None):
    """The agreement page; after refused input, the form concerned with its errors and what was typed.

    ``due`` and ``scores``: (typed values, errors) by milestone sequence or criterion; ``milestone``:
    (milestone id, typed values, errors by field, a message for the milestone itself).
    """
    session = db.session
    lang = current_locale()
    problem = session.get(Problem, agreement.problem_id)
    version = services.get_version(session, agreement)
    terms = services.terms_of(version)
    parties = services.signing_parties(session, agreement, version, terms=terms)
    signatures = {p.organisation_id: p.signature for p in parties if p.signature is not None}
    several = len(parties) > 2
    milestones = services.list_milestones(session, agreement)
    review = services.get_review(session, agreement)
    mine = current_user.organisation_id
    is_party = services.is_party(session, current_user, agreement)
    is_member = services.is_member_party(session, current_user, agreement)
    can_sign = (is_party and current_user.is_owner and version.status == VersionStatus.DRAFT
                and mine not in signatures)
    proposal_form = proposal_form or forms.ProposalForm(data={
        "ip_ownership": terms.ip_ownership.value, "warranty_months": terms.warranty_months,
        "liability_cap_multiple": terms.liability_cap_multiple, "acceptance_days": terms.acceptance_days,
        "resubmission_days": terms.resubmission_days,
        "maintenance_yearly_won": terms.maintenance.yearly_won if terms.maintenance else 0,
        "maintenance_years": terms.maintenance.years if terms.maintenance else 0})
    labels = criterion_labels()
    return render_template(
        "agreements/show.html", agreement=agreement, problem=problem,
        problem_visible=problems.can_view(session, problem, current_user), parties=parties, several=several,
        role_labels=role_labels(terms), version=version, terms=terms, signatures=signatures, milestones=milestones,
        review=review,
        versions=services.list_versions(session, agreement),
        changes=services.changes_from_previous(session, agreement, version, lang),
        amounts=terms.milestone_amounts(), is_party=is_party, is_client=mine == agreement.client_id,
        is_vendor=mine == agreement.vendor_id, is_member=is_member,
        # proposing and terminating: owners of the client and the vendor (the cooperative acts for its members)
        is_owner=is_party and current_user.is_owner and not is_member, can_sign=can_sign,
        sign_form=sign_form or forms.SignForm(), proposal_form=proposal_form, deliver_form=forms.DeliverForm(),
        review_form=review_form or forms.ReviewForm(), terminate_form=terminate_form or forms.TerminateForm(),
        due=due or ({}, {}), scores=scores or ({}, {}), milestone=milestone or (None, {}, {}, None),
        limits={"note": DELIVERY_NOTE_MAX, "reason": REASON_MAX},
        review_criteria=[(c, labels[c]) for c in services.review_criteria(problem)],
        ip_labels=ip_labels(), status_labels=services.status_labels(several=several), milestone_labels=milestone_labels(),
        first_signed_on=services.first_signed_on(session, agreement), lang=lang,
    ), status


@bp.post("/agreements/<int:agreement_id>/terminate")
@login_required
@per_signer
def terminate(agreement_id: int):
    agreement = services.get_agreement(db.session, agreement_id, viewer=current_user)
    form = forms.TerminateForm()
    try:
        termination = parse(TerminateIn, {"reason": form.reason.data or "", "password": form.password.data or ""})
        services.terminate_agreement(db.session, user=current_user, agreement=agreement, termination=termination)
    except RECOVERABLE as exc:
        db.session.rollback()
        attach_errors(form, exc)
        return _page(agreement, status=exc.status, terminate_form=form)
    if services.has_members(db.session, agreement):
        flash(_("The agreement is terminated. The other parties are told."), "info")
    else:
        flash(_("The agreement is terminated. The other party is told."), "info")
    return redirect(url_for("agreements.show", agreement_id=agreement.id))


@bp.app_template_global()
def agreement_link(problem: Problem) -> str | None:
    """The agreement page of a problem for its parties (and admins), once the problem is awarded."""
    if not current_user.is_authenticated or problem.state not in AFTER_AWARD:
        return None
    agreement = services.agreement_for_problem(db.session, problem)
    if agreement is not None:
        return url_for("agreements.show", agreement_id=agreement.id) \
            if services.can_view(db.session, current_user, agreement) else None
    bid = services.awarded_bid(db.session, problem)
    if current_user.is_admin or current_user.organisation_id in (problem.organisation_id,
                                                                 bid.vendor_id if bid else None):
        return url_for("agreements.for_problem", problem_id=problem.id)
    return None


@bp.get("/agreements/<int:agreement_id>")
@login_required
def show(agreement_id: int):
    agreement = services.get_agreement(db.session, agreement_id, viewer=current_user)
    return _page(agreement)


@bp.get("/problems/<int:problem_id>/agreement")
@login_required
def for_problem(problem_id: int):
    """The agreement of a problem, or what it waits for (the subsidy decision)."""
    problem = problems.get_problem(db.session, problem_id, viewer=current_user)
    agreement = services.agreement_for_problem(db.session, problem)
    if agreement is not None:
        services.get_agreement(db.session, agreement.id, viewer=current_user)
        return redirect(url_for("agreements.show", agreement_id=agreement.id))
    bid = services.awarded_bid(db.session, problem)
    parties = {problem.organisation_id, bid.vendor_id if bid else None}
    if current_user.organisation_id not in parties and not current_user.is_admin:
        raise NotFound(_("No such agreement."))
    waiting = services.waiting_for(db.session, problem)
    return render_template("agreements/waiting.html", problem=problem, waiting=waiting,
                           form=forms.DeliverForm())


@bp.post("/problems/<int:problem_id>/agreement")
@login_required
def continue_without_subsidy(problem_id: int):
    problem = problems.get_problem(db.session, problem_id, viewer=current_user)
    try:
        agreement = services.continue_without_subsidy(db.session, user=current_user, problem=problem)
    except RECOVERABLE as exc:
        flash(exc.message, "danger")
        return redirect(url_for("agreements.for_problem", problem_id=problem.id)), 303
    flash(_("The agreement is drafted without the subsidy. Check it and sign."), "success")
    return redirect(url_for("agreements.show", agreement_id=agreement.id))


@bp.post("/agreements/<int:agreement_id>/sign")
@login_required
@per_signer
def sign(agreement_id: int):
    agreement = services.get_agreement(db.session, agreement_id, viewer=current_user)
    form = forms.SignForm()
    try:
        signing = parse(SignIn, {"password": form.password.data or ""})
        services.sign_agreement(db.session, user=current_user, agreement=agreement, password=signing.password,
                                ip_address=request.remote_addr, user_agent=request.user_agent.string)
    except RECOVERABLE as exc:
        db.session.rollback()
        attach_errors(form, exc)
        agreement = services.get_agreement(db.session, agreement_id, viewer=current_user)
        return _page(agreement, status=exc.status, sign_form=form)
    several = services.has_members(db.session, agreement)
    if agreement.status == "signed":
        flash(_("Signed by every party. The final PDF and its SHA-256 are stored.") if several
              else _("Signed by both parties. The final PDF and its SHA-256 are stored."), "success")
    else:
        flash(_("You signed. The other parties' signatures are awaited.") if several
              else _("You signed. The other party's signature is awaited."), "success")
    return redirect(url_for("agreements.show", agreement_id=agreement.id))


@bp.post("/agreements/<int:agreement_id>/versions")
@login_required
def propose(agreement_id: int):
    agreement = services.get_agreement(db.session, agreement_id, viewer=current_user)
    form = forms.ProposalForm()
    # the inputs as typed, so that the contract judges them (not the form's coercion); blank: unchanged
    data = {k: request.form[k].strip() for k in ProposalIn.model_fields if k in request.form}
    dates = _posted("due-")
    if dates:
        data["milestone_due_dates"] = dates
    try:
        version = services.propose_changes(db.session, user=current_user, agreement=agreement,
                                           proposal=parse_form(ProposalIn, data))
    except RECOVERABLE as exc:
        db.session.rollback()
        agreement = services.get_agreement(db.session, agreement_id, viewer=current_user)
        sequences = [m.sequence for m in services.terms_of(services.get_version(db.session, agreement)).milestones]
        due_errors = _nested(form, exc, "milestone_due_dates.", sequences)
        return _page(agreement, status=exc.status, proposal_form=form, due=(dates, due_errors))
    if services.has_members(db.session, agreement):
        flash(_("Version %(n)d proposed. Every party signs it again.", n=version.number), "success")
    else:
        flash(_("Version %(n)d proposed. Both parties sign it again.", n=version.number), "success")
    return redirect(url_for("agreements.show", agreement_id=agreement.id))


def pdf_response(pdf: services.Pdf) -> Response:
    response = Response(pdf.data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/agreements/<int:agreement_id>/pdf")
@login_required
def pdf(agreement_id: int):
    agreement = services.get_agreement(db.session, agreement_id, viewer=current_user)
    query = parse(PdfQuery, {k: request.args[k] for k in PdfQuery.model_fields if k in request.args})
    return pdf_response(services.agreement_pdf(db.session, agreement, query))


def _milestone(milestone_id: int) -> tuple[AgreementMilestone, object]:
    return services.get_milestone(db.session, milestone_id, viewer=current_user)


@bp.post("/milestones/<int:milestone_id>/<any(deliver, accept, reject):action>")
@login_required
def decide_milestone(milestone_id: int, action: str):
    milestone, agreement = _milestone(milestone_id)
    typed = {k: request.form.get(k, "") for k in ("note", "reason")}
    try:
        if action == "deliver":
            services.deliver_milestone(db.session, user=current_user, milestone=milestone,
                                       delivery=parse(DeliverIn, {"note": typed["note"]}))
            flash(_("Delivered. The client is asked to accept it."), "success")
        elif action == "accept":
            services.accept_milestone(db.session, user=current_user, milestone=milestone)
            flash(_("Accepted; the payment for this milestone is due."), "success")
        else:
            services.reject_milestone(db.session, user=current_user, milestone=milestone,
                                      rejection=parse(MilestoneRejectIn, {"reason": typed["reason"]}))
            flash(_("Rejected; the vendor is told why."), "info")
    except RECOVERABLE as exc:
        db.session.rollback()
        agreement = services.get_agreement(db.session, agreement.id, viewer=current_user)
        return _page(agreement, status=exc.status,
                     milestone=(milestone_id, typed, exc.fields, None if exc.fields else exc.message))
    return redirect(url_for("agreements.show", agreement_id=agreement.id) + "#milestones")


@bp.post("/agreements/<int:agreement_id>/review")
@login_required
def review(agreement_id: int):
    agreement = services.get_agreement(db.session, agreement_id, viewer=current_user)
    form = forms.ReviewForm()
    scores = _posted("score-")
    try:
        review = parse(ReviewIn, {"scores": scores, "comment": form.comment.data or ""})
        services.submit_review(db.session, user=current_user, agreement=agreement, review=review)
    except RECOVERABLE as exc:
        db.session.rollback()
        agreement = services.get_agreement(db.session, agreement_id, viewer=current_user)
        criteria = services.review_criteria(db.session.get(Problem, agreement.problem_id))
        score_errors = _nested(form, exc, "scores.", criteria)
        return _page(agreement, status=exc.status, review_form=form, scores=(scores, score_errors))
    flash(_("Thank you. Your review is added to the vendor's track record."), "success")
    return redirect(url_for("agreements.show", agreement_id=agreement.id) + "#review")


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(verify_limit, methods=["POST"])
def verify():
    """Anyone may check whether a PDF (or its SHA-256) is a signed AX Bridge agreement."""
    form = forms.VerifyForm()
    result = None
    status = 200
    if request.method == "POST":
        if (request.content_length or 0) > services.MAX_UPLOAD_BYTES + 64 * 1024:
            form.form_errors.append(_("The file is larger than 10 MB."))
            return render_template("agreements/verify.html", form=form, result=None), 413
        upload = request.files.get("file")
        try:
            if upload is not None and upload.filename:
                result = services.verify_pdf(db.session, upload.read(services.MAX_UPLOAD_BYTES + 1))
            elif (form.sha256.data or "").strip():
                result = services.verify_sha256(db.session, parse(VerifyHashIn, {"sha256": form.sha256.data}))
            else:
                form.form_errors.append(_("Choose a PDF file or paste a SHA-256."))
                status = 422
        except RECOVERABLE as exc:
            attach_errors(form, exc)
            status = exc.status
    return render_template("agreements/verify.html", form=form, result=result), status

