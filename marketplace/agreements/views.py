"""Pages: the agreement of its parties (sign, propose, PDF, milestones, review) and the public /verify."""

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
from marketplace.core.errors import RECOVERABLE, NotFound
from marketplace.core.forms import attach_errors
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


def _page(agreement, *, status: int = 200, sign_form=None, proposal_form=None, review_form=None,
          reject_form=None, terminate_form=None):
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
        reject_form=reject_form or forms.RejectForm(), review_form=review_form or forms.ReviewForm(),
        terminate_form=terminate_form or forms.TerminateForm(),
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
    if not form.validate():
        return _page(agreement, status=422, terminate_form=form)
    try:
        services.terminate_agreement(db.session, user=current_user, agreement=agreement, password=form.password.data,
                                     reason=form.reason.data)
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
    if not form.validate():
        return _page(agreement, status=422, sign_form=form)
    try:
        services.sign_agreement(db.session, user=current_user, agreement=agreement, password=form.password.data,
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
    if not form.validate():
        return _page(agreement, status=422, proposal_form=form)
    changes = {k: getattr(form, k).data for k in ("ip_ownership", "warranty_months", "liability_cap_multiple",
                                                   "acceptance_days", "resubmission_days",
                                                   "maintenance_yearly_won", "maintenance_years")
               if getattr(form, k).data not in (None, "")}
    dates = {key.removeprefix("due-"): value for key, value in request.form.items()
             if key.startswith("due-") and value.strip()}
    if dates:
        changes["milestone_due_dates"] = dates
    try:
        version = services.propose_changes(db.session, user=current_user, agreement=agreement, changes=changes,
                                           note=form.note.data or "")
    except RECOVERABLE as exc:
        db.session.rollback()
        attach_errors(form, exc)
        agreement = services.get_agreement(db.session, agreement_id, viewer=current_user)
        return _page(agreement, status=exc.status, proposal_form=form)
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
    number = request.args.get("version", type=int)
    return pdf_response(services.agreement_pdf(db.session, agreement, lang=request.args.get("lang", "ko"),
                                               number=number))


def _milestone(milestone_id: int) -> tuple[AgreementMilestone, object]:
    return services.get_milestone(db.session, milestone_id, viewer=current_user)


@bp.post("/milestones/<int:milestone_id>/<any(deliver, accept, reject):action>")
@login_required
def decide_milestone(milestone_id: int, action: str):
    milestone, agreement = _milestone(milestone_id)
    try:
        if action == "deliver":
            services.deliver_milestone(db.session, user=current_user, milestone=milestone,
                                       note=request.form.get("note", ""))
            flash(_("Delivered. The client is asked to accept it."), "success")
        elif action == "accept":
            services.accept_milestone(db.session, user=current_user, milestone=milestone)
            flash(_("Accepted; the payment for this milestone is due."), "success")
        else:
            services.reject_milestone(db.session, user=current_user, milestone=milestone,
                                      reason=request.form.get("reason", ""))
            flash(_("Rejected; the vendor is told why."), "info")
    except RECOVERABLE as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return redirect(url_for("agreements.show", agreement_id=agreement.id) + "#milestones"), 303
    return redirect(url_for("agreements.show", agreement_id=agreement.id) + "#milestones")


@bp.post("/agreements/<int:agreement_id>/review")
@login_required
def review(agreement_id: int):
    agreement = services.get_agreement(db.session, agreement_id, viewer=current_user)
    form = forms.ReviewForm()
    if not form.validate():
        return _page(agreement, status=422, review_form=form)
    scores = {key.removeprefix("score-"): value for key, value in request.form.items() if key.startswith("score-")}
    try:
        services.submit_review(db.session, user=current_user, agreement=agreement, scores=scores,
                               comment=form.comment.data or "")
    except RECOVERABLE as exc:
        db.session.rollback()
        attach_errors(form, exc)
        agreement = services.get_agreement(db.session, agreement_id, viewer=current_user)
        return _page(agreement, status=exc.status, review_form=form)
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
        if form.validate():
            upload = request.files.get("file")
            try:
                if upload is not None and upload.filename:
                    result = services.verify_pdf(db.session, upload.read(services.MAX_UPLOAD_BYTES + 1))
                elif (form.sha256.data or "").strip():
                    result = services.verify_sha256(db.session, form.sha256.data)
                else:
                    form.form_errors.append(_("Choose a PDF file or paste a SHA-256."))
                    status = 422
            except RECOVERABLE as exc:
                attach_errors(form, exc)
                status = exc.status
        else:
            status = 422
    return render_template("agreements/verify.html", form=form, result=result), status

