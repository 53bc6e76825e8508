"""Admin pages. Every route requires a platform administrator."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sqlmodel import select

from marketplace.accounts import services
from marketplace.accounts.models import User
from marketplace.admin.schemas import BusinessNumberCheck
from marketplace.audit import services as audit
from marketplace.core.routing import bounded_int
from marketplace.documents import services as documents
from marketplace.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _require_admin():
    if not current_user.is_admin:
        abort(403)


@bp.get("/organisations")
def organisations():
    """The verification queue: every organisation, those waiting first, with its business number checked and
    who verified it when."""
    orgs = services.list_organisations(db.session)
    checks = {org.id: BusinessNumberCheck.of(org.brn) for org in orgs}
    verifiers = {u.id: u for u in db.session.exec(select(User).where(
        User.id.in_({o.verified_by_id for o in orgs if o.verified_by_id} or {-1})))}
    evidence = {org.id: documents.documents_of(db.session, org) for org in orgs}
    return render_template("admin/organisations.html", orgs=orgs, checks=checks, verifiers=verifiers,
                           evidence=evidence)


@bp.get("/audit")
def audit_log():
    """The audit log, newest first. Events of bids still sealed are left out until their deadline."""
    page = bounded_int(request.args.get("page"), low=1, high=100_000, default=1)
    action = request.args.get("action") or None
    entries = audit.visible_entries(db.session, action=action, page=page, per_page=50)
    return render_template("admin/audit.html", entries=entries, page=page, action=action or "",
                           actions=audit.ACTIONS)


@bp.post("/organisations/<int:organisation_id>/verify")
def verify(organisation_id: int):
    org = services.get_organisation(db.session, organisation_id)
    services.verify_organisation(db.session, admin=current_user, organisation=org)
    flash(_("%(name)s is verified.", name=org.name_ko), "success")
    return redirect(url_for("admin.organisations"))
