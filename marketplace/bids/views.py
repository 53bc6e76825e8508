"""Pages: the vendor's bid, the SME's evaluation and its decisions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from marketplace.bids import forms, services
from marketplace.bids.commitments import kpi_text
from marketplace.core.errors import RECOVERABLE
from marketplace.core.forms import attach_errors
from marketplace.core.views import act
from marketplace.extensions import db
from marketplace.i18n import criterion_labels, problem_field_labels
from marketplace.offerings.models import Offering
from marketplace.problems import services as problems

bp = Blueprint("bids", __name__)


@bp.route("/problems/<int:problem_id>/bid", methods=["GET", "POST"])
@login_required
def bid(problem_id: int):
    problem = problems.get_problem(db.session, problem_id, viewer=current_user)
    vendor = services.vendor_of(db.session, current_user)
    services.close_bidding_if_due(db.session, problem)
    kpis = problems.list_kpis(db.session, problem)
    existing = services.own_bid(db.session, problem, vendor.id)
    offerings = db.session.exec(select(Offering).where(Offering.organisation_id == vendor.id)).all()
    form = forms.BidForm(obj=None if request.method == "POST" or existing is None else existing,
                         data=None if request.method == "POST" or existing is None else
                         {"offering_id": str(existing.offering_id or ""), "milestones": existing.milestones})
    form.set_offerings(offerings)
    commitments = {str(c.kpi_id): kpi_text(c.value) for c in (existing.kpi_commitments if existing else [])}
    kpi_errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        action = request.form.get("action", "save")
        posted = forms.BidInput(form, request.form, kpis)
        try:
            if action == "withdraw" and existing is not None:
                services.withdraw_bid(db.session, user=current_user, bid=existing)
                flash(_("Your bid is withdrawn. You can submit again before the deadline."), "info")
            else:
                draft = posted.parse()
                if existing is None:
                    existing = services.create_bid(db.session, user=current_user, problem=problem, draft=draft)
                else:
                    services.revise_bid(db.session, user=current_user, bid=existing, changes=draft)
                if action == "submit":
                    services.submit_bid(db.session, user=current_user, bid=existing)
                    flash(_("Your bid is submitted and sealed until the deadline. You can revise or withdraw it "
                            "until then."), "success")
                else:
                    flash(_("Draft saved. Only you can see it."), "info")
            return redirect(url_for("bids.bid", problem_id=problem.id))
        except RECOVERABLE as exc:
            db.session.rollback()
            kpi_errors = posted.place(exc)
            attach_errors(form, exc)
            existing = services.own_bid(db.session, problem, vendor.id)
        status = 422
        commitments = {str(k.id): request.form.get(f"kpi-{k.id}", "") for k in kpis}
    outcome = services.outcome_for_vendor(db.session, problem, existing) if existing else None
    # what the latest amendment that asks bids to re-confirm changed (field names in the reader's language)
    reconfirm = [a for a in problems.list_amendments(db.session, problem) if a.reconfirm][-1:]
    changed = [problem_field_labels().get(c["field"], c["field"]) for a in reconfirm for c in a.changes]
    return render_template("bids/form.html", problem=problem, form=form, kpis=kpis, bid=existing,
                           commitments=commitments, kpi_errors=kpi_errors, open=services.bidding_open(problem),
                           outcome=outcome, changed=changed), status


@bp.get("/problems/<int:problem_id>/evaluation")
@login_required
def evaluation(problem_id: int):
    problem = problems.get_own_problem(db.session, problem_id, user=current_user)
    if not services.deadline_passed(problem):
        flash(_("Bids are sealed until the deadline."), "info")
        return redirect(url_for("problems.show", problem_id=problem.id))
    result = services.evaluate(db.session, problem, viewer=current_user)
    return render_template("bids/evaluation.html", problem=problem, evaluation=result, labels=criterion_labels(),
                           kpis=problems.list_kpis(db.session, problem), reason_form=forms.ReasonForm())


@bp.post("/bids/<int:bid_id>/<any(shortlist, reject, explanation_request, explanation_accept, "
         "explanation_reject):action>")
@login_required
def decide(bid_id: int, action: str):
    bid = services.get_bid(db.session, bid_id, viewer=current_user)
    target = url_for("bids.evaluation", problem_id=bid.problem_id)
    reason = request.form.get("reason", "")
    if action == "shortlist":
        return act(lambda: services.shortlist_bid(db.session, user=current_user, bid=bid),
                   done=_("Shortlisted."), target=target)
    if action == "explanation_request":
        return act(lambda: services.request_explanation(db.session, user=current_user, bid=bid,
                                                        question=request.form.get("question", "")),
                   done=_("The vendor is asked to explain its price within %(n)d days.", n=services.EXPLANATION_DAYS),
                   category="info", target=target)
    if action == "explanation_accept":
        return act(lambda: services.accept_explanation(db.session, user=current_user, bid=bid),
                   done=_("Explanation accepted: the bid may be awarded."), target=target)
    if action == "explanation_reject":
        return act(lambda: services.reject_explanation(db.session, user=current_user, bid=bid, reason=reason),
                   done=_("Explanation rejected; the bid is rejected and the vendor is told why."), category="info",
                   target=target)
    return act(lambda: services.reject_bid(db.session, user=current_user, bid=bid, reason=reason),
               done=_("Rejected; the vendor is told why."), category="info", target=target)


@bp.route("/bids/<int:bid_id>/award", methods=["GET", "POST"])
@login_required
def award(bid_id: int):
    """The confirmation step: the bid, its rank and, when it is not the top-scored one, the reason to give."""
    bid = services.get_bid(db.session, bid_id, viewer=current_user)
    problem = problems.get_own_problem(db.session, bid.problem_id, user=current_user)
    form = forms.ReasonForm()
    status = 200
    if request.method == "POST":
        try:
            services.award_bid(db.session, user=current_user, bid=bid, reason=form.reason.data)
            flash(_("Awarded. Every bidder sees the opening result with its own score and rank."), "success")
            return redirect(url_for("bids.opening", problem_id=problem.id))
        except RECOVERABLE as exc:
            db.session.rollback()
            attach_errors(form, exc)
            if not exc.fields:
                flash(exc.message, "danger")
            status = 422
    result = services.evaluate(db.session, problem, viewer=current_user)
    score = next((s for s in result.scores if s.bid.id == bid.id), None)
    top = next((s for s in result.scores if s.bid.state in ("submitted", "shortlisted")), None)
    return render_template("bids/award.html", problem=problem, bid=bid, score=score, form=form,
                           reason_required=top is not None and top.bid.id != bid.id), status


@bp.post("/bids/<int:bid_id>/explanation")
@login_required
def explain(bid_id: int):
    bid = services.get_bid(db.session, bid_id, viewer=current_user)
    return act(lambda: services.explain_bid(db.session, user=current_user, bid=bid,
                                            explanation=request.form.get("explanation", "")),
               done=_("Your explanation is sent to the buyer."), target=url_for("bids.bid", problem_id=bid.problem_id))


@bp.get("/problems/<int:problem_id>/opening")
@login_required
def opening(problem_id: int):
    problem = problems.get_problem(db.session, problem_id, viewer=current_user)
    result = services.opening_result(db.session, problem, viewer=current_user)
    return render_template("bids/opening.html", problem=problem, opening=result, labels=criterion_labels())
